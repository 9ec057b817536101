import { counterFamily, histogramFamily, type CounterCell, type CounterFamily, type HistogramCell } from "./cells.js";

/** RED for one kind of call (one RPC, one route): everything it needs is looked up once, not per call. */
export interface CallInstruments {
  /**
   * One finished call: `seconds` it took, its outcome (`code`: gRPC status name such as "OK" / "NOT_FOUND", or an
   * HTTP status) and for a failure the stable `reason` (ErrorInfo reason, "" when none).
   */
  record(seconds: number, code: string, reason?: string): void;
}

/** `/omnihall.billing.v1.BillingService/TopUp` → service and method labels (the names Grafana's gRPC boards use). */
export function rpcLabels(path: string): { grpc_service: string; grpc_method: string } {
  const slash = path.lastIndexOf("/");
  return { grpc_service: path.slice(path.startsWith("/") ? 1 : 0, slash), grpc_method: path.slice(slash + 1) };
}

function instruments(
  labels: Record<string, string>,
  handled: CounterFamily,
  errors: CounterFamily,
  timing: HistogramCell,
  codeLabel: string,
  success: (code: string) => boolean,
  firstCode: string,
): CallInstruments {
  const byCode = new Map<string, CounterCell>([[firstCode, handled.cell({ ...labels, [codeLabel]: firstCode })]]);
  const byReason = new Map<string, CounterCell>();
  return {
    record(seconds, code, reason = "") {
      timing.observe(seconds);
      let cell = byCode.get(code);
      if (!cell) {
        cell = handled.cell({ ...labels, [codeLabel]: code });
        byCode.set(code, cell);
      }
      cell.inc();
      if (success(code)) return;
      const key = `${code} ${reason}`;
      let errorCell = byReason.get(key);
      if (!errorCell) {
        errorCell = errors.cell({ ...labels, [codeLabel]: code, reason });
        byReason.set(key, errorCell);
      }
      errorCell.inc();
    },
  };
}

const RPC_LABELS = ["grpc_service", "grpc_method"];

const serverHandled = counterFamily("grpc_server_handled_total", "gRPC calls this service finished, by status code.", [
  ...RPC_LABELS,
  "grpc_code",
]);
const serverErrors = counterFamily(
  "omnihall_grpc_server_errors_total",
  "gRPC calls this service answered with an error, by status code and ErrorInfo reason.",
  [...RPC_LABELS, "grpc_code", "reason"],
);
const serverSeconds = histogramFamily(
  "grpc_server_handling_seconds",
  "Time from receiving a gRPC call to its answer, in seconds.",
  RPC_LABELS,
);

/** The service kit's RED instruments for one RPC served (created once per method at start-up). */
export function grpcServerInstruments(path: string): CallInstruments {
  const labels = rpcLabels(path);
  return instruments(labels, serverHandled, serverErrors, serverSeconds.cell(labels), "grpc_code", isOk, "OK");
}

const CLIENT_LABELS = ["caller", ...RPC_LABELS];
const clientHandled = counterFamily(
  "grpc_client_handled_total",
  "gRPC calls this app made that finished (retries included), by status code.",
  [...CLIENT_LABELS, "grpc_code"],
);
const clientErrors = counterFamily(
  "omnihall_grpc_client_errors_total",
  "gRPC calls this app made that failed, by status code and ErrorInfo reason.",
  [...CLIENT_LABELS, "grpc_code", "reason"],
);
const clientSeconds = histogramFamily(
  "grpc_client_handling_seconds",
  "Time a gRPC call this app made took, retries included, in seconds.",
  CLIENT_LABELS,
);
const clientRetries = counterFamily(
  "omnihall_grpc_client_retries_total",
  "Attempts of idempotent gRPC calls repeated after UNAVAILABLE.",
  CLIENT_LABELS,
);

/** The channel client's instruments for one method of one service, as called by `caller`. */
export function grpcClientInstruments(path: string, caller: string): CallInstruments & { retried(): void } {
  const labels = { caller, ...rpcLabels(path) };
  const retries = clientRetries.cell(labels);
  return {
    ...instruments(labels, clientHandled, clientErrors, clientSeconds.cell(labels), "grpc_code", isOk, "OK"),
    retried: () => retries.inc(),
  };
}

function isOk(code: string): boolean {
  return code === "OK";
}

const HTTP_LABELS = ["method", "route"];
const httpHandled = counterFamily(
  "http_server_requests_total",
  "HTTP requests this hall answered, by route and status code.",
  [...HTTP_LABELS, "status_code"],
);
const httpErrors = counterFamily(
  "omnihall_http_server_errors_total",
  "HTTP requests this hall answered with an error (4xx/5xx), by status code and error reason.",
  [...HTTP_LABELS, "status_code", "reason"],
);
const httpSeconds = histogramFamily(
  "http_server_request_duration_seconds",
  "Time from an HTTP request's arrival to its answer, in seconds.",
  HTTP_LABELS,
);

/** A hall's instruments for one route (`route` is the pattern, e.g. `/v1/me/bills/:billId`). */
export function httpRouteInstruments(method: string, route: string): CallInstruments {
  const labels = { method, route };
  return instruments(labels, httpHandled, httpErrors, httpSeconds.cell(labels), "status_code", isHttpSuccess, "200");
}

function isHttpSuccess(status: string): boolean {
  return status.charCodeAt(0) < 52; // "1xx"–"3xx"
}

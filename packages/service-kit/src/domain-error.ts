import { status as GrpcStatus } from "@grpc/grpc-js";

/** What a person reads, in both languages the halls serve. */
export interface LocalizedMessages {
  "zh-CN": string;
  en: string;
}

/** One bad request field (google.rpc.BadRequest.FieldViolation). */
export interface FieldViolation {
  /** Path of the field in the request, e.g. "msisdn" or "items[2].quantity". */
  field: string;
  /** Stable UPPER_SNAKE reason, e.g. "MSISDN_MALFORMED". */
  reason: string;
  messages: LocalizedMessages;
}

export interface DomainErrorOptions {
  /** Extra facts a caller may act on (ErrorInfo.metadata), e.g. { retryAfterSeconds: "60" }. */
  metadata?: Record<string, string>;
  fieldViolations?: FieldViolation[];
  cause?: unknown;
}

const UPPER_SNAKE = /^[A-Z][A-Z0-9_]*[A-Z0-9]$/;

/**
 * An expected failure a handler throws on purpose: a gRPC status code, a stable machine-readable reason and a
 * message for people. The kit sends it as an AIP-193 rich status; anything else thrown becomes INTERNAL.
 */
export class DomainError extends Error {
  readonly metadata: Readonly<Record<string, string>>;
  readonly fieldViolations: readonly FieldViolation[];

  constructor(
    readonly code: GrpcStatus,
    readonly reason: string,
    readonly messages: LocalizedMessages,
    options: DomainErrorOptions = {},
  ) {
    super(messages.en, { cause: options.cause });
    this.name = "DomainError";
    for (const name of [reason, ...(options.fieldViolations ?? []).map((violation) => violation.reason)]) {
      if (!UPPER_SNAKE.test(name)) throw new Error(`Error reasons are UPPER_SNAKE_CASE, got "${name}"`);
    }
    if (code === GrpcStatus.OK) throw new Error("A DomainError cannot carry status OK");
    this.metadata = options.metadata ?? {};
    this.fieldViolations = options.fieldViolations ?? [];
  }
}

type DomainErrorConstructor = (
  reason: string,
  messages: LocalizedMessages,
  options?: DomainErrorOptions,
) => DomainError;

function withCode(code: GrpcStatus): DomainErrorConstructor {
  return (reason, messages, options) => new DomainError(code, reason, messages, options);
}

/** The request is wrong whatever the system's state (malformed MSISDN, page size out of range). */
export const invalidArgument = withCode(GrpcStatus.INVALID_ARGUMENT);
export const notFound = withCode(GrpcStatus.NOT_FOUND);
export const alreadyExists = withCode(GrpcStatus.ALREADY_EXISTS);
/** The request is fine but the system's state forbids it now (subscriber suspended, order already paid). */
export const failedPrecondition = withCode(GrpcStatus.FAILED_PRECONDITION);
/** A concurrency conflict the caller may retry from the top (optimistic lock lost). */
export const aborted = withCode(GrpcStatus.ABORTED);
export const permissionDenied = withCode(GrpcStatus.PERMISSION_DENIED);
export const unauthenticated = withCode(GrpcStatus.UNAUTHENTICATED);
/** A quota or rate limit (login attempts, balance cap). */
export const resourceExhausted = withCode(GrpcStatus.RESOURCE_EXHAUSTED);
/** A dependency is down; idempotent calls are retried by the channel client. */
export const unavailable = withCode(GrpcStatus.UNAVAILABLE);

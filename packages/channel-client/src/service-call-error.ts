import { status as GrpcStatus, type ServiceError } from "@grpc/grpc-js";
import { decodeErrorDetails, type FieldViolation, type LocalizedMessages } from "@omnihall/service-kit";

/**
 * A failed call to a domain service, decoded from its rich status (AIP-193). `reason` is what code branches on;
 * `messages` is what a hall shows a person. Failures with no service behind them (unreachable, deadline passed
 * on the way) get the status name as reason, an empty domain and generic messages.
 */
export class ServiceCallError extends Error {
  readonly code: GrpcStatus;
  readonly reason: string;
  readonly domain: string;
  readonly messages: LocalizedMessages;
  readonly metadata: Readonly<Record<string, string>>;
  readonly fieldViolations: readonly FieldViolation[];

  constructor(
    init: {
      code: GrpcStatus;
      reason: string;
      domain: string;
      messages: LocalizedMessages;
      metadata?: Record<string, string>;
      fieldViolations?: FieldViolation[];
    },
    /** The method called, e.g. "omnihall.billing.v1.BillingService/GetBalance". */
    readonly rpc: string,
    /** The x-request-id the call carried, to find it in the service's logs. */
    readonly requestId: string,
    options: { cause?: unknown } = {},
  ) {
    super(`${rpc} failed with ${GrpcStatus[init.code]} ${init.reason}: ${init.messages.en}`, options);
    this.name = "ServiceCallError";
    this.code = init.code;
    this.reason = init.reason;
    this.domain = init.domain;
    this.messages = init.messages;
    this.metadata = init.metadata ?? {};
    this.fieldViolations = init.fieldViolations ?? [];
  }

  static fromServiceError(error: ServiceError, rpc: string, requestId: string): ServiceCallError {
    const details = decodeErrorDetails(error.code, error.metadata);
    return new ServiceCallError({ code: error.code, ...details }, rpc, requestId, { cause: error });
  }

  static cancelled(rpc: string, requestId: string): ServiceCallError {
    return new ServiceCallError(
      { code: GrpcStatus.CANCELLED, ...decodeErrorDetails(GrpcStatus.CANCELLED) },
      rpc,
      requestId,
    );
  }
}

import { status } from "@grpc/grpc-js";

/** What a failed call to another domain service tells us (the channel client's ServiceCallError). */
export interface CallFailure {
  code: status;
  reason: string;
}

/** The gRPC code and reason of a failed service call, or undefined for anything else (a bug, a timeout here). */
export function callFailureOf(error: unknown): CallFailure | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const { code, reason } = error as { code?: unknown; reason?: unknown };
  if (typeof code !== "number" || typeof reason !== "string") return undefined;
  return { code, reason };
}

// Answers that say nothing about the request itself: the same call may succeed later.
const TRANSIENT = new Set<status>([
  status.UNAVAILABLE,
  status.DEADLINE_EXCEEDED,
  status.RESOURCE_EXHAUSTED,
  status.ABORTED,
  status.INTERNAL,
  status.UNKNOWN,
  status.CANCELLED,
]);

/** A definite refusal (NOT_FOUND, FAILED_PRECONDITION…) with its reason; undefined when worth retrying. */
export function refusalOf(error: unknown): CallFailure | undefined {
  const failure = callFailureOf(error);
  return failure && !TRANSIENT.has(failure.code) ? failure : undefined;
}

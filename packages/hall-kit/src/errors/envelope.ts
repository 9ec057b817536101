import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import { status as GrpcStatus } from "@grpc/grpc-js";
import { ServiceCallError } from "@omnihall/channel-client";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { HALL_ERRORS, HallError, type Messages } from "./hall-error.js";
import { languageOf } from "./language.js";

/** The JSON body of every error answer a hall gives. */
export interface ErrorBody {
  error: { reason: string; message: string; messages: Messages; details?: Record<string, unknown> };
}

/** The error envelope as JSON Schema, for the OpenAPI document and the response serializer. */
export const errorBodySchema = {
  type: "object",
  description:
    "Every error. `reason` is stable (branch on it); `message` is in the language of Accept-Language (zh-CN by default); `messages` has both.",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["reason", "message", "messages"],
      properties: {
        reason: { type: "string", pattern: "^[A-Z][A-Z0-9_]*$", examples: ["SESSION_REQUIRED"] },
        message: { type: "string" },
        messages: {
          type: "object",
          required: ["zh-CN", "en"],
          properties: { "zh-CN": { type: "string" }, en: { type: "string" } },
        },
        details: { type: "object", additionalProperties: true },
      },
    },
  },
} as const;

/**
 * HTTP status of a domain service's gRPC status. The reason and both messages of a service error pass through
 * unchanged: services word them for people.
 */
const HTTP_STATUS_OF_GRPC: Partial<Record<GrpcStatus, number>> = {
  [GrpcStatus.INVALID_ARGUMENT]: 400,
  [GrpcStatus.OUT_OF_RANGE]: 400,
  [GrpcStatus.UNAUTHENTICATED]: 401,
  [GrpcStatus.PERMISSION_DENIED]: 403,
  [GrpcStatus.NOT_FOUND]: 404,
  [GrpcStatus.ALREADY_EXISTS]: 409,
  [GrpcStatus.ABORTED]: 409,
  [GrpcStatus.FAILED_PRECONDITION]: 422,
  [GrpcStatus.RESOURCE_EXHAUSTED]: 429,
  // The person went away (closed the page); nobody reads this answer, but logs should not call it a failure.
  [GrpcStatus.CANCELLED]: 499,
  [GrpcStatus.UNAVAILABLE]: 503,
  [GrpcStatus.DEADLINE_EXCEEDED]: 504,
};

export function fromServiceCall(error: ServiceCallError): HallError {
  const statusCode = HTTP_STATUS_OF_GRPC[error.code];
  // INTERNAL, UNKNOWN, UNIMPLEMENTED, DATA_LOSS: the detail is for the logs, never for people.
  if (statusCode === undefined) return HALL_ERRORS.serviceTrouble();
  const localized = Boolean(error.messages["zh-CN"] && error.messages.en);
  return new HallError(
    statusCode,
    error.reason,
    localized ? error.messages : HALL_ERRORS.serviceTrouble().messages,
    error.fieldViolations.length ? { fieldViolations: error.fieldViolations } : undefined,
  );
}

/** Fastify's own errors (parsing, validation, limits) in the envelope; undefined for anything unexpected. */
export function fromFastify(error: FastifyError): HallError | undefined {
  if (error.validation) {
    const issues = error.validation.map((v) =>
      `${error.validationContext ?? ""}${v.instancePath || ""} ${v.message ?? ""}`.trim(),
    );
    return HALL_ERRORS.requestInvalid(issues);
  }
  switch (error.code) {
    case "FST_ERR_CTP_INVALID_JSON_BODY":
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return HALL_ERRORS.bodyMalformed();
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return HALL_ERRORS.mediaTypeUnsupported();
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return HALL_ERRORS.requestMalformed();
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return HALL_ERRORS.bodyTooLarge();
    case "FST_ERR_BAD_URL":
    case "FST_ERR_MAX_PARAM_LENGTH":
      return HALL_ERRORS.urlMalformed();
  }
  // secure-json-parse refuses __proto__ and constructor.prototype keys with a plain SyntaxError.
  if (error instanceof SyntaxError) return HALL_ERRORS.bodyMalformed();
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return HALL_ERRORS.requestRejected(error.statusCode);
  }
  return undefined;
}

/** Any error as the hall's answer: what it is for a person, never a stack trace. */
export function hallErrorOf(error: unknown): HallError | undefined {
  if (error instanceof HallError) return error;
  if (error instanceof ServiceCallError) return fromServiceCall(error);
  if (error && typeof error === "object") return fromFastify(error as FastifyError);
  return undefined;
}

export function errorBody(error: HallError, acceptLanguage: string | undefined): ErrorBody {
  const language = languageOf(acceptLanguage);
  return {
    error: {
      reason: error.reason,
      message: error.messages[language],
      messages: error.messages,
      ...(error.details && Object.keys(error.details).length ? { details: error.details } : {}),
    },
  };
}

/** Sends a hall error as the envelope, in the caller's language. */
export function sendError(error: HallError, request: FastifyRequest, reply: FastifyReply) {
  const acceptLanguage = request.headers["accept-language"];
  return reply
    .code(error.statusCode)
    .header("content-language", languageOf(acceptLanguage))
    .header("cache-control", "no-store")
    .send(errorBody(error, acceptLanguage));
}

/** The hall's fastify error handler: every error becomes the envelope with a stable reason. */
export function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const known = hallErrorOf(error);
  if (!known || known.statusCode >= 500) {
    // A service's own INTERNAL is logged here with its request id, to be found in that service's logs too.
    if (known?.statusCode !== 499) request.log.error({ err: error }, "request failed");
  }
  return sendError(known ?? HALL_ERRORS.internal(), request, reply);
}

/**
 * Errors Node's HTTP parser raises before fastify sees a request (431 huge headers, malformed requests,
 * timeouts): answered in the envelope on the raw socket. There are no parsed headers, so the message is the
 * operator's default language; `messages` carries both.
 */
export function handleClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === "ECONNRESET" || socket.destroyed) return;
  const hallError =
    error.code === "HPE_HEADER_OVERFLOW"
      ? HALL_ERRORS.headersTooLarge()
      : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? HALL_ERRORS.requestTimeout()
        : HALL_ERRORS.requestMalformed();
  const body = JSON.stringify(errorBody(hallError, undefined));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${hallError.statusCode} ${STATUS_CODES[hallError.statusCode]}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Content-Language: zh-CN\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

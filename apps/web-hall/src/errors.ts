import { status as GrpcStatus } from "@grpc/grpc-js";
import { ServiceCallError } from "@omnihall/channel-client";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { languageOf, type Language } from "./language.js";

type Messages = Record<Language, string>;

/** An error the hall itself raises (bad request, no session), with a stable reason and both languages. */
export class HallError extends Error {
  constructor(
    readonly statusCode: number,
    readonly reason: string,
    readonly messages: Messages,
    readonly details?: Record<string, unknown>,
  ) {
    super(messages.en);
  }
}

/** The JSON body of every error answer. */
export interface ErrorBody {
  error: { reason: string; message: string; messages: Messages; details?: Record<string, unknown> };
}

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
  [GrpcStatus.UNAVAILABLE]: 503,
  [GrpcStatus.DEADLINE_EXCEEDED]: 504,
};

const SERVICE_TROUBLE: Messages = {
  "zh-CN": "服务暂时不可用，请稍后再试。",
  en: "The service is temporarily unavailable. Please try again later.",
};

function fromServiceCall(error: ServiceCallError): HallError {
  const statusCode = HTTP_STATUS_OF_GRPC[error.code] ?? 502;
  // A domain's INTERNAL error, or an error without localized text, is reported generically: its detail is for
  // the logs, not for subscribers.
  const localized = error.messages["zh-CN"] && error.messages.en && statusCode !== 502;
  return new HallError(
    statusCode,
    statusCode === 502 ? "SERVICE_ERROR" : error.reason,
    localized ? error.messages : SERVICE_TROUBLE,
    {
      ...(error.fieldViolations?.length ? { fieldViolations: error.fieldViolations } : {}),
    },
  );
}

function fromFastify(error: FastifyError): HallError | undefined {
  if (error.validation) {
    const issues = error.validation.map((v) =>
      `${v.instancePath || error.validationContext || ""} ${v.message ?? ""}`.trim(),
    );
    return new HallError(
      400,
      "REQUEST_INVALID",
      { "zh-CN": `请求参数不正确：${issues.join("；")}`, en: `The request is not valid: ${issues.join("; ")}` },
      { issues },
    );
  }
  switch (error.code) {
    case "FST_ERR_CTP_INVALID_JSON_BODY":
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return new HallError(400, "BODY_MALFORMED", {
        "zh-CN": "请求内容不是有效的 JSON。",
        en: "The request body is not valid JSON.",
      });
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return new HallError(415, "MEDIA_TYPE_UNSUPPORTED", {
        "zh-CN": "请以 application/json 格式提交。",
        en: "Send the request body as application/json.",
      });
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return new HallError(413, "BODY_TOO_LARGE", { "zh-CN": "请求内容过大。", en: "The request body is too large." });
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return new HallError(error.statusCode, "REQUEST_REJECTED", {
      "zh-CN": "请求无法处理。",
      en: "The request cannot be processed.",
    });
  }
  return undefined;
}

/** Every error becomes a JSON answer with a stable reason in the caller's language; never a stack trace. */
export function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const hallError =
    error instanceof HallError
      ? error
      : error instanceof ServiceCallError
        ? fromServiceCall(error)
        : fromFastify(error as FastifyError);
  if (!hallError || hallError.statusCode >= 500) request.log.error({ err: error }, "request failed");
  const answer = hallError ?? new HallError(500, "INTERNAL", SERVICE_TROUBLE);
  const language = languageOf(request.headers["accept-language"]);
  const body: ErrorBody = {
    error: {
      reason: answer.reason,
      message: answer.messages[language],
      messages: answer.messages,
      ...(answer.details && Object.keys(answer.details).length ? { details: answer.details } : {}),
    },
  };
  return reply.code(answer.statusCode).header("content-language", language).send(body);
}

export const ROUTE_NOT_FOUND = new HallError(404, "ROUTE_NOT_FOUND", {
  "zh-CN": "没有这个接口。",
  en: "There is no such endpoint.",
});

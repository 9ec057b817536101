import { Metadata, status as GrpcStatus, type StatusObject } from "@grpc/grpc-js";
import { Any } from "@omnihall/proto/google/protobuf/any";
import { BadRequest, ErrorInfo, LocalizedMessage } from "@omnihall/proto/google/rpc/error_details";
import { Status } from "@omnihall/proto/google/rpc/status";
import type { DomainError, FieldViolation, LocalizedMessages } from "./domain-error.js";

/** The trailer that carries a binary google.rpc.Status (AIP-193). */
export const STATUS_DETAILS_KEY = "grpc-status-details-bin";

const TYPE_URL_PREFIX = "type.googleapis.com/";
const ERROR_INFO = `${TYPE_URL_PREFIX}google.rpc.ErrorInfo`;
const LOCALIZED_MESSAGE = `${TYPE_URL_PREFIX}google.rpc.LocalizedMessage`;
const BAD_REQUEST = `${TYPE_URL_PREFIX}google.rpc.BadRequest`;

/** The decoded content of a rich error status. */
export interface ErrorDetails {
  reason: string;
  domain: string;
  messages: LocalizedMessages;
  metadata: Record<string, string>;
  fieldViolations: FieldViolation[];
}

/**
 * Messages for failures that reach a person without a service's own words: transport failures the client sees
 * (no server answered) and unexpected server faults, whose real cause stays in the server log.
 */
export function genericMessages(code: GrpcStatus): LocalizedMessages {
  switch (code) {
    case GrpcStatus.UNAVAILABLE:
      return { "zh-CN": "服务暂时不可用，请稍后再试。", en: "The service is unavailable. Please try again later." };
    case GrpcStatus.DEADLINE_EXCEEDED:
      return { "zh-CN": "服务响应超时，请稍后再试。", en: "The service did not answer in time. Please try again." };
    case GrpcStatus.CANCELLED:
      return { "zh-CN": "请求已取消。", en: "The request was cancelled." };
    case GrpcStatus.UNAUTHENTICATED:
      return { "zh-CN": "调用方身份验证失败。", en: "The caller could not be authenticated." };
    default:
      return { "zh-CN": "系统内部错误，请稍后再试。", en: "Something went wrong on our side. Please try again later." };
  }
}

function pack(typeUrl: string, bytes: Uint8Array): Any {
  return { typeUrl, value: Buffer.from(bytes) };
}

/** The status a handler's DomainError is sent as: English as the plain message, everything in the details. */
export function toGrpcStatus(error: DomainError, domain: string): StatusObject {
  const metadata = new Metadata();
  metadata.set(STATUS_DETAILS_KEY, Buffer.from(Status.encode(toStatusMessage(error, domain)).finish()));
  return { code: error.code, details: error.messages.en, metadata };
}

/** A DomainError as the google.rpc.Status a failed call carries (and a batch item's result holds). */
export function toStatusMessage(error: DomainError, domain: string): Status {
  const details: Any[] = [
    pack(ERROR_INFO, ErrorInfo.encode({ reason: error.reason, domain, metadata: { ...error.metadata } }).finish()),
    pack(LOCALIZED_MESSAGE, LocalizedMessage.encode({ locale: "zh-CN", message: error.messages["zh-CN"] }).finish()),
    pack(LOCALIZED_MESSAGE, LocalizedMessage.encode({ locale: "en", message: error.messages.en }).finish()),
  ];
  if (error.fieldViolations.length > 0) {
    const fieldViolations = error.fieldViolations.map((violation) => ({
      field: violation.field,
      reason: violation.reason,
      // FieldViolation holds one description and one localized message: English and Chinese respectively.
      description: violation.messages.en,
      localizedMessage: { locale: "zh-CN", message: violation.messages["zh-CN"] },
    }));
    details.push(pack(BAD_REQUEST, BadRequest.encode({ fieldViolations }).finish()));
  }
  return { code: error.code, message: error.messages.en, details };
}

/** What a google.rpc.Status carries (a failed call's trailers, or a batch item's result). */
export function readStatus(status: Status): ErrorDetails {
  const generic = genericMessages(status.code);
  const result: ErrorDetails = {
    // Without an ErrorInfo the status name is the most specific reason there is.
    reason: GrpcStatus[status.code] ?? "UNKNOWN",
    domain: "",
    messages: { "zh-CN": generic["zh-CN"], en: status.message || generic.en },
    metadata: {},
    fieldViolations: [],
  };
  for (const detail of status.details) {
    if (detail.typeUrl === ERROR_INFO) {
      const info = ErrorInfo.decode(detail.value);
      Object.assign(result, { reason: info.reason, domain: info.domain, metadata: info.metadata });
    } else if (detail.typeUrl === LOCALIZED_MESSAGE) {
      const { locale, message } = LocalizedMessage.decode(detail.value);
      if (locale === "zh-CN" || locale === "en") result.messages[locale] = message;
    } else if (detail.typeUrl === BAD_REQUEST) {
      result.fieldViolations = BadRequest.decode(detail.value).fieldViolations.map((violation) => ({
        field: violation.field,
        reason: violation.reason,
        messages: { "zh-CN": violation.localizedMessage?.message ?? violation.description, en: violation.description },
      }));
    }
  }
  return result;
}

/**
 * What a failed call carries: the rich status from its trailers, or, when there is none (the failure happened
 * on the way, e.g. no server reachable) or it is garbled, the status name as reason and generic messages.
 */
export function decodeErrorDetails(code: GrpcStatus, trailers?: Metadata): ErrorDetails {
  const raw = trailers?.get(STATUS_DETAILS_KEY)[0];
  if (raw) {
    try {
      return readStatus(Status.decode(typeof raw === "string" ? Buffer.from(raw, "base64") : raw));
    } catch {
      // Undecodable details are treated as absent.
    }
  }
  return readStatus({ code, message: "", details: [] });
}

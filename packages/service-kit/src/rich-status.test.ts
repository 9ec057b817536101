import { Metadata, status as GrpcStatus } from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import { DomainError, failedPrecondition, invalidArgument } from "./domain-error.js";
import { decodeErrorDetails, STATUS_DETAILS_KEY, toGrpcStatus } from "./rich-status.js";

describe("rich status", () => {
  it("encodes a DomainError so that decoding gives back every part", () => {
    const error = invalidArgument(
      "ORDER_INVALID",
      { "zh-CN": "订单有误。", en: "The order is invalid." },
      {
        metadata: { orderId: "ord_1" },
        fieldViolations: [
          {
            field: "items[0].quantity",
            reason: "QUANTITY_TOO_LOW",
            messages: { "zh-CN": "数量至少为 1。", en: "At least 1." },
          },
        ],
      },
    );
    const status = toGrpcStatus(error, "orders.omnihall");
    expect(status.code).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(status.details).toBe("The order is invalid.");
    expect(decodeErrorDetails(status.code, status.metadata)).toEqual({
      reason: "ORDER_INVALID",
      domain: "orders.omnihall",
      messages: { "zh-CN": "订单有误。", en: "The order is invalid." },
      metadata: { orderId: "ord_1" },
      fieldViolations: [
        {
          field: "items[0].quantity",
          reason: "QUANTITY_TOO_LOW",
          messages: { "zh-CN": "数量至少为 1。", en: "At least 1." },
        },
      ],
    });
  });

  it("falls back to the status name and generic messages without details, or with undecodable ones", () => {
    const fallback = {
      reason: "UNAVAILABLE",
      domain: "",
      messages: { "zh-CN": "服务暂时不可用，请稍后再试。", en: "The service is unavailable. Please try again later." },
      metadata: {},
      fieldViolations: [],
    };
    expect(decodeErrorDetails(GrpcStatus.UNAVAILABLE, new Metadata())).toEqual(fallback);
    const garbled = new Metadata();
    garbled.set(STATUS_DETAILS_KEY, Buffer.from([0xff, 0xff, 0xff]));
    expect(decodeErrorDetails(GrpcStatus.UNAVAILABLE, garbled)).toEqual(fallback);
  });

  it("insists on UPPER_SNAKE reasons and a failing code", () => {
    const messages = { "zh-CN": "不行。", en: "No." };
    expect(() => failedPrecondition("subscriberInactive", messages)).toThrow(/UPPER_SNAKE/);
    expect(() => new DomainError(GrpcStatus.OK, "FINE", messages)).toThrow(/OK/);
    expect(failedPrecondition("SUBSCRIBER_INACTIVE", messages).message).toBe("No.");
  });
});

import { status } from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import { badField, requestIdRequired, requestIdReused } from "./request-errors.js";

describe("shared request errors", () => {
  it("name the field in a BadRequest and word the request_id rules once", () => {
    const messages = { "zh-CN": "名称必填。", en: "Name required." };
    expect(badField("NAME_REQUIRED", "spec.name", messages)).toMatchObject({
      code: status.INVALID_ARGUMENT,
      reason: "NAME_REQUIRED",
      fieldViolations: [{ field: "spec.name", reason: "NAME_REQUIRED", messages }],
    });
    expect(requestIdRequired()).toMatchObject({ code: status.INVALID_ARGUMENT, reason: "REQUEST_ID_REQUIRED" });
    expect(requestIdRequired().fieldViolations?.[0]?.field).toBe("request_id");
    expect(requestIdReused()).toMatchObject({ code: status.ALREADY_EXISTS, reason: "REQUEST_ID_REUSED" });
  });
});

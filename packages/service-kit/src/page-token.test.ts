import { status as GrpcStatus } from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { DomainError } from "./domain-error.js";
import { decodePageToken, encodePageToken, pageSize } from "./page-token.js";

const position = z.object({ msisdn: z.string(), createdAfter: z.coerce.bigint() });
const filters = { provinceCode: "GD", status: 1, city: "" };

function reasonOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(GrpcStatus.INVALID_ARGUMENT);
    return (error as DomainError).reason;
  }
  throw new Error("expected a DomainError");
}

describe("page tokens", () => {
  it("round-trip a position for the same filters, in any key order", () => {
    const token = encodePageToken({ msisdn: "13800000002", createdAfter: 1700000000000n }, filters);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodePageToken(token, position, { status: 1, city: "", provinceCode: "GD" })).toEqual({
      msisdn: "13800000002",
      createdAfter: 1700000000000n,
    });
  });

  it("mean the first page when empty", () => {
    expect(decodePageToken("", position, filters)).toBeUndefined();
  });

  it("are refused with other filters, garbled, or holding a position of the wrong shape", () => {
    const token = encodePageToken({ msisdn: "13800000002", createdAfter: 1n }, filters);
    expect(reasonOf(() => decodePageToken(token, position, { ...filters, provinceCode: "BJ" }))).toBe(
      "PAGE_TOKEN_INVALID",
    );
    expect(reasonOf(() => decodePageToken("not-a-token!", position, filters))).toBe("PAGE_TOKEN_INVALID");
    expect(reasonOf(() => decodePageToken(token.slice(0, -4), position, filters))).toBe("PAGE_TOKEN_INVALID");
    const otherShape = encodePageToken({ offset: 20 }, filters);
    expect(reasonOf(() => decodePageToken(otherShape, position, filters))).toBe("PAGE_TOKEN_INVALID");
  });
});

describe("pageSize", () => {
  const limits = { default: 50, max: 500 };

  it("uses the default for 0 and lowers sizes above the maximum", () => {
    expect(pageSize(0, limits)).toBe(50);
    expect(pageSize(20, limits)).toBe(20);
    expect(pageSize(10_000, limits)).toBe(500);
  });

  it("refuses negative sizes", () => {
    expect(reasonOf(() => pageSize(-1, limits))).toBe("PAGE_SIZE_INVALID");
  });
});

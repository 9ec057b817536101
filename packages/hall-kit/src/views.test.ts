import { PaymentMethod } from "@omnihall/proto/omnihall/billing/v1/billing";
import { describe, expect, it } from "vitest";
import { enumView } from "./views.js";

describe("enumView", () => {
  const methods = enumView(PaymentMethod, "PAYMENT_METHOD_");

  it("names every value of the contract without its prefix, without UNSPECIFIED or UNRECOGNIZED", () => {
    expect(methods.names).toEqual(expect.arrayContaining(["ALIPAY", "WECHAT_PAY", "CASH", "RECHARGE_CARD"]));
    expect(methods.names).not.toContain("UNSPECIFIED");
    expect(methods.names).not.toContain("UNRECOGNIZED");
    expect(methods.schema).toEqual({ type: "string", enum: methods.names });
  });

  it("maps both ways", () => {
    expect(methods.nameOf(PaymentMethod.PAYMENT_METHOD_WECHAT_PAY)).toBe("WECHAT_PAY");
    expect(methods.valueOf("ALIPAY")).toBe(PaymentMethod.PAYMENT_METHOD_ALIPAY);
    expect(methods.nameOf(PaymentMethod.PAYMENT_METHOD_UNSPECIFIED)).toBe("UNSPECIFIED");
    expect(methods.nameOf(99 as PaymentMethod)).toBe("UNSPECIFIED");
    expect(() => methods.valueOf("BITCOIN")).toThrow();
  });
});

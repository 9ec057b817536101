import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { Payment, PaymentMethod } from "@omnihall/proto/omnihall/billing/v1/billing";
import { describe, expect, it } from "vitest";
import { renderMessage } from "../templates/render.js";
import { paymentReceiptNotice } from "./payment-receipt.js";

const taken = Payment.fromPartial({
  paymentId: "pay_1",
  subscriberId: "sub_1",
  amountFen: 12345n,
  channel: Channel.CHANNEL_MINI_HALL,
  paymentMethod: PaymentMethod.PAYMENT_METHOD_BANK_CARD,
  successTime: new Date("2026-12-03T02:05:00Z"),
  takenBy: { agentId: "agt_1", deviceId: "hh-1" },
});

describe("paymentReceiptNotice", () => {
  it("writes the receipt of a payment an agent took, in yuan, in the subscriber's time zone, once per payment", () => {
    const notice = paymentReceiptNotice(taken, "zh-CN", "Asia/Shanghai")!;
    expect(notice.dedupeKey).toBe("payment-receipt:pay_1");
    const zh = renderMessage({ ...notice, kind: "SERVICE", language: "zh-CN" });
    expect(zh).toMatchObject({ ok: true });
    expect(zh.ok && zh.text).toContain(
      "2026年12月3日 10:05以银行卡缴费123.45元，流水号pay_1，受理代理员agt_1（终端hh-1）",
    );
    const en = paymentReceiptNotice(taken, "en", "Asia/Shanghai")!;
    const text = renderMessage({ ...en, kind: "SERVICE", language: "en" });
    expect(text.ok && text.text).toContain("you paid CNY 123.45 by bank card on 3 Dec 2026, 10:05, payment pay_1");
  });

  it("writes none for a payment the subscriber made themselves", () => {
    expect(paymentReceiptNotice({ ...taken, takenBy: undefined }, "zh-CN", "Asia/Shanghai")).toBeUndefined();
  });
});

import { describe, expect, it } from "vitest";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { ConfirmationMethod } from "@omnihall/proto/omnihall/orders/v1/orders";
import {
  codeMatches,
  confirmationMethodFor,
  confirmationText,
  formatYuan,
  hashConfirmationCode,
  needsCode,
  newConfirmationCode,
} from "./confirmation.js";

describe("confirmation rule", () => {
  it("picks the method from the channel", () => {
    expect(confirmationMethodFor(Channel.CHANNEL_WEB_HALL)).toBe(ConfirmationMethod.CONFIRMATION_METHOD_SESSION);
    expect(confirmationMethodFor(Channel.CHANNEL_KIOSK)).toBe(ConfirmationMethod.CONFIRMATION_METHOD_SESSION);
    expect(confirmationMethodFor(Channel.CHANNEL_SMS_HALL)).toBe(ConfirmationMethod.CONFIRMATION_METHOD_SMS_REPLY);
    expect(confirmationMethodFor(Channel.CHANNEL_MINI_HALL)).toBe(ConfirmationMethod.CONFIRMATION_METHOD_ONE_TIME_CODE);
    expect(confirmationMethodFor(Channel.CHANNEL_OPS_CONSOLE)).toBe(
      ConfirmationMethod.CONFIRMATION_METHOD_ONE_TIME_CODE,
    );
    expect(needsCode(ConfirmationMethod.CONFIRMATION_METHOD_SESSION)).toBe(false);
    expect(needsCode(ConfirmationMethod.CONFIRMATION_METHOD_ONE_TIME_CODE)).toBe(true);
  });

  it("makes six-digit codes that only match their own order", () => {
    const code = newConfirmationCode();
    expect(code).toMatch(/^\d{6}$/);
    const hash = hashConfirmationCode("ord_a", code);
    expect(hash).not.toContain(code);
    expect(codeMatches("ord_a", ` ${code} `, hash)).toBe(true);
    expect(codeMatches("ord_b", code, hash)).toBe(false);
    expect(codeMatches("ord_a", code === "000000" ? "000001" : "000000", hash)).toBe(false);
  });

  it("writes the message with code, price and validity in both languages", () => {
    const text = confirmationText({
      method: ConfirmationMethod.CONFIRMATION_METHOD_SMS_REPLY,
      code: "123456",
      offeringName: { zhCn: "10GB 流量包", en: "10GB data pack" },
      priceFen: 3000n,
      validMinutes: 15,
    });
    expect(text.zhCn).toContain("回复 Y 123456");
    expect(text.zhCn).toContain("¥30.00");
    expect(text.en).toContain("Reply Y 123456 within 15 minutes");
    const agent = confirmationText({
      method: ConfirmationMethod.CONFIRMATION_METHOD_ONE_TIME_CODE,
      code: "654321",
      offeringName: { zhCn: "宽带", en: "Broadband" },
      priceFen: 5n,
      validMinutes: 10,
    });
    expect(agent.en).toContain("Code 654321");
    expect(agent.zhCn).toContain("¥0.05");
  });

  it("formats fen as yuan", () => {
    expect(formatYuan(0n)).toBe("¥0.00");
    expect(formatYuan(1900n)).toBe("¥19.00");
    expect(formatYuan(-250n)).toBe("-¥2.50");
  });
});

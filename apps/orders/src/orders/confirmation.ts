import { createHash, randomInt, timingSafeEqual } from "node:crypto";
import { Channel, type LocalizedText } from "@omnihall/proto/omnihall/common/v1/common";
import { ConfirmationMethod } from "@omnihall/proto/omnihall/orders/v1/orders";

/**
 * The one rule for how a subscriber confirms an order before anything is charged. Each hall confirms in its
 * own way, decided here from the channel rather than by the hall, so no hall can skip it.
 */
export function confirmationMethodFor(channel: Channel): ConfirmationMethod {
  switch (channel) {
    case Channel.CHANNEL_WEB_HALL:
    case Channel.CHANNEL_KIOSK:
      // The subscriber is logged in to the hall's session and presses its confirm step.
      return ConfirmationMethod.CONFIRMATION_METHOD_SESSION;
    case Channel.CHANNEL_MINI_HALL:
    case Channel.CHANNEL_OPS_CONSOLE:
      // Staff hold the device (an agent at the door, support on the phone): only a code sent to the
      // subscriber's own phone proves consent.
      return ConfirmationMethod.CONFIRMATION_METHOD_ONE_TIME_CODE;
    default:
      // SMS hall, and offers the platform texts on its own: the subscriber replies "Y <code>".
      return ConfirmationMethod.CONFIRMATION_METHOD_SMS_REPLY;
  }
}

export function needsCode(method: ConfirmationMethod): boolean {
  return (
    method === ConfirmationMethod.CONFIRMATION_METHOD_SMS_REPLY ||
    method === ConfirmationMethod.CONFIRMATION_METHOD_ONE_TIME_CODE
  );
}

/** Wrong codes after which the order is cancelled: six digits must not be guessable by trying. */
export const MAX_CONFIRMATION_ATTEMPTS = 5;

export function newConfirmationCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, "0");
}

/** Codes are stored hashed and bound to their order, so a database read reveals no usable code. */
export function hashConfirmationCode(orderId: string, code: string): string {
  return createHash("sha256").update(`${orderId}:${code.trim()}`).digest("hex");
}

export function codeMatches(orderId: string, code: string, storedHash: string): boolean {
  const given = Buffer.from(hashConfirmationCode(orderId, code), "hex");
  const stored = Buffer.from(storedHash, "hex");
  return given.length === stored.length && timingSafeEqual(given, stored);
}

/** Formats fen as yuan for people: 1900n → "¥19.00". */
export function formatYuan(fen: bigint): string {
  const sign = fen < 0n ? "-" : "";
  const abs = fen < 0n ? -fen : fen;
  return `${sign}¥${abs / 100n}.${String(abs % 100n).padStart(2, "0")}`;
}

/** The text message that carries the code, in both languages; the notification service sends it as is. */
export function confirmationText(args: {
  method: ConfirmationMethod;
  code: string;
  offeringName: LocalizedText;
  priceFen: bigint;
  validMinutes: number;
}): LocalizedText {
  const { code, offeringName, validMinutes } = args;
  const price = formatYuan(args.priceFen);
  if (args.method === ConfirmationMethod.CONFIRMATION_METHOD_ONE_TIME_CODE) {
    return {
      zhCn: `营业员正在为您办理「${offeringName.zhCn}」（${price}）。验证码 ${code}，${validMinutes} 分钟内有效，同意办理请告知营业员。`,
      en: `An agent is ordering "${offeringName.en}" (${price}) for you. Code ${code}, valid for ${validMinutes} minutes: give it to the agent only if you agree.`,
    };
  }
  return {
    zhCn: `您正在订购「${offeringName.zhCn}」（${price}）。回复 Y ${code} 确认订购，${validMinutes} 分钟内有效。`,
    en: `You are ordering "${offeringName.en}" (${price}). Reply Y ${code} within ${validMinutes} minutes to confirm.`,
  };
}

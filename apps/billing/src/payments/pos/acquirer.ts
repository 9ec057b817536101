import { createHmac } from "node:crypto";
import { sameSignature } from "../gateways/signing.js";

/**
 * The acquirer's host protocol (documented in apps/payment-gateway-sim/README.md): ISO 8583 messages carried as
 * JSON — a message type indicator and numbered data elements (2 PAN, 3 processing code, 4 amount in fen as 12
 * digits, 11 STAN, 12/13 local time/date, 14 expiry, 37 retrieval reference, 38 authorisation code, 39 response
 * code, 41 terminal, 42 merchant, 49 currency 156, 52 PIN block, 90 original data) — authenticated by a MAC:
 * HMAC-SHA256 with the terminal key over `mti|n=v|…` (elements in numeric order), first 16 hex digits.
 */
export interface IsoMessage {
  mti: string;
  fields: Record<string, string>;
}

export const PROCESSING_SALE = "000000";
export const PROCESSING_VOID = "020000";
export const PROCESSING_REFUND = "200000";

export function macOf(message: IsoMessage, key: string): string {
  const elements = Object.keys(message.fields)
    .map(Number)
    .sort((a, b) => a - b)
    .map((n) => `${n}=${message.fields[String(n)]}`);
  return createHmac("sha256", key)
    .update([message.mti, ...elements].join("|"))
    .digest("hex")
    .slice(0, 16)
    .toUpperCase();
}

/** The acquirer did not answer, or answered something unauthenticated: the outcome is unknown. */
export class AcquirerNoAnswer extends Error {}

export interface Acquirer {
  exchange(message: IsoMessage): Promise<IsoMessage>;
}

export function createAcquirer(options: { url: string; macKey: string; timeoutMs: number }): Acquirer {
  return {
    async exchange(message) {
      let text: string;
      try {
        const response = await fetch(`${options.url.replace(/\/$/, "")}/iso8583`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ ...message, mac: macOf(message, options.macKey) }),
          signal: AbortSignal.timeout(options.timeoutMs),
        });
        text = await response.text();
        if (!response.ok) throw new AcquirerNoAnswer(`HTTP ${response.status}`);
      } catch (error) {
        if (error instanceof AcquirerNoAnswer) throw error;
        throw new AcquirerNoAnswer((error as Error).message);
      }
      let answer: IsoMessage & { mac?: string };
      try {
        answer = JSON.parse(text) as IsoMessage & { mac?: string };
      } catch {
        throw new AcquirerNoAnswer("malformed answer");
      }
      const { mac, ...body } = answer;
      if (
        typeof mac !== "string" ||
        typeof body.fields !== "object" ||
        !sameSignature(mac, macOf(body, options.macKey))
      ) {
        throw new AcquirerNoAnswer("answer without a valid MAC");
      }
      return body;
    },
  };
}

/** ISO 8583 field 4: the amount in fen, 12 digits. */
export const isoAmount = (fen: bigint) => String(fen).padStart(12, "0");

/** Response codes (field 39) mapped to a stable reason and words a subscriber understands. */
export const DECLINES: Record<string, { reason: string; zh: string; en: string }> = {
  "05": {
    reason: "CARD_DECLINED",
    zh: "发卡行拒绝了这笔交易，请换一张卡。",
    en: "The card issuer declined; please use another card.",
  },
  "14": { reason: "CARD_INVALID", zh: "卡号无效，请检查后重试。", en: "The card number is not valid." },
  "51": { reason: "CARD_INSUFFICIENT_FUNDS", zh: "卡内余额不足。", en: "The card has insufficient funds." },
  "54": { reason: "CARD_EXPIRED", zh: "银行卡已过期。", en: "The card has expired." },
  "55": { reason: "CARD_PIN_INCORRECT", zh: "密码错误，请重新输入。", en: "The PIN is incorrect." },
  "61": { reason: "CARD_LIMIT_EXCEEDED", zh: "超出银行卡交易限额。", en: "The amount exceeds the card's limit." },
  "75": {
    reason: "CARD_PIN_TRIES_EXCEEDED",
    zh: "密码错误次数过多，卡片已锁定。",
    en: "Too many wrong PINs; the card is locked.",
  },
  "91": {
    reason: "CARD_ISSUER_UNAVAILABLE",
    zh: "发卡行暂时无法连接，未扣款，请稍后重试。",
    en: "The card issuer cannot be reached; nothing was charged.",
  },
};
export const UNKNOWN_DECLINE = {
  reason: "CARD_DECLINED",
  zh: "银行卡交易被拒绝。",
  en: "The card transaction was declined.",
};
export const ANSWER_LOST = {
  reason: "CARD_ANSWER_LOST",
  zh: "银行未及时应答，交易已冲正，未扣款，请重试。",
  en: "The bank did not answer in time; the sale was reversed and nothing was charged. Please try again.",
};

import { randomBytes } from "node:crypto";

export type GatewayName = "alipay" | "wechat" | "unionpay";
export const GATEWAYS: readonly GatewayName[] = ["alipay", "wechat", "unionpay"];

export interface Refund {
  outRefundNo: string;
  refundNo: string;
  amountFen: bigint;
  at: Date;
}

/** One trade as the gateway keeps it, keyed by the merchant's order number (billing's payment id). */
export interface Trade {
  gateway: GatewayName;
  outTradeNo: string;
  tradeNo: string;
  amountFen: bigint;
  subject: string;
  notifyUrl: string;
  returnUrl: string;
  status: "WAITING" | "PAID" | "CLOSED";
  createdAt: Date;
  paidAt?: Date;
  refunds: Refund[];
}

/**
 * How the gateway misbehaves when it notifies, as a test or a developer asks: late, repeated, out of order
 * (a stale "waiting" report after the "paid" one), forged (a signature the merchant's key does not verify),
 * for another amount, or not at all (so the merchant must ask).
 */
export interface NotifyBehaviour {
  delayMs?: number;
  copies?: number;
  staleAfter?: boolean;
  wrongSignature?: boolean;
  wrongAmountFen?: bigint;
  suppress?: boolean;
  /** Resend until the merchant acknowledges, this many times at most (default 3), `retryMs` apart. */
  retries?: number;
  retryMs?: number;
}

/** A line planted in (or removed from) a day's statement file, for reconciliation tests. */
export interface StatementEdit {
  kind: "PAYMENT" | "REFUND";
  reference: string;
  providerReference?: string;
  /** Replace the amount of this reference's line; undefined with `remove` drops the line. */
  amountFen?: bigint;
  remove?: boolean;
}

export class TradeBook {
  readonly #trades = new Map<string, Trade>();
  readonly edits = new Map<string, StatementEdit[]>();

  static key = (gateway: GatewayName, outTradeNo: string) => `${gateway}:${outTradeNo}`;

  get(gateway: GatewayName, outTradeNo: string): Trade | undefined {
    return this.#trades.get(TradeBook.key(gateway, outTradeNo));
  }

  byTradeNo(gateway: GatewayName, tradeNo: string): Trade | undefined {
    return [...this.#trades.values()].find((t) => t.gateway === gateway && t.tradeNo === tradeNo);
  }

  /** Creates the trade once: the merchant may repeat its request (same order number, same amount). */
  open(input: Omit<Trade, "tradeNo" | "status" | "createdAt" | "refunds">): Trade | "AMOUNT_CONFLICT" {
    const known = this.get(input.gateway, input.outTradeNo);
    if (known) return known.amountFen === input.amountFen ? known : "AMOUNT_CONFLICT";
    const prefix = { alipay: "2026", wechat: "4200", unionpay: "7777" }[input.gateway];
    const trade: Trade = {
      ...input,
      tradeNo: `${prefix}${Date.now()}${randomBytes(4).toString("hex")}`,
      status: "WAITING",
      createdAt: new Date(),
      refunds: [],
    };
    this.#trades.set(TradeBook.key(input.gateway, input.outTradeNo), trade);
    return trade;
  }

  all(gateway: GatewayName): Trade[] {
    return [...this.#trades.values()].filter((t) => t.gateway === gateway);
  }
}

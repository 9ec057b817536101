import type { GatewayName } from "./trades.js";

/** What a merchant asked a gateway to do with one of its trades. */
export type TradeOperation = "create" | "query" | "close" | "refund";

export type CallCounts = Record<TradeOperation, number>;

/**
 * How many times the merchant called each gateway about each trade, by operation — what a real gateway's
 * merchant console shows as API traffic, and what it rate-limits. Tests read it to see that several merchant
 * instances do not ask about one trade once each. Only calls whose signature checked out are counted.
 */
export class CallLog {
  readonly #counts = new Map<string, CallCounts>();

  record(gateway: GatewayName, operation: TradeOperation, outTradeNo: string): void {
    const key = `${gateway}:${outTradeNo}`;
    const counts = this.#counts.get(key) ?? { create: 0, query: 0, close: 0, refund: 0 };
    counts[operation] += 1;
    this.#counts.set(key, counts);
  }

  /** The calls about one trade (all zero for a trade never asked about). */
  of(gateway: GatewayName, outTradeNo: string): CallCounts {
    return { create: 0, query: 0, close: 0, refund: 0, ...this.#counts.get(`${gateway}:${outTradeNo}`) };
  }

  /** Every trade of the gateway that was called about, with its counts. */
  all(gateway: GatewayName): Record<string, CallCounts> {
    const prefix = `${gateway}:`;
    return Object.fromEntries(
      [...this.#counts]
        .filter(([key]) => key.startsWith(prefix))
        .map(([key, counts]) => [key.slice(prefix.length), { ...counts }]),
    );
  }
}

import { preparedQuery } from "@omnihall/db";
import type { NotifyDb } from "../db.js";

/**
 * The SMSC's agreed rate, shared by every notify instance: one token bucket in the database (a row of
 * send_rate_bucket per SMS link). Each instance's provider also paces its own link, but N instances each at the
 * agreed rate would send N times it; this bucket is what holds the sum. A dispatcher round takes tokens for the
 * messages it is about to submit — one statement under the row's lock, so instances never both spend one token.
 *
 * Service messages come first: marketing may only take tokens above `marketingReserve`, so a login code always
 * finds one at once even in the middle of a wave, and marketing uses what service traffic leaves.
 */
export interface SendRateOptions {
  /** The link this bucket paces (one row per link). */
  name: string;
  /** Messages per second across all instances. */
  ratePerSecond: number;
  /** Most tokens saved up (a burst after a quiet spell). */
  capacity: number;
  /** Tokens marketing never takes. */
  marketingReserve: number;
}

/** Sensible bucket for an agreed rate: a fifth of a second's worth saved up, a quarter of that kept for service. */
export function sendRateFor(name: string, ratePerSecond: number): SendRateOptions {
  const capacity = Math.max(2, Math.ceil(ratePerSecond / 5));
  return { name, ratePerSecond, capacity, marketingReserve: Math.max(1, Math.floor(capacity / 4)) };
}

export interface Granted {
  /** Tokens granted (0 … wanted). */
  granted: number;
  /** When fewer than wanted: milliseconds until the next token this kind may take is due. */
  waitMs: number;
}

const takeTokens = preparedQuery<{ granted: number; left: number }>(
  "notify_take_send_tokens",
  `WITH current AS (
     SELECT name, least($2::float8,
              tokens + extract(epoch FROM clock_timestamp() - refilled_at) * $3::float8) AS available
     FROM send_rate_bucket WHERE name = $1 FOR UPDATE),
   grant_now AS (
     SELECT name, available, greatest(0, least($4::int, floor(available - $5::float8)))::int AS granted
     FROM current)
   UPDATE send_rate_bucket b SET tokens = g.available - g.granted, refilled_at = clock_timestamp()
   FROM grant_now g WHERE b.name = g.name
   RETURNING g.granted, (g.available - g.granted)::float8 AS left`,
);

const giveBack = preparedQuery<{ name: string }>(
  "notify_give_back_send_tokens",
  `UPDATE send_rate_bucket SET tokens = least($2::float8, tokens + $3::float8) WHERE name = $1 RETURNING name`,
);

const spendExtra = preparedQuery<{ name: string }>(
  "notify_spend_extra_send_tokens",
  `UPDATE send_rate_bucket SET tokens = tokens - $2::float8 WHERE name = $1 RETURNING name`,
);

export class SharedSendRate {
  private ready: Promise<void> | undefined;

  constructor(
    private readonly db: NotifyDb,
    readonly options: SendRateOptions,
  ) {}

  /** Takes up to `wanted` tokens for messages of this kind. */
  async take(kind: "SERVICE" | "MARKETING", wanted: number): Promise<Granted> {
    if (wanted <= 0) return { granted: 0, waitMs: 0 };
    await (this.ready ??= this.createRow());
    const { capacity, ratePerSecond, marketingReserve, name } = this.options;
    const floor = kind === "MARKETING" ? marketingReserve : 0;
    const [row] = await takeTokens(this.db, [name, capacity, ratePerSecond, wanted, floor]);
    const granted = row?.granted ?? 0;
    const left = row?.left ?? 0;
    const waitMs = granted < wanted ? Math.max(1, Math.ceil(((floor + 1 - left) * 1000) / ratePerSecond)) : 0;
    return { granted, waitMs };
  }

  /** Returns tokens taken for messages that were not there to claim after all. */
  async giveBack(count: number): Promise<void> {
    if (count > 0) await giveBack(this.db, [this.options.name, this.options.capacity, count]);
  }

  /**
   * Spends tokens beyond those taken (a message of several SMS parts costs one per part), even into debt: later
   * marketing waits until it is paid back, so the long-run rate stays the agreed one.
   */
  async spend(count: number): Promise<void> {
    if (count > 0) await spendExtra(this.db, [this.options.name, count]);
  }

  private async createRow(): Promise<void> {
    try {
      await this.db.$executeRaw`
        INSERT INTO send_rate_bucket (name, tokens, refilled_at)
        VALUES (${this.options.name}, ${this.options.capacity}, clock_timestamp())
        ON CONFLICT (name) DO NOTHING`;
    } catch (error) {
      this.ready = undefined;
      throw error;
    }
  }
}

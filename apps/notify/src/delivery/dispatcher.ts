import type { Logger } from "pino";
import { lockConsentShared } from "../consent/consent-lock.js";
import { currentConsentState } from "../consent/consent-state.js";
import type { NotifyDb, NotifyTx } from "../db.js";
import { SmsProviderError, type SmsProvider } from "../providers/provider.js";
import { textToSend } from "../messages/sealed-text.js";
import { storeSentParts } from "./delivery-reports.js";
import { quietHoursEnd, type QuietHours } from "./quiet-hours.js";
import { nextRetryDelayMs, type RetryPolicy } from "./retry-policy.js";

export interface DispatcherOptions {
  db: NotifyDb;
  provider: SmsProvider;
  quietHours: QuietHours;
  retryPolicy: RetryPolicy;
  /** Messages claimed per round; the provider's own window and rate pace the actual submits. Default 50. */
  batchSize?: number;
  /** Marketing messages submitted at once (each holds a pooled connection meanwhile). Default 4. */
  marketingConcurrency?: number;
  /** How often due messages (retries, the end of quiet hours) are looked for without a wake-up. Default 1 s. */
  pollIntervalMs?: number;
  /**
   * How long a claim keeps other dispatchers off a message; must outlast a send. A dispatcher that crashed
   * mid-send loses its claims after this and another one sends those messages again. Default 2 min.
   */
  claimMs?: number;
  /** NOTIFY_PRIVATE_KEY: opens the sealed text of a message holding a secret, right before it is submitted. */
  sealedTextKey?: string;
  logger: Logger;
}

/** A message claimed for one send attempt. */
interface ClaimedMessage {
  id: string;
  kind: "SERVICE" | "MARKETING";
  subscriber_id: string;
  msisdn: string;
  time_zone: string;
  sender: string;
  text: string;
  sealed_text: Uint8Array | null;
  attempt_count: number;
  claimed_until: Date;
}

type Outcome =
  | { sent: true; providerMessageIds: string[] }
  | { sent: false; error: unknown }
  | { blocked: "MARKETING_OPTED_OUT" | "MARKETING_CONSENT_MISSING" }
  | { deferredUntil: Date };

/**
 * Sends queued messages through the SMS provider. Messages are claimed with FOR UPDATE SKIP LOCKED and a claim
 * deadline, so any number of dispatchers (service instances) share the queue and never send one message twice;
 * each outcome is stored only while the claim is still ours. Temporary failures are retried with backoff,
 * marketing is checked again for consent and quiet hours right before it goes out.
 */
export class Dispatcher {
  private readonly batchSize: number;
  private readonly marketingConcurrency: number;
  private readonly pollIntervalMs: number;
  private readonly claimMs: number;
  private readonly log: Logger;
  private running: Promise<void> | undefined;
  private stopping = false;
  private woken = false;
  private wakeUp: (() => void) | undefined;

  constructor(private readonly options: DispatcherOptions) {
    this.batchSize = options.batchSize ?? 50;
    this.marketingConcurrency = options.marketingConcurrency ?? 4;
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.claimMs = options.claimMs ?? 120_000;
    this.log = options.logger.child({ component: "dispatcher" });
  }

  start(): void {
    this.running ??= this.loop();
  }

  /** Something was queued: look for due messages now instead of at the next poll. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** Stops claiming and waits for the sends in progress to be submitted and recorded. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeUp?.();
    await this.running;
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      this.woken = false;
      let fullBatch = false;
      try {
        const claimed = await this.claim();
        const marketing = claimed.filter((message) => message.kind === "MARKETING");
        await Promise.all([
          ...claimed.filter((message) => message.kind === "SERVICE").map((message) => this.dispatch(message)),
          // Each marketing send holds a database connection (its consent lock) until submitted: a few at a time,
          // so a campaign cannot take the whole pool from service messages.
          ...Array.from({ length: this.marketingConcurrency }, async () => {
            for (let next = marketing.shift(); next; next = marketing.shift()) await this.dispatch(next);
          }),
        ]);
        fullBatch = claimed.length === this.batchSize;
      } catch (error) {
        this.log.error({ err: error }, "dispatch round failed; trying again after the poll interval");
      }
      // A full batch means more may be due at once; otherwise rest until woken or the next poll.
      if (!fullBatch && !this.woken && !this.stopping) await this.rest();
    }
  }

  private rest(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.pollIntervalMs);
      this.wakeUp = done;
    });
  }

  private claim(): Promise<ClaimedMessage[]> {
    return this.options.db.$queryRaw<ClaimedMessage[]>`
      UPDATE message SET claimed_until = now() + ${this.claimMs} * interval '1 millisecond'
      WHERE id IN (
        SELECT id FROM message
        WHERE status IN ('QUEUED', 'DEFERRED') AND next_attempt_at <= now()
          AND (claimed_until IS NULL OR claimed_until < now())
        ORDER BY next_attempt_at
        LIMIT ${this.batchSize}
        FOR UPDATE SKIP LOCKED)
      RETURNING id, kind::text AS kind, subscriber_id, msisdn, time_zone, sender, text, sealed_text, attempt_count,
        claimed_until`;
  }

  private async dispatch(message: ClaimedMessage): Promise<void> {
    const log = this.log.child({ messageId: message.id, kind: message.kind });
    try {
      if (message.kind === "MARKETING") {
        // The consent lock is held from the check until the SMS is submitted and recorded (see consent-lock).
        await this.options.db.$transaction(
          async (tx) => {
            await lockConsentShared(tx, message.subscriber_id);
            await this.record(tx, message, await this.sendMarketing(tx, message), log);
          },
          { timeout: this.claimMs, maxWait: this.claimMs },
        );
      } else {
        const outcome = await this.send(message);
        await this.options.db.$transaction((tx) => this.record(tx, message, outcome, log));
      }
    } catch (error) {
      // Left claimed: after the claim runs out the message is tried again.
      log.error({ err: error }, "could not record the outcome of a send");
    }
  }

  private async sendMarketing(tx: NotifyTx, message: ClaimedMessage): Promise<Outcome> {
    const consent = await currentConsentState(tx, message.subscriber_id);
    if (consent !== "GRANTED") {
      return { blocked: consent === "OPTED_OUT" ? "MARKETING_OPTED_OUT" : "MARKETING_CONSENT_MISSING" };
    }
    const quietUntil = quietHoursEnd(new Date(), message.time_zone, this.options.quietHours);
    if (quietUntil) return { deferredUntil: quietUntil };
    return this.send(message);
  }

  private async send(message: ClaimedMessage): Promise<Outcome> {
    try {
      const result = await this.options.provider.send({
        messageId: message.id,
        from: message.sender,
        to: message.msisdn,
        text: textToSend(this.options.sealedTextKey, message),
      });
      return { sent: true, providerMessageIds: result.providerMessageIds };
    } catch (error) {
      return { sent: false, error };
    }
  }

  /** Stores an outcome if our claim still holds; a message claimed by someone else meanwhile is theirs now. */
  private async record(tx: NotifyTx, message: ClaimedMessage, outcome: Outcome, log: Logger): Promise<void> {
    const ours = { id: message.id, claimedUntil: message.claimed_until };
    const now = new Date();
    const attempts = message.attempt_count + 1;
    let changed: { count: number };
    if ("deferredUntil" in outcome) {
      changed = await tx.message.updateMany({
        where: ours,
        data: { status: "DEFERRED", nextAttemptAt: outcome.deferredUntil, claimedUntil: null },
      });
      log.info({ until: outcome.deferredUntil }, "marketing deferred until quiet hours end");
    } else if ("blocked" in outcome) {
      changed = await tx.message.updateMany({
        where: ours,
        data: { status: "FAILED", lastError: outcome.blocked, finishedAt: now, claimedUntil: null },
      });
      log.info({ reason: outcome.blocked }, "marketing not sent: no consent");
    } else if (outcome.sent) {
      changed = await tx.message.updateMany({
        where: ours,
        // A sent secret is not kept, not even sealed.
        data: {
          status: "SENT",
          sentAt: now,
          attemptCount: attempts,
          lastError: "",
          claimedUntil: null,
          sealedText: null,
        },
      });
      if (changed.count === 1) await storeSentParts(tx, message.id, outcome.providerMessageIds);
      log.info({ parts: outcome.providerMessageIds.length }, "message sent");
    } else {
      const error = outcome.error;
      const retryable = !(error instanceof SmsProviderError) || error.retryable;
      const delayMs = retryable ? nextRetryDelayMs(this.options.retryPolicy, attempts) : null;
      const lastError = error instanceof SmsProviderError ? `${error.reason}: ${error.detail}` : String(error);
      if (delayMs === null) {
        changed = await tx.message.updateMany({
          where: ours,
          data: {
            status: "FAILED",
            attemptCount: attempts,
            lastError,
            finishedAt: now,
            claimedUntil: null,
            sealedText: null,
          },
        });
        log.warn({ err: error, attempts }, "message failed for good");
      } else {
        const waitMs = Math.max(delayMs, error instanceof SmsProviderError ? (error.retryAfterMs ?? 0) : 0);
        changed = await tx.message.updateMany({
          where: ours,
          data: {
            status: "QUEUED",
            attemptCount: attempts,
            lastError,
            nextAttemptAt: new Date(now.getTime() + waitMs),
            claimedUntil: null,
          },
        });
        log.warn({ err: error, attempts, retryInMs: waitMs }, "send failed; will retry");
      }
    }
    if (changed.count === 0) log.warn({}, "claim ran out before the outcome was stored; another dispatcher owns it");
  }
}

import type { Logger } from "pino";
import { WorkLoop } from "@omnihall/bus";
import { preparedQuery, preparedTransaction } from "@omnihall/db";
import { lockConsentShared } from "../consent/consent-lock.js";
import { currentConsentState } from "../consent/consent-state.js";
import type { NotifyDb } from "../db.js";
import {
  SmsProviderError,
  type ExpectedReceipts,
  type OutboundSms,
  type SmsErrorReason,
  type SmsProvider,
} from "../providers/provider.js";
import { textToSend } from "../messages/sealed-text.js";
import { applyDeliveryReports, lockPartIds, partsOnConnection } from "./delivery-reports.js";
import { GroupCommit } from "./group-commit.js";
import { markSubmitting } from "./marketing-submits.js";
import { inDoubtFoundSent, inDoubtResends, watchQueueDepth } from "./notify-metrics.js";
import { quietHoursRelease, type QuietHours } from "./quiet-hours.js";
import { nextRetryDelayMs, type RetryPolicy } from "./retry-policy.js";
import type { SharedSendRate } from "./send-rate.js";

export interface DispatcherOptions {
  db: NotifyDb;
  provider: SmsProvider;
  quietHours: QuietHours;
  /** Marketing met in quiet hours leaves spread over this long after the window (see quietHoursRelease). */
  quietSpreadMs?: number;
  retryPolicy: RetryPolicy;
  /**
   * The SMSC's agreed rate shared by every instance (service messages first). Without it only the provider's own
   * pacing applies (one instance).
   */
  sendRate?: SharedSendRate;
  /** Messages claimed per round; the provider's own window and rate pace the actual submits. Default 50. */
  batchSize?: number;
  /**
   * Rounds in flight at once: while one waits on the SMSC, the next claims and the one before records, so
   * neither the database nor the SMSC window sits idle. Default 3.
   */
  rounds?: number;
  /** Marketing consent checks at once (each a short transaction holding a pooled connection). Default 4. */
  marketingConcurrency?: number;
  /** How often due messages (retries, the end of quiet hours) are looked for without a wake-up. Default 1 s. */
  pollIntervalMs?: number;
  /**
   * How long a claim keeps other dispatchers off a message; must outlast a send, including its wait in the
   * provider's queue behind the rest of the round. A dispatcher that crashed mid-send loses its claims after this
   * and another one sends the unrecorded messages again (counted as in-doubt resends). Default 2 min.
   */
  claimMs?: number;
  /**
   * How long a marketing message counts as being submitted after its consent check, if its outcome is never
   * recorded (its dispatcher died): the longest an opt-out may wait for it. Default 30 s.
   */
  submitWindowMs?: number;
  /**
   * How old a receipt waiting for its part must be before an in-doubt message may take it as its own: a receipt
   * that overtook its own submit's response waits only until that outcome is recorded. Default 10 s.
   */
  orphanReceiptAgeMs?: number;
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
  /** The last attempt's error ("" after none): a TIMEOUT one may have reached the SMSC. */
  last_error: string;
  created_at: Date;
  claimed_until: Date;
  /**
   * The claim this message had when we claimed it, if that claim ran out rather than being released or ended by a
   * recorded outcome: its dispatcher may have submitted it and died before recording (in doubt).
   */
  lapsed_claim: Date | null;
}

type Outcome =
  | { sent: true; providerMessageIds: string[]; parts: number }
  | { sent: false; error: unknown }
  | { blocked: "MARKETING_OPTED_OUT" | "MARKETING_CONSENT_MISSING" }
  | { deferredUntil: Date };

/**
 * Claims up to a batch of due messages of one kind (one statement, its own transaction; the kind's own index, so
 * service messages are found at once behind any number of due marketing ones). A prepared statement on the pool
 * rather than Prisma: while messages trickle in, a round runs per message or two (see preparedRead). Returns the
 * claim each message had before, when it had one that ran out (recorded outcomes and releases clear it).
 */
const claimDue = preparedQuery<ClaimedMessage>(
  "notify_claim_due_messages_of_kind",
  `WITH due AS (
     SELECT id, claimed_until AS lapsed_claim FROM message
     WHERE kind = $3::text::"MessageKind" AND status IN ('QUEUED', 'DEFERRED') AND next_attempt_at <= now()
       AND (claimed_until IS NULL OR claimed_until < now())
     ORDER BY next_attempt_at
     LIMIT $2::int
     FOR UPDATE SKIP LOCKED)
   UPDATE message AS m SET claimed_until = now() + $1::int * interval '1 millisecond'
   FROM due WHERE m.id = due.id
   RETURNING m.id, m.kind::text AS kind, m.subscriber_id, m.msisdn, m.time_zone, m.sender, m.text, m.sealed_text,
     m.attempt_count, m.last_error, m.created_at, m.claimed_until, due.lapsed_claim`,
);

/**
 * Receipts no recorded part has claimed (see delivery-reports) that carry an in-doubt message's trace, received
 * since it was queued, oldest first. Only receipts older than $4 ms (orphanReceiptAgeMs): one that overtook its
 * submit's response waits here those few milliseconds too, until its own message's outcome is recorded, and must
 * not be taken for another message that shares its recipient and 16-bit reference. (Two in-doubt messages to one
 * number sharing a reference, one in 65,536, could still take each other's receipts.)
 */
const orphanReceipts = preparedQuery<{ provider_message_id: string }>(
  "notify_orphan_receipts_of_trace",
  `SELECT provider_message_id FROM delivery_report
   WHERE recipient = $1 AND reference = $2 AND received_at >= $3 AND received_at < now() - $4::int * interval '1 millisecond'
   ORDER BY received_at, provider_message_id
   LIMIT $5::int`,
);

/**
 * Lets go of claims a round cannot send now (no tokens left): the next round takes them. A message that came to us
 * in doubt gets its lapsed claim back rather than none, so whoever sends it still counts it as in doubt.
 */
const releaseClaims = preparedQuery<{ id: string }>(
  "notify_release_claims",
  `UPDATE message AS m SET claimed_until = released.lapsed_claim
   FROM unnest($1::text[], $3::timestamptz[]) AS released(id, lapsed_claim)
   WHERE m.id = released.id AND m.claimed_until = $2
   RETURNING m.id`,
);

function release(db: NotifyDb, messages: readonly ClaimedMessage[]): Promise<unknown> {
  return releaseClaims(db, [
    messages.map((message) => message.id),
    messages[0]!.claimed_until,
    messages.map((message) => message.lapsed_claim),
  ]);
}

/**
 * What an outcome writes to its message; claimed_until is always cleared. Absent fields keep the column. Sent
 * and failed-for-good drop the sealed text (a secret is not kept once it is done with); a send attempt (sent,
 * failed, retried) counts an attempt and ends the marketing submit window.
 */
interface OutcomeChange {
  status: "SENT" | "QUEUED" | "DEFERRED" | "FAILED";
  attemptsAdded: 0 | 1;
  lastError?: string;
  nextAttemptAt?: Date;
  sentAt?: Date;
  finishedAt?: Date;
  endsSubmit: boolean;
  dropsSealedText: boolean;
}

/**
 * Records a group of outcomes (OutcomeChange per message, as parallel arrays) in one statement, each only while
 * the message's claim is still the one we hold (the claim is the fencing token), with the parts of the sent ones
 * that were ours. Returns the messages recorded; a message missing was claimed by another dispatcher meanwhile.
 * attempt_count is incremented rather than set: under the fence no one else changes it.
 */
const recordOutcomes = preparedQuery<{ id: string }>(
  "notify_record_outcomes",
  `WITH outcome AS (
     SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::int[], $5::text[], $6::timestamptz[],
                          $7::timestamptz[], $8::timestamptz[], $9::boolean[], $10::boolean[])
       AS o(id, claimed_until, status, attempts_added, last_error, next_attempt_at, sent_at, finished_at, ends_submit,
            drops_sealed_text)),
   recorded AS (
     UPDATE message AS m
     SET status = o.status::"MessageStatus",
         attempt_count = m.attempt_count + o.attempts_added,
         last_error = coalesce(o.last_error, m.last_error),
         next_attempt_at = coalesce(o.next_attempt_at, m.next_attempt_at),
         sent_at = coalesce(o.sent_at, m.sent_at),
         finished_at = coalesce(o.finished_at, m.finished_at),
         claimed_until = NULL,
         submitting_until = CASE WHEN o.ends_submit THEN NULL ELSE m.submitting_until END,
         sealed_text = CASE WHEN o.drops_sealed_text THEN NULL ELSE m.sealed_text END
     FROM outcome AS o
     WHERE m.id = o.id AND m.claimed_until = o.claimed_until
     RETURNING m.id),
   parts AS (
     INSERT INTO message_part (message_id, sequence, provider_message_id, status)
     SELECT p.message_id, p.sequence, p.provider_message_id, 'SENT'::"PartStatus"
     FROM unnest($11::text[], $12::int[], $13::text[]) AS p(message_id, sequence, provider_message_id)
     WHERE p.message_id IN (SELECT id FROM recorded))
   SELECT id FROM recorded`,
);

/** The reason a send's last_error starts with (`<reason>: <detail>`, see change) when its response timed out. */
const TIMED_OUT: SmsErrorReason = "TIMEOUT";

/**
 * Why a claimed message's last submit may have reached the SMSC unrecorded: its claim ran out with no outcome, or
 * the submit was written and its response timed out (recorded as a TIMEOUT to retry). Undefined: not in doubt.
 */
function inDoubt(message: ClaimedMessage): "claim_lapsed" | "no_response" | undefined {
  if (message.lapsed_claim) return "claim_lapsed";
  if (message.last_error.startsWith(`${TIMED_OUT}:`)) return "no_response";
  return undefined;
}

const isSent = (outcome: Outcome): outcome is Extract<Outcome, { sent: true }> => "sent" in outcome && outcome.sent;

/**
 * Sends queued messages through the SMS provider. Messages are claimed with FOR UPDATE SKIP LOCKED and a claim
 * deadline, so any number of dispatchers (service instances) share the queue and, while they live, never send one
 * message twice; each outcome is stored only while the claim is still ours (the claim is its fencing token). No
 * transaction is open while a round waits on the SMSC: a round claims a batch (one statement), submits it all at
 * once (the provider's window pipelines it), and records each message's outcome as soon as its submit_sm_resp
 * arrives — group-committed: one set-based statement (with the sent ones' parts, one short transaction of prepared
 * statements) for whatever answers (of every round in flight) came in since the last one began. Temporary failures are retried with backoff; marketing is
 * checked again for consent and quiet hours right before it goes out (see marketing-submits for how an opt-out
 * still waits for it).
 *
 * What a crash can still resend: SMPP's submit_sm carries no idempotency key, so the SMSC cannot tell a resend from a
 * new text, and nothing we write before a submit can prove after a crash whether it reached the SMSC. A message is in
 * doubt from the moment its submit is written to the socket until its outcome commits: the round trip to the SMSC plus,
 * after the answer, the rest of the group commit in progress and then its own (a few to tens of milliseconds when
 * answers trickle in, one group commit's time in a burst; README "Faults" has the figures). It used to last until the
 * round's slowest answer and then the whole round's record. A record that fails (the database briefly unreachable, the
 * pool out of connections) is written again, with later answers, while the claims hold. A dispatcher killed in that
 * span leaves the message claimed and unrecorded; once the claim runs out (claimMs) another dispatcher sends it again,
 * deliberately — a login code lost is worse than one received twice — and counts it
 * (omnihall_notify_in_doubt_resends_total, cause claim_lapsed, and a warning with the message id) — unless the SMSC's
 * receipts say it already has it. Every submit asks for a receipt and carries a reference derived from the message
 * (SMPP's user_message_reference), which the SMSC echoes in the receipt; a receipt for a submit never recorded waits
 * in delivery_report, and the message taken over in doubt looks there first (receiptTrace, orphanReceipts): a
 * receipt for each of its parts, and it is recorded as sent with them, not sent again (counted as
 * omnihall_notify_in_doubt_found_sent_total). The claim (2 min) outlasts a receipt's usual delay by far, so a
 * resend is left for a submit that never reached the SMSC, or one whose receipt is slower than the claim (a
 * handset off the network) or never comes (a channel without references: CMPP). A message killed while still
 * queued in the provider, before its submit was written, has no receipt and is sent again, rightly, though it is
 * counted as a resend: from the database the two look the same. A submit whose response times out is retried the
 * same way (cause no_response). Dropping the message instead would make the in-doubt case at-most-once.
 */
export class Dispatcher {
  private readonly batchSize: number;
  private readonly marketingConcurrency: number;
  private readonly pollIntervalMs: number;
  private readonly claimMs: number;
  private readonly submitWindowMs: number;
  private readonly orphanReceiptAgeMs: number;
  private readonly log: Logger;
  private readonly loop: WorkLoop;
  /** Every round's outcomes, recorded as they come (see the class comment). */
  private readonly outcomes: GroupCommit<[ClaimedMessage, Outcome]>;
  private unwatchQueue: (() => void) | undefined;
  private wakeTimer: { at: number; timer: NodeJS.Timeout } | undefined;
  private stopped = false;

  constructor(private readonly options: DispatcherOptions) {
    this.batchSize = options.batchSize ?? 50;
    this.marketingConcurrency = options.marketingConcurrency ?? 4;
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.claimMs = options.claimMs ?? 120_000;
    this.submitWindowMs = options.submitWindowMs ?? 30_000;
    this.orphanReceiptAgeMs = options.orphanReceiptAgeMs ?? 10_000;
    this.log = options.logger.child({ component: "dispatcher" });
    this.outcomes = new GroupCommit((entries) => this.recordAll(entries), {
      backoff: { initialMs: 100, maxMs: 5_000 },
      // An answer not recorded is a resend in waiting: keep trying while our claim (the fence) can still store it.
      stillWorthIt: ([message]) => message.claimed_until.getTime() > Date.now(),
      onRetry: (error, messages, retryInMs) =>
        this.log.warn({ err: error, messages, retryInMs }, "could not record outcomes yet; trying again"),
    });
    this.loop = new WorkLoop({
      round: () => this.round(),
      pollIntervalMs: this.pollIntervalMs,
      backoff: { initialMs: this.pollIntervalMs, maxMs: 30_000 },
      logger: this.log,
      failureMessage: "dispatch round failed; trying again after a pause",
      concurrency: options.rounds ?? 3,
    });
  }

  start(): void {
    this.unwatchQueue ??= watchQueueDepth(this.options.db);
    this.loop.start();
  }

  /** Something was queued: look for due messages now instead of at the next poll. */
  wake(): void {
    this.loop.wake();
  }

  /**
   * Stops claiming and waits for the sends in progress to be answered and their outcomes recorded (while the
   * database is unreachable, as long as their claims hold).
   */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.wakeTimer) clearTimeout(this.wakeTimer.timer);
    this.unwatchQueue?.();
    await this.loop.stop();
  }

  /** Looks again in `ms` (tokens of the shared rate will be there by then). */
  private wakeIn(ms: number): void {
    const at = Date.now() + ms;
    if (this.stopped || (this.wakeTimer && this.wakeTimer.at <= at)) return;
    if (this.wakeTimer) clearTimeout(this.wakeTimer.timer);
    this.wakeTimer = {
      at,
      timer: setTimeout(() => {
        this.wakeTimer = undefined;
        this.loop.wake();
      }, ms),
    };
  }

  /**
   * Claims a batch, submits it, records each outcome as it comes; ends when all are recorded; true when the batch
   * was full (more may be due). Service
   * messages are claimed first; marketing only fills the rest of the batch, and only as far as the shared rate
   * leaves tokens above the service reserve — so a login code never queues behind a wave, here or in the
   * provider's own pacing (at most a few rounds' worth of marketing, a fraction of a second, is ahead of it).
   */
  private async round(): Promise<boolean> {
    const service = await this.claimService();
    const room = this.batchSize - service.length;
    const marketing = room > 0 ? await this.claimMarketing(room) : [];
    const claimed = [...service, ...marketing];
    if (claimed.length === 0) return false;
    const recorded: Array<Promise<void>> = [];
    const settle = (message: ClaimedMessage, outcome: Outcome) => recorded.push(this.outcomes.add([message, outcome]));
    // A message of several parts used a token per part; the take counted one.
    let extraParts = 0;
    const submit = (message: ClaimedMessage) =>
      recorded.push(
        this.send(message).then((outcome) => {
          if (isSent(outcome)) extraParts += outcome.parts - 1;
          return this.outcomes.add([message, outcome]);
        }),
      );
    for (const message of service) submit(message);
    // Marketing checks are short transactions on pooled connections: a few at a time, so a campaign cannot
    // take the whole pool from service messages. Their sends join the others as soon as they pass.
    const toCheck = [...marketing];
    await Promise.all(
      Array.from({ length: this.marketingConcurrency }, async () => {
        for (let next = toCheck.shift(); next; next = toCheck.shift()) {
          const verdict = await this.checkMarketing(next);
          if (verdict === "submit") submit(next);
          else if (verdict !== "lost") settle(next, verdict);
        }
      }),
    );
    const results = await Promise.allSettled(recorded);
    const unrecorded = results.filter((result) => result.status === "rejected");
    if (unrecorded.length > 0) {
      // Left claimed, the claims run out: they are tried again (in doubt, if they were sent).
      this.log.error(
        { err: unrecorded[0]!.reason, messages: unrecorded.length },
        "could not record the outcome of a send",
      );
    }
    if (extraParts > 0)
      await this.options.sendRate?.spend(extraParts).catch((error: unknown) => {
        this.log.warn({ err: error }, "could not count the extra SMS parts against the shared rate");
      });
    return claimed.length === this.batchSize;
  }

  private async claimService(): Promise<ClaimedMessage[]> {
    const claimed = await claimDue(this.options.db, [this.claimMs, this.batchSize, "SERVICE"]);
    const rate = this.options.sendRate;
    if (!rate || claimed.length === 0) return claimed;
    let granted: number;
    let waitMs: number;
    try {
      ({ granted, waitMs } = await rate.take("SERVICE", claimed.length));
    } catch (error) {
      // Not held for the claim's 2 minutes: the next round (after the loop's back-off) takes them again.
      await release(this.options.db, claimed).catch(() => undefined);
      throw error;
    }
    if (granted < claimed.length) {
      await release(this.options.db, claimed.slice(granted));
      this.wakeIn(waitMs);
    }
    return claimed.slice(0, granted);
  }

  private async claimMarketing(room: number): Promise<ClaimedMessage[]> {
    const rate = this.options.sendRate;
    if (!rate) return claimDue(this.options.db, [this.claimMs, room, "MARKETING"]);
    const { granted, waitMs } = await rate.take("MARKETING", room);
    if (granted === 0) {
      this.wakeIn(waitMs);
      return [];
    }
    const claimed = await claimDue(this.options.db, [this.claimMs, granted, "MARKETING"]);
    await rate.giveBack(granted - claimed.length);
    // Throttled with more waiting: come back when the tokens are there rather than at the next poll.
    if (claimed.length === granted && granted < room) this.wakeIn(waitMs);
    return claimed;
  }

  /**
   * Consent and quiet hours, checked under the subscriber's shared consent lock in one short transaction that
   * also marks the message as being submitted; the send itself holds nothing. "lost": the claim is no longer
   * ours (or the check failed: the message is tried again once the claim runs out).
   */
  private async checkMarketing(message: ClaimedMessage): Promise<Outcome | "submit" | "lost"> {
    try {
      return await this.options.db.$transaction(async (tx) => {
        await lockConsentShared(tx, message.subscriber_id);
        const consent = await currentConsentState(tx, message.subscriber_id);
        if (consent !== "GRANTED") {
          return { blocked: consent === "OPTED_OUT" ? "MARKETING_OPTED_OUT" : "MARKETING_CONSENT_MISSING" } as const;
        }
        const quietUntil = quietHoursRelease(
          new Date(),
          message.time_zone,
          this.options.quietHours,
          this.options.quietSpreadMs ?? 0,
          message.id,
        );
        if (quietUntil) return { deferredUntil: quietUntil };
        return (await markSubmitting(tx, message, this.submitWindowMs)) ? "submit" : "lost";
      });
    } catch (error) {
      this.log.error({ err: error, messageId: message.id }, "marketing consent check failed; retried later");
      return "lost";
    }
  }

  private async send(message: ClaimedMessage): Promise<Outcome> {
    try {
      const sms: OutboundSms = {
        messageId: message.id,
        from: message.sender,
        to: message.msisdn,
        text: textToSend(this.options.sealedTextKey, message),
      };
      const doubt = inDoubt(message);
      if (doubt) {
        const found = await this.foundSubmitted(message, sms);
        if (found) {
          inDoubtFoundSent.inc({ kind: message.kind, cause: doubt });
          this.log.info(
            { messageId: message.id, kind: message.kind, cause: doubt, providerMessageIds: found },
            "an in-doubt message's receipts are in: the SMSC took it, not sent again",
          );
          return { sent: true, providerMessageIds: found, parts: found.length };
        }
        inDoubtResends.inc({ kind: message.kind, cause: doubt });
        this.log.warn(
          { messageId: message.id, kind: message.kind, cause: doubt, lapsedClaim: message.lapsed_claim },
          "sending again a message whose last submit is in doubt and has no receipt: the SMSC may already have it",
        );
      }
      const result = await this.options.provider.send(sms);
      return { sent: true, providerMessageIds: result.providerMessageIds, parts: result.parts };
    } catch (error) {
      return { sent: false, error };
    }
  }

  /**
   * The provider ids of an in-doubt message's parts, when a receipt for every part is waiting unclaimed (see
   * orphanReceipts); undefined when the channel's receipts carry no trace of ours, or not all are in.
   */
  private async foundSubmitted(message: ClaimedMessage, sms: OutboundSms): Promise<string[] | undefined> {
    let expected: ExpectedReceipts | undefined;
    try {
      expected = this.options.provider.receiptTrace?.(sms);
    } catch {
      return undefined; // a text the provider cannot send: the send says why
    }
    if (!expected) return undefined;
    const receipts = await orphanReceipts(this.options.db, [
      expected.trace.recipient,
      expected.trace.reference,
      message.created_at,
      this.orphanReceiptAgeMs,
      expected.parts,
    ]).catch((error: unknown) => {
      // Sent again, as before receipts were looked for: a second copy rather than none.
      this.log.error({ err: error, messageId: message.id }, "could not look for an in-doubt message's receipts");
      return [];
    });
    return receipts.length === expected.parts ? receipts.map((row) => row.provider_message_id) : undefined;
  }

  /**
   * Stores a group of outcomes (from any rounds in flight) in one set-based statement, fenced by each message's
   * claim, with the parts of the sent ones. Outcomes with no parts are that one statement on the pool; with parts,
   * the part ids are locked first (see lockPartIds), the receipts that overtook them applied after, all in one
   * short transaction on one pooled connection. Prepared statements rather than Prisma's interactive transaction,
   * which cost several times the SQL in notify's profiles and stretched the window in which an answer is in doubt.
   */
  private async recordAll(outcomes: ReadonlyArray<[ClaimedMessage, Outcome]>): Promise<void> {
    const now = new Date();
    const rows = outcomes.map(([message, outcome]) => ({
      message,
      outcome,
      change: this.change(message, outcome, now),
    }));
    const values = [
      rows.map(({ message }) => message.id),
      rows.map(({ message }) => message.claimed_until),
      rows.map(({ change }) => change.status),
      rows.map(({ change }) => change.attemptsAdded),
      rows.map(({ change }) => change.lastError ?? null),
      rows.map(({ change }) => change.nextAttemptAt ?? null),
      rows.map(({ change }) => change.sentAt ?? null),
      rows.map(({ change }) => change.finishedAt ?? null),
      rows.map(({ change }) => change.endsSubmit),
      rows.map(({ change }) => change.dropsSealedText),
    ];
    const parts = outcomes.flatMap(([message, outcome]) =>
      isSent(outcome) ? outcome.providerMessageIds.map((id, index) => ({ messageId: message.id, index, id })) : [],
    );
    const recorded =
      parts.length === 0
        ? await recordOutcomes(this.options.db, [...values, [], [], []])
        : await preparedTransaction(this.options.db, async (connection) => {
            const run = partsOnConnection(connection);
            await lockPartIds(
              run,
              parts.map((part) => part.id),
            );
            const ours = await recordOutcomes(connection, [
              ...values,
              parts.map((part) => part.messageId),
              parts.map((part) => part.index + 1),
              parts.map((part) => part.id),
            ]);
            const oursIds = new Set(ours.map((row) => row.id));
            await applyDeliveryReports(
              run,
              parts.filter((part) => oursIds.has(part.messageId)).map((part) => part.id),
            );
            return ours;
          });
    const stored = new Set(recorded.map((row) => row.id));
    // Told once the write has committed, so a group written again after a failure is not counted twice.
    for (const { message, outcome, change } of rows) {
      // A child logger only for a message there is something to say about: most are sent, and say nothing.
      const log = () => this.log.child({ messageId: message.id, kind: message.kind });
      this.tell(message, outcome, change, now, log);
      if (!stored.has(message.id))
        log().warn({}, "claim ran out before the outcome was stored; another dispatcher owns it");
    }
    const sent = rows.filter(({ message, outcome }) => isSent(outcome) && stored.has(message.id));
    this.log.debug({ messages: sent.length }, "messages sent");
  }

  /** The columns an outcome sets (see recordOutcomes); claimed_until is always cleared. */
  private change(message: ClaimedMessage, outcome: Outcome, now: Date): OutcomeChange {
    if (isSent(outcome)) {
      // A sent secret is not kept, not even sealed.
      return { status: "SENT", attemptsAdded: 1, lastError: "", sentAt: now, endsSubmit: true, dropsSealedText: true };
    }
    if ("deferredUntil" in outcome) {
      const change = { status: "DEFERRED", attemptsAdded: 0, endsSubmit: false, dropsSealedText: false } as const;
      return { ...change, nextAttemptAt: outcome.deferredUntil };
    }
    if ("blocked" in outcome) {
      const change = { status: "FAILED", attemptsAdded: 0, endsSubmit: false, dropsSealedText: false } as const;
      return { ...change, lastError: outcome.blocked, finishedAt: now };
    }
    const error = outcome.error;
    const retryable = !(error instanceof SmsProviderError) || error.retryable;
    const delayMs = retryable ? nextRetryDelayMs(this.options.retryPolicy, message.attempt_count + 1) : null;
    const lastError = error instanceof SmsProviderError ? `${error.reason}: ${error.detail}` : String(error);
    if (delayMs === null) {
      const change = { status: "FAILED", attemptsAdded: 1, endsSubmit: true, dropsSealedText: true } as const;
      return { ...change, lastError, finishedAt: now };
    }
    const waitMs = Math.max(delayMs, error instanceof SmsProviderError ? (error.retryAfterMs ?? 0) : 0);
    const change = { status: "QUEUED", attemptsAdded: 1, endsSubmit: true, dropsSealedText: false } as const;
    return { ...change, lastError, nextAttemptAt: new Date(now.getTime() + waitMs) };
  }

  /** The log line (and in-doubt count) of a recorded outcome. */
  private tell(message: ClaimedMessage, outcome: Outcome, change: OutcomeChange, now: Date, logOf: () => Logger): void {
    if (isSent(outcome)) return;
    const log = logOf();
    if ("deferredUntil" in outcome) {
      log.info({ until: outcome.deferredUntil }, "marketing deferred until quiet hours end");
    } else if ("blocked" in outcome) {
      log.info({ reason: outcome.blocked }, "marketing not sent: no consent");
    } else if (change.status === "FAILED") {
      log.warn({ err: outcome.error, attempts: message.attempt_count + 1 }, "message failed for good");
    } else {
      const error = outcome.error;
      const retryInMs = change.nextAttemptAt!.getTime() - now.getTime();
      log.warn({ err: error, attempts: message.attempt_count + 1, retryInMs }, "send failed; will retry");
    }
  }
}

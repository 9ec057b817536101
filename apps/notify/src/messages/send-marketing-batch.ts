import { newId } from "@omnihall/ids";
import type { CallContext } from "@omnihall/service-kit";
import {
  MarketingOutcome,
  type MarketingResult,
  type SendMarketingBatchRequest,
  type SendMarketingBatchResponse,
} from "@omnihall/proto/omnihall/notify/v1/notify";
import { Prisma } from "../generated/prisma/client.js";
import { QUEUE_SIGNAL_CHANNEL } from "../delivery/queue-signal.js";
import { quietHoursRelease } from "../delivery/quiet-hours.js";
import { notifyError } from "../errors.js";
import type { Recipient } from "../recipients/recipient.js";
import { requestHash } from "../request-hash.js";
import type { NotifyDeps } from "../service-deps.js";
import type { Language } from "../templates/catalog.js";
import { renderMessage } from "../templates/render.js";
import { requireSubscriberId } from "../validation.js";

export const MAX_MARKETING_BATCH = 500;
const DEDUPE_KEY = /^[A-Za-z0-9_\-:.]{1,128}$/;
/**
 * Subscriber lookups at once (most are answered from the directory's cache; a batch of 500 new ones is the
 * slow case: callers give the call a generous deadline).
 */
const LOOKUPS_AT_ONCE = 32;
const TEMPLATE = "CAMPAIGN_SMS";

type Refusal = Exclude<MarketingOutcome, MarketingOutcome.MARKETING_OUTCOME_QUEUED>;

/**
 * SendMarketingBatch: a campaign wave's batch of marketing SMS, queued in one statement. Consent is read for the
 * whole batch at once; it is only a first filter (the dispatcher checks it again under the subscriber's consent
 * lock right before each send, which is what an opt-out relies on). A dedupe key already queued answers
 * DUPLICATE, so a wave that hands a batch over twice (a retry, a restart) texts nobody twice.
 */
export function sendMarketingBatch(deps: NotifyDeps) {
  return async (request: SendMarketingBatchRequest, ctx: CallContext): Promise<SendMarketingBatchResponse> => {
    const campaignId = request.campaignId.trim();
    if (!campaignId) throw notifyError("CAMPAIGN_ID_REQUIRED", { field: "campaign_id" });
    if (request.recipients.length === 0) throw notifyError("RECIPIENTS_REQUIRED", { field: "recipients" });
    if (request.recipients.length > MAX_MARKETING_BATCH) {
      throw notifyError("TOO_MANY_RECIPIENTS", { field: "recipients" });
    }
    const recipients = request.recipients.map((recipient, index) => {
      requireSubscriberId(recipient.subscriberId);
      if (!DEDUPE_KEY.test(recipient.dedupeKey)) {
        throw notifyError("DEDUPE_KEY_MALFORMED", { field: `recipients[${index}].dedupe_key` });
      }
      return recipient;
    });
    const texts = {} as Record<Language, string>;
    for (const language of ["zh-CN", "en"] as const) {
      const variable = language === "en" ? request.text?.en : request.text?.zhCn;
      const rendered = renderMessage({
        templateCode: TEMPLATE,
        kind: "MARKETING",
        language,
        variables: { text: variable ?? "" },
      });
      if (!rendered.ok) {
        const reason = rendered.reason === "TEMPLATE_VARIABLE_TOO_LONG" ? rendered.reason : "TEMPLATE_VARIABLE_MISSING";
        throw notifyError(reason, { field: language === "en" ? "text.en" : "text.zh_cn" });
      }
      texts[language] = rendered.text;
    }

    const found = await lookUpAll(deps, [...new Set(recipients.map((r) => r.subscriberId))], ctx.requestId);
    const consent = await latestConsent(deps, [...found.keys()]);
    const results = new Map<string, MarketingResult>();
    const rows: Array<{ dedupeKey: string; recipient: Recipient }> = [];
    for (const { subscriberId, dedupeKey } of recipients) {
      const recipient = found.get(subscriberId);
      const refusal: Refusal | undefined = !recipient
        ? MarketingOutcome.MARKETING_OUTCOME_UNKNOWN_SUBSCRIBER
        : !recipient.active
          ? MarketingOutcome.MARKETING_OUTCOME_INACTIVE
          : consent.get(subscriberId) === "OPT_OUT"
            ? MarketingOutcome.MARKETING_OUTCOME_OPTED_OUT
            : consent.get(subscriberId) !== "GRANT"
              ? MarketingOutcome.MARKETING_OUTCOME_CONSENT_MISSING
              : undefined;
      if (refusal !== undefined || !recipient) {
        results.set(dedupeKey, { subscriberId, outcome: refusal!, messageId: "" });
      } else if (!rows.some((row) => row.dedupeKey === dedupeKey)) {
        rows.push({ dedupeKey, recipient });
      }
    }

    const queued = rows.length > 0 ? await queueAll(deps, campaignId, request.channel, texts, rows) : new Map();
    const duplicates = rows.filter((row) => !queued.has(row.dedupeKey)).map((row) => row.dedupeKey);
    const earlier =
      duplicates.length > 0
        ? await deps.db.message.findMany({
            where: { dedupeKey: { in: duplicates } },
            select: { id: true, dedupeKey: true },
          })
        : [];
    for (const row of rows) {
      const id = queued.get(row.dedupeKey);
      results.set(row.dedupeKey, {
        subscriberId: row.recipient.subscriberId,
        outcome: id ? MarketingOutcome.MARKETING_OUTCOME_QUEUED : MarketingOutcome.MARKETING_OUTCOME_DUPLICATE,
        messageId: id ?? earlier.find((message) => message.dedupeKey === row.dedupeKey)?.id ?? "",
      });
    }
    ctx.log.info({ campaignId, recipients: recipients.length, queued: queued.size }, "marketing batch queued");
    return { results: recipients.map(({ dedupeKey }) => results.get(dedupeKey)!) };
  };
}

/** Recipient facts of every subscriber of the batch; unknown ones are left out (anything else throws). */
async function lookUpAll(deps: NotifyDeps, subscriberIds: string[], requestId: string) {
  const found = new Map<string, Recipient>();
  const queue = [...subscriberIds];
  await Promise.all(
    Array.from({ length: Math.min(LOOKUPS_AT_ONCE, queue.length) }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        try {
          found.set(next, await deps.recipients.byId(next, requestId));
        } catch (error) {
          if ((error as { reason?: string }).reason !== "SUBSCRIBER_NOT_FOUND") throw error;
        }
      }
    }),
  );
  return found;
}

/** The newest consent action of each subscriber (absent: none on record), in one query. */
async function latestConsent(deps: NotifyDeps, subscriberIds: string[]): Promise<Map<string, "GRANT" | "OPT_OUT">> {
  if (subscriberIds.length === 0) return new Map();
  const rows = await deps.db.$queryRaw<Array<{ subscriber_id: string; action: "GRANT" | "OPT_OUT" }>>`
    SELECT DISTINCT ON (subscriber_id) subscriber_id, action::text AS action
    FROM consent_record WHERE subscriber_id = ANY(${subscriberIds}::text[])
    ORDER BY subscriber_id, sequence DESC`;
  return new Map(rows.map((row) => [row.subscriber_id, row.action]));
}

/**
 * Inserts the batch's messages in one statement (ON CONFLICT DO NOTHING on the dedupe key) and wakes the
 * dispatchers on commit. Returns dedupe key → id of the rows inserted now.
 */
async function queueAll(
  deps: NotifyDeps,
  campaignId: string,
  channel: number,
  texts: Record<Language, string>,
  rows: Array<{ dedupeKey: string; recipient: Recipient }>,
): Promise<Map<string, string>> {
  const now = new Date();
  const { quietHours, quietSpreadMs, senders } = deps.policy;
  const values = rows.map(({ dedupeKey, recipient }) => {
    const deferredUntil = quietHoursRelease(now, recipient.timeZone, quietHours, quietSpreadMs ?? 0, dedupeKey);
    const text = texts[recipient.language];
    return Prisma.sql`(${newId("msg")}, ${dedupeKey}, ${requestHash({ campaignId, subscriberId: recipient.subscriberId, text })},
      ${recipient.subscriberId}, ${recipient.msisdn}, ${recipient.timeZone}, 'MARKETING'::"MessageKind", ${TEMPLATE},
      ${recipient.language}, ${text}, ${senders.marketing}, ${campaignId}, ${channel},
      ${deferredUntil ? "DEFERRED" : "QUEUED"}::"MessageStatus", ${deferredUntil ?? now})`;
  });
  const inserted = await deps.db.$queryRaw<Array<{ id: string; dedupe_key: string }>>`
    WITH inserted AS (
      INSERT INTO message (id, dedupe_key, request_hash, subscriber_id, msisdn, time_zone, kind, template_code,
        language_code, text, sender, campaign_id, channel, status, next_attempt_at)
      VALUES ${Prisma.join(values)}
      ON CONFLICT DO NOTHING
      RETURNING id, dedupe_key),
    signal AS (SELECT pg_notify(${QUEUE_SIGNAL_CHANNEL}, '') WHERE EXISTS (SELECT 1 FROM inserted))
    SELECT id, dedupe_key FROM inserted WHERE (SELECT count(*) FROM signal) >= 0`;
  return new Map(inserted.map((row) => [row.dedupe_key, row.id]));
}

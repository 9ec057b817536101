import type {
  AudienceFact,
  ImportAudienceFactsRequest,
  ImportAudienceFactsResponse,
} from "@omnihall/proto/omnihall/campaign/v1/campaign";
import type { CampaignDb } from "../db.js";
import { badField, provinceCodeUnknown } from "../errors.js";
import { isProvinceCode } from "../campaigns/provinces.js";

/** Facts written per statement. */
const CHUNK = 5_000;

function checkFact(fact: AudienceFact, index: number): void {
  if (!fact.subscriberId.trim()) {
    throw badField("SUBSCRIBER_ID_REQUIRED", `facts[${index}].subscriber_id`, {
      "zh-CN": "每条受众数据都需要用户编号。",
      en: "Every audience fact needs its subscriber id.",
    });
  }
  if (fact.provinceCode !== undefined && !isProvinceCode(fact.provinceCode)) {
    throw provinceCodeUnknown(`facts[${index}].province_code`, fact.provinceCode);
  }
  if ((fact.lastMonthSpendFen ?? 0n) < 0n || (fact.lastMonthDataKb ?? 0n) < 0n) {
    throw badField("FACT_INVALID", `facts[${index}]`, {
      "zh-CN": "消费金额和流量不能为负数。",
      en: "Spend and data use must not be negative.",
    });
  }
}

const text = (value: bigint | boolean | undefined) => (value === undefined ? null : String(value));

/**
 * Writes a batch of facts in one statement: known subscribers get the fields the fact sets (unset ones keep their
 * value), new ones are inserted. Within a batch the last fact of a subscriber wins.
 */
export async function applyFacts(db: CampaignDb, facts: readonly AudienceFact[]): Promise<number> {
  const latest = new Map(facts.map((fact) => [fact.subscriberId, fact]));
  const rows = [...latest.values()];
  for (let start = 0; start < rows.length; start += CHUNK) {
    const chunk = rows.slice(start, start + CHUNK);
    const column = <T>(pick: (fact: AudienceFact) => T) => chunk.map(pick);
    await db.$executeRaw`
      WITH input AS (
        SELECT * FROM unnest(
          ${column((f) => f.subscriberId)}::text[], ${column((f) => f.provinceCode ?? null)}::text[],
          ${column((f) => f.city ?? null)}::text[], ${column((f) => f.planCode ?? null)}::text[],
          ${column((f) => f.subscribeTime?.toISOString() ?? null)}::text[]::timestamptz[],
          ${column((f) => text(f.lastMonthSpendFen))}::text[]::bigint[],
          ${column((f) => text(f.lastMonthDataKb))}::text[]::bigint[],
          ${column((f) => text(f.marketingConsent))}::text[]::boolean[]
        ) AS i(id, province, city, plan, subscribed, spend, data_kb, consent)
      ), updated AS (
        UPDATE audience_fact f SET
          province_code = COALESCE(i.province, f.province_code),
          city = COALESCE(i.city, f.city),
          plan_code = COALESCE(i.plan, f.plan_code),
          subscribed_time = COALESCE(i.subscribed, f.subscribed_time),
          last_month_spend_fen = COALESCE(i.spend, f.last_month_spend_fen),
          last_month_data_kb = COALESCE(i.data_kb, f.last_month_data_kb),
          marketing_consent = COALESCE(i.consent, f.marketing_consent),
          update_time = now()
        FROM input i WHERE f.subscriber_id = i.id
        RETURNING f.subscriber_id
      )
      INSERT INTO audience_fact (subscriber_id, province_code, city, plan_code, subscribed_time,
                                 last_month_spend_fen, last_month_data_kb, marketing_consent, update_time)
      SELECT i.id, i.province, i.city, i.plan, i.subscribed, COALESCE(i.spend, 0), i.data_kb, i.consent, now()
        FROM input i WHERE i.id NOT IN (SELECT subscriber_id FROM updated)
      ON CONFLICT (subscriber_id) DO NOTHING`;
  }
  return rows.length;
}

/** ImportAudienceFacts: applies each streamed batch as it arrives (memory holds one batch, never the stream). */
export async function importAudienceFacts(
  db: CampaignDb,
  requests: AsyncIterable<ImportAudienceFactsRequest>,
): Promise<ImportAudienceFactsResponse> {
  let applied = 0n;
  for await (const request of requests) {
    request.facts.forEach(checkFact);
    applied += BigInt(await applyFacts(db, request.facts));
  }
  return { applied };
}

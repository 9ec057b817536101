import type { CampaignDb } from "../db.js";

export interface FrequencyCap {
  /** Most marketing messages per subscriber within the window, across all campaigns; 0: no limit. */
  limit: number;
  windowDays: number;
}

/**
 * The cap a campaign's wave keeps: the stricter of its own (spec caps.per_subscriber_frequency) and the
 * platform's (CAMPAIGN_FREQUENCY_CAP), over CAMPAIGN_FREQUENCY_WINDOW_DAYS.
 */
export function effectiveCap(campaignLimit: number, platformLimit: number, windowDays: number): FrequencyCap {
  const limits = [campaignLimit, platformLimit].filter((limit) => limit > 0);
  return { limit: limits.length ? Math.min(...limits) : 0, windowDays };
}

/**
 * Reserves one marketing contact per subscriber for this campaign where the cap allows it, and answers who may be
 * texted and who is over the cap. Reservations are rows of wave_contact written before the batch goes to notify
 * (so two campaigns' waves running at once cannot both pass one subscriber's last free slot: the check and the
 * write run under one transaction-scoped advisory lock, a short transaction with no network call in it). The
 * campaign's own earlier reservation does not count against it, so a batch reserved twice (a retry, a restart)
 * gets the same answer. Reservations of recipients notify then refuses are released (releaseContacts).
 */
export async function reserveContacts(
  db: CampaignDb,
  campaignId: string,
  subscriberIds: string[],
  cap: FrequencyCap,
): Promise<{ allowed: string[]; capped: string[] }> {
  if (subscriberIds.length === 0) return { allowed: [], capped: [] };
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('campaign:frequency-cap'))`;
    const counts =
      cap.limit > 0
        ? await tx.$queryRaw<Array<{ subscriber_id: string; contacts: bigint }>>`
            SELECT subscriber_id, count(*) AS contacts FROM wave_contact
            WHERE subscriber_id = ANY(${subscriberIds}::text[]) AND campaign_id <> ${campaignId}
              AND contact_time > now() - make_interval(days => ${cap.windowDays}::int)
            GROUP BY subscriber_id`
        : [];
    const over = new Set(counts.filter((row) => row.contacts >= BigInt(cap.limit)).map((row) => row.subscriber_id));
    const allowed = subscriberIds.filter((id) => !over.has(id));
    if (allowed.length) {
      await tx.$executeRaw`
        INSERT INTO wave_contact (subscriber_id, campaign_id)
        SELECT unnest(${allowed}::text[]), ${campaignId}
        ON CONFLICT DO NOTHING`;
    }
    return { allowed, capped: subscriberIds.filter((id) => over.has(id)) };
  });
}

/** Releases reservations of subscribers who were not texted after all (notify refused them, the wave stopped). */
export async function releaseContacts(
  db: Pick<CampaignDb, "$executeRaw">,
  campaignId: string,
  subscriberIds: string[],
): Promise<void> {
  if (subscriberIds.length === 0) return;
  await db.$executeRaw`
    DELETE FROM wave_contact WHERE campaign_id = ${campaignId} AND subscriber_id = ANY(${subscriberIds}::text[])`;
}

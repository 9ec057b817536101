import type { Prisma } from "../generated/prisma/client.js";

/** A transaction or the client: contacts are written with the interaction (or the wave's batch) that made them. */
type Db = Pick<Prisma.TransactionClient, "$executeRaw">;

/**
 * Records that a campaign reached a subscriber on a channel (an impression, click or reply naming them; the SMS
 * wave calls it for each message handed to notify). The first contact starts the lift's "contacted" window; the
 * last one attributes opt-outs and picks among campaigns sharing an SMS reply keyword.
 */
export async function recordContact(
  db: Db,
  contact: { campaignId: string; subscriberId: string; channel: string; time: Date },
): Promise<void> {
  await db.$executeRaw`
    INSERT INTO funnel_contact (campaign_id, subscriber_id, first_contact_time, last_contact_time, last_channel)
    VALUES (${contact.campaignId}, ${contact.subscriberId}, ${contact.time}, ${contact.time}, ${contact.channel})
    ON CONFLICT (campaign_id, subscriber_id) DO UPDATE SET
      first_contact_time = LEAST(funnel_contact.first_contact_time, EXCLUDED.first_contact_time),
      last_channel = CASE WHEN EXCLUDED.last_contact_time >= funnel_contact.last_contact_time
                          THEN EXCLUDED.last_channel ELSE funnel_contact.last_channel END,
      last_contact_time = GREATEST(funnel_contact.last_contact_time, EXCLUDED.last_contact_time)`;
}

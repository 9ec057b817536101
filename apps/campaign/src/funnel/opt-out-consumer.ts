import { consume, type EventBus, type Logger } from "@omnihall/bus";
import { ConsentState } from "@omnihall/proto/omnihall/notify/v1/notify";
import type { CampaignDb } from "../db.js";
import { ConsentChanged } from "./funnel-events.js";

/** How far back a contact makes a campaign answerable for an opt-out. */
export const OPT_OUT_ATTRIBUTION_DAYS = 7;

/**
 * Opt-outs in the funnel (durable `campaign--funnel-opt-outs`, each event once): notify's consent event does not
 * say which message provoked it, so an opt-out counts for every campaign that contacted the subscriber in the
 * OPT_OUT_ATTRIBUTION_DAYS before it (a hall's impression, click or reply naming them, or a wave's SMS), on the
 * channel of that campaign's last contact — once per opt-out record.
 */
export function consumeFunnelOptOuts(
  bus: EventBus,
  db: CampaignDb,
  logger: Logger,
  durable = "campaign--funnel-opt-outs",
) {
  return consume(bus, {
    durable,
    events: [ConsentChanged],
    db,
    logger,
    handler: async (event, { tx, messageId }) => {
      const change = event.message;
      if (change.state !== ConsentState.CONSENT_STATE_OPTED_OUT || !change.subscriberId) return;
      const at = change.changeTime ?? new Date();
      // The record's sequence identifies this opt-out (an opt-out again after a new consent is another one).
      const record = change.sequence > 0n ? `seq:${change.sequence}` : `msg:${messageId}`;
      // Contacts by the halls (their channel) and by the SMS wave (SMS); one campaign counts once per opt-out.
      await tx.$executeRaw`
        INSERT INTO funnel_opt_out (campaign_id, consent_record_id, subscriber_id, channel, opt_out_time)
        SELECT DISTINCT ON (campaign_id) campaign_id, ${record}, ${change.subscriberId}, channel, ${at}::timestamptz
          FROM (
            SELECT campaign_id, last_channel AS channel, last_contact_time AS contact_time FROM funnel_contact
             WHERE subscriber_id = ${change.subscriberId}
            UNION ALL
            SELECT campaign_id, 'CHANNEL_SMS_HALL', contact_time FROM wave_contact
             WHERE subscriber_id = ${change.subscriberId}) AS contacts
         WHERE contact_time <= ${at}
           AND contact_time > ${at}::timestamptz - make_interval(days => ${OPT_OUT_ATTRIBUTION_DAYS}::int)
         ORDER BY campaign_id, contact_time DESC
        ON CONFLICT (campaign_id, consent_record_id) DO NOTHING`;
    },
  });
}

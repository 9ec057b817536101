import { consume, defineEvent, isEvent, type EventBus, type Logger } from "@omnihall/bus";
import { SubscriberChangedEvent } from "@omnihall/proto/omnihall/customer/v1/events";
import { ConsentChangedEvent } from "@omnihall/proto/omnihall/notify/v1/events";
import { ConsentState } from "@omnihall/proto/omnihall/notify/v1/notify";
import { AllowanceUnit } from "@omnihall/proto/omnihall/catalog/v1/allowance";
import { UsageSummaryDueEvent } from "@omnihall/proto/omnihall/usage/v1/events";
import type { CampaignDb } from "../db.js";

/** The owners' facts about subscribers that audiences are matched on (each service publishes its own). */
export const SubscriberChanged = defineEvent("customer.subscriber.changed", SubscriberChangedEvent);
export const ConsentChanged = defineEvent("notify.consent.changed", ConsentChangedEvent);
export const UsageSummaryDue = defineEvent("usage.summary.due", UsageSummaryDueEvent);

export const AUDIENCE_FACTS_DURABLE = "campaign--audience-facts";

/**
 * Keeps audience_fact from the owners' events, never reading their tables: the profile (province, city, plan,
 * tenure) from customer.subscriber.changed, marketing consent from notify.consent.changed, last month's data use
 * from usage's monthly summary (the one on the 1st, which reports the month that ended). Applied once per event
 * (processed_message), and each fact only forward — an older event arriving late (a redelivery after a newer one)
 * changes nothing: profiles by change_time, consent by sequence, data use by month.
 */
export function consumeAudienceFacts(
  bus: EventBus,
  db: CampaignDb,
  logger: Logger,
  options: { durable?: string; deliverFrom?: "all" | "new" } = {},
) {
  return consume(bus, {
    durable: options.durable ?? AUDIENCE_FACTS_DURABLE,
    events: [SubscriberChanged, ConsentChanged, UsageSummaryDue],
    db,
    logger,
    deliverFrom: options.deliverFrom,
    handler: async (event, { tx }) => {
      if (isEvent(event, SubscriberChanged)) {
        const profile = event.message;
        if (!profile.subscriberId || !profile.changeTime) return;
        await tx.$executeRaw`
          INSERT INTO audience_fact (subscriber_id, province_code, city, plan_code, subscribed_time, profile_time,
            update_time)
          VALUES (${profile.subscriberId}, ${profile.provinceCode || null}, ${profile.city || null},
            ${profile.planCode || null}, ${profile.subscribeTime ?? null}, ${profile.changeTime}, now())
          ON CONFLICT (subscriber_id) DO UPDATE SET
            province_code = EXCLUDED.province_code, city = EXCLUDED.city, plan_code = EXCLUDED.plan_code,
            subscribed_time = EXCLUDED.subscribed_time, profile_time = EXCLUDED.profile_time, update_time = now()
          WHERE audience_fact.profile_time IS NULL OR audience_fact.profile_time <= EXCLUDED.profile_time`;
      } else if (isEvent(event, ConsentChanged)) {
        const change = event.message;
        if (!change.subscriberId) return;
        const consent = change.state === ConsentState.CONSENT_STATE_GRANTED;
        await tx.$executeRaw`
          INSERT INTO audience_fact (subscriber_id, marketing_consent, consent_sequence, update_time)
          VALUES (${change.subscriberId}, ${consent}, ${change.sequence}, now())
          ON CONFLICT (subscriber_id) DO UPDATE SET
            marketing_consent = EXCLUDED.marketing_consent, consent_sequence = EXCLUDED.consent_sequence,
            update_time = now()
          WHERE audience_fact.consent_sequence IS NULL OR audience_fact.consent_sequence < EXCLUDED.consent_sequence`;
      } else if (isEvent(event, UsageSummaryDue)) {
        const summary = event.message;
        // Mid-month summaries report the month so far; only one about a month before its own day is "last month".
        if (!summary.subscriberId || !summary.month || summary.summaryDate.startsWith(summary.month)) return;
        const dataKb = monthlyDataKb(summary);
        await tx.$executeRaw`
          INSERT INTO audience_fact (subscriber_id, last_month_data_kb, data_month, update_time)
          VALUES (${summary.subscriberId}, ${dataKb}, ${summary.month}, now())
          ON CONFLICT (subscriber_id) DO UPDATE SET
            last_month_data_kb = EXCLUDED.last_month_data_kb, data_month = EXCLUDED.data_month, update_time = now()
          WHERE audience_fact.data_month IS NULL OR audience_fact.data_month <= EXCLUDED.data_month`;
      }
    },
  });
}

/** Domestic mobile data used in the month: every data bucket's use plus data overage, KB. */
export function monthlyDataKb(summary: UsageSummaryDueEvent): bigint {
  const isDomesticData = (item: { unit: AllowanceUnit; roamingCountryCode: string }) =>
    item.unit === AllowanceUnit.ALLOWANCE_UNIT_DATA_KB && !item.roamingCountryCode;
  let total = 0n;
  for (const bucket of summary.buckets) if (isDomesticData(bucket)) total += bucket.used;
  for (const overage of summary.overages) if (isDomesticData(overage)) total += overage.quantity;
  return total;
}

import { consume, isEvent, type EventBus, type Logger } from "@omnihall/bus";
import type { CampaignDb } from "../db.js";
import { ChargeCompleted, ChargeRefunded } from "../events.js";

/** The calendar month ("2026-12") of a moment in China Standard Time, the month bills are cut in. */
export function billingMonth(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 7);
}

/**
 * Feeds the monthly spend facts from billing's charge events: a charge adds to its month, a refund takes it back.
 * When the first charge of a new month arrives, the month that was current becomes "last month" (the spend band
 * an audience is matched on). Applied once per event (processed_message), never reading billing's tables.
 */
export function consumeSpendFacts(bus: EventBus, db: CampaignDb, logger: Logger, durable = "campaign--audience-spend") {
  return consume(bus, {
    durable,
    events: [ChargeCompleted, ChargeRefunded],
    db,
    logger,
    handler: async (event, { tx }) => {
      const charge = event.message.charge;
      if (!charge?.subscriberId || !charge.createTime) return;
      const sign = isEvent(event, ChargeRefunded) ? -1n : 1n;
      const amount = sign * charge.amountFen;
      const month = billingMonth(charge.createTime);
      await tx.$executeRaw`
        INSERT INTO audience_fact (subscriber_id, spend_month, month_spend_fen, update_time)
        VALUES (${charge.subscriberId}, ${month}, ${amount}, now())
        ON CONFLICT (subscriber_id) DO UPDATE SET
          last_month_spend_fen = CASE
            WHEN audience_fact.spend_month < ${month} THEN audience_fact.month_spend_fen
            -- A late charge of an earlier month (most often the one just closed) counts there.
            WHEN audience_fact.spend_month > ${month} THEN audience_fact.last_month_spend_fen + ${amount}
            ELSE audience_fact.last_month_spend_fen END,
          month_spend_fen = CASE
            WHEN audience_fact.spend_month IS NULL OR audience_fact.spend_month < ${month} THEN ${amount}
            WHEN audience_fact.spend_month > ${month} THEN audience_fact.month_spend_fen
            ELSE audience_fact.month_spend_fen + ${amount} END,
          spend_month = GREATEST(audience_fact.spend_month, ${month}),
          update_time = now()`;
    },
  });
}

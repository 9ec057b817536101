import { consume, type EventBus, type Logger } from "@omnihall/bus";
import { Audience } from "@omnihall/proto/omnihall/campaign/v1/campaign";
import { channelToJSON } from "@omnihall/proto/omnihall/common/v1/common";
import { OrderState, type Order } from "@omnihall/proto/omnihall/orders/v1/orders";
import { audienceConditions } from "../audience/estimate-audience.js";
import type { CampaignDb } from "../db.js";
import { Prisma } from "../generated/prisma/client.js";
import { OrderStateChanged } from "./funnel-events.js";
import { holdoutBucketSql } from "../audience/holdout.js";

type Tx = Prisma.TransactionClient;

function outcomeOf(state: OrderState): "PLACED" | "COMPLETED" | "LOST" {
  if (state === OrderState.ORDER_STATE_COMPLETED) return "COMPLETED";
  if (state === OrderState.ORDER_STATE_FAILED || state === OrderState.ORDER_STATE_CANCELLED) return "LOST";
  return "PLACED";
}

/** One row per attributed order; a final outcome (completed, lost) is never undone by a late or repeated event. */
async function recordCampaignOrder(tx: Tx, order: Order): Promise<void> {
  const outcome = outcomeOf(order.state);
  await tx.$executeRaw`
    INSERT INTO funnel_order (order_id, campaign_id, channel, subscriber_id, outcome, price_fen, charge_id,
                              update_time)
    VALUES (${order.orderId}, ${order.campaignId}, ${channelToJSON(order.channel)}, ${order.subscriberId},
            ${outcome}, ${order.priceFen}, ${order.chargeId || null}, now())
    ON CONFLICT (order_id) DO UPDATE SET
      outcome = CASE WHEN funnel_order.outcome = 'PLACED' THEN EXCLUDED.outcome ELSE funnel_order.outcome END,
      charge_id = COALESCE(EXCLUDED.charge_id, funnel_order.charge_id),
      update_time = now()`;
}

/**
 * Lift: a completed order of a campaign's offering, by any channel and attributed or not, converts the subscriber
 * in that campaign's contacted group (first contact before the order) or, never contacted, in its holdout group
 * (held out and in the audience by today's facts) — once per campaign and subscriber.
 */
async function recordConversions(tx: Tx, order: Order): Promise<void> {
  const at = order.updateTime ?? new Date();
  const campaigns = await tx.$queryRaw<Array<{ id: string; spec: unknown; province_code: string | null }>>`
    SELECT id, spec, province_code FROM campaign
     WHERE state IN ('LIVE', 'PAUSED', 'ENDED') AND start_time <= ${at} AND end_time >= ${at}
       AND spec->'offer'->>'offeringCode' = ${order.offeringCode}`;
  for (const campaign of campaigns) {
    // Reached by a hall (an impression, click or reply naming them) or by the SMS wave.
    const [contact] = await tx.$queryRaw<Array<{ first: Date | null }>>`
      SELECT min(first) AS first FROM (
        SELECT first_contact_time AS first FROM funnel_contact
         WHERE campaign_id = ${campaign.id} AND subscriber_id = ${order.subscriberId}
        UNION ALL
        SELECT contact_time FROM wave_contact
         WHERE campaign_id = ${campaign.id} AND subscriber_id = ${order.subscriberId}) AS contacts`;
    let lift: "CONTACTED" | "HOLDOUT" | undefined;
    if (contact?.first) {
      if (contact.first <= at) lift = "CONTACTED";
    } else {
      const spec = campaign.spec as { audience?: unknown; holdoutPercent?: number };
      const conditions = [
        Prisma.sql`subscriber_id = ${order.subscriberId}`,
        Prisma.sql`${holdoutBucketSql(campaign.id)} < ${spec.holdoutPercent ?? 0}`,
        ...audienceConditions(Audience.fromJSON(spec.audience ?? {}), campaign.province_code ?? undefined),
      ];
      const [member] = await tx.$queryRaw<Array<{ one: number }>>`
        SELECT 1 AS one FROM audience_fact WHERE ${Prisma.join(conditions, " AND ")}`;
      if (member) lift = "HOLDOUT";
    }
    if (!lift) continue;
    await tx.$executeRaw`
      INSERT INTO funnel_conversion (campaign_id, subscriber_id, lift, order_id, convert_time)
      VALUES (${campaign.id}, ${order.subscriberId}, ${lift}, ${order.orderId}, ${at})
      ON CONFLICT (campaign_id, subscriber_id) DO NOTHING`;
  }
}

/**
 * Keeps the funnel's order side from the order engine's events (durable `campaign--funnel-orders`, each event
 * applied once through processed_message): attributed orders placed, completed (revenue: their price) or lost
 * (cancelled, or failed — a failure after the charge is refunded by the order engine, so it never counts as
 * revenue), and the lift's conversions. A completed order is final in the order engine; funnel_order.refunded_fen
 * stays 0 until something can refund one.
 */
export function consumeFunnelOrders(
  bus: EventBus,
  db: CampaignDb,
  logger: Logger,
  durable = "campaign--funnel-orders",
) {
  return consume(bus, {
    durable,
    events: OrderStateChanged,
    db,
    logger,
    handler: async (event, { tx }) => {
      const order = event.message.order;
      if (!order?.orderId || !order.subscriberId) return;
      if (order.campaignId) await recordCampaignOrder(tx, order);
      if (order.state === OrderState.ORDER_STATE_COMPLETED) await recordConversions(tx, order);
    },
  });
}

import { WorkLoop, type Logger } from "@omnihall/bus";
import { CampaignSpec } from "@omnihall/proto/omnihall/campaign/v1/campaign";
import { inTransaction, type CampaignDb } from "../db.js";
import type { LiveOfferSync } from "../live/live-offer-sync.js";
import { lockCampaign, recordChange } from "../lifecycle/transitions.js";

const CAPS = "system:caps";

/** What a campaign has used of its caps: orders taken (placed or completed) and discount given, fen. */
export interface CapUse {
  orders: bigint;
  discountFen: bigint;
}

/**
 * The discount given on orders paid `paidFen` in all at `discountBps` off: paid = list × (1 − bps/10 000), so
 * discount = paid × bps / (10 000 − bps), in whole fen rounded down. A campaign price (no discount) gives no
 * figure here: the list price is the catalog's, which the funnel does not keep.
 */
export function discountGiven(paidFen: bigint, discountBps: number): bigint {
  if (discountBps <= 0 || discountBps >= 10_000) return 0n;
  return (paidFen * BigInt(discountBps)) / BigInt(10_000 - discountBps);
}

/** Whether a campaign's use has reached its total quantity or budget cap (0: no cap). */
export function capReached(spec: CampaignSpec, use: CapUse): "QUANTITY" | "BUDGET" | undefined {
  const caps = spec.caps;
  if (caps && caps.totalQuantity > 0n && use.orders >= caps.totalQuantity) return "QUANTITY";
  if (caps && caps.budgetFen > 0n && use.discountFen >= caps.budgetFen) return "BUDGET";
  return undefined;
}

/**
 * One round: every LIVE campaign with a total quantity or budget cap is measured against the funnel's orders
 * (funnel_order, fed from the order engine's events: orders placed or completed count, lost ones do not), and one
 * that reached a cap ends — under its row lock, with an audit entry "CAP_REACHED" by system:caps and its
 * campaign.campaign.ended event in the same transaction — and leaves every hall (the live offer set). Orders then
 * refuse its id (the order engine checks the campaign is LIVE), so it stops being offered and sold.
 */
export async function orderCapsRound(db: CampaignDb, live: LiveOfferSync, logger: Logger): Promise<void> {
  const capped = await db.$queryRaw<Array<{ id: string; spec: unknown; orders: bigint; paid_fen: bigint }>>`
    SELECT c.id, c.spec, count(o.order_id) AS orders, COALESCE(sum(o.price_fen - o.refunded_fen), 0)::bigint AS paid_fen
      FROM campaign c
      LEFT JOIN funnel_order o ON o.campaign_id = c.id AND o.outcome IN ('PLACED', 'COMPLETED')
     WHERE c.state = 'LIVE'
       AND (COALESCE((c.spec #>> '{caps,totalQuantity}')::bigint, 0) > 0
            OR COALESCE((c.spec #>> '{caps,budgetFen}')::bigint, 0) > 0)
     GROUP BY c.id, c.spec`;
  for (const row of capped) {
    const spec = CampaignSpec.fromJSON(row.spec);
    const use = { orders: row.orders, discountFen: discountGiven(row.paid_fen, spec.offer?.discountBps ?? 0) };
    const reached = capReached(spec, use);
    if (!reached) continue;
    const ended = await inTransaction(db, async (tx) => {
      const locked = await lockCampaign(tx, row.id);
      if (locked?.state !== "LIVE") return false;
      await recordChange(
        tx,
        locked,
        "CAP_REACHED",
        { actor: CAPS, requestId: `caps-${row.id}-${reached}` },
        { state: "ENDED" },
      );
      return true;
    });
    if (!ended) continue;
    await live.sync(row.id);
    logger.info({ campaignId: row.id, cap: reached, orders: Number(use.orders) }, "campaign reached its cap and ended");
  }
}

/** The caps check as a background loop (every `pollIntervalMs`). */
export function startOrderCaps(
  db: CampaignDb,
  live: LiveOfferSync,
  options: { pollIntervalMs: number; logger: Logger },
) {
  const loop = new WorkLoop({
    round: async () => {
      await orderCapsRound(db, live, options.logger);
      return false;
    },
    pollIntervalMs: options.pollIntervalMs,
    backoff: { initialMs: 500, maxMs: 30_000 },
    logger: options.logger,
    failureMessage: "campaign caps round failed",
  });
  loop.start();
  return loop;
}

import { enqueue } from "@omnihall/bus";
import type { Logger } from "@omnihall/service-kit";
import { channelToJSON, Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { ConfirmationMethod, confirmationMethodToJSON } from "@omnihall/proto/omnihall/orders/v1/orders";
import type { Product as ProductRow } from "../generated/prisma/client.js";
import type { OrdersDb, Tx } from "../db.js";
import { ProductExpiring } from "../events.js";
import { newId } from "@omnihall/ids";
import { parseTerms, type OfferingTerms } from "../orders/offering-terms.js";
import { recordNewOrder, transitionOrder } from "../orders/transition-order.js";
import { firstStep } from "../saga/saga-plan.js";
import { endProduct } from "../products/product-lifecycle.js";
import { productSnapshot } from "../products/product-view.js";

export interface LifecycleJobOptions {
  db: OrdersDb;
  logger: Logger;
  intervalMs: number;
  /** How long before a trial or pack ends it is announced. */
  expiryNoticeMs: number;
  /** Wakes the saga workers when a trial conversion order is due. */
  wakeSaga(): void;
}

const BATCH = 100;

/**
 * The time-driven rules, run on a timer: unconfirmed orders expire; trials and packs are announced before they
 * end; products end on time, and trials the subscriber asked to convert become a conversion order. Each batch
 * claims its rows with FOR UPDATE SKIP LOCKED and changes them with their events in one transaction, and each
 * rule only picks rows it has not handled yet, so every effect happens once however many instances run.
 */
export class LifecycleJob {
  readonly #options: LifecycleJobOptions;
  readonly #log: Logger;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(options: LifecycleJobOptions) {
    this.#options = options;
    this.#log = options.logger.child({ component: "lifecycle-job" });
  }

  start(): void {
    this.#timer = setInterval(() => void this.tick(), this.#options.intervalMs);
    void this.tick();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }

  /** One pass over every rule (tests call it directly with a chosen `now`). */
  tick(now = new Date()): Promise<void> {
    this.#running ??= this.#pass(now).finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #pass(now: Date): Promise<void> {
    try {
      await this.#inBatches((tx) => this.#expireUnconfirmed(tx, now));
      await this.#inBatches((tx) => this.#announceExpiring(tx, now));
      await this.#inBatches((tx) => this.#endDueProducts(tx, now));
    } catch (error) {
      this.#log.error({ err: error }, "lifecycle pass failed; the next one retries");
    }
  }

  async #inBatches(batch: (tx: Tx) => Promise<number>): Promise<void> {
    while ((await this.#options.db.$transaction(batch)) === BATCH);
  }

  async #expireUnconfirmed(tx: Tx, now: Date): Promise<number> {
    const due = await tx.$queryRaw<Array<{ id: string }>>`
      SELECT id FROM "order" WHERE state IN ('ACKNOWLEDGED', 'PENDING') AND confirm_expires_at <= ${now}
      LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`;
    for (const { id } of due) {
      const order = await tx.order.findUniqueOrThrow({ where: { id } });
      await transitionOrder(tx, order, "CANCELLED", {
        reason: "CONFIRMATION_EXPIRED",
        data: { confirmationCodeHash: null },
      });
    }
    return due.length;
  }

  async #announceExpiring(tx: Tx, now: Date): Promise<number> {
    const horizon = new Date(now.getTime() + this.#options.expiryNoticeMs);
    const due = await tx.$queryRaw<Array<{ id: string }>>`
      SELECT id FROM product
      WHERE status = 'ACTIVE' AND end_at IS NOT NULL AND end_at <= ${horizon} AND end_at > ${now}
        AND expiring_announced_at IS NULL AND NOT unsubscribe_requested
        -- A product shorter than the notice (a day pass) would be announced as it starts: skip it.
        AND end_at - start_at > ${this.#options.expiryNoticeMs}::float8 * interval '1 millisecond'
      LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`;
    for (const { id } of due) {
      const product = await tx.product.update({ where: { id }, data: { expiringAnnouncedAt: now } });
      const terms = parseTerms(product.offering);
      await enqueue(tx, ProductExpiring, {
        product: productSnapshot(product),
        conversionPriceFen: product.trial ? BigInt(terms.priceFen) : 0n,
      });
    }
    return due.length;
  }

  async #endDueProducts(tx: Tx, now: Date): Promise<number> {
    // A trial with a conversion order is left to that order's saga, which ends it either way.
    const due = await tx.$queryRaw<Array<{ id: string }>>`
      SELECT id FROM product p
      WHERE status = 'ACTIVE' AND end_at <= ${now}
        AND NOT EXISTS (SELECT 1 FROM "order" o WHERE o.converts_product_id = p.id)
      LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`;
    let conversions = 0;
    for (const { id } of due) {
      const product = await tx.product.findUniqueOrThrow({ where: { id } });
      if (product.trial && product.conversionRequested) {
        await this.#orderConversion(tx, product, now);
        conversions++;
      } else {
        const reason = product.trial ? "TRIAL_CANCELLED" : product.unsubscribeRequested ? "UNSUBSCRIBED" : "EXPIRED";
        await endProduct(tx, product.id, reason, product.endAt!);
      }
    }
    if (conversions > 0) this.#options.wakeSaga();
    return due.length;
  }

  /**
   * A platform order for the paid offering, already confirmed by the subscriber's ConvertTrial: it charges,
   * then ends the trial and starts the paid product (or cancels the trial if the charge fails). One per trial:
   * order.converts_product_id is unique.
   */
  async #orderConversion(tx: Tx, trial: ProductRow, now: Date): Promise<void> {
    const trialTerms = parseTerms(trial.offering);
    const terms: OfferingTerms = { ...trialTerms, trialDays: 0, chargeFen: trialTerms.priceFen };
    const trialOrder = trial.orderId ? await tx.order.findUnique({ where: { id: trial.orderId } }) : null;
    const orderId = newId("ord");
    const acknowledged = await recordNewOrder(tx, {
      id: orderId,
      requestId: `conversion:${trial.id}`,
      fingerprint: "",
      subscriberId: trial.subscriberId,
      msisdn: trialOrder?.msisdn ?? "",
      provinceCode: trialOrder?.provinceCode ?? "",
      timeZone: trial.timeZone,
      offeringCode: trial.offeringCode,
      offering: terms,
      priceFen: BigInt(terms.chargeFen),
      channel: channelToJSON(Channel.CHANNEL_SYSTEM),
      confirmationMethod: confirmationMethodToJSON(ConfirmationMethod.CONFIRMATION_METHOD_NONE),
      confirmExpiresAt: now,
      convertsProductId: trial.id,
    });
    await transitionOrder(tx, acknowledged, "IN_PROGRESS", {
      reason: "TRIAL_CONVERSION",
      // Due at once by the wall clock, whatever time the pass was run for.
      data: { sagaStep: firstStep({ ...acknowledged, terms }), sagaDueAt: new Date() },
    });
  }
}

import { enqueue } from "@omnihall/bus";
import type { Logger } from "@omnihall/service-kit";
import { InstallationMilestone } from "@omnihall/proto/omnihall/orders/v1/orders";
import type { Order as OrderRow } from "../generated/prisma/client.js";
import type { SagaStep } from "../generated/prisma/enums.js";
import type { OrdersDb, Tx } from "../db.js";
import type { Dependencies } from "../dependencies/dependencies.js";
import { InstallationProgressed } from "../events.js";
import { parseTerms, type OfferingTerms } from "../orders/offering-terms.js";
import { orderToProto } from "../orders/order-view.js";
import { transitionOrder } from "../orders/transition-order.js";
import { activateProduct, endProduct } from "../products/product-lifecycle.js";
import type { Milestone } from "../provisioning/provisioning-adapter.js";
import { retryDelayMs, stepAfter, stepOnFailure, type SagaShape } from "./saga-plan.js";
import { runStep, type StepOutcome } from "./saga-steps.js";

export interface SagaWorkerOptions {
  db: OrdersDb;
  deps: Dependencies;
  logger: Logger;
  /** Orders advanced at once, each on its own database connection. */
  concurrency: number;
  pollMs: number;
  maxAttempts: number;
  retryMs: number;
  deadlineMs: number;
  installationPollMs: number;
}

/**
 * Drives confirmed orders through their saga. The saga's state is the order row itself (saga_step, saga_due_at):
 * a worker claims a due order with FOR UPDATE SKIP LOCKED, runs its step and saves the outcome in the same
 * transaction. Killed mid-step, the transaction rolls back, PostgreSQL releases the lock, and the next worker
 * (in this process after a restart, or another instance) runs the step again; every external call of a step is
 * idempotent by a key derived from the order, so running it twice has one effect.
 */
export class SagaWorker {
  readonly #options: SagaWorkerOptions;
  readonly #log: Logger;
  #running = false;
  #loops: Promise<void>[] = [];
  #wakeIdle: Array<() => void> = [];

  constructor(options: SagaWorkerOptions) {
    this.#options = options;
    this.#log = options.logger.child({ component: "saga" });
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loops = Array.from({ length: this.#options.concurrency }, () => this.#loop());
  }

  /** A step became due now (an order was confirmed): stop idling. */
  wake(): void {
    for (const wake of [...this.#wakeIdle]) wake();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.wake();
    await Promise.all(this.#loops);
  }

  /** Runs one due step, if any order has one; true when it did. */
  async runDueStep(): Promise<boolean> {
    const { db, installationPollMs } = this.#options;
    // The transaction spans the step's calls, so its timeout must outlast their deadlines.
    const timeout = this.#options.deadlineMs * 3 + installationPollMs + 5_000;
    return db.$transaction(
      async (tx) => {
        const due = await tx.$queryRaw<Array<{ id: string }>>`
          SELECT id FROM "order" WHERE saga_due_at <= ${new Date()}
          ORDER BY saga_due_at LIMIT 1 FOR UPDATE SKIP LOCKED`;
        if (due.length === 0) return false;
        const order = await tx.order.findUniqueOrThrow({ where: { id: due[0]!.id } });
        await this.#advance(tx, order);
        return true;
      },
      { timeout, maxWait: timeout },
    );
  }

  async #loop(): Promise<void> {
    while (this.#running) {
      let worked = false;
      try {
        worked = await this.runDueStep();
      } catch (error) {
        this.#log.error({ err: error }, "saga step could not be saved; it will run again");
      }
      if (!worked && this.#running) await this.#idle();
    }
  }

  #idle(): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.#wakeIdle = this.#wakeIdle.filter((other) => other !== wake);
        resolve();
      };
      const timer = setTimeout(wake, this.#options.pollMs);
      this.#wakeIdle.push(wake);
    });
  }

  async #advance(tx: Tx, order: OrderRow): Promise<void> {
    const step = order.sagaStep!;
    const terms = parseTerms(order.offering);
    const log = this.#log.child({ orderId: order.id, step });
    let outcome: StepOutcome;
    try {
      outcome = await runStep(step, order, terms, {
        tx,
        deps: this.#options.deps,
        deadlineMs: this.#options.deadlineMs,
        installationPollMs: this.#options.installationPollMs,
      });
    } catch (error) {
      const attempts = order.sagaAttempts + 1;
      // A refund never gives up: the subscriber's money must come back.
      if (step === "REFUND" || attempts < this.#options.maxAttempts) {
        log.warn({ err: error, attempts }, "saga step failed; retrying later");
        await tx.order.update({
          where: { id: order.id },
          data: {
            sagaAttempts: attempts,
            sagaDueAt: new Date(Date.now() + retryDelayMs(attempts, this.#options.retryMs)),
          },
        });
        return;
      }
      log.error({ err: error, attempts }, "saga step kept failing; failing the order");
      outcome = { kind: "reject", reason: "DEPENDENCY_UNAVAILABLE" };
    }
    await this.#apply(tx, order, step, terms, outcome);
  }

  async #apply(tx: Tx, order: OrderRow, step: SagaStep, terms: OfferingTerms, outcome: StepOutcome): Promise<void> {
    const shape: SagaShape = { ...order, terms };
    if (outcome.kind === "wait") {
      const current = await this.#recordMilestones(tx, order, outcome.milestones);
      await tx.order.update({ where: { id: current.id }, data: { sagaDueAt: new Date(Date.now() + outcome.delayMs) } });
      return;
    }
    if (outcome.kind === "reject") {
      const next = stepOnFailure(step, shape, outcome.definitelyNotCharged ?? false);
      if (next === "REFUND") {
        await tx.order.update({
          where: { id: order.id },
          data: { sagaStep: "REFUND", sagaAttempts: 0, sagaDueAt: new Date(), failureReason: outcome.reason },
        });
      } else {
        await this.#fail(tx, order, outcome.reason);
      }
      return;
    }

    const current = await this.#recordMilestones(tx, order, outcome.milestones ?? []);
    if (step === "REFUND") {
      await this.#fail(tx, current, current.failureReason || "FULFILMENT_FAILED");
      return;
    }
    const next = stepAfter(step, shape);
    if (!next) {
      await this.#complete(tx, current, terms);
      return;
    }
    const sagaData = { ...outcome.data, sagaStep: next, sagaAttempts: 0, sagaDueAt: new Date() };
    if (outcome.state && outcome.state !== current.state) {
      await transitionOrder(tx, current, outcome.state, { data: sagaData });
    } else {
      await tx.order.update({ where: { id: current.id }, data: sagaData });
    }
  }

  /** The product starts and the order completes in one transaction: a completed order always has its product. */
  async #complete(tx: Tx, order: OrderRow, terms: OfferingTerms): Promise<void> {
    const now = new Date();
    let start = now;
    if (order.convertsProductId) {
      // The paid product takes over where the trial stops.
      const trial = await tx.product.findUniqueOrThrow({ where: { id: order.convertsProductId } });
      start = trial.endAt ?? now;
      await endProduct(tx, trial.id, "TRIAL_CONVERTED", start);
    }
    const product = await activateProduct(tx, {
      subscriberId: order.subscriberId,
      orderId: order.id,
      terms,
      timeZone: order.timeZone,
      start,
    });
    await transitionOrder(tx, order, "COMPLETED", {
      data: { productId: product.id, sagaStep: null, sagaDueAt: null },
    });
  }

  async #fail(tx: Tx, order: OrderRow, reason: string): Promise<void> {
    // A trial whose conversion failed (e.g. balance too low) is cancelled as if never converted.
    if (order.convertsProductId) await endProduct(tx, order.convertsProductId, "TRIAL_CANCELLED", new Date());
    await transitionOrder(tx, order, "FAILED", { reason, data: { sagaStep: null, sagaDueAt: null } });
  }

  /** Saves milestones not seen before and publishes each once; returns the order as it now is. */
  async #recordMilestones(tx: Tx, order: OrderRow, milestones: Milestone[]): Promise<OrderRow> {
    if (milestones.length === 0) return order;
    const known = await tx.orderMilestone.findMany({ where: { orderId: order.id } });
    const fresh = milestones.filter((milestone) => !known.some((row) => row.milestone === milestone));
    if (fresh.length === 0) return order;
    const at = new Date();
    await tx.orderMilestone.createMany({ data: fresh.map((milestone) => ({ orderId: order.id, milestone, at })) });
    const current = await tx.order.update({ where: { id: order.id }, data: { updatedAt: at } });
    for (const milestone of fresh) {
      await enqueue(tx, InstallationProgressed, {
        order: orderToProto(current),
        progress: {
          milestone: InstallationMilestone[`INSTALLATION_MILESTONE_${milestone}`],
          time: at,
        },
      });
    }
    return current;
  }
}

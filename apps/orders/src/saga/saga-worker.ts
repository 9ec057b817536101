import { enqueue, WorkLoop } from "@omnihall/bus";
import type { Logger } from "@omnihall/service-kit";
import { InstallationMilestone } from "@omnihall/proto/omnihall/orders/v1/orders";
import type { Order as OrderRow, Prisma } from "../generated/prisma/client.js";
import type { SagaStep } from "../generated/prisma/enums.js";
import type { OrdersDb, Tx } from "../db.js";
import type { Dependencies } from "../dependencies/dependencies.js";
import { InstallationProgressed } from "../events.js";
import { parseTerms, type OfferingTerms } from "../orders/offering-terms.js";
import { orderToProto } from "../orders/order-view.js";
import { transitionOrder } from "../orders/transition-order.js";
import { lockLeasedOrder } from "./saga-lease.js";
import { activateProduct, endProduct } from "../products/product-lifecycle.js";
import type { Milestone } from "../provisioning/provisioning-adapter.js";
import { retryDelayMs, stepAfter, stepOnFailure, type SagaShape } from "./saga-plan.js";
import { runStep, type StepOutcome } from "./saga-steps.js";

export interface SagaWorkerOptions {
  db: OrdersDb;
  deps: Dependencies;
  logger: Logger;
  /** Orders advanced at once. */
  concurrency: number;
  pollMs: number;
  maxAttempts: number;
  retryMs: number;
  deadlineMs: number;
  installationPollMs: number;
  paymentWaitMs: number;
  /**
   * How long a claimed step is this worker's: it must outlast the step's calls. A worker that dies mid-step
   * leaves the order due again after this; one that overruns it finds its result refused (another worker has
   * taken the step over, and the step's calls are idempotent).
   */
  leaseMs: number;
}

/** An order this worker holds: its row as claimed, and the lease (saga_due_at) that proves it is still ours. */
interface Claim {
  order: OrderRow;
  lease: Date;
}

/**
 * Drives confirmed orders through their saga. The saga's state is the order row itself (saga_step, saga_due_at),
 * and no transaction is open while a step waits on another service:
 *
 * 1. claim: one statement takes a due order (SKIP LOCKED) and moves its saga_due_at to now + lease, which both
 *    keeps other workers off it and is the claim's fencing token;
 * 2. run the step's calls (billing, catalog, customer, provisioning) with no transaction and no row lock;
 * 3. commit the outcome in one short transaction that first locks the row only if saga_due_at still equals the
 *    token: a worker whose lease ran out (and was taken over) writes nothing.
 *
 * When the next step is due at once, the worker renews the lease in that same commit and goes on, so an order
 * goes from confirmation to completion without waiting for a poll between steps. Killed mid-step, the order is
 * due again when its lease expires and the next worker (in this process after a restart, or another instance)
 * runs the step again; every external call of a step is idempotent by a key derived from the order.
 */
export class SagaWorker {
  readonly #options: SagaWorkerOptions;
  readonly #log: Logger;
  readonly #loop: WorkLoop;

  constructor(options: SagaWorkerOptions) {
    this.#options = options;
    this.#log = options.logger.child({ component: "saga" });
    this.#loop = new WorkLoop({
      round: () => this.runDueStep(),
      pollIntervalMs: options.pollMs,
      backoff: { initialMs: options.pollMs, maxMs: 10_000 },
      concurrency: options.concurrency,
      logger: this.#log,
      failureMessage: "saga step could not be saved; it will run again",
    });
  }

  start(): void {
    this.#loop.start();
  }

  /** A step became due now (an order was confirmed): stop idling. */
  wake(): void {
    this.#loop.wake();
  }

  /** Stops claiming; steps in hand finish and are saved. */
  stop(): Promise<void> {
    return this.#loop.stop();
  }

  /** Claims one due order and runs its steps while they are due at once; true when there was one. */
  async runDueStep(): Promise<boolean> {
    let claim = await this.#claim();
    if (!claim) return false;
    while (claim) claim = await this.#advance(claim);
    return true;
  }

  async #claim(): Promise<Claim | undefined> {
    const lease = this.#newLease();
    const claimed = await this.#options.db.$queryRaw<Array<{ id: string }>>`
      UPDATE "order" SET saga_due_at = ${lease}
      WHERE id = (SELECT id FROM "order" WHERE saga_due_at <= ${new Date()}
                  ORDER BY saga_due_at LIMIT 1 FOR UPDATE SKIP LOCKED)
      RETURNING id`;
    if (claimed.length === 0) return undefined;
    const order = await this.#options.db.order.findUnique({ where: { id: claimed[0]!.id } });
    return order?.sagaStep ? { order, lease } : undefined;
  }

  #newLease(): Date {
    return new Date(Date.now() + this.#options.leaseMs);
  }

  /** Runs the claimed step and saves its outcome; returns the claim renewed when the next step is due now. */
  async #advance({ order, lease }: Claim): Promise<Claim | undefined> {
    const step = order.sagaStep!;
    const terms = parseTerms(order.offering);
    const log = this.#log.child({ orderId: order.id, step });
    let outcome: StepOutcome | { kind: "error"; error: unknown };
    try {
      outcome = await runStep(step, order, terms, {
        db: this.#options.db,
        deps: this.#options.deps,
        deadlineMs: this.#options.deadlineMs,
        installationPollMs: this.#options.installationPollMs,
        paymentWaitMs: this.#options.paymentWaitMs,
      });
    } catch (error) {
      outcome = { kind: "error", error };
    }
    // Go on in this worker only while running: a stopping worker leaves the next step due for whoever is next.
    const renewal = this.#loop.running ? this.#newLease() : undefined;
    return this.#options.db.$transaction(async (tx) => {
      const current = await lockLeasedOrder(tx, order.id, step, lease);
      if (!current) {
        log.warn({}, "saga lease ran out before the step was saved; the worker that took it over runs it again");
        return undefined;
      }
      const next = await this.#save(tx, current, step, terms, outcome, renewal ?? new Date(), log);
      return next && renewal ? { order: next, lease: renewal } : undefined;
    });
  }

  /** Saves a step's outcome; returns the order when its next step is due at `dueNow` (the renewed lease). */
  async #save(
    tx: Tx,
    order: OrderRow,
    step: SagaStep,
    terms: OfferingTerms,
    outcome: StepOutcome | { kind: "error"; error: unknown },
    dueNow: Date,
    log: Logger,
  ): Promise<OrderRow | undefined> {
    if (outcome.kind === "error") {
      const attempts = order.sagaAttempts + 1;
      // A refund never gives up: the subscriber's money must come back.
      if (step === "REFUND" || attempts < this.#options.maxAttempts) {
        log.warn({ err: outcome.error, attempts }, "saga step failed; retrying later");
        await tx.order.update({
          where: { id: order.id },
          data: {
            sagaAttempts: attempts,
            sagaDueAt: new Date(Date.now() + retryDelayMs(attempts, this.#options.retryMs)),
          },
        });
        return undefined;
      }
      log.error({ err: outcome.error, attempts }, "saga step kept failing; failing the order");
      return this.#apply(tx, order, step, terms, { kind: "reject", reason: "DEPENDENCY_UNAVAILABLE" }, dueNow);
    }
    return this.#apply(tx, order, step, terms, outcome, dueNow);
  }

  async #apply(
    tx: Tx,
    order: OrderRow,
    step: SagaStep,
    terms: OfferingTerms,
    outcome: StepOutcome,
    dueNow: Date,
  ): Promise<OrderRow | undefined> {
    const shape: SagaShape = { ...order, terms };
    if (outcome.kind === "wait") {
      const current = await this.#recordMilestones(tx, order, outcome.milestones);
      await tx.order.update({ where: { id: current.id }, data: { sagaDueAt: new Date(Date.now() + outcome.delayMs) } });
      return undefined;
    }
    if (outcome.kind === "await-payment") {
      const data = { paymentDueAt: outcome.until, sagaDueAt: outcome.until, sagaAttempts: 0 };
      if (order.state === "HELD") await tx.order.update({ where: { id: order.id }, data });
      else await transitionOrder(tx, order, "HELD", { reason: "AWAITING_PAYMENT", data });
      return undefined;
    }
    if (outcome.kind === "reject") {
      const next = stepOnFailure(step, shape, outcome.definitelyNotCharged ?? false);
      if (next !== "REFUND") {
        await this.#fail(tx, order, outcome.reason);
        return undefined;
      }
      return tx.order.update({
        where: { id: order.id },
        data: { sagaStep: "REFUND", sagaAttempts: 0, sagaDueAt: dueNow, failureReason: outcome.reason },
      });
    }

    const current = await this.#recordMilestones(tx, order, outcome.milestones ?? []);
    if (step === "REFUND") {
      await this.#fail(tx, current, current.failureReason || "FULFILMENT_FAILED");
      return undefined;
    }
    const next = stepAfter(step, shape);
    const changesState = outcome.state !== undefined && outcome.state !== current.state;
    // Activation is local: when it is next, the order completes in this same transaction.
    if (!next || (next === "ACTIVATE" && !changesState)) {
      await this.#complete(tx, current, terms, outcome.data);
      return undefined;
    }
    const sagaData = { ...outcome.data, sagaStep: next, sagaAttempts: 0, sagaDueAt: dueNow };
    if (changesState) return transitionOrder(tx, current, outcome.state!, { data: sagaData });
    return tx.order.update({ where: { id: current.id }, data: sagaData });
  }

  /** The product starts and the order completes in one transaction: a completed order always has its product. */
  async #complete(tx: Tx, order: OrderRow, terms: OfferingTerms, stepData?: Prisma.OrderUpdateInput): Promise<void> {
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
      data: { ...stepData, productId: product.id, sagaStep: null, sagaDueAt: null },
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

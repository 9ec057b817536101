import { WorkLoop } from "@omnihall/bus";
import type { Logger } from "@omnihall/service-kit";
import type { Prisma } from "../generated/prisma/client.js";
import { closeSession } from "./cash-session.js";
import { gatewayOf } from "./gateways/gateways.js";
import { GatewayRefused } from "./gateways/online-gateway.js";
import type { PaymentsDeps } from "./payments-deps.js";
import { reverseSale } from "./pos/card-sale.js";
import { sendRefund } from "./refund-payment.js";
import { settlePayment } from "./settle-payment.js";

const BATCH = 20;
const MAX_QUERY_INTERVAL_MS = 10 * 60_000;

/**
 * How long a claimed check is this instance's. A batch's checks run side by side, so the lease covers one check:
 * at most three provider calls in a row (a card reversal's tries; an online query, then a close), each bounded by
 * GATEWAY_TIMEOUT_MS, and as long again for its database writes. Past it the row is due again: that is how a
 * crashed instance's claims come back, and why a live instance must not outlast it.
 */
const claimLeaseMs = (deps: PaymentsDeps) => 4 * deps.config.GATEWAY_TIMEOUT_MS;

/**
 * One pass over payments that need billing to act on its own: online payments whose notification is late (ask
 * the gateway: paid → settle; past expiry → close the trade, then EXPIRED), card sales left without an answer
 * (reverse), cash sessions left open by a terminal that never came back (close with what was counted), and
 * refunds still pending. Returns whether more may be due right away.
 *
 * Any number of instances sweep at once, and each due row is asked about by one of them: a pass first claims a
 * batch in one short statement (FOR UPDATE SKIP LOCKED, as the orders saga claims saga_due_at): a payment's
 * next_check_at moves to the end of the lease, a refund's updated_at to now (a pending refund is due a lease after
 * it was last touched, so a refund call in flight from RefundPayment is left alone too); then it calls the
 * providers with no transaction open, then
 * records each outcome under the row lock with the status checks that keep money moving once. A reschedule is
 * written only while the row still holds this pass's lease (its fencing token), so an instance that overran its
 * lease does not push back the check of the one that took the row over.
 */
export async function sweepPayments(deps: PaymentsDeps): Promise<boolean> {
  const now = deps.now?.() ?? new Date();
  const lease = new Date(now.getTime() + claimLeaseMs(deps));
  const claimed = await deps.db.$queryRaw<{ id: string }[]>`
    UPDATE payment SET next_check_at = ${lease}
    WHERE id IN (SELECT id FROM payment
                 WHERE status IN ('CREATED', 'PENDING') AND next_check_at <= ${now}
                 ORDER BY next_check_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
    RETURNING id`;
  // Read after the claim: a row settled or touched (a cash note) since is no longer this pass's to check.
  const due = await deps.db.payment.findMany({
    where: { id: { in: claimed.map((row) => row.id) }, status: { in: ["CREATED", "PENDING"] }, nextCheckAt: lease },
  });
  await Promise.all(due.map((payment) => checkPayment(deps, payment, now, lease)));

  const refunds = await deps.db.$queryRaw<{ id: string }[]>`
    UPDATE payment_refund SET updated_at = ${now}
    WHERE id IN (SELECT id FROM payment_refund
                 WHERE status = 'PENDING' AND updated_at <= ${new Date(now.getTime() - claimLeaseMs(deps))}
                 ORDER BY updated_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
    RETURNING id`;
  const pending = await deps.db.paymentRefund.findMany({
    where: { id: { in: refunds.map((row) => row.id) }, status: "PENDING" },
  });
  await Promise.all(pending.map((refund) => sendRefund(deps, refund, deps.logger, `sweep:${refund.id}`)));
  return claimed.length === BATCH || refunds.length === BATCH;
}

async function checkPayment(deps: PaymentsDeps, payment: Row, now: Date, lease: Date): Promise<void> {
  const log = deps.logger.child({ paymentId: payment.id, sweep: true });
  try {
    if (payment.paymentMethod === "PAYMENT_METHOD_CASH") {
      log.info({ countedFen: String(payment.cashCountedFen) }, "idle cash session: closing with what was counted");
      await closeSession(deps.db, log, payment.id, "idle-sweep");
    } else if (payment.paymentMethod === "PAYMENT_METHOD_BANK_CARD") {
      if (payment.stan === null) {
        await deps.db.payment.updateMany({
          where: { id: payment.id, status: "CREATED", stan: null },
          data: { status: "FAILED", failureReason: "CARD_NOT_SENT", nextCheckAt: null },
        });
      } else {
        await reverseSale(deps, payment, log);
      }
    } else {
      await checkOnline(deps, payment, now, lease, log);
    }
  } catch (error) {
    log.warn({ err: error }, "payment check failed; trying again later");
    await reschedule(deps, payment.id, lease, {
      nextCheckAt: new Date(now.getTime() + backoff(deps, payment.checkAttempts + 1)),
    });
  }
}

/** Sets when a payment is next checked, if it is still open and still holds this pass's lease. */
const reschedule = (deps: PaymentsDeps, paymentId: string, lease: Date, data: Prisma.PaymentUpdateManyMutationInput) =>
  deps.db.payment.updateMany({
    where: { id: paymentId, status: { in: ["CREATED", "PENDING"] }, nextCheckAt: lease },
    data,
  });

const backoff = (deps: PaymentsDeps, attempts: number) =>
  Math.min(MAX_QUERY_INTERVAL_MS, deps.config.PAYMENT_QUERY_AFTER_SECONDS * 1000 * 2 ** Math.max(0, attempts - 1));

type Row = Awaited<ReturnType<PaymentsDeps["db"]["payment"]["findUniqueOrThrow"]>>;

async function checkOnline(deps: PaymentsDeps, payment: Row, now: Date, lease: Date, log: Logger) {
  const gateway = gatewayOf(deps.gateways, payment.paymentMethod);
  if (!gateway) return;
  const trade = await gateway.query(payment.id);
  log.info({ gatewayState: trade.state, gateway: gateway.name }, "asked the gateway about a late payment");
  if (trade.state === "PAID") {
    await settlePayment(deps.db, log, {
      paymentId: payment.id,
      amountFen: trade.amountFen ?? -1n,
      providerReference: trade.tradeNo ?? "",
      source: "active-query",
    });
    return;
  }
  const expired = payment.expiresAt !== null && payment.expiresAt <= now;
  if (expired || trade.state === "CLOSED") {
    // Close first: once the gateway has closed the trade nobody can pay it, so EXPIRED is the truth.
    try {
      if (trade.state !== "CLOSED" && trade.state !== "NOT_FOUND") await gateway.close(payment.id);
    } catch (error) {
      if (!(error instanceof GatewayRefused)) throw error;
      log.warn({ err: error }, "gateway refused to close: asking again later");
      throw error;
    }
    const ended = await deps.db.payment.updateMany({
      where: { id: payment.id, status: { in: ["CREATED", "PENDING"] } },
      data: { status: "EXPIRED", nextCheckAt: null },
    });
    if (ended.count > 0) log.info({ gatewayState: trade.state }, "payment expired");
    return;
  }
  const attempts = payment.checkAttempts + 1;
  const next = new Date(Math.min(now.getTime() + backoff(deps, attempts), payment.expiresAt?.getTime() ?? Infinity));
  await reschedule(deps, payment.id, lease, { checkAttempts: attempts, nextCheckAt: next });
}

/** Runs the sweep every PAYMENT_SWEEP_MS (and at once after a busy pass), until stopped. */
export function startPaymentSweep(deps: PaymentsDeps): WorkLoop {
  const loop = new WorkLoop({
    round: () => sweepPayments(deps),
    pollIntervalMs: deps.config.PAYMENT_SWEEP_MS,
    backoff: { initialMs: 1_000, maxMs: 60_000 },
    logger: deps.logger,
    failureMessage: "payment sweep failed",
  });
  loop.start();
  return loop;
}

import { WorkLoop } from "@omnihall/bus";
import type { Logger } from "@omnihall/service-kit";
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
 * One pass over payments that need billing to act on its own: online payments whose notification is late (ask
 * the gateway: paid → settle; past expiry → close the trade, then EXPIRED), card sales left without an answer
 * (reverse), cash sessions left open by a terminal that never came back (close with what was counted), and
 * refunds still pending. Returns whether more may be due right away.
 */
export async function sweepPayments(deps: PaymentsDeps): Promise<boolean> {
  const now = deps.now?.() ?? new Date();
  const due = await deps.db.payment.findMany({
    where: { status: { in: ["CREATED", "PENDING"] }, nextCheckAt: { lte: now } },
    orderBy: { nextCheckAt: "asc" },
    take: BATCH,
  });
  for (const payment of due) {
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
        await checkOnline(deps, payment, now, log);
      }
    } catch (error) {
      log.warn({ err: error }, "payment check failed; trying again later");
      await deps.db.payment.update({
        where: { id: payment.id },
        data: { nextCheckAt: new Date(now.getTime() + backoff(deps, payment.checkAttempts + 1)) },
      });
    }
  }
  const refunds = await deps.db.paymentRefund.findMany({
    where: { status: "PENDING", updatedAt: { lte: new Date(now.getTime() - deps.config.GATEWAY_TIMEOUT_MS) } },
    take: BATCH,
  });
  for (const refund of refunds) {
    await deps.db.paymentRefund.update({ where: { id: refund.id }, data: { updatedAt: now } });
    await sendRefund(deps, refund, deps.logger, `sweep:${refund.id}`);
  }
  return due.length === BATCH || refunds.length === BATCH;
}

const backoff = (deps: PaymentsDeps, attempts: number) =>
  Math.min(MAX_QUERY_INTERVAL_MS, deps.config.PAYMENT_QUERY_AFTER_SECONDS * 1000 * 2 ** Math.max(0, attempts - 1));

type Row = Awaited<ReturnType<PaymentsDeps["db"]["payment"]["findUniqueOrThrow"]>>;

async function checkOnline(deps: PaymentsDeps, payment: Row, now: Date, log: Logger) {
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
  await deps.db.payment.update({ where: { id: payment.id }, data: { checkAttempts: attempts, nextCheckAt: next } });
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

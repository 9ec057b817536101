import { enqueue } from "@omnihall/bus";
import { isUniqueViolation } from "@omnihall/db";
import { newId } from "@omnihall/ids";
import type { RefundPaymentRequest, RefundPaymentResponse } from "@omnihall/proto/omnihall/billing/v1/billing";
import type { CallContext, Logger } from "@omnihall/service-kit";
import { inTransaction } from "../db.js";
import { fieldError, insufficientBalance, requestIdReused, requireRequestId, requireSubscriberId } from "../errors.js";
import { eventHeaders, PaymentRefunded } from "../events.js";
import { fingerprintOf } from "../fingerprint.js";
import type { PaymentRefund } from "../generated/prisma/client.js";
import { gatewayOf } from "./gateways/gateways.js";
import { GatewayRefused, GatewayUnavailable } from "./gateways/online-gateway.js";
import {
  notRefundable,
  paymentNotFound,
  refundDeclined,
  refundExceedsPayment,
  requirePaymentId,
} from "./payment-errors.js";
import { paymentMessage, refundMessage } from "./payment-message.js";
import type { PaymentsDeps } from "./payments-deps.js";
import { AcquirerNoAnswer, PROCESSING_REFUND, PROCESSING_VOID, isoAmount } from "./pos/acquirer.js";

const cstDay = (date: Date) => new Date(date.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

/**
 * Returns money to the payment's original method, once per request_id, never more in all than was paid. The
 * balance is debited and the refund recorded (PENDING) in one transaction before the provider is asked, so
 * concurrent refunds cannot together exceed the payment; the provider call happens outside any transaction and
 * is idempotent by the refund id. Refused by the provider: the balance is given back and the refund is FAILED.
 * No answer: it stays PENDING and the sweep asks again.
 */
export async function refundPayment(
  deps: PaymentsDeps,
  request: RefundPaymentRequest,
  ctx: CallContext,
): Promise<RefundPaymentResponse> {
  const { db } = deps;
  requireRequestId(request.requestId);
  requireSubscriberId(request.subscriberId);
  requirePaymentId(request.paymentId);
  if (request.amountFen < 0n) {
    throw fieldError("amount_fen", "AMOUNT_NOT_POSITIVE", "金额必须大于零。", "The amount must be greater than zero.");
  }
  const fingerprint = fingerprintOf({
    paymentId: request.paymentId,
    amountFen: request.amountFen,
    reason: request.reason,
  });
  const replay = async () => {
    const first = await db.paymentRefund.findUnique({ where: { requestId: request.requestId } });
    if (!first) return undefined;
    if (first.fingerprint !== fingerprint) throw requestIdReused();
    return first;
  };

  let refund = await replay();
  if (!refund) {
    try {
      refund = await inTransaction(db, async (tx) => {
        const [locked] = await tx.$queryRaw<{ id: string }[]>`
          SELECT id FROM payment WHERE id = ${request.paymentId} AND subscriber_id = ${request.subscriberId}
          FOR UPDATE`;
        if (!locked) throw paymentNotFound();
        const payment = await tx.payment.findUniqueOrThrow({ where: { id: request.paymentId } });
        if (payment.status !== "SUCCEEDED" && payment.status !== "PARTIALLY_REFUNDED") {
          throw notRefundable(payment.status);
        }
        const refundable = payment.amountFen - payment.refundedFen;
        const amountFen = request.amountFen === 0n ? refundable : request.amountFen;
        if (amountFen <= 0n || amountFen > refundable) throw refundExceedsPayment(refundable);
        const [debited] = await tx.$queryRaw<{ balance_fen: bigint }[]>`
          UPDATE account SET balance_fen = balance_fen - ${amountFen}, updated_at = now()
          WHERE subscriber_id = ${payment.subscriberId} AND balance_fen >= ${amountFen}
          RETURNING balance_fen`;
        if (!debited) {
          const account = await tx.account.findUniqueOrThrow({ where: { subscriberId: payment.subscriberId } });
          throw insufficientBalance(account.balanceFen, amountFen);
        }
        const refundedFen = payment.refundedFen + amountFen;
        await tx.payment.update({
          where: { id: payment.id },
          data: { refundedFen, status: refundedFen === payment.amountFen ? "REFUNDED" : "PARTIALLY_REFUNDED" },
        });
        const row = await tx.paymentRefund.create({
          data: {
            id: newId("rfd"),
            paymentId: payment.id,
            requestId: request.requestId,
            fingerprint,
            amountFen,
            status: "PENDING",
            reason: request.reason.slice(0, 500),
            balanceAfterFen: debited.balance_fen,
          },
        });
        ctx.log.info({ paymentId: payment.id, refundId: row.id, amountFen: String(amountFen) }, "refund recorded");
        return row;
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      refund = (await replay())!;
    }
  }
  if (refund.status === "PENDING") refund = await sendRefund(deps, refund, ctx.log, ctx.requestId);
  if (refund.status === "FAILED") throw refundDeclined(refund.providerReference ?? "");
  const payment = await db.payment.findUniqueOrThrow({ where: { id: refund.paymentId } });
  return { refund: refundMessage(refund), payment: paymentMessage(payment) };
}

/** Asks the provider to return a PENDING refund's money, and records its answer (also run by the sweep). */
export async function sendRefund(
  deps: PaymentsDeps,
  refund: PaymentRefund,
  logger: Logger,
  requestId: string,
): Promise<PaymentRefund> {
  const { db } = deps;
  const payment = await db.payment.findUniqueOrThrow({ where: { id: refund.paymentId } });
  const log = logger.child({ paymentId: payment.id, refundId: refund.id });
  let outcome: { ok: true; reference: string } | { ok: false; code: string };
  try {
    outcome = { ok: true, reference: await refundAtProvider(deps, payment, refund) };
  } catch (error) {
    if (error instanceof GatewayRefused) outcome = { ok: false, code: error.code };
    else if (error instanceof GatewayUnavailable || error instanceof AcquirerNoAnswer) {
      log.warn({ err: error }, "refund unanswered: stays pending, the sweep asks again");
      return refund;
    } else throw error;
  }
  return inTransaction(db, async (tx) => {
    // Locked: concurrent duplicates of one refund (and the sweep) all reach here with the provider's answer; only
    // the first records it, so the event and any balance restore happen once.
    await tx.$queryRaw`SELECT id FROM payment_refund WHERE id = ${refund.id} FOR UPDATE`;
    const current = await tx.paymentRefund.findUniqueOrThrow({ where: { id: refund.id } });
    if (current.status !== "PENDING") return current;
    if (outcome.ok) {
      const done = await tx.paymentRefund.update({
        where: { id: refund.id },
        data: { status: "SUCCEEDED", providerReference: outcome.reference },
      });
      const after = await tx.payment.findUniqueOrThrow({ where: { id: payment.id } });
      await enqueue(
        tx,
        PaymentRefunded,
        { refund: refundMessage(done), payment: paymentMessage(after) },
        { headers: eventHeaders(requestId) },
      );
      log.info({ providerReference: outcome.reference }, "refund succeeded");
      return done;
    }
    // Refused: the money stays with us, so it goes back onto the balance and off the refunded total.
    await tx.$executeRaw`
      UPDATE account SET balance_fen = balance_fen + ${refund.amountFen}, updated_at = now()
      WHERE subscriber_id = ${payment.subscriberId}`;
    const [after] = await tx.$queryRaw<{ refunded_fen: bigint; amount_fen: bigint }[]>`
      UPDATE payment SET refunded_fen = refunded_fen - ${refund.amountFen}, updated_at = now()
      WHERE id = ${payment.id} RETURNING refunded_fen, amount_fen`;
    await tx.payment.update({
      where: { id: payment.id },
      data: { status: after!.refunded_fen === 0n ? "SUCCEEDED" : "PARTIALLY_REFUNDED" },
    });
    log.warn({ providerCode: outcome.code }, "refund refused by the provider; balance restored");
    return tx.paymentRefund.update({
      where: { id: refund.id },
      data: { status: "FAILED", providerReference: outcome.code },
    });
  });
}

async function refundAtProvider(
  deps: PaymentsDeps,
  payment: Awaited<ReturnType<PaymentsDeps["db"]["payment"]["findUniqueOrThrow"]>>,
  refund: PaymentRefund,
): Promise<string> {
  const gateway = gatewayOf(deps.gateways, payment.paymentMethod);
  if (gateway) {
    return gateway.refund({
      paymentId: payment.id,
      refundId: refund.id,
      amountFen: refund.amountFen,
      totalFen: payment.amountFen,
    });
  }
  if (payment.paymentMethod === "PAYMENT_METHOD_BANK_CARD") {
    // Same business day and the whole amount: a void, which never reaches the cardholder's statement.
    const now = deps.now?.() ?? new Date();
    const isVoid = refund.amountFen === payment.amountFen && cstDay(payment.succeededAt!) === cstDay(now);
    const answer = await deps.acquirer.exchange({
      mti: "0200",
      fields: {
        "3": isVoid ? PROCESSING_VOID : PROCESSING_REFUND,
        "4": isoAmount(refund.amountFen),
        "11": refund.id.slice(-6).replace(/\D/g, "0"),
        "37": payment.providerReference ?? "",
        "41": payment.terminalId ?? "",
        "42": deps.config.ACQUIRER_MERCHANT_ID,
        "49": "156",
        "90": `0200${String(payment.stan).padStart(6, "0")}`,
      },
    });
    if (answer.fields["39"] !== "00") throw new GatewayRefused(answer.fields["39"] ?? "??");
    return answer.fields["37"] ?? "";
  }
  // Cash goes back over the shop's counter, recharge-card and points credits back onto nothing: done here.
  return `${payment.paymentMethod}-${refund.id}`;
}

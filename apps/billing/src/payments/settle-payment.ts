import { enqueue } from "@omnihall/bus";
import type { Logger } from "@omnihall/service-kit";
import { inTransaction, type BillingDb } from "../db.js";
import { eventHeaders, PaymentSucceeded } from "../events.js";
import type { Payment as PaymentRow } from "../generated/prisma/client.js";
import { paymentMessage } from "./payment-message.js";

/** What became of a report that a payment was paid. */
export type SettleDecision =
  /** Credited now, once. */
  | "CREDITED"
  /** Already succeeded (a duplicate notification, a query that raced one): nothing credited again. */
  | "ALREADY_SUCCEEDED"
  /** No such payment of ours. */
  | "PAYMENT_NOT_FOUND"
  /** The paid amount is not what the payment asked for: nothing credited, left for reconciliation. */
  | "AMOUNT_MISMATCH"
  /** Paid after it expired, was cancelled or failed: nothing credited, reconciliation reports it. */
  | "PAYMENT_NOT_PENDING";

/**
 * Marks a payment SUCCEEDED and credits the balance, once, in one transaction with the `billing.payment.succeeded`
 * event. The payment row lock serialises every report about it (a hundred duplicate notifications, a query, the
 * expiry sweep): the first credits, the others find it succeeded. Every decision is logged with the payment id.
 */
export async function settlePayment(
  db: BillingDb,
  logger: Logger,
  report: { paymentId: string; amountFen: bigint; providerReference: string; source: string; requestId?: string },
): Promise<{ decision: SettleDecision; payment?: PaymentRow }> {
  const log = logger.child({ paymentId: report.paymentId, source: report.source });
  const result = await inTransaction(db, async (tx) => {
    const [locked] = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM payment WHERE id = ${report.paymentId} FOR UPDATE`;
    if (!locked) return { decision: "PAYMENT_NOT_FOUND" as const };
    const row = await tx.payment.findUniqueOrThrow({ where: { id: report.paymentId } });
    if (row.status === "SUCCEEDED" || row.status === "PARTIALLY_REFUNDED" || row.status === "REFUNDED") {
      return { decision: "ALREADY_SUCCEEDED" as const, payment: row };
    }
    if (row.status !== "CREATED" && row.status !== "PENDING") {
      return { decision: "PAYMENT_NOT_PENDING" as const, payment: row };
    }
    if (row.amountFen !== report.amountFen) return { decision: "AMOUNT_MISMATCH" as const, payment: row };
    const [credited] = await tx.$queryRaw<{ balance_fen: bigint }[]>`
      UPDATE account SET balance_fen = balance_fen + ${row.amountFen}, updated_at = now()
      WHERE subscriber_id = ${row.subscriberId}
      RETURNING balance_fen`;
    const succeeded = await tx.payment.update({
      where: { id: row.id },
      data: {
        status: "SUCCEEDED",
        succeededAt: new Date(),
        balanceAfterFen: credited!.balance_fen,
        providerReference: report.providerReference || row.providerReference,
        nextCheckAt: null,
      },
    });
    await enqueue(
      tx,
      PaymentSucceeded,
      { payment: paymentMessage(succeeded) },
      { headers: eventHeaders(report.requestId ?? row.requestId) },
    );
    return { decision: "CREDITED" as const, payment: succeeded };
  });
  const fields = {
    decision: result.decision,
    amountFen: String(report.amountFen),
    expectedFen: result.payment ? String(result.payment.amountFen) : undefined,
    status: result.payment?.status,
    providerReference: report.providerReference,
  };
  if (result.decision === "CREDITED" || result.decision === "ALREADY_SUCCEEDED") log.info(fields, "payment settled");
  else log.warn(fields, "payment report not applied");
  return result;
}

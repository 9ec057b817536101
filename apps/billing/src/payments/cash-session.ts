import type {
  CloseCashSessionRequest,
  CloseCashSessionResponse,
  RecordCashNoteRequest,
  RecordCashNoteResponse,
} from "@omnihall/proto/omnihall/billing/v1/billing";
import { failedPrecondition, type CallContext, type Logger } from "@omnihall/service-kit";
import { inTransaction, type BillingDb } from "../db.js";
import { fieldError, requireRequestId, requireSubscriberId } from "../errors.js";
import { cashSessionClosed, notCash, paymentNotFound, requirePaymentId } from "./payment-errors.js";
import { paymentMessage } from "./payment-message.js";
import type { PaymentsDeps } from "./payments-deps.js";
import { settlePayment } from "./settle-payment.js";

/** The notes a kiosk acceptor takes (fen). */
const DENOMINATIONS = new Set([100n, 500n, 1_000n, 2_000n, 5_000n, 10_000n]);

/**
 * Counts one note. The note's sequence number is the device's: the note table's key (session, sequence) makes a
 * re-sent event (the kiosk restarted and replays its journal) count nothing twice, and a gap or a different note
 * under a known sequence is refused rather than guessed at.
 */
export async function recordCashNote(
  deps: PaymentsDeps,
  request: RecordCashNoteRequest,
  ctx: CallContext,
): Promise<RecordCashNoteResponse> {
  requireSubscriberId(request.subscriberId);
  requirePaymentId(request.paymentId);
  if (!Number.isInteger(request.sequence) || request.sequence < 1) {
    throw fieldError("sequence", "CASH_SEQUENCE_INVALID", "纸币序号无效。", "The note's sequence number is invalid.");
  }
  if (!DENOMINATIONS.has(request.denominationFen)) {
    throw fieldError("denomination_fen", "CASH_DENOMINATION_INVALID", "无法识别的面额。", "Unknown note value.");
  }
  const now = deps.now?.() ?? new Date();
  const row = await inTransaction(deps.db, async (tx) => {
    const [locked] = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM payment WHERE id = ${request.paymentId} AND subscriber_id = ${request.subscriberId} FOR UPDATE`;
    if (!locked) throw paymentNotFound();
    const payment = await tx.payment.findUniqueOrThrow({ where: { id: request.paymentId } });
    if (payment.paymentMethod !== "PAYMENT_METHOD_CASH") throw notCash();
    const known = await tx.cashNote.findUnique({
      where: { paymentId_sequence: { paymentId: payment.id, sequence: request.sequence } },
    });
    if (known) {
      if (known.denominationFen !== request.denominationFen) throw sequenceConflict(payment.cashLastSequence);
      return payment; // the same event again
    }
    if (payment.status !== "PENDING") throw cashSessionClosed();
    if (request.sequence !== payment.cashLastSequence + 1) throw sequenceConflict(payment.cashLastSequence);
    const counted = payment.cashCountedFen + request.denominationFen;
    if (counted > payment.amountFen) {
      throw failedPrecondition(
        "AMOUNT_OVER_LIMIT",
        { "zh-CN": "超出本次充值上限，请取回纸币。", en: "This note would exceed the session's limit; take it back." },
        { metadata: { countedFen: String(payment.cashCountedFen), limitFen: String(payment.amountFen) } },
      );
    }
    await tx.cashNote.create({
      data: { paymentId: payment.id, sequence: request.sequence, denominationFen: request.denominationFen },
    });
    return tx.payment.update({
      where: { id: payment.id },
      data: {
        cashCountedFen: counted,
        cashLastSequence: request.sequence,
        nextCheckAt: new Date(now.getTime() + deps.config.CASH_SESSION_IDLE_SECONDS * 1000),
      },
    });
  });
  ctx.log.info(
    { paymentId: row.id, sequence: request.sequence, countedFen: String(row.cashCountedFen) },
    "cash note counted",
  );
  return { payment: paymentMessage(row) };
}

const sequenceConflict = (last: number) =>
  failedPrecondition(
    "CASH_SEQUENCE_CONFLICT",
    {
      "zh-CN": `纸币序号与已记录的不一致（已记录到第 ${last} 张）。`,
      en: `The note's sequence does not follow what was counted (last: ${last}).`,
    },
    { metadata: { lastSequence: String(last) } },
  );

export async function closeCashSession(
  deps: PaymentsDeps,
  request: CloseCashSessionRequest,
  ctx: CallContext,
): Promise<CloseCashSessionResponse> {
  requireRequestId(request.requestId);
  requireSubscriberId(request.subscriberId);
  requirePaymentId(request.paymentId);
  const row = await deps.db.payment.findFirst({ where: { id: request.paymentId, subscriberId: request.subscriberId } });
  if (!row) throw paymentNotFound();
  if (row.paymentMethod !== "PAYMENT_METHOD_CASH") throw notCash();
  return { payment: paymentMessage(await closeSession(deps.db, ctx.log, row.id, "kiosk", ctx.requestId)) };
}

/**
 * Ends a cash session with what it counted: the payment's amount becomes the counted total and it is settled once
 * (the payment lock makes a close racing the idle sweep, or a repeated close, credit nothing twice). Nothing
 * counted: cancelled.
 */
export async function closeSession(
  db: BillingDb,
  logger: Logger,
  paymentId: string,
  source: string,
  requestId?: string,
) {
  const counted = await inTransaction(db, async (tx) => {
    await tx.$queryRaw`SELECT id FROM payment WHERE id = ${paymentId} FOR UPDATE`;
    const payment = await tx.payment.findUniqueOrThrow({ where: { id: paymentId } });
    if (payment.status !== "PENDING") return undefined;
    if (payment.cashCountedFen === 0n) {
      await tx.payment.update({ where: { id: paymentId }, data: { status: "CANCELLED", nextCheckAt: null } });
      return undefined;
    }
    await tx.payment.update({ where: { id: paymentId }, data: { amountFen: payment.cashCountedFen } });
    return payment.cashCountedFen;
  });
  if (counted !== undefined) {
    await settlePayment(db, logger, { paymentId, amountFen: counted, providerReference: "", source, requestId });
  }
  return db.payment.findUniqueOrThrow({ where: { id: paymentId } });
}

import {
  Gateway,
  ReconciliationOutcome,
  type ReconcilePaymentsRequest,
  type ReconcilePaymentsResponse,
  type ReconciliationLine,
} from "@omnihall/proto/omnihall/billing/v1/billing";
import type { CallContext } from "@omnihall/service-kit";
import { fieldError } from "../errors.js";
import { GatewayUnavailable, type GatewayName, type StatementLine } from "./gateways/online-gateway.js";
import { gatewayUnavailable } from "./payment-errors.js";
import type { PaymentsDeps } from "./payments-deps.js";

const NAMES: Partial<Record<Gateway, GatewayName>> = {
  [Gateway.GATEWAY_ALIPAY]: "ALIPAY",
  [Gateway.GATEWAY_WECHAT_PAY]: "WECHAT_PAY",
  [Gateway.GATEWAY_UNIONPAY]: "UNIONPAY",
};

/** [start, end) of a business day in China Standard Time. */
function businessDay(date: string): [Date, Date] | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
  const start = new Date(`${date}T00:00:00+08:00`);
  // "2026-02-30" parses as a date in March: refuse it rather than reconcile the wrong day.
  if (Number.isNaN(start.getTime()) || new Date(start.getTime() + 8 * 3600_000).toISOString().slice(0, 10) !== date) {
    return undefined;
  }
  return [start, new Date(start.getTime() + 86_400_000)];
}

/**
 * Compares one day of a gateway's statement with billing's succeeded payments and refunds of that gateway, line
 * by line on billing's own ids (the merchant reference both sides carry). Reports; never changes anything: a
 * payment the gateway took that billing expired, say, is for a person to look at and refund.
 */
export async function reconcilePayments(
  deps: PaymentsDeps,
  request: ReconcilePaymentsRequest,
  ctx: CallContext,
): Promise<ReconcilePaymentsResponse> {
  const name = NAMES[request.gateway];
  if (!name) throw fieldError("gateway", "GATEWAY_REQUIRED", "请指定支付渠道。", "Name the gateway.");
  const day = businessDay(request.businessDate);
  if (!day) {
    throw fieldError("business_date", "BUSINESS_DATE_INVALID", "日期格式应为 YYYY-MM-DD。", "Use YYYY-MM-DD.");
  }
  let theirs: StatementLine[];
  try {
    theirs = await deps.gateways.get(name)!.statement(request.businessDate);
  } catch (error) {
    if (!(error instanceof GatewayUnavailable)) throw error;
    ctx.log.warn({ err: error, gateway: name }, "statement not available");
    throw gatewayUnavailable();
  }
  const [from, to] = day;
  const payments = await deps.db.payment.findMany({
    where: { paymentMethod: `PAYMENT_METHOD_${name}`, succeededAt: { gte: from, lt: to } },
    select: { id: true, amountFen: true, providerReference: true },
  });
  const refunds = await deps.db.paymentRefund.findMany({
    where: { status: "SUCCEEDED", createdAt: { gte: from, lt: to } },
    select: { id: true, amountFen: true, providerReference: true, paymentId: true },
  });
  const gatewayPayments = new Set(
    (
      await deps.db.payment.findMany({
        where: { id: { in: refunds.map((r) => r.paymentId) }, paymentMethod: `PAYMENT_METHOD_${name}` },
        select: { id: true },
      })
    ).map((p) => p.id),
  );
  const ours = new Map<string, { kind: "PAYMENT" | "REFUND"; amountFen: bigint; providerReference: string }>();
  for (const p of payments)
    ours.set(p.id, { kind: "PAYMENT", amountFen: p.amountFen, providerReference: p.providerReference ?? "" });
  for (const r of refunds) {
    if (gatewayPayments.has(r.paymentId)) {
      ours.set(r.id, { kind: "REFUND", amountFen: r.amountFen, providerReference: r.providerReference ?? "" });
    }
  }

  const lines: ReconciliationLine[] = [];
  let matchedCount = 0;
  for (const line of theirs) {
    const mine = ours.get(line.reference);
    ours.delete(line.reference);
    const outcome = !mine
      ? ReconciliationOutcome.RECONCILIATION_OUTCOME_MISSING_OURS
      : mine.amountFen !== line.amountFen
        ? ReconciliationOutcome.RECONCILIATION_OUTCOME_AMOUNT_DIFFERS
        : ReconciliationOutcome.RECONCILIATION_OUTCOME_MATCHED;
    if (outcome === ReconciliationOutcome.RECONCILIATION_OUTCOME_MATCHED) matchedCount += 1;
    lines.push({
      outcome,
      kind: line.kind,
      reference: line.reference,
      providerReference: line.providerReference,
      ourAmountFen: mine?.amountFen ?? 0n,
      theirAmountFen: line.amountFen,
    });
  }
  for (const [reference, mine] of ours) {
    lines.push({
      outcome: ReconciliationOutcome.RECONCILIATION_OUTCOME_MISSING_THEIRS,
      kind: mine.kind,
      reference,
      providerReference: mine.providerReference,
      ourAmountFen: mine.amountFen,
      theirAmountFen: 0n,
    });
  }
  // Differences first, for the person reading it.
  lines.sort(
    (a, b) =>
      Number(a.outcome === ReconciliationOutcome.RECONCILIATION_OUTCOME_MATCHED) -
      Number(b.outcome === ReconciliationOutcome.RECONCILIATION_OUTCOME_MATCHED),
  );
  for (const line of lines) {
    if (line.outcome !== ReconciliationOutcome.RECONCILIATION_OUTCOME_MATCHED) {
      ctx.log.warn(
        {
          gateway: name,
          businessDate: request.businessDate,
          outcome: ReconciliationOutcome[line.outcome],
          paymentId: line.reference,
          ourAmountFen: String(line.ourAmountFen),
          theirAmountFen: String(line.theirAmountFen),
        },
        "reconciliation difference",
      );
    }
  }
  ctx.log.info({ gateway: name, businessDate: request.businessDate, matchedCount, lines: lines.length }, "reconciled");
  return { gateway: request.gateway, businessDate: request.businessDate, matchedCount, lines };
}

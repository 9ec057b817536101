import type { CardPresentation } from "@omnihall/proto/omnihall/billing/v1/billing";
import type { Logger } from "@omnihall/service-kit";
import type { Payment as PaymentRow } from "../../generated/prisma/client.js";
import type { PaymentsDeps } from "../payments-deps.js";
import { settlePayment } from "../settle-payment.js";
import { ANSWER_LOST, AcquirerNoAnswer, DECLINES, PROCESSING_SALE, UNKNOWN_DECLINE, isoAmount } from "./acquirer.js";

const REVERSAL_TRIES = 3;
const cst = (date: Date) => new Date(date.getTime() + 8 * 3600_000).toISOString();

/**
 * Sends a card sale (0200) once per payment. The STAN is stored before anything is sent, so whoever finds the
 * payment later (a retry, the sweep after a crash) knows a sale may be out there. Approved: the payment succeeds
 * and the balance is credited once. Declined: FAILED with the decline's reason. No answer: reverse (0400) — the
 * acquirer voids whatever it approved — then FAILED CARD_ANSWER_LOST; a retry never sends a second sale.
 */
export async function cardSale(
  deps: PaymentsDeps,
  row: PaymentRow,
  card: CardPresentation,
  ctx: { log: Logger; requestId: string },
): Promise<PaymentRow> {
  const { db, config } = deps;
  const now = deps.now?.() ?? new Date();
  const stan = 100_000 + Math.floor(Math.random() * 900_000);
  // Claim the sale: only the call that stores the STAN sends it; others answer with the payment as it stands.
  const claimed = await db.payment.updateMany({
    where: { id: row.id, status: "CREATED", stan: null },
    data: { stan, nextCheckAt: new Date(now.getTime() + config.GATEWAY_TIMEOUT_MS * 2) },
  });
  if (claimed.count === 0) return db.payment.findUniqueOrThrow({ where: { id: row.id } });
  const log = ctx.log.child({ paymentId: row.id, stan });
  const time = cst(now);
  const sale = {
    mti: "0200",
    fields: {
      "2": card.pan,
      "3": PROCESSING_SALE,
      "4": isoAmount(row.amountFen),
      "11": String(stan),
      "12": time.slice(11, 19).replaceAll(":", ""),
      "13": time.slice(5, 10).replace("-", ""),
      "14": card.expiry,
      "41": card.terminalId,
      "42": config.ACQUIRER_MERCHANT_ID,
      "49": "156",
      ...(card.pinBlock ? { "52": card.pinBlock } : {}),
    },
  };
  let answer;
  try {
    answer = await deps.acquirer.exchange(sale);
  } catch (error) {
    if (!(error instanceof AcquirerNoAnswer)) throw error;
    log.warn({ err: error }, "card sale unanswered: reversing");
    return reverseSale(deps, { ...row, stan }, log);
  }
  const code = answer.fields["39"] ?? "";
  if (code === "00") {
    await db.payment.update({ where: { id: row.id }, data: { authCode: answer.fields["38"] ?? null } });
    const { payment } = await settlePayment(db, log, {
      paymentId: row.id,
      amountFen: BigInt(answer.fields["4"] ?? "0"),
      providerReference: answer.fields["37"] ?? "",
      source: "acquirer",
      requestId: ctx.requestId,
    });
    return payment!;
  }
  const decline = DECLINES[code] ?? UNKNOWN_DECLINE;
  log.info({ responseCode: code, reason: decline.reason }, "card sale declined");
  return fail(deps, row.id, decline);
}

/**
 * Reverses a sale whose answer was lost (0400 naming the original STAN). The acquirer answers 00 (reversed) or 25
 * (no such sale: it never arrived): either way nothing is charged. If the reversal is not answered either, the
 * payment stays CREATED and the sweep tries again later; it never turns into a charge.
 */
export async function reverseSale(deps: PaymentsDeps, row: PaymentRow, log: Logger): Promise<PaymentRow> {
  const reversal = {
    mti: "0400",
    fields: {
      "3": "000000",
      "4": isoAmount(row.amountFen),
      "11": String(row.stan),
      "41": row.terminalId ?? "",
      "42": deps.config.ACQUIRER_MERCHANT_ID,
      "90": `0200${String(row.stan).padStart(6, "0")}`,
    },
  };
  for (let attempt = 1; attempt <= REVERSAL_TRIES; attempt += 1) {
    try {
      const answer = await deps.acquirer.exchange(reversal);
      const code = answer.fields["39"];
      if (code === "00" || code === "25") {
        log.info({ responseCode: code, attempt }, "card sale reversed");
        return fail(deps, row.id, ANSWER_LOST);
      }
      log.warn({ responseCode: code, attempt }, "reversal refused");
    } catch (error) {
      if (!(error instanceof AcquirerNoAnswer)) throw error;
      log.warn({ err: error, attempt }, "reversal unanswered");
    }
  }
  const now = deps.now?.() ?? new Date();
  await deps.db.payment.updateMany({
    where: { id: row.id, status: "CREATED" },
    data: { nextCheckAt: new Date(now.getTime() + deps.config.PAYMENT_QUERY_AFTER_SECONDS * 1000) },
  });
  return deps.db.payment.findUniqueOrThrow({ where: { id: row.id } });
}

async function fail(deps: PaymentsDeps, paymentId: string, why: { reason: string; zh: string; en: string }) {
  await deps.db.payment.updateMany({
    where: { id: paymentId, status: "CREATED" },
    data: { status: "FAILED", failureReason: why.reason, failureZh: why.zh, failureEn: why.en, nextCheckAt: null },
  });
  return deps.db.payment.findUniqueOrThrow({ where: { id: paymentId } });
}

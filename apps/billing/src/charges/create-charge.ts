import { enqueue } from "@omnihall/bus";
import { isUniqueViolation } from "@omnihall/db";
import { newId } from "@omnihall/ids";
import type { CreateChargeRequest, CreateChargeResponse } from "@omnihall/proto/omnihall/billing/v1/billing";
import type { CallContext } from "@omnihall/service-kit";
import type { BillingConfig } from "../config.js";
import { inTransaction, type BillingDb } from "../db.js";
import { channelName } from "../enum-names.js";
import {
  accountNotFound,
  channelRequired,
  insufficientBalance,
  orderIdRequired,
  requestIdReused,
  requireAmount,
  requireRequestId,
  requireSubscriberId,
} from "../errors.js";
import { ChargeCompleted, eventHeaders } from "../events.js";
import { fingerprintOf } from "../fingerprint.js";
import { earnPointsForCharge } from "../points/points-ledger.js";
import { chargeMessage } from "./charge-message.js";

/**
 * Debits a prepaid balance for a confirmed order, once per request_id (the charge row is the idempotency record,
 * as for top-ups). The balance never goes below zero: the debit and its check are one conditional UPDATE.
 */
export async function createCharge(
  db: BillingDb,
  config: Pick<BillingConfig, "CHARGE_MAX_FEN">,
  request: CreateChargeRequest,
  ctx: CallContext,
): Promise<CreateChargeResponse> {
  requireRequestId(request.requestId);
  requireSubscriberId(request.subscriberId);
  if (request.orderId.trim() === "") throw orderIdRequired();
  requireAmount(request.amountFen, config.CHARGE_MAX_FEN);
  const channel = channelName(request.channel);
  if (!channel) throw channelRequired();
  const descriptionZh = request.description?.zhCn ?? "";
  const descriptionEn = request.description?.en ?? "";
  const fingerprint = fingerprintOf({
    subscriberId: request.subscriberId,
    orderId: request.orderId,
    amountFen: request.amountFen,
    channel,
  });

  const replay = async (client: Pick<BillingDb, "charge"> = db) => {
    const first = await client.charge.findUnique({ where: { requestId: request.requestId } });
    if (!first) return undefined;
    if (first.fingerprint !== fingerprint) throw requestIdReused();
    return { charge: chargeMessage(first), balanceAfterFen: first.balanceAfterFen };
  };

  const earlier = await replay();
  if (earlier) return earlier;
  try {
    return await inTransaction(db, async (tx) => {
      const debited = await tx.$queryRaw<{ balance_fen: bigint }[]>`
        UPDATE account SET balance_fen = balance_fen - ${request.amountFen}, updated_at = now()
        WHERE subscriber_id = ${request.subscriberId} AND balance_fen >= ${request.amountFen}
        RETURNING balance_fen`;
      if (debited.length === 0) {
        // A concurrent duplicate may have debited first, leaving too little for this one: answer with its charge.
        const duplicate = await replay(tx);
        if (duplicate) return duplicate;
        const account = await tx.account.findUnique({ where: { subscriberId: request.subscriberId } });
        throw account ? insufficientBalance(account.balanceFen, request.amountFen) : accountNotFound();
      }
      const row = await tx.charge.create({
        data: {
          id: newId("chg"),
          requestId: request.requestId,
          fingerprint,
          subscriberId: request.subscriberId,
          orderId: request.orderId,
          amountFen: request.amountFen,
          descriptionZh,
          descriptionEn,
          channel,
          status: "COMPLETED",
          balanceAfterFen: debited[0]!.balance_fen,
        },
      });
      // Points are earned with the charge, so a charge and its points commit (or roll back) together.
      await earnPointsForCharge(tx, row);
      const charge = chargeMessage(row);
      await enqueue(tx, ChargeCompleted, { charge }, { headers: eventHeaders(ctx.requestId) });
      ctx.log.info({ chargeId: row.id, orderId: row.orderId, amountFen: String(row.amountFen) }, "charge debited");
      return { charge, balanceAfterFen: row.balanceAfterFen };
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return (await replay())!;
  }
}

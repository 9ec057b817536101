import { ChargeStatus, type Charge } from "@omnihall/proto/omnihall/billing/v1/billing";
import { channelOf } from "../enum-names.js";
import type { Charge as ChargeRow } from "../generated/prisma/client.js";

export function chargeMessage(row: ChargeRow): Charge {
  return {
    chargeId: row.id,
    subscriberId: row.subscriberId,
    orderId: row.orderId,
    amountFen: row.amountFen,
    description: { zhCn: row.descriptionZh, en: row.descriptionEn },
    status: row.status === "REFUNDED" ? ChargeStatus.CHARGE_STATUS_REFUNDED : ChargeStatus.CHARGE_STATUS_COMPLETED,
    channel: channelOf(row.channel),
    createTime: row.createdAt,
    refundTime: row.refundedAt ?? undefined,
  };
}

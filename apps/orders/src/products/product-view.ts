import { ProductEndReason, type ProductSnapshot } from "@omnihall/proto/omnihall/orders/v1/events";
import { ProductStatus, type Product } from "@omnihall/proto/omnihall/orders/v1/orders";
import type { Product as ProductRow } from "../generated/prisma/client.js";
import { allowancesOf, parseTerms } from "../orders/offering-terms.js";

export type EndReason = "UNSUBSCRIBED" | "EXPIRED" | "TRIAL_CANCELLED" | "TRIAL_CONVERTED";

const END_REASONS: Record<EndReason, ProductEndReason> = {
  UNSUBSCRIBED: ProductEndReason.PRODUCT_END_REASON_UNSUBSCRIBED,
  EXPIRED: ProductEndReason.PRODUCT_END_REASON_EXPIRED,
  TRIAL_CANCELLED: ProductEndReason.PRODUCT_END_REASON_TRIAL_CANCELLED,
  TRIAL_CONVERTED: ProductEndReason.PRODUCT_END_REASON_TRIAL_CONVERTED,
};

export function endReasonToProto(reason: string | null): ProductEndReason {
  return END_REASONS[reason as EndReason] ?? ProductEndReason.PRODUCT_END_REASON_UNSPECIFIED;
}

/** A product as published in product events. */
export function productSnapshot(row: ProductRow): ProductSnapshot {
  const terms = parseTerms(row.offering);
  return {
    productId: row.id,
    subscriberId: row.subscriberId,
    orderId: row.orderId ?? "",
    offeringCode: row.offeringCode,
    offeringName: { zhCn: terms.nameZh, en: terms.nameEn },
    allowances: allowancesOf(terms),
    startTime: row.startAt,
    endTime: row.endAt ?? undefined,
    trial: row.trial,
    subscriberTimeZone: row.timeZone,
  };
}

export function productToProto(row: ProductRow): Product {
  return {
    snapshot: productSnapshot(row),
    status: row.status === "ACTIVE" ? ProductStatus.PRODUCT_STATUS_ACTIVE : ProductStatus.PRODUCT_STATUS_ENDED,
    unsubscribeRequested: row.unsubscribeRequested,
    conversionRequested: row.conversionRequested,
    endReason: endReasonToProto(row.endReason),
  };
}

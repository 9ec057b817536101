import type { ProductExpiringEvent } from "@omnihall/proto/omnihall/orders/v1/events";
import type { Language } from "../templates/catalog.js";
import { formatDateTime, formatFen } from "../templates/format.js";
import { localized } from "./allowance-label.js";
import type { Notice } from "./notice.js";

/** The reminder before a trial or pack ends; a trial's also says what keeping it would cost. */
export function productExpiringNotice(event: ProductExpiringEvent, language: Language, timeZone: string): Notice {
  const product = event.product!;
  const offering = localized(product.offeringName, language) || product.offeringCode;
  const endTime = product.endTime ? formatDateTime(product.endTime, timeZone, language) : "";
  const dedupeKey = `product-expiring:${product.productId}:${product.endTime?.toISOString() ?? ""}`;
  if (product.trial) {
    return {
      templateCode: "TRIAL_EXPIRING",
      variables: { offering, end_time: endTime, price: formatFen(event.conversionPriceFen, language) },
      dedupeKey,
    };
  }
  return { templateCode: "PRODUCT_EXPIRING", variables: { offering, end_time: endTime }, dedupeKey };
}

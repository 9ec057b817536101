import { enqueue } from "@omnihall/bus";
import type { Product as ProductRow } from "../generated/prisma/client.js";
import type { Tx } from "../db.js";
import { eventHeaders, ProductActivated, ProductDeactivated } from "../events.js";
import { newId } from "@omnihall/ids";
import type { OfferingTerms } from "../orders/offering-terms.js";
import { productEnd } from "./periods.js";
import { endReasonToProto, productSnapshot, type EndReason } from "./product-view.js";

/**
 * Starts a product for a subscriber and publishes `orders.product.activated` in the same transaction: the only
 * way a product begins, so usage opens its buckets exactly when it exists.
 */
export async function activateProduct(
  tx: Tx,
  args: {
    subscriberId: string;
    orderId: string | null;
    terms: OfferingTerms;
    timeZone: string;
    start: Date;
    /** Fixed id for seeded products, so seeding twice finds the first. */
    productId?: string;
    requestId?: string;
  },
): Promise<ProductRow> {
  const product = await tx.product.create({
    data: {
      id: args.productId ?? newId("prd"),
      subscriberId: args.subscriberId,
      orderId: args.orderId,
      offeringCode: args.terms.code,
      offering: args.terms,
      timeZone: args.timeZone,
      startAt: args.start,
      endAt: productEnd(args.terms, args.start, args.timeZone) ?? null,
      trial: args.terms.trialDays > 0,
      status: "ACTIVE",
    },
  });
  await enqueue(tx, ProductActivated, { product: productSnapshot(product) }, { headers: eventHeaders(args.requestId) });
  return product;
}

/**
 * Ends an active product at `at` and publishes `orders.product.deactivated`; a product already ended is left
 * as it is (returns null), so a replayed job or retried request ends it once.
 */
export async function endProduct(
  tx: Tx,
  productId: string,
  reason: EndReason,
  at: Date,
  requestId?: string,
): Promise<ProductRow | null> {
  const ended = await tx.product.updateManyAndReturn({
    where: { id: productId, status: "ACTIVE" },
    data: { status: "ENDED", endReason: reason, endedAt: at, endAt: at },
  });
  const product = ended[0];
  if (!product) return null;
  await enqueue(
    tx,
    ProductDeactivated,
    { product: productSnapshot(product), reason: endReasonToProto(reason) },
    { headers: eventHeaders(requestId) },
  );
  return product;
}

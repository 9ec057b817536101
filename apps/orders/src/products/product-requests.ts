import { z } from "zod";
import { decodePageToken, encodePageToken, pageSize } from "@omnihall/service-kit";
import type {
  ConvertTrialRequest,
  ConvertTrialResponse,
  ListProductsRequest,
  ListProductsResponse,
  UnsubscribeRequest,
  UnsubscribeResponse,
} from "@omnihall/proto/omnihall/orders/v1/orders";
import type { Product as ProductRow } from "../generated/prisma/client.js";
import type { OrdersDb, Tx } from "../db.js";
import { OrderErrors, requireRequestId } from "../errors.js";
import { hasIdShape } from "@omnihall/ids";
import { fingerprint } from "../orders/fingerprint.js";
import { parseTerms } from "../orders/offering-terms.js";
import { earlierTarget, recordRequest } from "../orders/request-records.js";
import { unsubscribeEnd } from "./periods.js";
import { endProduct } from "./product-lifecycle.js";
import { productToProto } from "./product-view.js";

const positionSchema = z.object({ createdAt: z.iso.datetime(), id: z.string() });

/** A subscriber's products, newest first: active ones, and ended ones on request. */
export async function listProducts(db: OrdersDb, request: ListProductsRequest): Promise<ListProductsResponse> {
  if (!hasIdShape(request.subscriberId, "sub")) throw OrderErrors.subscriberIdMalformed();
  const size = pageSize(request.pageSize, { default: 50, max: 200 });
  const filters = { subscriberId: request.subscriberId, includeEnded: request.includeEnded };
  const after = decodePageToken(request.pageToken, positionSchema, filters);
  const rows = await db.product.findMany({
    where: {
      subscriberId: request.subscriberId,
      ...(request.includeEnded ? {} : { status: "ACTIVE" }),
      ...(after
        ? {
            OR: [
              { createdAt: { lt: new Date(after.createdAt) } },
              { createdAt: new Date(after.createdAt), id: { lt: after.id } },
            ],
          }
        : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: size + 1,
  });
  const page = rows.slice(0, size);
  const last = page.at(-1);
  return {
    products: page.map(productToProto),
    nextPageToken:
      rows.length > size && last
        ? encodePageToken({ createdAt: last.createdAt.toISOString(), id: last.id }, filters)
        : "",
  };
}

/** Locks the subscriber's product named by a request, after checking the request's ids. */
async function lockProduct(
  tx: Tx,
  request: { requestId: string; subscriberId: string; productId: string },
): Promise<ProductRow> {
  const locked = await tx.$queryRaw<Array<{ id: string }>>`
    SELECT id FROM product WHERE id = ${request.productId} AND subscriber_id = ${request.subscriberId} FOR UPDATE`;
  if (locked.length === 0) throw OrderErrors.productNotFound();
  return tx.product.findUniqueOrThrow({ where: { id: request.productId } });
}

function validate(request: { requestId: string; subscriberId: string; productId: string }): void {
  requireRequestId(request.requestId);
  if (!hasIdShape(request.subscriberId, "sub")) throw OrderErrors.subscriberIdMalformed();
  if (!hasIdShape(request.productId, "prd")) throw OrderErrors.productIdMalformed();
}

/**
 * Unsubscribes: ends the product now, or marks it to end at the period end (the lifecycle job ends it then),
 * as the offering says. Plans are changed, not unsubscribed.
 */
export async function unsubscribe(
  db: OrdersDb,
  request: UnsubscribeRequest,
  requestId?: string,
): Promise<UnsubscribeResponse> {
  validate(request);
  const operation = { requestId: request.requestId, operation: "Unsubscribe", fingerprint: fingerprint(request) };
  const product = await db.$transaction(async (tx) => {
    const product = await lockProduct(tx, request);
    if ((await earlierTarget(tx, operation)) === product.id) return product;
    const terms = parseTerms(product.offering);
    if (terms.kind === "PLAN") throw OrderErrors.productIsPlan();
    if (product.status !== "ACTIVE" || product.unsubscribeRequested) throw OrderErrors.productNotActive();
    await recordRequest(tx, { ...operation, targetId: product.id });
    const now = new Date();
    const end = unsubscribeEnd(terms, product, now, product.timeZone);
    if (end <= now) return (await endProduct(tx, product.id, "UNSUBSCRIBED", now, requestId))!;
    return tx.product.update({ where: { id: product.id }, data: { unsubscribeRequested: true, endAt: end } });
  });
  return { product: productToProto(product) };
}

/** Records that the subscriber wants the trial converted when it ends; the lifecycle job acts on it on time. */
export async function convertTrial(db: OrdersDb, request: ConvertTrialRequest): Promise<ConvertTrialResponse> {
  validate(request);
  const operation = { requestId: request.requestId, operation: "ConvertTrial", fingerprint: fingerprint(request) };
  const product = await db.$transaction(async (tx) => {
    const product = await lockProduct(tx, request);
    if ((await earlierTarget(tx, operation)) === product.id) return product;
    if (!product.trial) throw OrderErrors.productNotTrial();
    if (product.status !== "ACTIVE") throw OrderErrors.productNotActive();
    await recordRequest(tx, { ...operation, targetId: product.id });
    return tx.product.update({ where: { id: product.id }, data: { conversionRequested: true } });
  });
  return { product: productToProto(product) };
}

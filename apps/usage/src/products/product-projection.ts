import type { Logger } from "@omnihall/bus";
import type { ProductSnapshot } from "@omnihall/proto/omnihall/orders/v1/events";
import { allowanceId } from "../buckets/allowance-grant.js";
import { isTimeZone } from "../buckets/calendar.js";
import type { UsageTx } from "../database.js";
import { SUBSCRIBER_ID } from "../records/check-record.js";

/**
 * Records a product the orders events describe, with its allowances, so usage can make its buckets. Activation
 * and deactivation carry the same snapshot and may arrive in either order: the end time only ever moves earlier
 * (PostgreSQL's LEAST ignores NULL), and allowances never change once recorded. `endTime` overrides the
 * snapshot's (a deactivation without one ends the product when it is handled).
 */
export async function recordProduct(
  tx: UsageTx,
  product: ProductSnapshot,
  options: { endTime?: Date; defaultTimeZone: string; log: Logger },
): Promise<void> {
  const problem = snapshotProblem(product);
  if (problem) {
    // Redelivering it would not make it valid: say so loudly and move on.
    options.log.error({ productId: product.productId, problem }, "product event ignored");
    return;
  }
  const timeZone = product.subscriberTimeZone || options.defaultTimeZone;
  const endTime = options.endTime ?? product.endTime ?? null;
  await tx.query(
    `INSERT INTO subscriber (id, time_zone) VALUES ($1, $2)
     ON CONFLICT (id) DO UPDATE SET time_zone = excluded.time_zone WHERE $3::boolean`,
    [product.subscriberId, timeZone, product.subscriberTimeZone !== ""],
  );
  await tx.query(
    `INSERT INTO product (id, subscriber_id, offering_code, offering_name_zh, offering_name_en, trial, start_time,
                          end_time)
     VALUES ($1, $2, $3, $4, $5, $6, $7::timestamptz, $8::timestamptz)
     ON CONFLICT (id) DO UPDATE SET end_time = LEAST(product.end_time, excluded.end_time), updated_at = now()`,
    [
      product.productId,
      product.subscriberId,
      product.offeringCode,
      product.offeringName?.zhCn ?? "",
      product.offeringName?.en ?? "",
      product.trial,
      product.startTime!.toISOString(),
      endTime?.toISOString() ?? null,
    ],
  );
  if (product.allowances.length === 0) return;
  await tx.query(
    `INSERT INTO allowance (id, product_id, subscriber_id, unit, quantity, recurrence, roaming_country_code)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::smallint[], $5::bigint[], $6::smallint[], $7::text[])
     ON CONFLICT DO NOTHING`,
    [
      product.allowances.map((_, i) => allowanceId(product.productId, i)),
      product.allowances.map(() => product.productId),
      product.allowances.map(() => product.subscriberId),
      product.allowances.map((a) => a.unit),
      product.allowances.map((a) => a.quantity.toString()),
      product.allowances.map((a) => a.recurrence),
      product.allowances.map((a) => a.roamingCountryCode),
    ],
  );
}

function snapshotProblem(product: ProductSnapshot): string | undefined {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(product.productId)) return "product_id missing or malformed";
  if (!SUBSCRIBER_ID.test(product.subscriberId)) return "subscriber_id malformed";
  if (!product.startTime) return "start_time missing";
  if (product.subscriberTimeZone && !isTimeZone(product.subscriberTimeZone)) return "subscriber_time_zone unknown";
  if (product.allowances.some((a) => a.quantity < 0n || a.unit === 0 || a.recurrence === 0)) {
    return "an allowance has no unit, no recurrence or a negative quantity";
  }
  return undefined;
}

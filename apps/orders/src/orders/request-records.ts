import type { Tx } from "../db.js";
import { OrderErrors } from "../errors.js";

/**
 * Idempotency for the mutating RPCs that act on an existing order or product (AIP-155): what an earlier request
 * with this id acted on, if any. Call it inside the transaction, after locking the target row, so a concurrent
 * retry sees the first request's record once that commits.
 */
export async function earlierTarget(
  tx: Tx,
  request: { requestId: string; operation: string; fingerprint: string },
): Promise<string | undefined> {
  const record = await tx.requestRecord.findUnique({ where: { requestId: request.requestId } });
  if (!record) return undefined;
  if (record.operation !== request.operation || record.fingerprint !== request.fingerprint) {
    throw OrderErrors.requestIdReused();
  }
  return record.targetId;
}

export async function recordRequest(
  tx: Tx,
  request: { requestId: string; operation: string; fingerprint: string; targetId: string },
): Promise<void> {
  await tx.requestRecord.create({ data: request });
}

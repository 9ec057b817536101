import { createHash } from "node:crypto";
import type { CatalogDb, CatalogTx } from "../db.js";
import { requestIdReused, requestIdRequired } from "../errors.js";
import { inTransaction } from "../db.js";

/** The encode/decode/toJSON part of a ts-proto message's functions. */
interface MessageCodec<T> {
  encode(message: T): { finish(): Uint8Array };
  decode(input: Uint8Array): T;
  toJSON(message: T): unknown;
}

export interface IdempotentCall<Request, Response> {
  /** The RPC's name; a request_id is only ever good for one RPC. */
  rpc: string;
  request: Request & { requestId: string };
  requestCodec: MessageCodec<Request>;
  responseCodec: MessageCodec<Response>;
}

/**
 * Runs a mutating RPC at most once per request_id (AIP-155). The request_id row is inserted first, in the same
 * transaction as the change: a concurrent retry blocks on its unique key until the first call commits (then
 * replays the stored response) or rolls back (then runs itself). Errors are not stored: a failed call changed
 * nothing, so its retry simply runs again. The same request_id with another request is REQUEST_ID_REUSED.
 */
export async function runOnce<Request, Response>(
  db: CatalogDb,
  call: IdempotentCall<Request, Response>,
  work: (tx: CatalogTx) => Promise<Response>,
): Promise<Response> {
  const requestId = call.request.requestId.trim();
  if (!requestId) throw requestIdRequired();
  const fingerprint = createHash("sha256")
    .update(call.rpc)
    .update(JSON.stringify(call.requestCodec.toJSON(call.request)))
    .digest("base64url");

  return inTransaction(db, async (tx) => {
    const claimed = await tx.$executeRaw`
      INSERT INTO request_log (request_id, rpc, fingerprint) VALUES (${requestId}, ${call.rpc}, ${fingerprint})
      ON CONFLICT (request_id) DO NOTHING`;
    if (claimed === 0) {
      const first = await tx.requestLog.findUniqueOrThrow({ where: { requestId } });
      if (first.fingerprint !== fingerprint || !first.response) throw requestIdReused();
      return call.responseCodec.decode(first.response);
    }
    const response = await work(tx);
    await tx.requestLog.update({
      where: { requestId },
      data: { response: Buffer.from(call.responseCodec.encode(response).finish()) },
    });
    return response;
  });
}

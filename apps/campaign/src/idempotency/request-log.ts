import { createHash } from "node:crypto";
import { inTransaction, type CampaignDb, type CampaignTx } from "../db.js";
import { requestIdRequired, requestIdReused } from "../errors.js";

/** The encode/decode/toJSON part of a ts-proto message's functions. */
interface MessageCodec<T> {
  encode(message: T): { finish(): Uint8Array };
  decode(input: Uint8Array): T;
  toJSON(message: T): unknown;
}

/**
 * Runs a mutating RPC at most once per request_id (AIP-155), in one transaction with its change: the request_id
 * row is claimed first, so a concurrent retry waits on its key and then replays the stored answer. Failed calls
 * store nothing (they changed nothing). The same request_id with another request is REQUEST_ID_REUSED.
 */
export async function runOnce<Request extends { requestId: string }, Response>(
  db: CampaignDb,
  rpc: string,
  request: Request,
  codecs: { request: MessageCodec<Request>; response: MessageCodec<Response> },
  work: (tx: CampaignTx) => Promise<Response>,
): Promise<{ response: Response; replayed: boolean }> {
  const requestId = request.requestId.trim();
  if (!requestId) throw requestIdRequired();
  const fingerprint = createHash("sha256")
    .update(rpc)
    .update(JSON.stringify(codecs.request.toJSON(request)))
    .digest("base64url");
  return inTransaction(db, async (tx) => {
    const claimed = await tx.$executeRaw`
      INSERT INTO request_log (request_id, rpc, fingerprint) VALUES (${requestId}, ${rpc}, ${fingerprint})
      ON CONFLICT (request_id) DO NOTHING`;
    if (claimed === 0) {
      const first = await tx.requestLog.findUniqueOrThrow({ where: { requestId } });
      if (first.fingerprint !== fingerprint || !first.response) throw requestIdReused();
      return { response: codecs.response.decode(first.response), replayed: true };
    }
    const response = await work(tx);
    await tx.requestLog.update({
      where: { requestId },
      data: { response: Buffer.from(codecs.response.encode(response).finish()) },
    });
    return { response, replayed: false };
  });
}

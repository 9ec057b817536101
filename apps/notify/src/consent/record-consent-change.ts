import { enqueue } from "@omnihall/bus";
import type { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { ConsentState, type Consent } from "@omnihall/proto/omnihall/notify/v1/notify";
import { ConsentChanged } from "./consent-events.js";
import type { NotifyDb } from "../db.js";
import { notifyError } from "../errors.js";
import { newId } from "@omnihall/ids";
import { requestHash } from "../request-hash.js";
import { waitForMarketingSubmits } from "../delivery/marketing-submits.js";
import { lockConsentExclusive } from "./consent-lock.js";
import { recentConsentRecords } from "./consent-state.js";
import { toProtoConsent } from "./consent-view.js";

export interface ConsentChange {
  requestId: string;
  subscriberId: string;
  action: "GRANT" | "OPT_OUT";
  channel: Channel;
  evidence: string;
}

/**
 * Appends one consent or opt-out record, once per request_id, and answers the consent after it. Takes the
 * subscriber's consent lock exclusively, so every later marketing consent check sees this record, and an opt-out
 * answers only after the marketing SMS that passed its check before it has been submitted and recorded.
 */
export async function recordConsentChange(db: NotifyDb, change: ConsentChange): Promise<Consent> {
  const hash = requestHash({ ...change });
  const consent = await db.$transaction(async (tx) => {
    await lockConsentExclusive(tx, change.subscriberId);
    const { count: created } = await tx.consentRecord.createMany({
      data: {
        id: newId("cns"),
        requestId: change.requestId,
        requestHash: hash,
        subscriberId: change.subscriberId,
        action: change.action,
        channel: change.channel,
        evidence: change.evidence,
      },
      skipDuplicates: true,
    });
    const stored = await tx.consentRecord.findUniqueOrThrow({ where: { requestId: change.requestId } });
    if (stored.requestHash !== hash) throw notifyError("REQUEST_ID_REUSED", { field: "request_id" });
    // The record and its event commit together: the campaign service's audiences stop counting an opted-out
    // subscriber (and its running waves stop handing them over) without ever reading this table.
    if (created === 1) {
      await enqueue(tx, ConsentChanged, {
        subscriberId: change.subscriberId,
        state: change.action === "GRANT" ? ConsentState.CONSENT_STATE_GRANTED : ConsentState.CONSENT_STATE_OPTED_OUT,
        sequence: stored.sequence,
        channel: change.channel,
        changeTime: stored.createdAt,
      });
    }
    return toProtoConsent(change.subscriberId, await recentConsentRecords(tx, change.subscriberId));
  });
  // Marketing that passed its consent check before this opt-out may be on its way to the SMSC: answer only once
  // it is recorded, so nothing follows the answer. Outside the transaction: the lock is not held meanwhile.
  if (change.action === "OPT_OUT") await waitForMarketingSubmits(db, change.subscriberId);
  return consent;
}

import type { NotifyTx } from "../db.js";
import type { ConsentRecord } from "../generated/prisma/client.js";

export type ConsentStateName = "NONE" | "GRANTED" | "OPTED_OUT";

/** Records kept in a Consent answer: enough to show recent history, the full record stays in the table. */
export const CONSENT_HISTORY_LIMIT = 20;

/** The subscriber's newest consent records, newest first. */
export function recentConsentRecords(tx: NotifyTx, subscriberId: string, take = CONSENT_HISTORY_LIMIT) {
  return tx.consentRecord.findMany({ where: { subscriberId }, orderBy: { sequence: "desc" }, take });
}

/** The state the newest record leaves the subscriber in. */
export function consentStateOf(newest: ConsentRecord | undefined): ConsentStateName {
  if (!newest) return "NONE";
  return newest.action === "GRANT" ? "GRANTED" : "OPTED_OUT";
}

/** Whether marketing may be sent to the subscriber now. */
export async function currentConsentState(tx: NotifyTx, subscriberId: string): Promise<ConsentStateName> {
  const [newest] = await recentConsentRecords(tx, subscriberId, 1);
  return consentStateOf(newest);
}

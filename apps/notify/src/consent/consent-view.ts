import type { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { ConsentAction, ConsentState, type Consent } from "@omnihall/proto/omnihall/notify/v1/notify";
import type { ConsentRecord } from "../generated/prisma/client.js";
import { consentStateOf } from "./consent-state.js";

const STATE_TO_PROTO = {
  NONE: ConsentState.CONSENT_STATE_NONE,
  GRANTED: ConsentState.CONSENT_STATE_GRANTED,
  OPTED_OUT: ConsentState.CONSENT_STATE_OPTED_OUT,
} as const;

/** The contract's view of a subscriber's consent from their newest records (newest first). */
export function toProtoConsent(subscriberId: string, records: readonly ConsentRecord[]): Consent {
  return {
    subscriberId,
    state: STATE_TO_PROTO[consentStateOf(records[0])],
    records: records.map((record) => ({
      consentRecordId: record.id,
      subscriberId: record.subscriberId,
      action: record.action === "GRANT" ? ConsentAction.CONSENT_ACTION_GRANT : ConsentAction.CONSENT_ACTION_OPT_OUT,
      channel: record.channel as Channel,
      evidence: record.evidence,
      createTime: record.createdAt,
    })),
  };
}

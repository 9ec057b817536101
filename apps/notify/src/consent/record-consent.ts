import type { CallContext } from "@omnihall/service-kit";
import type { RecordConsentRequest, RecordConsentResponse } from "@omnihall/proto/omnihall/notify/v1/notify";
import type { NotifyDeps } from "../service-deps.js";
import { checkEvidence, requireChannel, requireRequestId, requireSubscriberId } from "../validation.js";
import { recordConsentChange } from "./record-consent-change.js";

/** RecordConsent: the subscriber agrees to marketing, with the evidence kept. */
export function recordConsent({ db }: Pick<NotifyDeps, "db">) {
  return async (request: RecordConsentRequest, ctx: CallContext): Promise<RecordConsentResponse> => {
    const consent = await recordConsentChange(db, {
      requestId: requireRequestId(request.requestId),
      subscriberId: requireSubscriberId(request.subscriberId),
      action: "GRANT",
      channel: requireChannel(request.channel),
      evidence: checkEvidence(request.evidence, true),
    });
    ctx.log.info({ subscriberId: request.subscriberId, channel: request.channel }, "marketing consent recorded");
    return { consent };
  };
}

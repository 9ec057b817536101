import type { CallContext } from "@omnihall/service-kit";
import type { OptOutRequest, OptOutResponse } from "@omnihall/proto/omnihall/notify/v1/notify";
import { notifyError } from "../errors.js";
import type { NotifyDeps } from "../service-deps.js";
import { checkEvidence, requireChannel, requireRequestId, requireSubscriberId } from "../validation.js";
import { recordConsentChange } from "./record-consent-change.js";

/**
 * OptOut from any hall ("TD" to the SMS hall arrives by number). Marketing already queued for the subscriber is
 * stopped by the dispatcher's consent check at send time, so nothing needs cancelling here.
 */
export function optOut({ db, recipients }: Pick<NotifyDeps, "db" | "recipients">) {
  return async (request: OptOutRequest, ctx: CallContext): Promise<OptOutResponse> => {
    const requestId = requireRequestId(request.requestId);
    const channel = requireChannel(request.channel);
    const evidence = checkEvidence(request.evidence, false);
    let subscriberId: string;
    if (request.subscriberId !== undefined) {
      subscriberId = requireSubscriberId(request.subscriberId);
    } else if (request.msisdn !== undefined) {
      subscriberId = (await recipients.byMsisdn(request.msisdn, ctx.requestId)).subscriberId;
    } else {
      throw notifyError("LOOKUP_REQUIRED", { field: "lookup" });
    }
    const consent = await recordConsentChange(db, { requestId, subscriberId, action: "OPT_OUT", channel, evidence });
    ctx.log.info({ subscriberId, channel }, "opted out of marketing");
    return { consent };
  };
}

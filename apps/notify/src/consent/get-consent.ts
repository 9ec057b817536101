import type { GetConsentRequest, GetConsentResponse } from "@omnihall/proto/omnihall/notify/v1/notify";
import type { NotifyDeps } from "../service-deps.js";
import { requireSubscriberId } from "../validation.js";
import { recentConsentRecords } from "./consent-state.js";
import { toProtoConsent } from "./consent-view.js";

/** GetConsent: the state now and the recent records behind it. */
export function getConsent({ db }: Pick<NotifyDeps, "db">) {
  return async (request: GetConsentRequest): Promise<GetConsentResponse> => {
    const subscriberId = requireSubscriberId(request.subscriberId);
    const records = await recentConsentRecords(db, subscriberId);
    return { consent: toProtoConsent(subscriberId, records) };
  };
}

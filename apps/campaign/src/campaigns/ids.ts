import { hasIdShape, newId } from "@omnihall/ids";

/** Campaign ("cmp_") and audit entry ("aud_") ids. */
export const ids = {
  newCampaignId: () => newId("cmp"),
  newAuditId: () => newId("aud"),
  isCampaignId: (id: string) => hasIdShape(id, "cmp"),
};

import type { AccountOpeningServiceService } from "@omnihall/proto/omnihall/orders/v1/account_opening";
import type { CallPolicy } from "@omnihall/service-kit";

/** Who may call AccountOpeningService (deny by default). */
export const accountOpeningPolicy: CallPolicy<typeof AccountOpeningServiceService> = {
  // Accounts are opened face to face, where an ID card can be seen: a field agent's handheld.
  openAccount: { callers: ["mini-hall", "platform"] },
  // The agent's day, and operations staff checking an opening of their province.
  getAccountOpening: { callers: ["mini-hall", "ops-console", "platform"] },
  listAccountOpenings: { callers: ["mini-hall", "ops-console", "platform"] },
};

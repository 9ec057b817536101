import { AccountOpeningServiceService } from "@omnihall/proto/omnihall/orders/v1/account_opening";
import type { ServiceRegistration } from "@omnihall/service-kit";
import { accountOpeningPolicy } from "./account-opening-policy.js";
import { openAccount } from "./open-account.js";
import type { OpeningContext } from "./opening-context.js";
import { getAccountOpening, listAccountOpenings } from "./query-openings.js";

/** omnihall.orders.v1.AccountOpeningService. */
export function accountOpeningService(ctx: OpeningContext): ServiceRegistration<typeof AccountOpeningServiceService> {
  return {
    definition: AccountOpeningServiceService,
    policy: accountOpeningPolicy,
    handlers: {
      openAccount: (request, call) => openAccount(ctx, request, call),
      getAccountOpening: (request, call) => getAccountOpening(ctx.db, request, call),
      listAccountOpenings: (request, call) => listAccountOpenings(ctx.db, request, call),
    },
  };
}

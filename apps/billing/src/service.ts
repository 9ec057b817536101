import { BillingServiceService } from "@omnihall/proto/omnihall/billing/v1/billing";
import type { ServiceHandlers } from "@omnihall/service-kit";
import { getBalance } from "./accounts/get-balance.js";
import { getBill } from "./bills/get-bill.js";
import { listBills } from "./bills/list-bills.js";
import { createCharge } from "./charges/create-charge.js";
import { listCharges } from "./charges/list-charges.js";
import { refundCharge } from "./charges/refund-charge.js";
import type { BillingConfig } from "./config.js";
import type { BillingDb } from "./db.js";
import { listPayments } from "./payments/list-payments.js";
import { topUp } from "./payments/top-up.js";

/** BillingService: one handler per RPC, each in its own file. */
export function billingHandlers(db: BillingDb, config: BillingConfig): ServiceHandlers<typeof BillingServiceService> {
  return {
    getBalance: (request) => getBalance(db, request),
    topUp: (request, ctx) => topUp(db, config, request, ctx),
    listPayments: (request) => listPayments(db, request),
    listBills: (request) => listBills(db, request),
    getBill: (request) => getBill(db, request),
    createCharge: (request, ctx) => createCharge(db, config, request, ctx),
    refundCharge: (request, ctx) => refundCharge(db, request, ctx),
    listCharges: (request) => listCharges(db, request),
  };
}

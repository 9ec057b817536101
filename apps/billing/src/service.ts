import { BillingServiceService } from "@omnihall/proto/omnihall/billing/v1/billing";
import { assertOperatorRole, batchOf, type Handler, type ServiceHandlers } from "@omnihall/service-kit";
import { getBalance } from "./accounts/get-balance.js";
import { inScope, type WhereaboutsOf } from "./access/subscriber-scope.js";
import { getBillDocument } from "./bills/bill-document.js";
import { getBill } from "./bills/get-bill.js";
import { listBills } from "./bills/list-bills.js";
import { createCharge } from "./charges/create-charge.js";
import { listCharges } from "./charges/list-charges.js";
import { refundCharge } from "./charges/refund-charge.js";
import type { BillingConfig } from "./config.js";
import type { BillingDb } from "./db.js";
import { cancelPayment } from "./payments/cancel-payment.js";
import { closeCashSession, recordCashNote } from "./payments/cash-session.js";
import { createPayment } from "./payments/create-payment.js";
import { getPayment } from "./payments/get-payment.js";
import { listPayments } from "./payments/list-payments.js";
import type { PaymentsDeps } from "./payments/payments-deps.js";
import { reconcilePayments } from "./payments/reconcile-payments.js";
import { refundPayment } from "./payments/refund-payment.js";
import { topUp } from "./payments/top-up.js";

/**
 * BillingService: one handler per RPC, each in its own file. Every RPC about a subscriber first narrows the
 * request to the subscriber the acting party may act on (`inScope`), so no handler trusts a hall's subscriber_id.
 */
export function billingHandlers(
  db: BillingDb,
  config: BillingConfig,
  whereabouts: WhereaboutsOf,
  payments: PaymentsDeps,
): ServiceHandlers<typeof BillingServiceService> {
  const balance: Handler<typeof BillingServiceService.getBalance> = async (request, ctx) =>
    getBalance(db, await inScope(request, ctx, whereabouts));
  return {
    getBalance: balance,
    batchGetBalances: batchOf(balance),
    topUp: async (request, ctx) => topUp(db, config, await inScope(request, ctx, whereabouts), ctx),
    listPayments: async (request, ctx) => listPayments(db, await inScope(request, ctx, whereabouts)),
    listBills: async (request, ctx) => listBills(db, await inScope(request, ctx, whereabouts)),
    getBill: async (request, ctx) => getBill(db, await inScope(request, ctx, whereabouts)),
    getBillDocument: async (request, ctx) => getBillDocument(db, await inScope(request, ctx, whereabouts)),
    createCharge: async (request, ctx) => createCharge(db, config, await inScope(request, ctx, whereabouts), ctx),
    refundCharge: (request, ctx) => refundCharge(db, request, ctx),
    listCharges: async (request, ctx) => listCharges(db, await inScope(request, ctx, whereabouts)),
    createPayment: async (request, ctx) => createPayment(payments, await inScope(request, ctx, whereabouts), ctx),
    getPayment: async (request, ctx) => getPayment(db, await inScope(request, ctx, whereabouts)),
    cancelPayment: async (request, ctx) => cancelPayment(payments, await inScope(request, ctx, whereabouts), ctx),
    refundPayment: async (request, ctx) => {
      assertOperatorRole(ctx, "support", "approver");
      return refundPayment(payments, await inScope(request, ctx, whereabouts), ctx);
    },
    recordCashNote: async (request, ctx) => recordCashNote(payments, await inScope(request, ctx, whereabouts), ctx),
    closeCashSession: async (request, ctx) => closeCashSession(payments, await inScope(request, ctx, whereabouts), ctx),
    reconcilePayments: (request, ctx) => {
      assertOperatorRole(ctx, "support", "approver", "viewer");
      return reconcilePayments(payments, request, ctx);
    },
  };
}

import type { BillingServiceService } from "@omnihall/proto/omnihall/billing/v1/billing";
import type { PointsServiceService } from "@omnihall/proto/omnihall/billing/v1/points";
import { HALLS, SUBSCRIBER_HALLS, type CallPolicy } from "@omnihall/service-kit";

/**
 * Who may call which billing RPC (deny by default). Halls read what their person may see; money moves only on
 * the word of whoever holds it: charges only from the order saga.
 */
export const billingPolicy: CallPolicy<typeof BillingServiceService> = {
  getBalance: { callers: [...HALLS, "orders", "campaigns", "notify"] },
  // The SMS hall answers "CXYE" for every texter: batched, under load, from the texts in flight.
  batchGetBalances: { callers: ["sms-hall"] },
  // A credit on the caller's word: only the platform's own tools. Halls take money through CreatePayment, which
  // credits nothing until whoever holds the money confirms it.
  topUp: { callers: ["platform"] },
  listPayments: { callers: [...HALLS, "orders"] },
  listBills: { callers: HALLS },
  getBill: { callers: HALLS },
  getBillDocument: { callers: HALLS },
  // No hall can charge or refund a charge: only the order saga, for an order the subscriber confirmed.
  createCharge: { callers: ["orders"] },
  refundCharge: { callers: ["orders"] },
  listCharges: { callers: [...HALLS, "orders"] },
  // Money in: the halls that take it (billing decides which methods each may take) and the order saga.
  createPayment: { callers: [...SUBSCRIBER_HALLS, "orders"] },
  getPayment: { callers: [...HALLS, "orders"] },
  cancelPayment: { callers: [...SUBSCRIBER_HALLS, "orders"] },
  // Money back: operations staff (support, inside their province) and the order saga's compensation.
  refundPayment: { callers: ["ops-console", "orders"] },
  // The kiosk's cash acceptor (and a field agent counting cash on the handheld).
  recordCashNote: { callers: ["kiosk", "mini-hall"] },
  closeCashSession: { callers: ["kiosk", "mini-hall"] },
  // The daily comparison with the gateways' statements: back office.
  reconcilePayments: { callers: ["ops-console", "platform"] },
};

/** Who may call which points RPC. Delivery updates come from operations' back office, never a hall. */
export const pointsPolicy: CallPolicy<typeof PointsServiceService> = {
  getPointsBalance: { callers: [...HALLS, "campaigns", "notify"] },
  listPointsTransactions: { callers: HALLS },
  // The points catalog is public: a hall may show it before anyone logged in.
  listRewards: { callers: [...HALLS, "campaigns"], anonymous: true },
  redeemReward: { callers: SUBSCRIBER_HALLS },
  getRedemption: { callers: HALLS },
  listRedemptions: { callers: HALLS },
  updateRedemptionStatus: { callers: ["platform"] },
};

import type { OrderServiceService } from "@omnihall/proto/omnihall/orders/v1/orders";
import { HALLS, SUBSCRIBER_HALLS, type CallPolicy } from "@omnihall/service-kit";

/**
 * Who may call what on the order engine (deny by default; the kit enforces it before a handler runs). Every
 * RPC is about one subscriber: the handlers hold a hall to the party it acts for (`subscriberInScope`).
 */
export const ordersPolicy: CallPolicy<typeof OrderServiceService> = {
  // Subscribers order in their halls (a field agent for them, on the mini hall); campaigns offer on their own
  // (the subscriber confirms by text). Operations staff do not order for people.
  createOrder: { callers: [...SUBSCRIBER_HALLS, "campaigns", "platform"] },
  // Only where the subscriber is (or the agent holding the code they were sent): the confirmation is their consent.
  confirmOrder: { callers: [...SUBSCRIBER_HALLS, "platform"] },
  // Support staff may cancel or end things a subscriber asks them to on the phone.
  cancelOrder: { callers: [...HALLS, "platform"] },
  getOrder: { callers: [...HALLS, "platform"] },
  listOrders: { callers: [...HALLS, "platform"] },
  // Campaigns target by what subscribers hold.
  listProducts: { callers: [...HALLS, "campaigns", "platform"] },
  unsubscribe: { callers: [...HALLS, "platform"] },
  convertTrial: { callers: [...SUBSCRIBER_HALLS, "platform"] },
};

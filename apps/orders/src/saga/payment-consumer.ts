import { consume, type EventBus, type EventConsumer, type Logger } from "@omnihall/bus";
import { PaymentPurpose } from "@omnihall/proto/omnihall/billing/v1/billing";
import type { OrdersDb } from "../db.js";
import { PaymentSucceeded } from "../events.js";

/**
 * Orders paid for through billing (CreatePayment with purpose ORDER) go on once the money is in: the order HELD
 * awaiting payment has its charge step made due now (durable `orders--paid-orders`). The payment credited the
 * balance, so the charge that follows takes it; a payment that arrives before the order is confirmed simply
 * sits on the balance. Redelivery only makes a due step due again.
 */
export function consumePayments(
  bus: EventBus,
  db: OrdersDb,
  options: { logger: Logger; wakeSaga: () => void },
): Promise<EventConsumer> {
  return consume(bus, {
    durable: "orders--paid-orders",
    events: [PaymentSucceeded],
    db,
    logger: options.logger,
    handler: async (event, { tx, log }) => {
      const payment = event.message.payment;
      if (payment?.purpose !== PaymentPurpose.PAYMENT_PURPOSE_ORDER || payment.orderId === "") return;
      const { count } = await tx.order.updateMany({
        where: { id: payment.orderId, subscriberId: payment.subscriberId, state: "HELD", sagaStep: "CHARGE" },
        data: { sagaDueAt: new Date() },
      });
      log.info({ orderId: payment.orderId, paymentId: payment.paymentId, resumed: count > 0 }, "order payment arrived");
      // The worker may look before this transaction commits and find nothing due; its next poll does.
      if (count > 0) options.wakeSaga();
    },
  });
}

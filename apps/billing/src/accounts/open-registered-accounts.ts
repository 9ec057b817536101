import { consume, defineEvent, type EventBus, type EventConsumer, type Logger } from "@omnihall/bus";
import { SubscriberRegisteredEvent } from "@omnihall/proto/omnihall/customer/v1/events";
import type { BillingDb } from "../db.js";

/** The customer service's fact that an account opening created a subscriber. */
export const SubscriberRegistered = defineEvent("customer.subscriber.registered", SubscriberRegisteredEvent);

/**
 * A subscriber created by an account opening gets a prepaid account with nothing on it (durable
 * `billing--registered-subscribers`), so the new number can be topped up (cash, card) and buy packs at once.
 * Applied once per event; an account that already exists is left as it is.
 */
export function openRegisteredAccounts(bus: EventBus, db: BillingDb, logger: Logger): Promise<EventConsumer> {
  return consume(bus, {
    durable: "billing--registered-subscribers",
    events: [SubscriberRegistered],
    deliverFrom: "all",
    db,
    logger,
    handler: async (event, { tx, log }) => {
      const { subscriberId } = event.message;
      if (subscriberId === "") return;
      const { count } = await tx.account.createMany({ data: [{ subscriberId, balanceFen: 0n }], skipDuplicates: true });
      log.info({ subscriberId, opened: count > 0 }, "account for a registered subscriber");
    },
  });
}

import { consume, type EventBus, type EventConsumer, type Logger } from "@omnihall/bus";
import type { UsageDb } from "../database.js";
import { ProductActivated, ProductDeactivated } from "../events.js";
import { recordProduct } from "./product-projection.js";

/** Keeps usage's product projection in step with the orders events (durable `usage--product-buckets`). */
export function consumeProductEvents(
  bus: EventBus,
  db: UsageDb,
  options: { logger: Logger; defaultTimeZone: string },
): Promise<EventConsumer> {
  return consume(bus, {
    durable: "usage--product-buckets",
    events: [ProductActivated, ProductDeactivated],
    db,
    logger: options.logger,
    handler: async (event, { tx, log }) => {
      const product = event.message.product;
      if (!product) return log.error({}, "product event without a product ignored");
      const endTime = event.subject === ProductDeactivated.subject ? (product.endTime ?? new Date()) : undefined;
      await recordProduct(tx, product, { endTime, defaultTimeZone: options.defaultTimeZone, log });
    },
  });
}

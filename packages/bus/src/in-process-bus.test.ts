import { onTestFinished } from "vitest";
import { describeEventBusContract } from "./event-bus.contract.js";
import { InProcessBus } from "./in-process-bus.js";
import { captureLogger } from "./testing/capture-logger.js";

describeEventBusContract("InProcessBus", async (_domains, options) => {
  const bus = new InProcessBus({ logger: captureLogger(), duplicateWindowMs: options?.duplicateWindowMs });
  onTestFinished(() => bus.close());
  return bus;
});

import { connect, nanos } from "@nats-io/transport-node";
import { uniqueSuffix } from "@omnihall/testkit";
import { describe, expect, inject, it } from "vitest";
import { describeEventBusContract } from "./event-bus.contract.js";
import { JetStreamBus } from "./jetstream-bus.js";
import { captureLogger } from "./testing/capture-logger.js";
import { streamInfo, testJetStreamBus } from "./testing/jetstream.js";

describeEventBusContract("JetStreamBus", (domains, options) => testJetStreamBus(domains, options));

describe("JetStreamBus streams", () => {
  const payload = new Uint8Array([1]);

  it("creates a domain's stream on first use with the configured windows, and brings it up to date", async () => {
    const domain = `t${uniqueSuffix()}`;
    const subject = `${domain}.payment.completed`;
    const first = await testJetStreamBus([domain], { duplicateWindowMs: 30_000, maxAgeMs: 3_600_000 });
    await first.publish(subject, payload, { msgId: "evt_1" });
    expect((await streamInfo(domain)).config).toMatchObject({
      name: domain.toUpperCase(),
      subjects: [`${domain}.>`],
      num_replicas: 1,
      duplicate_window: nanos(30_000),
      max_age: nanos(3_600_000),
    });

    const second = await testJetStreamBus([domain], { duplicateWindowMs: 60_000, maxAgeMs: 3_600_000 });
    await second.publish(subject, payload, { msgId: "evt_2" });
    const info = await streamInfo(domain);
    expect(info.config.duplicate_window).toBe(nanos(60_000));
    expect(info.state.messages).toBe(2);
  });

  it("passes the replica count to the server, which refuses more than it can hold", async () => {
    const domain = `t${uniqueSuffix()}`;
    const bus = await testJetStreamBus([domain], { replicas: 3 });
    await expect(bus.publish(`${domain}.payment.completed`, payload, { msgId: "evt_1" })).rejects.toThrow(/replica/i);
  });

  it("leaves a connection it was given open when it closes", async () => {
    const nc = await connect({ servers: inject("natsUrl") });
    try {
      const bus = await JetStreamBus.over(nc, { logger: captureLogger() });
      await bus.close();
      expect(nc.isClosed()).toBe(false);
    } finally {
      await nc.close();
    }
  });
});

import { randomInt } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { consume, JetStreamBus } from "@omnihall/bus";
import { uniqueSuffix } from "@omnihall/testkit";
import type { LoginCodeIssuedEvent } from "@omnihall/proto/omnihall/customer/v1/events";
import { developmentSealingKeys, open } from "@omnihall/sealed-box";
import { captureLogs } from "@omnihall/service-kit/testing";
import { describe, expect, inject, it, onTestFinished } from "vitest";
import { startCustomerHarness } from "../testing/customer-harness.js";
import { loginCalls } from "../testing/login-calls.js";
import { LoginCodeIssued } from "./login-events.js";

async function until(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await sleep(50);
  }
}

describe("LoginCodeIssued", () => {
  it("reaches a JetStream consumer exactly once, also when StartLogin is retried", async () => {
    const { logger } = captureLogs("login-events-test");
    const bus = await JetStreamBus.connect({ url: inject("natsUrl"), name: "customer-test", logger });
    onTestFinished(() => bus.close());
    const harness = await startCustomerHarness({ bus });
    // The CUSTOMER stream is shared with tests running in parallel: a number of our own tells our events apart.
    const { msisdn } = await harness.addSubscriber({ msisdn: `199${String(randomInt(0, 1e8)).padStart(8, "0")}` });

    const received: LoginCodeIssuedEvent[] = [];
    const consumer = await consume(bus, {
      durable: `customer-test--login-codes-${uniqueSuffix()}`,
      events: [LoginCodeIssued],
      deliverFrom: "new",
      db: harness.db,
      logger,
      handler: async ({ message }) => {
        if (message.msisdn === msisdn) received.push(message);
      },
    });
    onTestFinished(() => consumer.stop());

    const login = loginCalls(harness);
    const first = await login.start(msisdn, "retried-request");
    await login.start(msisdn, "retried-request");
    await until(() => received.length > 0);
    await sleep(1_000); // room for a duplicate to show up, should there be one

    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ msisdn, code: "", expireTime: first.expireTime });
    const sealedFor = `customer.login_code.issued:${msisdn}`;
    const code = open(developmentSealingKeys("notify").privateKey, received[0]!.sealedCode, sealedFor).toString();
    expect(code).toBe(harness.lastLoggedCode(msisdn));
    const published = await harness.db.outboxMessage.findFirstOrThrow();
    expect(published.publishedAt).not.toBeNull();
  });
});

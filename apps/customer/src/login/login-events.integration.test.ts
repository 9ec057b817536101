import { randomInt } from "node:crypto";
import { consume, JetStreamBus } from "@omnihall/bus";
import { consumerCaughtUp } from "@omnihall/bus/testing";
import { uniqueSuffix, waitFor } from "@omnihall/testkit";
import type { LoginCodeIssuedEvent } from "@omnihall/proto/omnihall/customer/v1/events";
import { developmentSealingKeys, open } from "@omnihall/sealed-box";
import { captureLogs } from "@omnihall/service-kit/testing";
import { describe, expect, inject, it, onTestFinished } from "vitest";
import { startCustomerHarness } from "../testing/customer-harness.js";
import { loginCalls } from "../testing/login-calls.js";
import { LoginCodeIssued } from "./login-events.js";

describe("LoginCodeIssued", () => {
  it("reaches a JetStream consumer exactly once, also when StartLogin is retried", async () => {
    const { logger } = captureLogs("login-events-test");
    const bus = await JetStreamBus.connect({ url: inject("natsUrl"), name: "customer-test", logger });
    onTestFinished(() => bus.close());
    const harness = await startCustomerHarness({ bus });
    // The CUSTOMER stream is shared with tests running in parallel: a number of our own tells our events apart.
    const { msisdn } = await harness.addSubscriber({ msisdn: `199${String(randomInt(0, 1e8)).padStart(8, "0")}` });

    const received: LoginCodeIssuedEvent[] = [];
    const durable = `customer-test--login-codes-${uniqueSuffix()}`;
    const consumer = await consume(bus, {
      durable,
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
    await waitFor("the login code event", () => received.length > 0, { timeoutMs: 15_000 });
    // Every event written is published and the consumer has handled all it was given: a duplicate would be here.
    await waitFor(
      "the outbox to be published",
      async () => (await harness.db.outboxMessage.count({ where: { publishedAt: null } })) === 0,
    );
    await waitFor("the consumer to catch up", () => consumerCaughtUp([LoginCodeIssued.domain], durable));

    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ msisdn, code: "", expireTime: first.expireTime });
    const sealedFor = `customer.login_code.issued:${msisdn}`;
    const code = open(developmentSealingKeys("notify").privateKey, received[0]!.sealedCode, sealedFor).toString();
    expect(code).toBe(harness.lastLoggedCode(msisdn));
    const published = await harness.db.outboxMessage.findFirstOrThrow();
    expect(published.publishedAt).not.toBeNull();
  });
});

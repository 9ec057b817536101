import { setTimeout as sleep } from "node:timers/promises";
import { uniqueSuffix } from "@omnihall/testkit";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import type { Delivery, EventBus, SubscribeOptions } from "./event-bus.js";

export interface ContractBusOptions {
  duplicateWindowMs?: number;
}

/** Opens a bus for one test; the opener closes it (and removes the test's streams) when the test finishes. */
export type OpenBus = (domains: string[], options?: ContractBusOptions) => Promise<EventBus>;

const text = (value: string) => new TextEncoder().encode(value);
const read = (delivery: Delivery) => new TextDecoder().decode(delivery.payload);

/** Subscribes and records every delivery, settling each with `settle` (ack by default). */
async function record(
  bus: EventBus,
  options: SubscribeOptions,
  settle: (delivery: Delivery, index: number) => void | Promise<void> = (delivery) => delivery.ack(),
) {
  const deliveries: Delivery[] = [];
  const subscription = await bus.subscribe(options, async (delivery) => {
    deliveries.push(delivery);
    await settle(delivery, deliveries.length - 1);
  });
  onTestFinished(() => subscription.stop());
  return { deliveries, subscription, payloads: () => deliveries.map(read) };
}

const until = (check: () => void, timeout = 5_000) => vi.waitFor(check, { timeout, interval: 20 });

/**
 * The promises every EventBus keeps, run against each implementation so the in-process bus a developer runs
 * on one machine behaves like JetStream in production.
 */
export function describeEventBusContract(name: string, openBus: OpenBus): void {
  describe(`${name} keeps the EventBus contract`, () => {
    function newDomain(): string {
      return `t${uniqueSuffix()}`;
    }

    it("delivers a message with its subject, payload, headers and msgId, and not again once acked", async () => {
      const domain = newDomain();
      const bus = await openBus([domain]);
      const subject = `${domain}.payment.completed`;
      const published = await bus.publish(subject, text("paid 100 fen"), {
        msgId: "evt_1",
        headers: { "omnihall-request-id": "req-42" },
      });
      expect(published).toMatchObject({ stream: domain.toUpperCase(), duplicate: false });

      const { deliveries } = await record(bus, { durable: "test--receive", subjects: [subject], ackWaitMs: 300 });
      await until(() => expect(deliveries).toHaveLength(1));
      expect(deliveries[0]).toMatchObject({
        subject,
        headers: { "omnihall-request-id": "req-42" },
        msgId: "evt_1",
        seq: published.seq,
        deliveryCount: 1,
      });
      expect(read(deliveries[0]!)).toBe("paid 100 fen");
      await sleep(800);
      expect(deliveries).toHaveLength(1);
    });

    it("drops a message whose msgId it saw inside the duplicate window, and stores it again after", async () => {
      const domain = newDomain();
      const bus = await openBus([domain], { duplicateWindowMs: 1_000 });
      const subject = `${domain}.payment.completed`;
      const first = await bus.publish(subject, text("first"), { msgId: "evt_same" });
      const again = await bus.publish(subject, text("again"), { msgId: "evt_same" });
      expect(again).toEqual({ stream: first.stream, seq: first.seq, duplicate: true });

      const { payloads } = await record(bus, { durable: "test--dedupe", subjects: [subject] });
      await until(() => expect(payloads()).toEqual(["first"]));
      await until(async () => {
        expect((await bus.publish(subject, text("later"), { msgId: "evt_same" })).duplicate).toBe(false);
      }, 10_000);
      await until(() => expect(payloads()).toEqual(["first", "later"]));
    });

    it("delivers in publish order", async () => {
      const domain = newDomain();
      const bus = await openBus([domain]);
      const subject = `${domain}.usage.recorded`;
      const sent = Array.from({ length: 30 }, (_, i) => `m${i}`);
      for (const payload of sent) await bus.publish(subject, text(payload), { msgId: `evt_${payload}` });
      const { payloads } = await record(bus, { durable: "test--order", subjects: [subject] });
      await until(() => expect(payloads()).toEqual(sent));
    });

    it("keeps a durable consumer's place across stop and resubscribe", async () => {
      const domain = newDomain();
      const bus = await openBus([domain]);
      const subject = `${domain}.order.completed`;
      const options = { durable: "test--resume", subjects: [subject] };
      const before = await record(bus, options);
      await bus.publish(subject, text("one"), { msgId: "evt_1" });
      await until(() => expect(before.payloads()).toEqual(["one"]));
      await before.subscription.stop();

      await bus.publish(subject, text("two"), { msgId: "evt_2" });
      const after = await record(bus, options);
      // A later message as the sentinel: delivery is in stream order, so "one" again would come before "three".
      await bus.publish(subject, text("three"), { msgId: "evt_3" });
      await until(() => expect(after.payloads()).toEqual(["two", "three"]));
    });

    it("starts a new durable at new messages only when asked", async () => {
      const domain = newDomain();
      const bus = await openBus([domain]);
      const subject = `${domain}.order.completed`;
      await bus.publish(subject, text("old"), { msgId: "evt_old" });
      const fromAll = await record(bus, { durable: "test--all", subjects: [subject] });
      const fromNew = await record(bus, { durable: "test--new", subjects: [subject], deliverFrom: "new" });
      await bus.publish(subject, text("fresh"), { msgId: "evt_fresh" });
      await until(() => expect(fromAll.payloads()).toEqual(["old", "fresh"]));
      await until(() => expect(fromNew.payloads()).toEqual(["fresh"]));
    });

    it("redelivers after a nak's delay, counting deliveries", async () => {
      const domain = newDomain();
      const bus = await openBus([domain]);
      const subject = `${domain}.payment.completed`;
      const seenAt: number[] = [];
      const { deliveries } = await record(bus, { durable: "test--nak", subjects: [subject] }, (delivery, index) => {
        seenAt.push(Date.now());
        if (index === 0) delivery.nak(500);
        else delivery.ack();
      });
      await bus.publish(subject, text("retry me"), { msgId: "evt_1" });
      await until(() => expect(deliveries).toHaveLength(2));
      expect(deliveries.map((delivery) => delivery.deliveryCount)).toEqual([1, 2]);
      expect(seenAt[1]! - seenAt[0]!).toBeGreaterThanOrEqual(400);
      await sleep(300);
      expect(deliveries).toHaveLength(2);
    });

    it("redelivers a delivery left unsettled once ack wait passes", async () => {
      const domain = newDomain();
      const bus = await openBus([domain]);
      const subject = `${domain}.payment.completed`;
      const { deliveries } = await record(
        bus,
        { durable: "test--ackwait", subjects: [subject], ackWaitMs: 500 },
        (delivery, index) => {
          if (index > 0) delivery.ack();
        },
      );
      await bus.publish(subject, text("forgotten"), { msgId: "evt_1" });
      await until(() => expect(deliveries).toHaveLength(2));
      expect(deliveries[1]).toMatchObject({ msgId: "evt_1", deliveryCount: 2 });
    });

    it("redelivers when the handler throws instead of settling", async () => {
      const domain = newDomain();
      const bus = await openBus([domain]);
      const subject = `${domain}.payment.completed`;
      const { deliveries } = await record(bus, { durable: "test--throws", subjects: [subject] }, (delivery, index) => {
        if (index === 0) throw new Error("handler bug");
        delivery.ack();
      });
      await bus.publish(subject, text("x"), { msgId: "evt_1" });
      await until(() => expect(deliveries.map((delivery) => delivery.deliveryCount)).toEqual([1, 2]));
    });

    it("never redelivers a terminated message, nor one past maxDeliver", async () => {
      const domain = newDomain();
      const bus = await openBus([domain]);
      const subject = `${domain}.payment.completed`;
      const { payloads } = await record(
        bus,
        { durable: "test--giveup", subjects: [subject], maxDeliver: 2, ackWaitMs: 300 },
        (delivery) => {
          const payload = read(delivery);
          if (payload === "poison") delivery.term();
          else if (payload === "flaky") delivery.nak();
          else delivery.ack();
        },
      );
      await bus.publish(subject, text("poison"), { msgId: "evt_1" });
      await bus.publish(subject, text("flaky"), { msgId: "evt_2" });
      await bus.publish(subject, text("fine"), { msgId: "evt_3" });
      await until(() => expect(payloads()).toContain("fine"));
      await sleep(1_000);
      expect(payloads().filter((payload) => payload === "poison")).toHaveLength(1);
      expect(payloads().filter((payload) => payload === "flaky")).toHaveLength(2);
    });

    it("delivers only the subscribed subjects, several of one domain in one subscription", async () => {
      const domain = newDomain();
      const bus = await openBus([domain]);
      const { payloads } = await record(bus, {
        durable: "test--filter",
        subjects: [`${domain}.payment.completed`, `${domain}.payment.refunded`],
      });
      await bus.publish(`${domain}.payment.completed`, text("completed"), { msgId: "evt_1" });
      await bus.publish(`${domain}.invoice.issued`, text("invoice"), { msgId: "evt_2" });
      await bus.publish(`${domain}.payment.refunded`, text("refunded"), { msgId: "evt_3" });
      // In stream order the invoice comes between the two: had it been delivered, it would be in the middle.
      await until(() => expect(payloads()).toEqual(["completed", "refunded"]));
    });

    it("gives every durable every message, and splits one durable's messages among its subscribers", async () => {
      const domain = newDomain();
      const bus = await openBus([domain]);
      const subject = `${domain}.order.completed`;
      const audit = await record(bus, { durable: "audit--all-orders", subjects: [subject] });
      const workerA = await record(bus, { durable: "notify--order-sms", subjects: [subject], prefetch: 1 });
      const workerB = await record(bus, { durable: "notify--order-sms", subjects: [subject], prefetch: 1 });
      const sent = Array.from({ length: 10 }, (_, i) => `o${i}`);
      for (const payload of sent) await bus.publish(subject, text(payload), { msgId: `evt_${payload}` });
      await until(() => expect(audit.payloads()).toEqual(sent));
      await until(() => expect([...workerA.payloads(), ...workerB.payloads()].sort()).toEqual([...sent].sort()));
    });

    it("lets stop() finish the delivery being handled", async () => {
      const domain = newDomain();
      const bus = await openBus([domain]);
      const subject = `${domain}.order.completed`;
      let finished = false;
      const { deliveries, subscription } = await record(
        bus,
        { durable: "test--stop", subjects: [subject] },
        async (d) => {
          await sleep(300);
          finished = true;
          d.ack();
        },
      );
      await bus.publish(subject, text("slow"), { msgId: "evt_1" });
      await until(() => expect(deliveries).toHaveLength(1));
      await subscription.stop();
      expect(finished).toBe(true);
    });

    it("refuses subscriptions across domains and durable names off the convention", async () => {
      const domain = newDomain();
      const bus = await openBus([domain]);
      await expect(
        bus.subscribe({ durable: "test--two", subjects: [`${domain}.a.done`, `x${domain}.a.done`] }, async () => {}),
      ).rejects.toThrow(/one domain/);
      await expect(
        bus.subscribe({ durable: "nodashes", subjects: [`${domain}.a.done`] }, async () => {}),
      ).rejects.toThrow(/<consumer>--<purpose>/);
      await expect(bus.publish("NotASubject", text("x"), { msgId: "evt_1" })).rejects.toThrow(/<domain>/);
    });
  });
}

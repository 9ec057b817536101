import { describe, expect, inject, it, onTestFinished } from "vitest";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { JetStreamBus, streamName, type EventDefinition } from "@omnihall/bus";
import { createServiceClient } from "@omnihall/channel-client";
import { developmentCallerKey } from "@omnihall/config";
import { loadCustomerConfig, startCustomerService } from "@omnihall/customer";
import { SubscriberRegistrationServiceClient } from "@omnihall/proto/omnihall/customer/v1/registration";
import { migratedTestDatabase } from "@omnihall/db/testing";
import { newId } from "@omnihall/ids";
import { AllowanceRecurrence, AllowanceUnit } from "@omnihall/proto/omnihall/catalog/v1/allowance";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { ConsentState } from "@omnihall/proto/omnihall/notify/v1/notify";
import type { AllowanceBucket } from "@omnihall/proto/omnihall/usage/v1/usage";
import { createLogger } from "@omnihall/service-kit";
import { uniqueSuffix, waitFor } from "@omnihall/testkit";
import { createCampaignDb } from "../db.js";
import {
  AUDIENCE_FACTS_DURABLE,
  ConsentChanged,
  consumeAudienceFacts,
  SubscriberChanged,
  UsageSummaryDue,
} from "./fact-consumer.js";

const logger = createLogger("facts-test", { level: "silent" });

/**
 * JetStream, a migrated campaign database and the audience facts consumer under a durable of this test's own
 * (deleted at the end), starting from new events.
 */
async function factsOverJetStream() {
  const bus = await JetStreamBus.connect({ url: inject("natsUrl"), name: "facts-test", logger });
  onTestFinished(() => bus.close());
  const database = await migratedTestDatabase(new URL("../..", import.meta.url));
  const db = createCampaignDb(database.url, 2);
  onTestFinished(() => db.$disconnect());
  const durable = `${AUDIENCE_FACTS_DURABLE}-t${uniqueSuffix()}`;
  const consumer = await consumeAudienceFacts(bus, db, logger, { durable, deliverFrom: "new" });
  onTestFinished(async () => {
    await consumer.stop();
    const nc = await connect({ servers: inject("natsUrl") });
    try {
      const jsm = await jetstreamManager(nc);
      for (const event of [SubscriberChanged, ConsentChanged, UsageSummaryDue]) {
        await jsm.consumers.delete(streamName(event.domain), durable).catch(() => false);
      }
    } finally {
      await nc.close();
    }
  });
  return { bus, db, durable };
}

function bucket(unit: AllowanceUnit, used: bigint, roamingCountryCode = ""): AllowanceBucket {
  return {
    bucketId: newId("bkt"),
    productId: newId("prd"),
    offeringCode: "PLAN_58",
    offeringName: undefined,
    unit,
    recurrence: AllowanceRecurrence.ALLOWANCE_RECURRENCE_MONTHLY,
    roamingCountryCode,
    quota: 10_000_000n,
    used,
    remaining: 0n,
    periodStartTime: undefined,
    periodEndTime: undefined,
    trial: false,
  };
}

describe("audience facts from the owners' events", () => {
  it(
    "keeps profile, consent and last month's data use from JetStream, each applied once and only forward",
    { timeout: 60_000 },
    async () => {
      const { bus, db, durable } = await factsOverJetStream();
      // As each producer's outbox relay publishes: the encoded event, msgId = its outbox id.
      const publish = <T>(event: EventDefinition<T>, message: T, msgId = newId("evt")) =>
        bus.publish(event.subject, event.codec.encode(message).finish(), { msgId });
      const subscriberId = `sub_facts${uniqueSuffix()}`;
      const fact = () => db.audienceFact.findUnique({ where: { subscriberId } });

      // Profile: a newer change, then an older one arriving late (ignored), then the newer one again (deduped).
      const opened = new Date("2024-03-01T02:00:00Z");
      const moved = {
        subscriberId,
        provinceCode: "GD",
        city: "深圳",
        planCode: "PLAN_88",
        subscribeTime: opened,
        changeTime: new Date("2026-11-20T02:00:00Z"),
        active: true,
      };
      const movedId = newId("evt");
      await publish(SubscriberChanged, moved, movedId);
      await waitFor("the profile", async () => (await fact())?.planCode === "PLAN_88");
      await publish(SubscriberChanged, {
        ...moved,
        city: "广州",
        planCode: "PLAN_58",
        changeTime: new Date("2026-10-01T02:00:00Z"),
      });
      await publish(SubscriberChanged, moved, movedId);

      // Consent: granted (5), an older opt-out (3) late, then a newer opt-out (7).
      const consent = (sequence: bigint, state: ConsentState) =>
        publish(ConsentChanged, {
          subscriberId,
          state,
          sequence,
          channel: Channel.CHANNEL_SMS_HALL,
          changeTime: new Date(),
        });
      await consent(5n, ConsentState.CONSENT_STATE_GRANTED);
      await waitFor("the consent", async () => (await fact())?.marketingConsent === true);
      await consent(3n, ConsentState.CONSENT_STATE_OPTED_OUT);

      // Data use: a mid-month summary (ignored), the 1st's summary of November, then October's late (ignored).
      const summary = (summaryDate: string, month: string, buckets: AllowanceBucket[]) =>
        publish(UsageSummaryDue, { subscriberId, summaryDate, month, buckets, overages: [] });
      await summary("2026-11-16", "2026-11", [bucket(AllowanceUnit.ALLOWANCE_UNIT_DATA_KB, 999n)]);
      await publish(UsageSummaryDue, {
        subscriberId,
        summaryDate: "2026-12-01",
        month: "2026-11",
        buckets: [
          bucket(AllowanceUnit.ALLOWANCE_UNIT_DATA_KB, 3_000_000n),
          bucket(AllowanceUnit.ALLOWANCE_UNIT_DATA_KB, 500_000n),
          bucket(AllowanceUnit.ALLOWANCE_UNIT_DATA_KB, 700_000n, "JP"),
          bucket(AllowanceUnit.ALLOWANCE_UNIT_VOICE_SECONDS, 6_000n),
        ],
        overages: [{ unit: AllowanceUnit.ALLOWANCE_UNIT_DATA_KB, roamingCountryCode: "", quantity: 20_000n }],
      });
      await summary("2026-11-01", "2026-10", [bucket(AllowanceUnit.ALLOWANCE_UNIT_DATA_KB, 1n)]);
      await consent(7n, ConsentState.CONSENT_STATE_OPTED_OUT);

      // The last event published has been applied: everything before it on the durable was handled.
      await waitFor("the opt-out", async () => (await fact())?.consentSequence === 7n);
      await waitFor("October's summary handled", async () => {
        const processed = await db.processedMessage.count({ where: { consumer: durable } });
        return processed === 8; // 9 published, one a JetStream duplicate (same msgId)
      });
      expect(await fact()).toMatchObject({
        provinceCode: "GD",
        city: "深圳",
        planCode: "PLAN_88",
        subscribedTime: opened,
        marketingConsent: false,
        consentSequence: 7n,
        lastMonthDataKb: 3_520_000n,
        dataMonth: "2026-11",
      });
    },
  );

  it(
    "gets a new subscriber's profile from the customer service's own event (outbox, relay, JetStream)",
    { timeout: 60_000 },
    async () => {
      const { bus, db } = await factsOverJetStream();
      const customerDb = await migratedTestDatabase(new URL("../../../customer/", import.meta.url));
      const customer = await startCustomerService({
        config: loadCustomerConfig({ DATABASE_URL: customerDb.url, PORT: "0", DATABASE_POOL_SIZE: "2" }),
        bus,
        logger,
      });
      onTestFinished(() => customer.stop());
      const registration = createServiceClient(SubscriberRegistrationServiceClient, {
        address: customer.address,
        caller: "platform",
        credential: developmentCallerKey("platform"),
      });
      onTestFinished(() => registration.close());

      const msisdn = `139${String(Date.now()).slice(-8)}`;
      const { subscriber } = await registration.registerSubscriber({
        requestId: newId("req"),
        msisdn,
        displayName: "王小明",
        provinceCode: "ZJ",
        city: "杭州",
        planCode: "PLAN_58",
        languageCode: "zh-CN",
      });
      const subscriberId = subscriber!.subscriberId;
      await waitFor("the new subscriber's facts", () => db.audienceFact.findUnique({ where: { subscriberId } }));
      expect(await db.audienceFact.findUnique({ where: { subscriberId } })).toMatchObject({
        provinceCode: "ZJ",
        city: "杭州",
        planCode: "PLAN_58",
        marketingConsent: null,
      });
    },
  );
});

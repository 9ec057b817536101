import { describe, expect, inject, it, onTestFinished } from "vitest";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { streamName } from "@omnihall/bus";
import { demoSubscribers } from "@omnihall/demo-data";
import { newId } from "@omnihall/ids";
import { seedNotify } from "@omnihall/notify";
import { startNotifyStack } from "@omnihall/notify/testing";
import { WaveState, type CampaignSpec, type WaveProgress } from "@omnihall/proto/omnihall/campaign/v1/campaign";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { createLogger } from "@omnihall/service-kit";
import { uniqueSuffix, waitFor } from "@omnihall/testkit";
import {
  AUDIENCE_FACTS_DURABLE,
  ConsentChanged,
  consumeAudienceFacts,
  SubscriberChanged,
  UsageSummaryDue,
} from "../audience/fact-consumer.js";
import { isHeldOut } from "../audience/holdout.js";
import { seedCampaign } from "../audience/seed-audience.js";
import { demoCampaignSpec, operator, startTestCampaignService, type TestCampaignService } from "../testing.js";

const AUTHOR = operator("op_wave_author", ["author"], "GD");
const APPROVER = operator("op_wave_approver", ["approver"], "GD");
const logger = createLogger("wave-test", { level: "silent" });

const byMsisdn = new Map(demoSubscribers().map((demo) => [demo.msisdn, demo]));

/** Creates, submits and approves a campaign whose start has passed: LIVE at once. */
async function launch(service: TestCampaignService, spec: CampaignSpec): Promise<string> {
  const ops = service.client();
  const { campaign } = await ops.createCampaign({ requestId: newId("req"), spec }, { party: AUTHOR });
  const campaignId = campaign!.campaignId;
  await ops.submitCampaign({ requestId: newId("req"), campaignId }, { party: AUTHOR });
  await ops.approveCampaign({ requestId: newId("req"), campaignId }, { party: APPROVER });
  return campaignId;
}

/** The wave's progress; WAVE_NOT_FOUND until the wave runner has seen the launch (answered as nothing yet). */
async function progressOf(service: TestCampaignService, campaignId: string) {
  try {
    return (await service.client().getWaveProgress({ campaignId }, { party: AUTHOR })).progress!;
  } catch (error) {
    if ((error as { reason?: string }).reason === "WAVE_NOT_FOUND") return NOT_STARTED;
    throw error;
  }
}
/** The wave's progress once it has walked its audience and notify has answered for every hand-over. */
function waveFinished(service: TestCampaignService, campaignId: string): Promise<WaveProgress> {
  return waitFor(
    "the wave walked and notify sent everything",
    async () => {
      const progress = await progressOf(service, campaignId);
      return (
        progress.state === WaveState.WAVE_STATE_COMPLETED &&
        progress.deliveryKnown &&
        progress.pending === 0n &&
        progress
      );
    },
    { timeoutMs: 60_000 },
  );
}
const NOT_STARTED: WaveProgress = {
  campaignId: "",
  state: WaveState.WAVE_STATE_UNSPECIFIED,
  counted: 0n,
  handedOver: 0n,
  skippedHoldout: 0n,
  skippedNoConsent: 0n,
  skippedFrequencyCap: 0n,
  refusedByNotify: 0n,
  pending: 0n,
  sent: 0n,
  delivered: 0n,
  failed: 0n,
  withdrawn: -1n,
  deliveryKnown: false,
  startTime: undefined,
  updateTime: undefined,
};

/**
 * The real notify (with customer, catalog and an SMSC), a campaign service whose waves hand over to it, the demo
 * subscribers' audience facts, and consent changes reaching the campaign's facts through JetStream (the service's
 * own consumer, under a durable name of this test's).
 */
async function startWaveSlice(notifyEnv: Record<string, string>) {
  const stack = await startNotifyStack(notifyEnv);
  await seedNotify(stack.config.DATABASE_URL);
  const service = await startTestCampaignService({ notifyAddress: stack.notify.address, waveBatchSize: 25 });
  await seedCampaign(service.databaseUrl);
  const durable = `${AUDIENCE_FACTS_DURABLE}-t${uniqueSuffix()}`;
  const facts = await consumeAudienceFacts(stack.bus, service.db, logger, { durable, deliverFrom: "new" });
  onTestFinished(async () => {
    await facts.stop();
    const nc = await connect({ servers: inject("natsUrl") });
    try {
      const jsm = await jetstreamManager(nc);
      // One durable per stream of the events it takes (customer, notify, usage).
      for (const event of [SubscriberChanged, ConsentChanged, UsageSummaryDue]) {
        await jsm.consumers.delete(streamName(event.domain), durable).catch(() => false);
      }
    } finally {
      await nc.close();
    }
  });
  return { stack, service };
}

describe("the outbound SMS wave", () => {
  it(
    "texts the consenting audience once each, never the holdout, stops at an opt-out mid-wave, keeps the frequency cap",
    { timeout: 120_000 },
    async () => {
      const { stack, service } = await startWaveSlice({ MARKETING_QUIET_HOURS: "00:00-00:00", SMPP_RATE: "10" });
      const spec = demoCampaignSpec("GD", { holdoutPercent: 20 });
      const campaignId = await launch(service, spec);

      // Mid-wave: one subscriber whose message notify holds but has not sent, one the wave has not reached.
      // (The newest batch's: the dispatcher takes the oldest first, a few at a time at this rate.)
      await waitFor("two batches handed over", async () => (await progressOf(service, campaignId)).handedOver >= 40n, {
        timeoutMs: 20_000,
      });
      const queued = await stack.db.message.findFirst({
        where: { campaignId, status: "QUEUED" },
        orderBy: [{ nextAttemptAt: "desc" }, { subscriberId: "desc" }],
      });
      const wave = await service.db.wave.findUniqueOrThrow({ where: { campaignId } });
      const ahead = (
        await service.db.audienceFact.findMany({
          where: { subscriberId: { gt: wave.cursor }, provinceCode: "GD", marketingConsent: true },
          orderBy: { subscriberId: "desc" },
          take: 10,
        })
      ).find((fact) => !isHeldOut(campaignId, fact.subscriberId, 20));
      expect(queued).toBeTruthy();
      expect(ahead).toBeTruthy();
      for (const subscriberId of [queued!.subscriberId, ahead!.subscriberId]) {
        await stack.client.optOut({
          requestId: newId("req"),
          subscriberId,
          channel: Channel.CHANNEL_SMS_HALL,
          evidence: "TD",
        });
      }

      const done = await waveFinished(service, campaignId);
      const texts = stack.smsc.submits.filter((submit) => submit.text.includes("LL8"));
      const texted = texts.map((submit) => byMsisdn.get(submit.destinationAddr)!);
      // Once each, only the GD consenting audience, never the holdout, never the opted-out.
      expect(new Set(texted.map((demo) => demo.subscriberId)).size).toBe(texted.length);
      const consenting = new Set(
        (
          await service.db.audienceFact.findMany({ where: { marketingConsent: true }, select: { subscriberId: true } })
        ).map((fact) => fact.subscriberId),
      );
      for (const demo of texted) {
        expect(demo.provinceCode).toBe("GD");
        expect(consenting.has(demo.subscriberId), `${demo.subscriberId} texted without consent`).toBe(true);
        expect(isHeldOut(campaignId, demo.subscriberId, 20)).toBe(false);
      }
      expect(texted.map((demo) => demo.subscriberId)).not.toContain(queued!.subscriberId);
      expect(texted.map((demo) => demo.subscriberId)).not.toContain(ahead!.subscriberId);
      // The opt-out reached the campaign's facts through the bus: the wave never handed the later one over.
      expect(
        await service.db.waveContact.findFirst({ where: { campaignId, subscriberId: ahead!.subscriberId } }),
      ).toBeNull();

      const gdFacts = await service.db.audienceFact.count({ where: { provinceCode: "GD" } });
      expect(done.counted).toBe(BigInt(gdFacts));
      expect(done.skippedHoldout).toBeGreaterThan(0n);
      expect(
        done.handedOver + done.skippedHoldout + done.skippedNoConsent + done.skippedFrequencyCap + done.refusedByNotify,
      ).toBe(done.counted);
      expect(done.sent + done.delivered).toBe(BigInt(texts.length));
      expect(done.withdrawn).toBe(1n); // the queued one, blocked at send time by its opt-out

      // A second campaign at most once per subscriber in the window: everyone the first one texted is capped.
      const second = await launch(
        service,
        demoCampaignSpec("GD", {
          holdoutPercent: 0,
          caps: { perSubscriberFrequency: 1, totalQuantity: 0n, budgetFen: 0n },
        }),
      );
      const capped = await waitFor(
        "the second wave walked",
        async () => {
          const progress = await progressOf(service, second);
          return progress.state === WaveState.WAVE_STATE_COMPLETED && progress;
        },
        { timeoutMs: 30_000 },
      );
      // (The two who opted out are skipped for consent now.)
      expect(capped.skippedFrequencyCap).toBe(BigInt(texts.length));
      const secondContacts = await service.db.waveContact.findMany({ where: { campaignId: second } });
      const firstContacts = new Set(
        (await service.db.waveContact.findMany({ where: { campaignId } })).map((contact) => contact.subscriberId),
      );
      for (const contact of secondContacts) expect(firstContacts.has(contact.subscriberId)).toBe(false);
    },
  );

  it(
    "defers a wave met by quiet hours over the hours after them, withdraws it on pause and goes on from the cursor on resume",
    { timeout: 120_000 },
    async () => {
      const shanghai = (offsetMs: number) =>
        new Date(Date.now() + offsetMs + 8 * 3_600_000).toISOString().slice(11, 16);
      const { stack, service } = await startWaveSlice({
        MARKETING_QUIET_HOURS: `${shanghai(-60_000)}-${shanghai(3_600_000)}`,
      });
      const campaignId = await launch(service, demoCampaignSpec("GD", { holdoutPercent: 10 }));
      const walked = await waitFor(
        "the wave walked",
        async () => {
          const progress = await progressOf(service, campaignId);
          return progress.state === WaveState.WAVE_STATE_COMPLETED && progress;
        },
        { timeoutMs: 30_000 },
      );
      expect(walked.handedOver).toBeGreaterThan(50n);
      const deferred = await stack.db.message.findMany({
        where: { campaignId },
        select: { status: true, nextAttemptAt: true },
      });
      expect(deferred.every((message) => message.status === "DEFERRED")).toBe(true);
      const times = deferred.map((message) => message.nextAttemptAt.getTime());
      // Spread over the 3 hours after the window, not all at its end.
      expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(60 * 60_000);
      expect(new Set(times).size).toBeGreaterThan(deferred.length / 2);

      await service.client().pauseCampaign({ requestId: newId("req"), campaignId }, { party: AUTHOR });
      const paused = await waitFor(
        "the wave paused and withdrawn",
        async () => {
          const progress = await progressOf(service, campaignId);
          return progress.state === WaveState.WAVE_STATE_PAUSED && progress.withdrawn === walked.handedOver && progress;
        },
        { timeoutMs: 20_000 },
      );
      expect(paused.pending).toBe(0n);

      // Resumed: from the cursor (at the end already), nothing handed over twice.
      await service.client().resumeCampaign({ requestId: newId("req"), campaignId }, { party: AUTHOR });
      const resumed = await waitFor(
        "the wave resumed",
        async () => {
          const progress = await progressOf(service, campaignId);
          return progress.state === WaveState.WAVE_STATE_COMPLETED && progress;
        },
        { timeoutMs: 20_000 },
      );
      expect(resumed.handedOver).toBe(walked.handedOver);
      expect(resumed.counted).toBe(walked.counted);
    },
  );

  it(
    "survives a restart, and a batch handed over again after a crash texts nobody twice",
    { timeout: 120_000 },
    async () => {
      const { stack, service } = await startWaveSlice({ MARKETING_QUIET_HOURS: "00:00-00:00", SMPP_RATE: "200" });
      const campaignId = await launch(service, demoCampaignSpec("GD", { holdoutPercent: 10 }));
      await waitFor("two batches handed over", async () => (await progressOf(service, campaignId)).handedOver >= 40n, {
        timeoutMs: 20_000,
      });
      // Down mid-wave; and as if the commits after notify's answers had been lost, the cursor goes back to the start.
      await service.restart(() =>
        service.db.wave.update({
          where: { campaignId },
          data: { cursor: "", counted: 0n, handedOver: 0n, skippedHoldout: 0n, skippedNoConsent: 0n, leaseUntil: null },
        }),
      );
      const done = await waveFinished(service, campaignId);
      const texted = stack.smsc.submits.filter((submit) => submit.text.includes("LL8")).map((s) => s.destinationAddr);
      expect(new Set(texted).size).toBe(texted.length);
      const gdConsenting = await service.db.audienceFact.findMany({
        where: { provinceCode: "GD", marketingConsent: true },
        select: { subscriberId: true },
      });
      const expected = gdConsenting.filter((fact) => !isHeldOut(campaignId, fact.subscriberId, 10)).length;
      expect(texted.length).toBe(expected);
      expect(done.handedOver).toBe(BigInt(expected));
      expect(await stack.db.message.count({ where: { campaignId } })).toBe(expected);
    },
  );

  it(
    "with two instances, walks a wave once: each batch counted once, each consenting member texted once",
    { timeout: 120_000 },
    async () => {
      const { stack, service } = await startWaveSlice({ MARKETING_QUIET_HOURS: "00:00-00:00", SMPP_RATE: "200" });
      // A second pod: its wave runner polls the same waves (the lease keeps one batch of a wave to one runner).
      await service.startInstance();
      const campaignId = await launch(service, demoCampaignSpec("GD", { holdoutPercent: 10 }));
      const done = await waveFinished(service, campaignId);
      expect(done.counted).toBe(BigInt(await service.db.audienceFact.count({ where: { provinceCode: "GD" } })));
      const gdConsenting = await service.db.audienceFact.findMany({
        where: { provinceCode: "GD", marketingConsent: true },
        select: { subscriberId: true },
      });
      const expected = gdConsenting.filter((fact) => !isHeldOut(campaignId, fact.subscriberId, 10)).length;
      // A batch handed over twice would count its members twice (notify answers DUPLICATE, which counts as taken).
      expect(done.handedOver).toBe(BigInt(expected));
      const texted = stack.smsc.submits.filter((submit) => submit.text.includes("LL8")).map((s) => s.destinationAddr);
      expect(new Set(texted).size).toBe(texted.length);
      expect(texted.length).toBe(expected);
    },
  );
});

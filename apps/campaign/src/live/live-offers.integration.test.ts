import { status } from "@grpc/grpc-js";
import { Kvm } from "@nats-io/kv";
import { connect } from "@nats-io/transport-node";
import { ServiceCallError } from "@omnihall/channel-client";
import { NatsLiveOffers } from "@omnihall/live-offers";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { uniqueSuffix, waitFor } from "@omnihall/testkit";
import { describe, expect, inject, it, onTestFinished } from "vitest";
import { demoCampaignSpec, operator, startTestCampaignService } from "../testing.js";

const AUTHOR = operator("op_author", ["author"], "GD");
const APPROVER = operator("op_approver", ["approver"], "GD");

/** A KV bucket of this test's own (the real one may hold `npm start`'s), destroyed afterwards. */
function testBucket(): string {
  const bucket = `test-campaign-live-offers-${uniqueSuffix()}`;
  onTestFinished(async () => {
    const nc = await connect({ servers: inject("natsUrl") });
    await (await new Kvm(nc).open(bucket)).destroy();
    await nc.close();
  });
  return bucket;
}

describe("launch once, everywhere", () => {
  it("puts a launched offer on a hall's watcher (another connection) within 1 s, and the kill switch takes it off within 1 s", async () => {
    const bucket = testBucket();
    const service = await startTestCampaignService({ natsUrl: inject("natsUrl"), bucket, schedulerIntervalMs: 60_000 });
    // What a hall runs: its own NATS connection watching the bucket into memory.
    const hall = await NatsLiveOffers.open({ servers: [inject("natsUrl")], bucket });
    onTestFinished(() => hall.close());
    const ops = service.client();
    const shenzhen = { provinceCode: "GD", city: "深圳" };
    const onHalls = () =>
      [Channel.CHANNEL_WEB_HALL, Channel.CHANNEL_SMS_HALL, Channel.CHANNEL_KIOSK, Channel.CHANNEL_MINI_HALL].every(
        (channel) => hall.offersFor(channel, shenzhen).some((offer) => offer.campaignId === campaignId),
      );

    const { campaign } = await ops.createCampaign(
      { requestId: `c-${uniqueSuffix()}`, spec: demoCampaignSpec("GD") },
      { party: AUTHOR },
    );
    const campaignId = campaign!.campaignId;
    await ops.submitCampaign({ requestId: `s-${uniqueSuffix()}`, campaignId }, { party: AUTHOR });
    expect(onHalls()).toBe(false);

    const launched = performance.now();
    await ops.approveCampaign({ requestId: `a-${uniqueSuffix()}`, campaignId }, { party: APPROVER });
    await waitFor("the offer on every hall", onHalls, { timeoutMs: 5_000, intervalMs: 5 });
    const launchMs = performance.now() - launched;
    expect(launchMs).toBeLessThanOrEqual(1_000);
    const [web] = hall.offersFor(Channel.CHANNEL_WEB_HALL, shenzhen);
    expect(web!.creative!.webBannerTitle).toEqual({ zhCn: "流量包八折", en: "Data pack 20% off" });
    expect(hall.offersFor(Channel.CHANNEL_WEB_HALL, { provinceCode: "ZJ" })).toEqual([]);

    // ListOffers answers from the service's own watched copy, for the asking hall's channel.
    const fromService = await service
      .client("kiosk")
      .listOffers(
        { channel: Channel.CHANNEL_UNSPECIFIED, provinceCode: "GD", city: "" },
        { party: { kind: "device", deviceId: "dev_1", shopId: "shop_1", provinceCode: "GD" } },
      );
    expect(fromService.offers.map((offer) => [offer.campaignId, offer.channel])).toEqual([
      [campaignId, Channel.CHANNEL_KIOSK],
    ]);

    const paused = performance.now();
    await ops.pauseCampaign({ requestId: `p-${uniqueSuffix()}`, campaignId }, { party: APPROVER });
    await waitFor(
      "the offer off the web hall",
      () => hall.offersFor(Channel.CHANNEL_WEB_HALL, shenzhen).every((offer) => offer.campaignId !== campaignId),
      { timeoutMs: 5_000, intervalMs: 5 },
    );
    const pauseMs = performance.now() - paused;
    expect(pauseMs).toBeLessThanOrEqual(1_000);
    console.info(`live offers: launch visible after ${launchMs.toFixed(0)} ms, pause after ${pauseMs.toFixed(0)} ms`);
  });

  it("puts back what a lost write left out: the scheduler reconciles the set with the database", async () => {
    const bucket = testBucket();
    const service = await startTestCampaignService({ natsUrl: inject("natsUrl"), bucket, schedulerIntervalMs: 100 });
    const hall = await NatsLiveOffers.open({ servers: [inject("natsUrl")], bucket });
    onTestFinished(() => hall.close());
    const ops = service.client();
    const { campaign } = await ops.createCampaign(
      { requestId: `c-${uniqueSuffix()}`, spec: demoCampaignSpec("GD") },
      { party: AUTHOR },
    );
    const campaignId = campaign!.campaignId;
    await ops.submitCampaign({ requestId: `s-${uniqueSuffix()}`, campaignId }, { party: AUTHOR });
    await ops.approveCampaign({ requestId: `a-${uniqueSuffix()}`, campaignId }, { party: APPROVER });
    await expect.poll(() => hall.campaignIds(), { timeout: 5_000, interval: 10 }).toEqual([campaignId]);

    // Someone deletes the key behind the service's back (or a write after a commit failed).
    await hall.withdraw(campaignId);
    await expect.poll(() => hall.campaignIds(), { timeout: 5_000, interval: 10 }).toEqual([campaignId]);
    // And a stale key of a campaign that is not live goes away.
    await hall.publish("cmp_stale", hall.offersFor(Channel.CHANNEL_WEB_HALL, { provinceCode: "GD" }));
    await expect.poll(() => hall.campaignIds(), { timeout: 5_000, interval: 10 }).toEqual([campaignId]);
  });

  it("holds halls to their own channel and an agent or kiosk to its own province", async () => {
    const service = await startTestCampaignService();
    const refusal = async (call: Promise<unknown>) => {
      try {
        await call;
        return "ok";
      } catch (error) {
        return error instanceof ServiceCallError ? `${error.code} ${error.reason}` : String(error);
      }
    };
    const agent = { kind: "agent" as const, agentId: "agt_1", territory: { provinceCode: "GD" } };
    expect(
      await refusal(
        service.client("mini-hall").listOffers({ channel: 0, provinceCode: "ZJ", city: "" }, { party: agent }),
      ),
    ).toBe(`${status.PERMISSION_DENIED} OUTSIDE_PARTY_SCOPE`);
    expect(
      await refusal(
        service.client("web-hall").listOffers({ channel: Channel.CHANNEL_KIOSK, provinceCode: "GD", city: "" }),
      ),
    ).toBe(`${status.PERMISSION_DENIED} CHANNEL_MISMATCH`);
    expect(await refusal(service.client("web-hall").listOffers({ channel: 0, provinceCode: "", city: "" }))).toBe(
      `${status.INVALID_ARGUMENT} PROVINCE_CODE_UNKNOWN`,
    );
    expect(
      await refusal(
        service.client("platform").listOffers({ channel: Channel.CHANNEL_OPS_CONSOLE, provinceCode: "GD", city: "" }),
      ),
    ).toBe(`${status.INVALID_ARGUMENT} CHANNEL_INVALID`);
    // The agent's own territory is the default place.
    expect(
      await refusal(
        service.client("mini-hall").listOffers({ channel: 0, provinceCode: "", city: "" }, { party: agent }),
      ),
    ).toBe("ok");
  });

  it("shows a logged-in subscriber the offers of their home province, from the audience facts", async () => {
    const service = await startTestCampaignService();
    const ops = service.client();
    const launch = async (provinceCode: string | undefined) => {
      const { campaign } = await ops.createCampaign(
        { requestId: `c-${uniqueSuffix()}`, spec: demoCampaignSpec(provinceCode) },
        { party: operator("op_hq_author", ["author"]) },
      );
      const campaignId = campaign!.campaignId;
      await ops.submitCampaign(
        { requestId: `s-${uniqueSuffix()}`, campaignId },
        { party: operator("op_hq_author", ["author"]) },
      );
      await ops.approveCampaign(
        { requestId: `a-${uniqueSuffix()}`, campaignId },
        { party: operator("op_hq_approver", ["approver"]) },
      );
      return campaignId;
    };
    const national = await launch(undefined);
    const guangdong = await launch("GD");
    const zhejiang = await launch("ZJ");
    await service
      .client("platform")
      .importAudienceFacts([
        { facts: [{ subscriberId: "sub_home_gd", provinceCode: "GD", city: "深圳", subscribeTime: undefined }] },
      ]);
    const offersFor = async (subscriberId: string) =>
      (
        await service
          .client("web-hall")
          .listOffers(
            { channel: 0, provinceCode: "", city: "" },
            { party: { kind: "subscriber", subscriberId, msisdn: "13800000000" } },
          )
      ).offers
        .map((offer) => offer.campaignId)
        .sort();

    expect(await offersFor("sub_home_gd")).toEqual([national, guangdong].sort());
    expect(await offersFor("sub_home_gd")).not.toContain(zhejiang);
    // Someone the facts do not place yet sees the national offers only.
    expect(await offersFor("sub_unknown")).toEqual([national]);
  });
});

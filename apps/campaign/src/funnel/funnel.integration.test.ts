import { status } from "@grpc/grpc-js";
import { enqueue } from "@omnihall/bus";
import { ServiceCallError } from "@omnihall/channel-client";
import { InteractionKind } from "@omnihall/proto/omnihall/campaign/v1/campaign";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { ConsentState } from "@omnihall/proto/omnihall/notify/v1/notify";
import { Order, OrderState } from "@omnihall/proto/omnihall/orders/v1/orders";
import { uniqueSuffix } from "@omnihall/testkit";
import { describe, expect, it } from "vitest";
import { demoCampaignSpec, operator, startTestCampaignService, type TestCampaignService } from "../testing.js";
import { ConsentChanged, OrderStateChanged } from "./funnel-events.js";
import { holdoutBucketSql } from "../audience/holdout.js";

const AUTHOR = operator("op_author", ["author"], "GD");
const APPROVER = operator("op_approver", ["approver"], "GD");
const GD_VIEWER = operator("op_gd_viewer", ["viewer"], "GD");
const ZJ_VIEWER = operator("op_zj_viewer", ["viewer"], "ZJ");
const HQ_VIEWER = operator("op_hq_viewer", ["viewer"]);

async function expectReason(call: Promise<unknown>, code: status, reason: string) {
  const error = await call.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ServiceCallError);
  expect((error as ServiceCallError).code).toBe(code);
  expect((error as ServiceCallError).reason).toBe(reason);
}

/** A GD campaign approved by a second operator: LIVE at once (its start has passed). */
async function liveCampaign(service: TestCampaignService, holdoutPercent = 10): Promise<string> {
  const ops = service.client();
  const { campaign } = await ops.createCampaign(
    { requestId: `c-${uniqueSuffix()}`, spec: demoCampaignSpec("GD", { holdoutPercent }) },
    { party: AUTHOR },
  );
  const campaignId = campaign!.campaignId;
  await ops.submitCampaign({ requestId: `s-${uniqueSuffix()}`, campaignId }, { party: AUTHOR });
  await ops.approveCampaign({ requestId: `a-${uniqueSuffix()}`, campaignId }, { party: APPROVER });
  return campaignId;
}

const subscriberParty = (subscriberId: string) => ({
  kind: "subscriber" as const,
  subscriberId,
  msisdn: "13800138000",
});

/** What the order engine publishes on each state change (here through this service's outbox, the same bus). */
async function publishOrder(service: TestCampaignService, order: Partial<Order>, states: OrderState[]) {
  await service.db.$transaction(async (tx) => {
    for (const state of states) {
      const event = OrderStateChanged.find((definition) =>
        definition.subject.endsWith(`.${OrderState[state].replace("ORDER_STATE_", "").toLowerCase()}`),
      )!;
      await enqueue(tx, event, {
        order: Order.fromPartial({ ...order, state, updateTime: new Date() }),
        fromState: OrderState.ORDER_STATE_UNSPECIFIED,
        reason: "",
      });
    }
  });
}

const processed = (service: TestCampaignService, consumer: string) =>
  service.db.processedMessage.count({ where: { consumer } });

describe("the campaign funnel", () => {
  it("counts halls' interactions once per hall event id, skips stale ones, and keeps a subscriber to themself", async () => {
    const service = await startTestCampaignService();
    const campaignId = await liveCampaign(service);
    const web = service.client("web-hall");
    const at = new Date();
    const batch = {
      channel: Channel.CHANNEL_UNSPECIFIED,
      interactions: [
        {
          clientEventId: "w-1",
          campaignId,
          kind: InteractionKind.INTERACTION_KIND_IMPRESSION,
          subscriberId: "",
          occurTime: at,
        },
        {
          clientEventId: "w-2",
          campaignId,
          kind: InteractionKind.INTERACTION_KIND_CLICK,
          subscriberId: "",
          occurTime: at,
        },
        {
          clientEventId: "w-3",
          campaignId: "cmp_unknown",
          kind: InteractionKind.INTERACTION_KIND_IMPRESSION,
          subscriberId: "",
          occurTime: at,
        },
      ],
    };
    const party = { party: subscriberParty("sub_fun0001") };
    expect(await web.recordInteractions(batch, party)).toEqual({
      recorded: 2,
      duplicates: 0,
      skipped: [{ clientEventId: "w-3", reason: "CAMPAIGN_NOT_FOUND" }],
    });
    // The same batch again (a hall's retry): nothing counted twice.
    expect(await web.recordInteractions(batch, party)).toMatchObject({ recorded: 0, duplicates: 2 });
    // An anonymous kiosk impression (attract screen, nobody identified) counts for the kiosk channel.
    await service.client("kiosk").recordInteractions(
      {
        channel: Channel.CHANNEL_UNSPECIFIED,
        interactions: [
          {
            clientEventId: "w-1",
            campaignId,
            kind: InteractionKind.INTERACTION_KIND_IMPRESSION,
            subscriberId: "",
            occurTime: at,
          },
        ],
      },
      { party: { kind: "device", deviceId: "dev_1", shopId: "shop_1", provinceCode: "GD" } },
    );

    await expectReason(
      web.recordInteractions(
        { ...batch, interactions: [{ ...batch.interactions[0]!, subscriberId: "sub_someoneelse" }] },
        party,
      ),
      status.PERMISSION_DENIED,
      "OUTSIDE_PARTY_SCOPE",
    );
    await expectReason(
      web.recordInteractions({ ...batch, interactions: [] }, party),
      status.INVALID_ARGUMENT,
      "INTERACTIONS_REQUIRED",
    );
    await expectReason(
      web.recordInteractions({ ...batch, interactions: [{ ...batch.interactions[0]!, clientEventId: "" }] }, party),
      status.INVALID_ARGUMENT,
      "CLIENT_EVENT_ID_REQUIRED",
    );
    await expectReason(
      web.recordInteractions(
        { ...batch, interactions: [{ ...batch.interactions[0]!, occurTime: new Date(Date.now() + 3_600_000) }] },
        party,
      ),
      status.INVALID_ARGUMENT,
      "OCCUR_TIME_INVALID",
    );
    await expectReason(
      web.recordInteractions({ ...batch, interactions: [{ ...batch.interactions[0]!, kind: 0 }] }, party),
      status.INVALID_ARGUMENT,
      "INTERACTION_KIND_INVALID",
    );
    // Only halls report interactions.
    await expectReason(
      service.client().recordInteractions(batch, { party: GD_VIEWER }),
      status.PERMISSION_DENIED,
      "CALLER_NOT_ALLOWED",
    );

    const funnel = await service.client().getCampaignFunnel({ campaignId }, { party: GD_VIEWER });
    const web0 = funnel.channels.find((channel) => channel.channel === Channel.CHANNEL_WEB_HALL)!;
    expect(web0).toMatchObject({ impressions: 1n, clicks: 1n, replies: 0n });
    expect(funnel.channels.find((channel) => channel.channel === Channel.CHANNEL_KIOSK)).toMatchObject({
      impressions: 1n,
    });
    expect(funnel.total).toMatchObject({ impressions: 2n, clicks: 1n });
    expect(funnel.lift).toMatchObject({ contactedSubscribers: 1n });
  });

  it("answers only operators in the campaign's scope: a province operator is refused another province's funnel", async () => {
    const service = await startTestCampaignService();
    const campaignId = await liveCampaign(service);
    const ops = service.client();
    await expect(ops.getCampaignFunnel({ campaignId }, { party: HQ_VIEWER })).resolves.toMatchObject({ campaignId });
    await expect(ops.getCampaignFunnel({ campaignId }, { party: GD_VIEWER })).resolves.toMatchObject({ campaignId });
    await expectReason(
      ops.getCampaignFunnel({ campaignId }, { party: ZJ_VIEWER }),
      status.PERMISSION_DENIED,
      "OUTSIDE_PARTY_SCOPE",
    );
    await expectReason(
      ops.getCampaignFunnel({ campaignId: "cmp_nosuchcampaign" }, { party: ZJ_VIEWER }),
      status.PERMISSION_DENIED,
      "OUTSIDE_PARTY_SCOPE",
    );
    await expectReason(
      ops.getCampaignFunnel({ campaignId: "nope" }, { party: GD_VIEWER }),
      status.INVALID_ARGUMENT,
      "CAMPAIGN_ID_MALFORMED",
    );
    await expectReason(
      ops.getCampaignFunnel({ campaignId }, { party: operator("op_norole", [], "GD") }),
      status.PERMISSION_DENIED,
      "OPERATOR_ROLE_REQUIRED",
    );
    await expectReason(
      service.client("web-hall").getCampaignFunnel({ campaignId }, { party: subscriberParty("sub_fun0001") }),
      status.PERMISSION_DENIED,
      "CALLER_NOT_ALLOWED",
    );
  });

  it("counts orders, revenue, opt-outs and the lift against the holdout from the order and consent events, once each", async () => {
    const service = await startTestCampaignService();
    const campaignId = await liveCampaign(service, 50);
    // Audience facts for GD subscribers; which of them the campaign holds out is the service's own rule.
    const candidates = Array.from({ length: 40 }, (_, i) => `sub_lift${String(i).padStart(4, "0")}`);
    await service.db.audienceFact.createMany({
      data: candidates.map((subscriberId) => ({
        subscriberId,
        provinceCode: "GD",
        city: "深圳",
        // Without consent the outbound wave texts none of them: this test writes the wave's contacts itself.
        marketingConsent: false,
      })),
    });
    const held = (
      await service.db.$queryRaw<Array<{ subscriber_id: string }>>`
        SELECT subscriber_id FROM audience_fact WHERE ${holdoutBucketSql(campaignId)} < 50 ORDER BY subscriber_id`
    ).map((row) => row.subscriber_id);
    const contacted = candidates.filter((id) => !held.includes(id));
    expect(held.length).toBeGreaterThan(1);
    expect(contacted.length).toBeGreaterThan(1);

    // Two contacted subscribers saw the offer by SMS (the SMS hall reports the replies too).
    const sms = service.client("sms-hall");
    for (const subscriberId of contacted.slice(0, 2)) {
      await sms.recordInteractions(
        {
          channel: Channel.CHANNEL_UNSPECIFIED,
          interactions: [
            {
              clientEventId: `r-${subscriberId}`,
              campaignId,
              kind: InteractionKind.INTERACTION_KIND_REPLY,
              subscriberId: "",
              occurTime: new Date(Date.now() - 1_000),
            },
          ],
        },
        { party: subscriberParty(subscriberId) },
      );
    }

    const order = (n: number, subscriberId: string, campaign: string) => ({
      orderId: `ord_fun${n}${uniqueSuffix().replace(/[^A-Za-z0-9]/g, "")}`,
      subscriberId,
      offeringCode: "PACK_DATA_10G",
      priceFen: 2_400n,
      channel: Channel.CHANNEL_SMS_HALL,
      campaignId: campaign,
    });
    const pending = [OrderState.ORDER_STATE_ACKNOWLEDGED, OrderState.ORDER_STATE_PENDING];
    const done = [...pending, OrderState.ORDER_STATE_IN_PROGRESS, OrderState.ORDER_STATE_COMPLETED];
    // Contacted subscriber 1 orders through the campaign (completed), subscriber 2 lets it lapse (cancelled).
    const completed = order(1, contacted[0]!, campaignId);
    await publishOrder(service, completed, done);
    await publishOrder(service, order(2, contacted[1]!, campaignId), [...pending, OrderState.ORDER_STATE_CANCELLED]);
    // A held-out subscriber buys the same pack unprompted, on the web hall, with no campaign id.
    await publishOrder(service, { ...order(3, held[0]!, ""), channel: Channel.CHANNEL_WEB_HALL }, done);
    // The completed event delivered again (a redelivery or a replay): counted once.
    await publishOrder(service, completed, [OrderState.ORDER_STATE_COMPLETED]);
    // The SMS wave texted a third one (its reservation row, as the wave writes it), who opts out too.
    await service.db.waveContact.create({ data: { subscriberId: contacted[2]!, campaignId } });
    // Subscriber 2 texts TD: notify's opt-out, attributed to the campaign that contacted them by SMS.
    await service.db.$transaction(async (tx) => {
      const change = {
        subscriberId: contacted[1]!,
        state: ConsentState.CONSENT_STATE_OPTED_OUT,
        sequence: 77n,
        channel: Channel.CHANNEL_SMS_HALL,
        changeTime: new Date(),
      };
      await enqueue(tx, ConsentChanged, change);
      await enqueue(tx, ConsentChanged, change);
      await enqueue(tx, ConsentChanged, { ...change, subscriberId: contacted[2]!, sequence: 79n });
      // Someone never contacted opting out is nobody's doing.
      await enqueue(tx, ConsentChanged, { ...change, subscriberId: held[1]!, sequence: 78n });
    });
    await expect.poll(() => processed(service, "campaign--funnel-orders"), { timeout: 15_000 }).toBe(12);
    await expect.poll(() => processed(service, "campaign--funnel-opt-outs"), { timeout: 15_000 }).toBe(4);

    const funnel = await service.client().getCampaignFunnel({ campaignId }, { party: GD_VIEWER });
    const smsFunnel = funnel.channels.find((channel) => channel.channel === Channel.CHANNEL_SMS_HALL)!;
    expect(smsFunnel).toMatchObject({
      impressions: 1n,
      replies: 2n,
      ordersPlaced: 2n,
      ordersCompleted: 1n,
      ordersLost: 1n,
      revenueFen: 2_400n,
      optOuts: 2n,
    });
    expect(funnel.total).toMatchObject({ ordersPlaced: 2n, ordersCompleted: 1n, revenueFen: 2_400n, optOuts: 2n });
    expect(funnel.lift).toEqual({
      contactedSubscribers: 3n,
      contactedConverted: 1n,
      holdoutSubscribers: BigInt(held.length),
      holdoutConverted: 1n,
      contactedConversionBps: 3_333,
      holdoutConversionBps: Math.floor(10_000 / held.length),
      liftBps: 3_333 - Math.floor(10_000 / held.length),
    });
  });

  it("matches an SMS reply keyword to the live offer the subscriber may see, the campaign that texted them last first", async () => {
    const service = await startTestCampaignService();
    const ops = service.client();
    const launch = async () => {
      const author = operator("op_hq_author", ["author"]);
      const { campaign } = await ops.createCampaign(
        { requestId: `c-${uniqueSuffix()}`, spec: demoCampaignSpec(undefined) },
        { party: author },
      );
      const campaignId = campaign!.campaignId;
      await ops.submitCampaign({ requestId: `s-${uniqueSuffix()}`, campaignId }, { party: author });
      await ops.approveCampaign(
        { requestId: `a-${uniqueSuffix()}`, campaignId },
        { party: operator("op_hq_approver", ["approver"]) },
      );
      return campaignId;
    };
    // Two national campaigns both saying "reply LL8".
    const first = await launch();
    const second = await launch();
    const sms = service.client("sms-hall");
    const party = { party: subscriberParty("sub_kw000001") };
    await expect
      .poll(async () => (await sms.matchReplyKeyword({ keyword: " ｌｌ８ " }, party)).matched, { timeout: 5_000 })
      .toBe(true);
    await service.db.waveContact.create({ data: { subscriberId: "sub_kw000001", campaignId: first } });
    const matched = await sms.matchReplyKeyword({ keyword: "ll8" }, party);
    expect(matched.offer).toMatchObject({ campaignId: first, channel: Channel.CHANNEL_SMS_HALL });
    expect(matched.offer!.offer!.offeringCode).toBe("PACK_DATA_10G");
    expect([first, second]).toContain(
      (await sms.matchReplyKeyword({ keyword: "LL8" }, { party: subscriberParty("sub_kw000002") })).offer!.campaignId,
    );
    expect(await sms.matchReplyKeyword({ keyword: "ZZ9" }, party)).toEqual({ matched: false, offer: undefined });
    expect((await sms.matchReplyKeyword({ keyword: "a much longer text" }, party)).matched).toBe(false);
    await expectReason(
      sms.matchReplyKeyword({ keyword: "  " }, party),
      status.INVALID_ARGUMENT,
      "REPLY_KEYWORD_REQUIRED",
    );
    await expectReason(
      service.client("web-hall").matchReplyKeyword({ keyword: "LL8" }, party),
      status.PERMISSION_DENIED,
      "CALLER_NOT_ALLOWED",
    );
  });
});

import { describe, expect, it } from "vitest";
import { waitFor } from "@omnihall/testkit";
import { newId } from "@omnihall/ids";
import { CampaignState } from "@omnihall/proto/omnihall/campaign/v1/campaign";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { demoCampaignSpec, operator, startTestCampaignService, type TestCampaignService } from "../testing.js";
import { MemoryLiveOffers } from "@omnihall/live-offers";
import { createLogger } from "@omnihall/service-kit";
import { LiveOfferSync } from "../live/live-offer-sync.js";
import { capReached, discountGiven, orderCapsRound } from "./order-caps.js";

const logger = createLogger("caps-test", { level: "silent" });

const AUTHOR = operator("op_caps_author", ["author"], "GD");
const APPROVER = operator("op_caps_approver", ["approver"], "GD");
const KIOSK = { kind: "device", deviceId: "dev_caps", shopId: "shop_caps", provinceCode: "GD" } as const;

async function launch(service: TestCampaignService, spec: ReturnType<typeof demoCampaignSpec>): Promise<string> {
  const ops = service.client();
  const { campaign } = await ops.createCampaign({ requestId: newId("req"), spec }, { party: AUTHOR });
  const campaignId = campaign!.campaignId;
  await ops.submitCampaign({ requestId: newId("req"), campaignId }, { party: AUTHOR });
  await ops.approveCampaign({ requestId: newId("req"), campaignId }, { party: APPROVER });
  return campaignId;
}

/** An order of the campaign as the funnel's order consumer records it from the order engine's events. */
async function order(service: TestCampaignService, campaignId: string, outcome: string, priceFen: bigint) {
  await service.db.funnelOrder.create({
    data: {
      orderId: newId("ord"),
      campaignId,
      channel: "CHANNEL_WEB_HALL",
      subscriberId: newId("sub"),
      outcome,
      priceFen,
    },
  });
}

describe("quantity and budget caps", () => {
  it("counts the discount given from what was paid", () => {
    expect(discountGiven(2_400n, 2_000)).toBe(600n); // ¥24 paid at 20 % off a ¥30 list price
    expect(discountGiven(2_400n, 0)).toBe(0n);
    const spec = demoCampaignSpec("GD", { caps: { perSubscriberFrequency: 0, totalQuantity: 2n, budgetFen: 1_000n } });
    expect(capReached(spec, { orders: 1n, discountFen: 999n })).toBeUndefined();
    expect(capReached(spec, { orders: 2n, discountFen: 0n })).toBe("QUANTITY");
    expect(capReached(spec, { orders: 1n, discountFen: 1_000n })).toBe("BUDGET");
  });

  it("ends a campaign whose orders reach its quantity or budget cap, and takes it off the halls", async () => {
    const service = await startTestCampaignService();
    const kiosk = service.client("kiosk");
    const offered = async (campaignId: string) =>
      (
        await kiosk.listOffers({ channel: Channel.CHANNEL_UNSPECIFIED, provinceCode: "GD", city: "" }, { party: KIOSK })
      ).offers.some((offer) => offer.campaignId === campaignId);
    const stateOf = async (campaignId: string) =>
      (await service.client().getCampaign({ campaignId }, { party: AUTHOR })).campaign!.state;

    const quantity = await launch(
      service,
      demoCampaignSpec("GD", { caps: { perSubscriberFrequency: 0, totalQuantity: 2n, budgetFen: 0n } }),
    );
    const budget = await launch(
      service,
      demoCampaignSpec("GD", { caps: { perSubscriberFrequency: 0, totalQuantity: 0n, budgetFen: 1_000n } }),
    );
    await waitFor("both offered", async () => (await offered(quantity)) && (await offered(budget)));

    // One taken, one lost (cancelled): below the quantity cap. 600 fen of discount given: below the budget.
    await order(service, quantity, "COMPLETED", 2_400n);
    await order(service, quantity, "LOST", 2_400n);
    await order(service, budget, "PLACED", 2_400n);
    // A round of the check itself (as the service's loop runs it) leaves both live.
    await orderCapsRound(service.db, new LiveOfferSync(service.db, new MemoryLiveOffers(), logger), logger);
    expect(await stateOf(quantity)).toBe(CampaignState.CAMPAIGN_STATE_LIVE);
    expect(await stateOf(budget)).toBe(CampaignState.CAMPAIGN_STATE_LIVE);

    await order(service, quantity, "PLACED", 2_400n);
    await order(service, budget, "COMPLETED", 2_400n);
    await waitFor("both ended", async () => {
      const states = [await stateOf(quantity), await stateOf(budget)];
      return states.every((state) => state === CampaignState.CAMPAIGN_STATE_ENDED);
    });
    expect(await offered(quantity)).toBe(false);
    expect(await offered(budget)).toBe(false);
    const { entries } = await service
      .client()
      .listAuditEntries({ campaignId: quantity, pageSize: 0, pageToken: "" }, { party: AUTHOR });
    expect(entries.at(-1)).toMatchObject({ action: "CAP_REACHED", actor: "system:caps" });
  });

  it("with two instances checking, ends each capped campaign once", async () => {
    const service = await startTestCampaignService({ schedulerIntervalMs: 50 });
    await service.startInstance();
    const COUNT = 12;
    const spec = demoCampaignSpec("GD", { caps: { perSubscriberFrequency: 0, totalQuantity: 1n, budgetFen: 0n } });
    const ids = await Promise.all(Array.from({ length: COUNT }, () => launch(service, spec)));
    // Every campaign reaches its cap at once, while both instances' checks poll.
    await Promise.all(ids.map((campaignId) => order(service, campaignId, "PLACED", 2_400n)));
    await waitFor("all ended", async () => {
      const ended = await service.db.campaign.count({ where: { id: { in: ids }, state: "ENDED" } });
      return ended === COUNT;
    });
    expect(await service.db.auditEntry.count({ where: { campaignId: { in: ids }, action: "CAP_REACHED" } })).toBe(
      COUNT,
    );
    expect(await service.db.outboxMessage.count({ where: { subject: "campaign.campaign.ended" } })).toBe(COUNT);
  });
});

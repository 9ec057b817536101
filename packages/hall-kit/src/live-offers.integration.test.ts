import { MemoryLiveOffers } from "@omnihall/live-offers";
import type { LiveOffer } from "@omnihall/proto/omnihall/campaign/v1/campaign";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { describe, expect, it } from "vitest";
import { liveOfferRoutes } from "./live-offers.js";
import { ALICE, testHall } from "./testing/test-hall.js";

const text = (zhCn: string, en: string) => ({ zhCn, en });

function offer(campaignId: string, channel: Channel, where: Partial<LiveOffer>): LiveOffer {
  return {
    campaignId,
    campaignName: `name of ${campaignId}`,
    offer: { offeringCode: "PACK_DATA_10G", priceFen: 1900n, hasPrice: campaignId.endsWith("priced"), discountBps: 0 },
    channel,
    creative: {
      webBannerTitle: text(`网页 ${campaignId}`, `Web ${campaignId}`),
      webBannerText: text("横幅", "Banner"),
      smsText: undefined,
      smsReplyKeyword: "",
      kioskAttractTitle: text(`终端 ${campaignId}`, `Kiosk ${campaignId}`),
      kioskAttractText: text("点击办理", "Tap to buy"),
      agentPitch: text("话术", "Pitch"),
    },
    national: false,
    provinceCodes: [],
    cities: [],
    endTime: undefined,
    ...where,
  };
}

/** The `offers` events of a stream, parsed, as they arrive. */
async function* offerEvents(response: Response): AsyncGenerator<string[]> {
  const reader = response.body!.getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += new TextDecoder().decode(value);
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (!frame.includes("event: offers")) continue;
      const data = frame
        .split("\n")
        .find((line) => line.startsWith("data: "))!
        .slice(6);
      yield (JSON.parse(data) as { offers: Array<{ campaignId: string }> }).offers.map((o) => o.campaignId);
    }
  }
}

describe("liveOfferRoutes", () => {
  it("shows a place the offers of its channel the live-offers rule gives it, as the hall's view", async () => {
    const board = new MemoryLiveOffers();
    await board.publish("cmp_national_priced", [
      offer("cmp_national_priced", Channel.CHANNEL_KIOSK, { national: true }),
      offer("cmp_national_priced", Channel.CHANNEL_WEB_HALL, { national: true }),
    ]);
    await board.publish("cmp_gd", [offer("cmp_gd", Channel.CHANNEL_KIOSK, { provinceCodes: ["GD"] })]);
    await board.publish("cmp_gz", [
      offer("cmp_gz", Channel.CHANNEL_KIOSK, { provinceCodes: ["GD"], cities: ["广州"] }),
    ]);
    await board.publish("cmp_sz", [
      offer("cmp_sz", Channel.CHANNEL_KIOSK, { provinceCodes: ["GD"], cities: ["深圳"] }),
    ]);
    await board.publish("cmp_zj", [offer("cmp_zj", Channel.CHANNEL_KIOSK, { provinceCodes: ["ZJ"] })]);
    await board.publish("cmp_web_gd", [offer("cmp_web_gd", Channel.CHANNEL_WEB_HALL, { provinceCodes: ["GD"] })]);
    const hall = await testHall({
      routes: async (app) => {
        await app.register(liveOfferRoutes, {
          offers: board,
          channel: Channel.CHANNEL_KIOSK,
          placeOf: () => ({ provinceCode: "GD", city: "广州" }),
        });
      },
    });

    const answer = await hall.call("GET", "/v1/live-offers");
    expect(answer.status).toBe(200);
    const offers = answer.body.offers as Array<Record<string, unknown>>;
    expect(offers.map((o) => o.campaignId)).toEqual(["cmp_gd", "cmp_gz", "cmp_national_priced"]);
    expect(offers[2]).toEqual({
      campaignId: "cmp_national_priced",
      offeringCode: "PACK_DATA_10G",
      priceFen: 1900,
      discountBps: 0,
      title: { "zh-CN": "终端 cmp_national_priced", en: "Kiosk cmp_national_priced" },
      text: { "zh-CN": "点击办理", en: "Tap to buy" },
    });
    expect(offers[0]).not.toHaveProperty("priceFen");
    // No campaign service given: nothing to report interactions to, so no such route.
    expect((await hall.call("POST", "/v1/live-offers/interactions", { body: { interactions: [] } })).status).toBe(404);
  });

  it("streams the list, then each launch and pause of this screen's offers, and asks for the session it needs", async () => {
    const board = new MemoryLiveOffers();
    const hall = await testHall({
      routes: async (app) => {
        await app.register(liveOfferRoutes, {
          offers: board,
          channel: Channel.CHANNEL_WEB_HALL,
          session: ["subscriber"],
          placeOf: () => ({ provinceCode: "GD" }),
        });
      },
    });
    expect((await hall.call("GET", "/v1/live-offers")).status).toBe(401);
    expect((await fetch(`${hall.url}/v1/live-offers/events`)).status).toBe(401);

    const { token } = hall.tokens.issue(ALICE);
    const client = new AbortController();
    const response = await fetch(`${hall.url}/v1/live-offers/events`, {
      headers: { authorization: `Bearer ${token}` },
      signal: client.signal,
    });
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    const events = offerEvents(response);
    expect((await events.next()).value).toEqual([]);
    // Another channel's launch changes nothing here; this one's does.
    await board.publish("cmp_kiosk", [offer("cmp_kiosk", Channel.CHANNEL_KIOSK, { national: true })]);
    await board.publish("cmp_web", [offer("cmp_web", Channel.CHANNEL_WEB_HALL, { national: true })]);
    expect((await events.next()).value).toEqual(["cmp_web"]);
    await board.withdraw("cmp_web");
    expect((await events.next()).value).toEqual([]);
    client.abort();
  });
});

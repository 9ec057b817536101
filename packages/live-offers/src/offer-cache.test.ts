import type { LiveOffer } from "@omnihall/proto/omnihall/campaign/v1/campaign";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { describe, expect, it } from "vitest";
import { OfferCache, type LiveOfferChange } from "./offer-cache.js";

function offer(campaignId: string, channel: Channel, where: Partial<LiveOffer> = {}): LiveOffer {
  return {
    campaignId,
    campaignName: campaignId,
    offer: undefined,
    channel,
    creative: undefined,
    national: false,
    provinceCodes: [],
    cities: [],
    endTime: undefined,
    ...where,
  };
}

const ids = (offers: LiveOffer[]) => offers.map((o) => o.campaignId).sort();

describe("OfferCache", () => {
  it("answers by channel and place: national, the province's, and a city's only in that city", () => {
    const cache = new OfferCache();
    cache.apply("national", [
      offer("national", Channel.CHANNEL_WEB_HALL, { national: true }),
      offer("national", Channel.CHANNEL_KIOSK, { national: true }),
    ]);
    cache.apply("gd", [offer("gd", Channel.CHANNEL_WEB_HALL, { provinceCodes: ["GD"] })]);
    cache.apply("sz", [offer("sz", Channel.CHANNEL_WEB_HALL, { provinceCodes: ["GD"], cities: ["深圳"] })]);
    cache.apply("zj", [offer("zj", Channel.CHANNEL_WEB_HALL, { provinceCodes: ["ZJ"] })]);

    expect(ids(cache.offersFor(Channel.CHANNEL_WEB_HALL, { provinceCode: "GD", city: "深圳" }))).toEqual([
      "gd",
      "national",
      "sz",
    ]);
    expect(ids(cache.offersFor(Channel.CHANNEL_WEB_HALL, { provinceCode: "GD", city: "广州" }))).toEqual([
      "gd",
      "national",
    ]);
    expect(ids(cache.offersFor(Channel.CHANNEL_WEB_HALL, { provinceCode: "GD" }))).toEqual(["gd", "national"]);
    expect(ids(cache.offersFor(Channel.CHANNEL_KIOSK, { provinceCode: "ZJ" }))).toEqual(["national"]);
    expect(cache.offersFor(Channel.CHANNEL_MINI_HALL, { provinceCode: "ZJ" })).toEqual([]);
  });

  it("replaces a campaign's channels on change, forgets it on withdrawal, and tells listeners", () => {
    const cache = new OfferCache();
    const changes: LiveOfferChange[] = [];
    const unsubscribe = cache.onChange((change) => changes.push(change));
    cache.apply("c1", [offer("c1", Channel.CHANNEL_WEB_HALL, { national: true })]);
    cache.apply("c1", [offer("c1", Channel.CHANNEL_KIOSK, { national: true })]);
    expect(cache.offersFor(Channel.CHANNEL_WEB_HALL, { provinceCode: "BJ" })).toEqual([]);
    expect(ids(cache.offersFor(Channel.CHANNEL_KIOSK, { provinceCode: "BJ" }))).toEqual(["c1"]);
    cache.apply("c1", []);
    expect(cache.offersFor(Channel.CHANNEL_KIOSK, { provinceCode: "BJ" })).toEqual([]);
    expect(cache.campaignIds()).toEqual([]);
    unsubscribe();
    cache.apply("c2", [offer("c2", Channel.CHANNEL_KIOSK, { national: true })]);
    expect(changes.map((change) => [change.campaignId, change.offers.length])).toEqual([
      ["c1", 1],
      ["c1", 1],
      ["c1", 0],
    ]);
  });

  it("leaves out offers past their end time, and a throwing listener does not stop the others", () => {
    const cache = new OfferCache();
    let heard = 0;
    cache.onChange(() => {
      throw new Error("closed stream");
    });
    cache.onChange(() => (heard += 1));
    cache.apply("old", [offer("old", Channel.CHANNEL_WEB_HALL, { national: true, endTime: new Date(Date.now() - 1) })]);
    expect(heard).toBe(1);
    expect(cache.offersFor(Channel.CHANNEL_WEB_HALL, { provinceCode: "BJ" })).toEqual([]);
  });
});

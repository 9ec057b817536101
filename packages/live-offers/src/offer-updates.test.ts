import type { LiveOffer } from "@omnihall/proto/omnihall/campaign/v1/campaign";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { describe, expect, it } from "vitest";
import { MemoryLiveOffers } from "./live-offers.js";
import { offerUpdates } from "./offer-updates.js";

const offer = (campaignId: string, channel: Channel, provinceCodes: string[]): LiveOffer => ({
  campaignId,
  campaignName: campaignId,
  offer: undefined,
  channel,
  creative: undefined,
  national: false,
  provinceCodes,
  cities: [],
  endTime: undefined,
});

describe("offerUpdates", () => {
  it("yields the current list, then only changes this screen shows, and ends on abort", async () => {
    const board = new MemoryLiveOffers();
    await board.publish("before", [offer("before", Channel.CHANNEL_KIOSK, ["GD"])]);
    const abort = new AbortController();
    const updates = offerUpdates(board, Channel.CHANNEL_KIOSK, { provinceCode: "GD" }, abort.signal)[
      Symbol.asyncIterator
    ]();
    const ids = async () => {
      const next = await updates.next();
      return next.done ? "done" : next.value.map((o) => o.campaignId);
    };

    expect(await ids()).toEqual(["before"]);
    const launched = ids();
    // Another channel's and another province's launches change nothing on this screen.
    await board.publish("web", [offer("web", Channel.CHANNEL_WEB_HALL, ["GD"])]);
    await board.publish("zj", [offer("zj", Channel.CHANNEL_KIOSK, ["ZJ"])]);
    await board.publish("gd", [offer("gd", Channel.CHANNEL_KIOSK, ["GD"])]);
    expect(await launched).toEqual(["before", "gd"]);
    const paused = ids();
    await board.withdraw("before");
    expect(await paused).toEqual(["gd"]);

    const ended = ids();
    abort.abort();
    expect(await ended).toBe("done");
  });
});

import { Kvm } from "@nats-io/kv";
import { connect } from "@nats-io/transport-node";
import type { LiveOffer } from "@omnihall/proto/omnihall/campaign/v1/campaign";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { uniqueSuffix } from "@omnihall/testkit";
import { describe, expect, inject, it, onTestFinished } from "vitest";
import { NatsLiveOffers } from "./live-offers.js";

const webOffer = (campaignId: string): LiveOffer => ({
  campaignId,
  campaignName: "test",
  offer: { offeringCode: "PACK_DATA_10G", priceFen: 2400n, hasPrice: true, discountBps: 0 },
  channel: Channel.CHANNEL_WEB_HALL,
  creative: undefined,
  national: false,
  provinceCodes: ["GD"],
  cities: [],
  endTime: undefined,
});

async function open(bucket: string) {
  const board = await NatsLiveOffers.open({ servers: [inject("natsUrl")], bucket });
  onTestFinished(() => board.close());
  return board;
}

describe("NatsLiveOffers", () => {
  it("carries a publish and a withdrawal to a watcher on another connection, and loads the set on open", async () => {
    const bucket = `test-live-offers-${uniqueSuffix()}`;
    onTestFinished(async () => {
      const nc = await connect({ servers: inject("natsUrl") });
      await (await new Kvm(nc).open(bucket)).destroy();
      await nc.close();
    });
    const writer = await open(bucket);
    const watcher = await open(bucket);
    const place = { provinceCode: "GD" };

    const seen = new Promise<number>((resolve) => {
      const started = performance.now();
      const stop = watcher.onChange(() => {
        stop();
        resolve(performance.now() - started);
      });
    });
    await writer.publish("cmp_1", [webOffer("cmp_1")]);
    expect(await seen).toBeLessThan(1_000);
    expect(watcher.offersFor(Channel.CHANNEL_WEB_HALL, place).map((o) => o.offer?.priceFen)).toEqual([2400n]);

    // A hall started later loads what is live before it answers.
    const late = await open(bucket);
    expect(late.campaignIds()).toEqual(["cmp_1"]);

    await writer.withdraw("cmp_1");
    await expect
      .poll(() => watcher.offersFor(Channel.CHANNEL_WEB_HALL, place), { timeout: 1_000, interval: 10 })
      .toEqual([]);
    await expect.poll(() => late.campaignIds(), { timeout: 1_000, interval: 10 }).toEqual([]);
    // Withdrawn keys stay withdrawn for a hall opened afterwards.
    expect((await open(bucket)).campaignIds()).toEqual([]);
  });
});

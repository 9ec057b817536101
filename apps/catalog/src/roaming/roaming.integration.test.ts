import { status } from "@grpc/grpc-js";
import { ServiceCallError } from "@omnihall/channel-client";
import {
  GetRoamingDestinationRequest,
  ListRoamingDestinationsRequest,
} from "@omnihall/proto/omnihall/catalog/v1/catalog";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { describe, expect, it } from "vitest";
import { ROAMING_DESTINATIONS } from "../seed/roaming-destinations.js";
import { startTestCatalog } from "../testing.js";

describe("roaming destinations over gRPC", () => {
  it("gives a destination's rates and its packs on sale, cheapest first", async () => {
    const { client } = await startTestCatalog();
    const japan = await client.getRoamingDestination(GetRoamingDestinationRequest.fromPartial({ countryCode: "JP" }));
    expect(japan.destination!.name).toEqual({ zhCn: "日本", en: "Japan" });
    expect(japan.destination!.rates).toEqual({
      dataPerMbFen: 29n,
      voiceOutgoingPerMinuteFen: 99n,
      voiceIncomingPerMinuteFen: 99n,
      smsPerMessageFen: 39n,
    });
    expect(japan.packs.map((pack) => pack.code)).toEqual(["ROAM_JP_1D", "ROAM_JP_7D"]);
    expect(japan.packs.every((pack) => pack.allowances.every((a) => a.roamingCountryCode === "JP"))).toBe(true);

    const noPacks = await client.getRoamingDestination(GetRoamingDestinationRequest.fromPartial({ countryCode: "RU" }));
    expect(noPacks.packs).toEqual([]);
    const byKiosk = await client.getRoamingDestination(
      GetRoamingDestinationRequest.fromPartial({
        countryCode: "JP",
        provinceCode: "XJ",
        channel: Channel.CHANNEL_KIOSK,
      }),
    );
    expect(byKiosk.packs).toHaveLength(2);
  });

  it("refuses unknown and malformed destinations", async () => {
    const { client } = await startTestCatalog();
    const attempt = (countryCode: string) =>
      client.getRoamingDestination(GetRoamingDestinationRequest.fromPartial({ countryCode })).then(
        () => undefined,
        (thrown: unknown) => thrown as ServiceCallError,
      );
    const unknown = await attempt("ZZ");
    expect([unknown?.code, unknown?.reason]).toEqual([status.NOT_FOUND, "ROAMING_DESTINATION_NOT_FOUND"]);
    const malformed = await attempt("japan");
    expect([malformed?.code, malformed?.reason]).toEqual([status.INVALID_ARGUMENT, "COUNTRY_CODE_MALFORMED"]);
  });

  it("lists every destination in country code order, page by page", async () => {
    const { client } = await startTestCatalog();
    const codes: string[] = [];
    let pageToken = "";
    do {
      const page = await client.listRoamingDestinations(
        ListRoamingDestinationsRequest.fromPartial({ pageSize: 5, pageToken }),
      );
      codes.push(...page.destinations.map((destination) => destination.countryCode));
      pageToken = page.nextPageToken;
    } while (pageToken);
    expect(codes).toEqual(ROAMING_DESTINATIONS.map((destination) => destination.countryCode).sort());
  });
});

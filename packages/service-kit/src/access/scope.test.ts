import { status } from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import { DomainError } from "../domain-error.js";
import type { ActingParty } from "./acting-party.js";
import {
  assertOperatorRole,
  assertPlaceInScope,
  provinceScopeOf,
  subscriberInScope,
  subscriberRequestInScope,
  territoryCovers,
  type Whereabouts,
} from "./scope.js";

const PLACES: Record<string, Whereabouts> = {
  sub_shenzhen: { provinceCode: "GD", city: "深圳" },
  sub_guangzhou: { provinceCode: "GD", city: "广州" },
  sub_beijing: { provinceCode: "BJ", city: "北京" },
};
const whereabouts = async (id: string) => PLACES[id];
const as = (party?: ActingParty) => ({ party });
const me: ActingParty = { kind: "subscriber", subscriberId: "sub_shenzhen", msisdn: "13800138000" };
const byNumberOnly: ActingParty = { kind: "subscriber", subscriberId: "", msisdn: "13800138000" };
const shenzhenAgent: ActingParty = { kind: "agent", agentId: "agt_1", territory: { provinceCode: "GD", city: "深圳" } };
const gdOperator: ActingParty = { kind: "operator", operatorId: "op_1", roles: ["viewer"], provinceScope: "GD" };
const hq: ActingParty = { kind: "operator", operatorId: "op_hq", roles: ["author", "approver"], provinceScope: "*" };
const kiosk: ActingParty = { kind: "device", deviceId: "dev_1", shopId: "shop_1", provinceCode: "GD" };

async function reasonOf(run: () => unknown): Promise<[number, string] | "allowed"> {
  try {
    await run();
    return "allowed";
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return [error.code, error.reason];
  }
}
const OUTSIDE = [status.PERMISSION_DENIED, "OUTSIDE_PARTY_SCOPE"];

describe("party scope", () => {
  it("a subscriber acts only for themselves; an empty id means them", async () => {
    expect(await subscriberInScope(as(me), "", whereabouts)).toBe("sub_shenzhen");
    expect(await subscriberInScope(as(me), "sub_shenzhen", whereabouts)).toBe("sub_shenzhen");
    expect(await reasonOf(() => subscriberInScope(as(me), "sub_guangzhou", whereabouts))).toEqual(OUTSIDE);
    // Known only by number (the SMS hall before its lookup): nobody's data, not even by an empty id.
    expect(await reasonOf(() => subscriberInScope(as(byNumberOnly), "", whereabouts))).toEqual(OUTSIDE);
  });

  it("an agent only in their territory, an operator in their province, HQ everywhere, a kiosk alone nowhere", async () => {
    expect(await subscriberInScope(as(shenzhenAgent), "sub_shenzhen", whereabouts)).toBe("sub_shenzhen");
    expect(await reasonOf(() => subscriberInScope(as(shenzhenAgent), "sub_guangzhou", whereabouts))).toEqual(OUTSIDE);
    expect(await subscriberInScope(as(gdOperator), "sub_guangzhou", whereabouts)).toBe("sub_guangzhou");
    expect(await reasonOf(() => subscriberInScope(as(gdOperator), "sub_beijing", whereabouts))).toEqual(OUTSIDE);
    expect(await subscriberInScope(as(hq), "sub_beijing", whereabouts)).toBe("sub_beijing");
    expect(await reasonOf(() => subscriberInScope(as(kiosk), "sub_shenzhen", whereabouts))).toEqual(OUTSIDE);
    // An unknown subscriber looks like one outside the area: nobody probes who exists.
    expect(await reasonOf(() => subscriberInScope(as(hq), "sub_nobody", whereabouts))).toEqual(OUTSIDE);
    // Staff must name whom they serve.
    expect(await reasonOf(() => subscriberInScope(as(gdOperator), "", whereabouts))).toEqual([
      status.INVALID_ARGUMENT,
      "SUBSCRIBER_ID_REQUIRED",
    ]);
  });

  it("trusts a domain service with the id it names, and makes a failed lookup a retryable outage", async () => {
    expect(await subscriberInScope(as(), "sub_anyone", whereabouts)).toBe("sub_anyone");
    const down = async (): Promise<Whereabouts | undefined> => {
      throw new Error("connect ECONNREFUSED");
    };
    expect(await reasonOf(() => subscriberInScope(as(gdOperator), "sub_guangzhou", down))).toEqual([
      status.UNAVAILABLE,
      "SUBSCRIBER_WHEREABOUTS_UNAVAILABLE",
    ]);
  });

  it("rewrites a request's subscriber to the party's, leaving services' and malformed ids to the handler", async () => {
    const wellFormed = (id: string) => id.startsWith("sub_");
    const request = { subscriberId: "", pageSize: 5 };
    expect(await subscriberRequestInScope(as(me), request, whereabouts, wellFormed)).toEqual({
      subscriberId: "sub_shenzhen",
      pageSize: 5,
    });
    expect(await subscriberRequestInScope(as(), request, whereabouts, wellFormed)).toBe(request);
    const malformed = { subscriberId: "x'; DROP" };
    expect(await subscriberRequestInScope(as(gdOperator), malformed, whereabouts, wellFormed)).toBe(malformed);
  });

  it("places, provinces and roles", async () => {
    expect(territoryCovers({ provinceCode: "GD" }, { provinceCode: "GD", city: "广州" })).toBe(true);
    expect(territoryCovers({ provinceCode: "GD", city: "深圳" }, { provinceCode: "GD", city: "广州" })).toBe(false);
    expect(territoryCovers({ provinceCode: "GD", area: "南山" }, { provinceCode: "GD", area: "福田" })).toBe(false);
    expect(await reasonOf(() => assertPlaceInScope(as(gdOperator), { provinceCode: "BJ" }))).toEqual(OUTSIDE);
    expect(await reasonOf(() => assertPlaceInScope(as(me), { provinceCode: "GD" }))).toEqual(OUTSIDE);
    expect(await reasonOf(() => assertPlaceInScope(as(hq), { provinceCode: "BJ" }))).toBe("allowed");
    expect(await reasonOf(() => assertPlaceInScope(as(), { provinceCode: "BJ" }))).toBe("allowed");
    expect([provinceScopeOf(as(gdOperator)), provinceScopeOf(as(hq)), provinceScopeOf(as())]).toEqual([
      "GD",
      undefined,
      undefined,
    ]);
    expect([provinceScopeOf(as(shenzhenAgent)), provinceScopeOf(as(kiosk)), provinceScopeOf(as(me))]).toEqual([
      "GD",
      "GD",
      undefined,
    ]);
    expect(await reasonOf(() => assertOperatorRole(as(hq), "approver"))).toBe("allowed");
    expect(await reasonOf(() => assertOperatorRole(as(), "approver"))).toBe("allowed");
    expect(await reasonOf(() => assertOperatorRole(as(gdOperator), "author", "approver"))).toEqual([
      status.PERMISSION_DENIED,
      "OPERATOR_ROLE_REQUIRED",
    ]);
    expect(await reasonOf(() => assertOperatorRole(as(shenzhenAgent), "viewer"))).toEqual([
      status.PERMISSION_DENIED,
      "OPERATOR_ROLE_REQUIRED",
    ]);
  });
});

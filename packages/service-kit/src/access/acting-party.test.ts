import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  ACTING_PARTY_MAX_TTL_SECONDS,
  ActingPartyRejected,
  actingPartyKey,
  describeParty,
  signActingParty,
  verifyActingParty,
  type ActingParty,
} from "./acting-party.js";

const webKey = actingPartyKey("development-key-for-web-hall");
const subscriber: ActingParty = { kind: "subscriber", subscriberId: "sub_demo000001", msisdn: "13800138000" };
const now = new Date("2026-12-01T10:00:00Z");
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

/** A correctly signed token around any payload text. */
function signRaw(text: string, key = webKey): string {
  const payload = Buffer.from(text).toString("base64url");
  return `v1.${payload}.${createHmac("sha256", key).update(`v1.${payload}`).digest("base64url")}`;
}

const forge = (claims: unknown, key = webKey) => signRaw(JSON.stringify(claims), key);

function rejection(token: string, options: { caller?: string; key?: Buffer; at?: Date } = {}): string {
  try {
    verifyActingParty(token, {
      caller: options.caller ?? "web-hall",
      key: options.key ?? webKey,
      now: options.at ?? now,
    });
  } catch (error) {
    expect(error).toBeInstanceOf(ActingPartyRejected);
    return (error as Error).message;
  }
  throw new Error("the token was accepted");
}

describe("acting party tokens", () => {
  it("carry the party from the hall that signed it to the service", () => {
    const token = signActingParty(subscriber, { caller: "web-hall", key: webKey, now });
    expect(verifyActingParty(token, { caller: "web-hall", key: webKey, now })).toEqual(subscriber);
    const agent: ActingParty = { kind: "agent", agentId: "agt_7", territory: { provinceCode: "GD", city: "深圳" } };
    const miniKey = actingPartyKey("development-key-for-mini-hall");
    const signed = signActingParty(agent, { caller: "mini-hall", key: miniKey, now });
    expect(verifyActingParty(signed, { caller: "mini-hall", key: miniKey, now })).toEqual(agent);
    expect(describeParty(agent)).toEqual({ kind: "agent", id: "agt_7" });
  });

  it("refuse a changed payload or signature", () => {
    const [version, payload, signature] = signActingParty(subscriber, { caller: "web-hall", key: webKey, now }).split(
      ".",
    );
    const other = Buffer.from(
      Buffer.from(payload!, "base64url").toString().replace("sub_demo000001", "sub_demo000002"),
    ).toString("base64url");
    expect(rejection(`${version}.${other}.${signature}`)).toBe("bad signature");
    const flipped = signature!.startsWith("A") ? `B${signature!.slice(1)}` : `A${signature!.slice(1)}`;
    expect(rejection(`${version}.${payload}.${flipped}`)).toBe("bad signature");
    expect(rejection(`v2.${payload}.${signature}`)).toBe("malformed");
    expect(rejection(`${version}.${payload}`)).toBe("malformed");
    expect(rejection(`${version}.${payload}.${signature}.extra`)).toBe("malformed");
    expect(rejection(signRaw("{not json"))).toBe("malformed payload");
  });

  it("refuse one past its expiry (beyond the clock skew), one without expiry, and one living too long", () => {
    const token = signActingParty(subscriber, { caller: "web-hall", key: webKey, now, ttlSeconds: 60 });
    expect(rejection(token, { at: new Date(now.getTime() + 91_000) })).toBe("expired");
    expect(
      verifyActingParty(token, { caller: "web-hall", key: webKey, now: new Date(now.getTime() + 80_000) }),
    ).toEqual(subscriber);
    const iat = seconds(now);
    expect(rejection(forge({ iss: "web-hall", iat, party: subscriber }))).toBe("no expiry");
    expect(rejection(forge({ iss: "web-hall", iat, exp: "later", party: subscriber }))).toBe("no expiry");
    expect(
      rejection(forge({ iss: "web-hall", iat, exp: iat + ACTING_PARTY_MAX_TTL_SECONDS + 1, party: subscriber })),
    ).toBe("lives too long");
    expect(rejection(forge({ iss: "web-hall", iat: iat + 3600, exp: iat + 3660, party: subscriber }))).toBe(
      "issued in the future",
    );
    // Asking to sign for longer gets the longest allowed, never more.
    const capped = signActingParty(subscriber, { caller: "web-hall", key: webKey, now, ttlSeconds: 86_400 });
    const claims = JSON.parse(Buffer.from(capped.split(".")[1]!, "base64url").toString()) as {
      iat: number;
      exp: number;
    };
    expect(claims.exp - claims.iat).toBe(ACTING_PARTY_MAX_TTL_SECONDS);
  });

  it("refuse a token another caller signed, or one signed with another key", () => {
    const kioskKey = actingPartyKey("development-key-for-kiosk");
    const kiosks = signActingParty(subscriber, { caller: "kiosk", key: kioskKey, now });
    // Presented by the web hall: the web hall's key does not verify the kiosk's signature.
    expect(rejection(kiosks)).toBe("bad signature");
    // The right key but the claims name another issuer (a hall replaying what it was given).
    expect(rejection(forge({ iss: "kiosk", iat: seconds(now), exp: seconds(now) + 60, party: subscriber }))).toBe(
      "signed by another caller",
    );
  });

  it("refuse tokens that are too long and parties that are not well formed", () => {
    expect(rejection(`v1.${"a".repeat(5000)}.b`)).toBe("token too long");
    const claims = (party: unknown) => ({ iss: "web-hall", iat: seconds(now), exp: seconds(now) + 60, party });
    expect(rejection(forge(claims({ kind: "superuser", id: "x" })))).toBe("malformed party");
    expect(rejection(forge(claims({ kind: "subscriber", subscriberId: "sub_1" })))).toBe("malformed party");
    expect(rejection(forge(claims({ kind: "subscriber", subscriberId: "sub 1", msisdn: "13800138000" })))).toBe(
      "malformed party",
    );
    expect(rejection(forge(claims({ kind: "agent", agentId: "agt_1" })))).toBe("malformed party");
    expect(
      rejection(forge(claims({ kind: "operator", operatorId: "op_1", roles: ["root"], provinceScope: "GD" }))),
    ).toBe("malformed party");
    expect(rejection(forge(claims({ kind: "device", deviceId: "dev_1", shopId: "shop_1" })))).toBe("malformed party");
    expect(rejection(forge(claims(null)))).toBe("malformed party");
  });
});

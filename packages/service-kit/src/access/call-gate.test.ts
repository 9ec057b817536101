import { Metadata, status } from "@grpc/grpc-js";
import { KNOWN_CALLERS, developmentCallerKey } from "@omnihall/config";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { describe, expect, it } from "vitest";
import { DomainError } from "../domain-error.js";
import {
  ACTING_PARTIES_KEY,
  ACTING_PARTY_KEY,
  actingPartyKey,
  signActingParties,
  signActingParty,
  type ActingParty,
} from "./acting-party.js";
import { createCallGate } from "./call-gate.js";
import type { CallRule } from "./policy.js";

const keys = new Map(KNOWN_CALLERS.map((name) => [name, developmentCallerKey(name)]));
const { admit, admitBatch } = createCallGate(keys);
const subscriber: ActingParty = { kind: "subscriber", subscriberId: "sub_demo000001", msisdn: "13800138000" };
const agent: ActingParty = { kind: "agent", agentId: "agt_1", territory: { provinceCode: "GD" } };

/** Call metadata as the channel client sends it for `caller` acting for `party`. */
function metadataOf(caller: string, party?: ActingParty, signer = caller): Metadata {
  const metadata = new Metadata();
  if (party) {
    const key = actingPartyKey(developmentCallerKey(signer));
    metadata.set(ACTING_PARTY_KEY, signActingParty(party, { caller: signer, key }));
  }
  return metadata;
}

/** A batch call's metadata: one signed party per item. */
function batchMetadataOf(caller: string, parties: ActingParty[], signer = caller): Metadata {
  const metadata = new Metadata();
  const key = actingPartyKey(developmentCallerKey(signer));
  metadata.set(ACTING_PARTIES_KEY, signActingParties(parties, { caller: signer, key }));
  return metadata;
}

function refusal(run: () => unknown): [number, string] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return [(error as DomainError).code, (error as DomainError).reason];
  }
  throw new Error("the call was let through");
}

const halls: CallRule = { callers: ["web-hall", "mini-hall", "kiosk", "orders"] };

describe("the call gate", () => {
  it("refuses callers the rule does not list, before looking at anything else", () => {
    expect(refusal(() => admit("sms-hall", halls, metadataOf("sms-hall", subscriber), {}))).toEqual([
      status.PERMISSION_DENIED,
      "CALLER_NOT_ALLOWED",
    ]);
    expect(refusal(() => admit("stranger", halls, new Metadata(), {}))).toEqual([
      status.PERMISSION_DENIED,
      "CALLER_NOT_ALLOWED",
    ]);
  });

  it("lets a hall through acting for a party of a kind it may assert, and only then", () => {
    expect(admit("web-hall", halls, metadataOf("web-hall", subscriber), {}).party).toEqual(subscriber);
    expect(refusal(() => admit("web-hall", halls, new Metadata(), {}))).toEqual([
      status.UNAUTHENTICATED,
      "ACTING_PARTY_REQUIRED",
    ]);
    expect(admit("web-hall", { ...halls, anonymous: true }, new Metadata(), {}).party).toBeUndefined();
    // The web hall logs in subscribers; it cannot claim to be a field agent.
    expect(refusal(() => admit("web-hall", halls, metadataOf("web-hall", agent), {}))).toEqual([
      status.PERMISSION_DENIED,
      "PARTY_KIND_NOT_ALLOWED",
    ]);
    expect(admit("mini-hall", halls, metadataOf("mini-hall", agent), {}).party).toEqual(agent);
    // A domain service acts for nobody: it is trusted with its work, and cannot smuggle a party in.
    expect(admit("orders", halls, new Metadata(), {}).party).toBeUndefined();
    expect(refusal(() => admit("orders", halls, metadataOf("orders", subscriber), {}))).toEqual([
      status.PERMISSION_DENIED,
      "PARTY_KIND_NOT_ALLOWED",
    ]);
  });

  it("refuses a party token that does not verify, saying why in its metadata", () => {
    const borrowed = metadataOf("web-hall", subscriber, "kiosk");
    let error: unknown;
    try {
      admit("web-hall", halls, borrowed, {});
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toMatchObject({ code: status.UNAUTHENTICATED, reason: "ACTING_PARTY_INVALID" });
    expect((error as DomainError).metadata.why).toBe("bad signature");
    const garbage = new Metadata();
    garbage.set(ACTING_PARTY_KEY, "not a token");
    expect(refusal(() => admit("web-hall", halls, garbage, {}))).toEqual([
      status.UNAUTHENTICATED,
      "ACTING_PARTY_INVALID",
    ]);
  });

  it("takes a hall's channel from the caller: another is refused, none is filled in", () => {
    const metadata = metadataOf("mini-hall", agent);
    expect(refusal(() => admit("mini-hall", halls, metadata, { channel: Channel.CHANNEL_WEB_HALL }))).toEqual([
      status.PERMISSION_DENIED,
      "CHANNEL_MISMATCH",
    ]);
    const request = { channel: Channel.CHANNEL_UNSPECIFIED };
    expect(admit("mini-hall", halls, metadata, request).channel).toBe(Channel.CHANNEL_MINI_HALL);
    expect(request.channel).toBe(Channel.CHANNEL_MINI_HALL);
    expect(admit("mini-hall", halls, metadata, { channel: Channel.CHANNEL_MINI_HALL }).channel).toBe(
      Channel.CHANNEL_MINI_HALL,
    );
    // A request without a channel field is left as it is; the call still carries the hall's channel.
    const plain: Record<string, unknown> = { subscriberId: "sub_1" };
    expect(admit("mini-hall", halls, metadata, plain).channel).toBe(Channel.CHANNEL_MINI_HALL);
    expect(plain).not.toHaveProperty("channel");
    // A domain service passes on the channel of the work it does.
    expect(admit("orders", halls, new Metadata(), { channel: Channel.CHANNEL_SMS_HALL }).channel).toBe(
      Channel.CHANNEL_SMS_HALL,
    );
    // A client stream's requests come later: the gate checks caller and party only.
    expect(admit("kiosk", halls, metadataOf("kiosk", subscriber), undefined).channel).toBe(Channel.CHANNEL_KIOSK);
  });

  describe("a batch call", () => {
    const smsHall: CallRule = { callers: ["sms-hall"] };
    const other: ActingParty = { kind: "subscriber", subscriberId: "", msisdn: "13900139000" };

    it("admits each item with its own party and the caller's channel", () => {
      const items = [{ channel: Channel.CHANNEL_UNSPECIFIED }, { channel: Channel.CHANNEL_UNSPECIFIED }];
      const admissions = admitBatch("sms-hall", smsHall, batchMetadataOf("sms-hall", [subscriber, other]), items);
      expect(admissions).toEqual([
        { party: subscriber, channel: Channel.CHANNEL_SMS_HALL },
        { party: other, channel: Channel.CHANNEL_SMS_HALL },
      ]);
      expect(items.map((item) => item.channel)).toEqual([Channel.CHANNEL_SMS_HALL, Channel.CHANNEL_SMS_HALL]);
    });

    it("refuses one item alone for what concerns it alone", () => {
      const admissions = admitBatch("sms-hall", smsHall, batchMetadataOf("sms-hall", [agent, subscriber]), [
        {},
        { channel: Channel.CHANNEL_WEB_HALL },
      ]);
      expect(admissions[0]).toMatchObject({ code: status.PERMISSION_DENIED, reason: "PARTY_KIND_NOT_ALLOWED" });
      expect(admissions[1]).toMatchObject({ code: status.PERMISSION_DENIED, reason: "CHANNEL_MISMATCH" });
    });

    it("refuses the whole call for its caller, its signature, or parties not one per item", () => {
      expect(refusal(() => admitBatch("web-hall", smsHall, batchMetadataOf("web-hall", [subscriber]), [{}]))).toEqual([
        status.PERMISSION_DENIED,
        "CALLER_NOT_ALLOWED",
      ]);
      expect(
        refusal(() => admitBatch("sms-hall", smsHall, batchMetadataOf("sms-hall", [subscriber], "kiosk"), [{}])),
      ).toEqual([status.UNAUTHENTICATED, "ACTING_PARTY_INVALID"]);
      expect(
        refusal(() => admitBatch("sms-hall", smsHall, batchMetadataOf("sms-hall", [subscriber]), [{}, {}])),
      ).toEqual([status.UNAUTHENTICATED, "ACTING_PARTY_INVALID"]);
      // A single call's token is no batch's: the items then have no party, which a hall needs.
      const single = metadataOf("sms-hall", subscriber);
      expect(admitBatch("sms-hall", smsHall, single, [{}])[0]).toMatchObject({ reason: "ACTING_PARTY_REQUIRED" });
    });
  });
});

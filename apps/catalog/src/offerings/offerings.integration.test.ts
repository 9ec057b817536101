import { status } from "@grpc/grpc-js";
import { ServiceCallError, createServiceClient } from "@omnihall/channel-client";
import { developmentCallerKey } from "@omnihall/config";
import { DEMO_PLANS } from "@omnihall/demo-data";
import { AllowanceRecurrence, AllowanceUnit } from "@omnihall/proto/omnihall/catalog/v1/allowance";
import {
  CatalogServiceClient,
  EligibilityRules,
  ListOfferingsRequest,
  OfferingKind,
  OfferingLifecycle,
  PriceRecurrence,
  UnsubscribeEffect,
  ValidityKind,
  type Offering,
} from "@omnihall/proto/omnihall/catalog/v1/catalog";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { uniqueSuffix } from "@omnihall/testkit";
import { describe, expect, it, onTestFinished } from "vitest";
import type { ActingParty, OperatorRole } from "@omnihall/service-kit";
import { startTestCatalog } from "../testing.js";

/** The error a call fails with (the test fails if it succeeds). */
async function failure(call: Promise<unknown>): Promise<ServiceCallError> {
  const error = await call.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ServiceCallError);
  return error as ServiceCallError;
}

function newPack(code: string): Offering {
  return {
    offeringId: "",
    code,
    kind: OfferingKind.OFFERING_KIND_DATA_PACK,
    name: { zhCn: "测试流量包", en: "Test Data Pack" },
    description: { zhCn: "测试用。", en: "For tests." },
    priceFen: 1200n,
    priceRecurrence: PriceRecurrence.PRICE_RECURRENCE_ONE_TIME,
    validity: { kind: ValidityKind.VALIDITY_KIND_DAYS, days: 7 },
    unsubscribeEffect: UnsubscribeEffect.UNSUBSCRIBE_EFFECT_IMMEDIATE,
    allowances: [
      {
        unit: AllowanceUnit.ALLOWANCE_UNIT_DATA_KB,
        quantity: 2n * 1024n * 1024n,
        recurrence: AllowanceRecurrence.ALLOWANCE_RECURRENCE_ONCE,
        roamingCountryCode: "",
      },
    ],
    availability: { provinceCodes: ["SC"], channels: [Channel.CHANNEL_WEB_HALL] },
    eligibility: EligibilityRules.create({ stackable: true }),
    trial: undefined,
    lifecycle: OfferingLifecycle.OFFERING_LIFECYCLE_UNSPECIFIED,
    createTime: undefined,
    updateTime: undefined,
  };
}

describe("offerings over gRPC", () => {
  it("serves the demo plans with the demo-data codes, prices and allowances", async () => {
    const { client } = await startTestCatalog();
    for (const plan of DEMO_PLANS) {
      const { offering } = await client.getOffering({ code: plan.code });
      expect(offering!.kind).toBe(OfferingKind.OFFERING_KIND_PLAN);
      expect(offering!.lifecycle).toBe(OfferingLifecycle.OFFERING_LIFECYCLE_ACTIVE);
      expect(offering!.priceFen).toBe(plan.monthlyFeeFen);
      expect(offering!.name).toEqual({ zhCn: plan.nameZh, en: plan.nameEn });
      expect(offering!.allowances.map((allowance) => [allowance.unit, allowance.quantity])).toEqual([
        [AllowanceUnit.ALLOWANCE_UNIT_DATA_KB, plan.dataKb],
        [AllowanceUnit.ALLOWANCE_UNIT_VOICE_SECONDS, plan.voiceSeconds],
        [AllowanceUnit.ALLOWANCE_UNIT_SMS_COUNT, plan.smsCount],
      ]);
      const byId = await client.getOffering({ offeringId: offering!.offeringId });
      expect(byId.offering).toEqual(offering);
    }
  });

  it("keeps kind details and feature settings through the database", async () => {
    const { client } = await startTestCatalog();
    const { offering: forwarding } = await client.getOffering({ code: "VAS_CALL_FORWARDING" });
    expect(forwarding!.feature!.featureCode).toBe("CALL_FORWARDING");
    expect(forwarding!.feature!.settings.map((setting) => setting.key)).toEqual(["condition", "forward_to"]);
    expect(forwarding!.feature!.settings[0]!.allowedValues).toEqual(["UNCONDITIONAL", "BUSY", "NO_ANSWER"]);
    const { offering: broadband } = await client.getOffering({ code: "BB_300M_NEW" });
    expect(broadband!.broadband!.installationFeeFen).toBe(10000n);
    expect(broadband!.roaming).toBeUndefined();
    const { offering: trial } = await client.getOffering({ code: "TRIAL_5G_BOOST_7D" });
    expect(trial!.trial).toEqual({ days: 7 });
  });

  it("explains lookups that fail, in both languages", async () => {
    const { client } = await startTestCatalog({ seed: false, caller: "platform" });
    const missing = await failure(client.getOffering({ code: "NO_SUCH_PACK" }));
    expect([missing.code, missing.reason]).toEqual([status.NOT_FOUND, "OFFERING_NOT_FOUND"]);
    expect(missing.messages["zh-CN"]).toContain("NO_SUCH_PACK");
    expect(missing.messages.en).toContain("NO_SUCH_PACK");
    const malformed = await failure(client.getOffering({ code: "no such pack" }));
    expect([malformed.code, malformed.reason]).toEqual([status.INVALID_ARGUMENT, "OFFERING_CODE_MALFORMED"]);
    expect((await failure(client.getOffering({ offeringId: "x" }))).reason).toBe("OFFERING_ID_MALFORMED");
    expect((await failure(client.getOffering({}))).reason).toBe("LOOKUP_REQUIRED");
  });

  it("lists what is on sale, filtered by kind, province, channel, lifecycle and destination", async () => {
    const { client } = await startTestCatalog();
    const codes = async (filters: Partial<ListOfferingsRequest>) =>
      (await client.listOfferings(ListOfferingsRequest.fromPartial({ pageSize: 200, ...filters }))).offerings.map(
        (offering) => offering.code,
      );

    const onSale = await codes({});
    expect(onSale).toContain("PLAN_5G_59");
    expect(onSale).not.toContain("DATA_500MB_MONTH");
    expect(onSale).not.toContain("DATA_100GB_HOLIDAY");
    expect(await codes({ lifecycle: OfferingLifecycle.OFFERING_LIFECYCLE_RETIRED })).toEqual(["DATA_500MB_MONTH"]);
    expect(await codes({ kind: OfferingKind.OFFERING_KIND_PLAN })).toEqual(DEMO_PLANS.map((p) => p.code).sort());
    expect(await codes({ roamingCountryCode: "JP" })).toEqual(["ROAM_JP_1D", "ROAM_JP_7D"]);
    expect(await codes({ provinceCode: "GD" })).toContain("DATA_GD_LOCAL_15GB");
    expect(await codes({ provinceCode: "BJ" })).not.toContain("DATA_GD_LOCAL_15GB");
    expect(await codes({ provinceCode: "BJ" })).not.toContain("BB_300M_NEW");
    const bySms = await codes({ channel: Channel.CHANNEL_SMS_HALL });
    expect(bySms).toContain("DATA_1GB_1D");
    expect(bySms).not.toContain("VAS_CALL_FORWARDING");

    const invalid = await failure(client.listOfferings(ListOfferingsRequest.fromPartial({ provinceCode: "ZZ" })));
    expect(invalid.reason).toBe("PROVINCE_CODE_UNKNOWN");
    expect(
      (await failure(client.listOfferings(ListOfferingsRequest.fromPartial({ kind: 99 as OfferingKind })))).reason,
    ).toBe("FILTER_INVALID");
  });

  it("pages through every offering in code order, with tokens bound to their filters", async () => {
    const { client } = await startTestCatalog();
    const all = (await client.listOfferings(ListOfferingsRequest.fromPartial({ pageSize: 200 }))).offerings.map(
      (offering) => offering.code,
    );
    const paged: string[] = [];
    let pageToken = "";
    let pages = 0;
    do {
      const page = await client.listOfferings(ListOfferingsRequest.fromPartial({ pageSize: 7, pageToken }));
      paged.push(...page.offerings.map((offering) => offering.code));
      pageToken = page.nextPageToken;
      pages++;
    } while (pageToken);
    expect(paged).toEqual(all);
    expect(paged).toEqual([...paged].sort());
    expect(pages).toBe(Math.ceil(all.length / 7));

    const first = await client.listOfferings(ListOfferingsRequest.fromPartial({ pageSize: 5 }));
    const replayed = await failure(
      client.listOfferings(
        ListOfferingsRequest.fromPartial({ pageSize: 5, pageToken: first.nextPageToken, provinceCode: "GD" }),
      ),
    );
    expect(replayed.reason).toBe("PAGE_TOKEN_INVALID");
  });

  it("creates a draft, edits it, puts it on sale, freezes its terms, and retires it", async () => {
    const { client } = await startTestCatalog({ seed: false, caller: "platform" });
    const code = `DATA_TEST_${uniqueSuffix().toUpperCase()}`;
    const created = await client.createOffering({ requestId: `create-${code}`, offering: newPack(code) });
    expect(created.offering!.offeringId).toMatch(/^off_/);
    expect(created.offering!.lifecycle).toBe(OfferingLifecycle.OFFERING_LIFECYCLE_DRAFT);
    expect(created.offering!.availability).toEqual({ provinceCodes: ["SC"], channels: [Channel.CHANNEL_WEB_HALL] });

    const repriced = await client.updateOffering({
      requestId: `reprice-${code}`,
      offering: { ...newPack(code), priceFen: 990n },
      updateMask: ["price_fen"],
    });
    expect(repriced.offering!.priceFen).toBe(990n);

    const activated = await client.activateOffering({ requestId: `activate-${code}`, code });
    expect(activated.offering!.lifecycle).toBe(OfferingLifecycle.OFFERING_LIFECYCLE_ACTIVE);
    expect(
      (await client.listOfferings(ListOfferingsRequest.fromPartial({ provinceCode: "SC" }))).offerings.map(
        (o) => o.code,
      ),
    ).toContain(code);

    const frozen = await failure(
      client.updateOffering({
        requestId: `reprice-again-${code}`,
        offering: { ...newPack(code), priceFen: 1n },
        updateMask: ["price_fen"],
      }),
    );
    expect([frozen.code, frozen.reason]).toEqual([status.FAILED_PRECONDITION, "OFFERING_FIELD_FROZEN"]);
    const renamed = await client.updateOffering({
      requestId: `rename-${code}`,
      offering: { ...newPack(code), name: { zhCn: "新名字", en: "New Name" } },
      updateMask: ["name"],
    });
    expect(renamed.offering!.name!.en).toBe("New Name");
    expect(renamed.offering!.priceFen).toBe(990n);

    await client.retireOffering({ requestId: `retire-${code}`, code });
    const again = await failure(client.activateOffering({ requestId: `reactivate-${code}`, code }));
    expect([again.code, again.reason]).toEqual([status.FAILED_PRECONDITION, "LIFECYCLE_TRANSITION_INVALID"]);
    const retiredEdit = await failure(
      client.updateOffering({ requestId: `late-${code}`, offering: newPack(code), updateMask: ["name"] }),
    );
    expect(retiredEdit.reason).toBe("OFFERING_RETIRED");
  });

  it("replays a retried request_id, refuses one reused for another request, and refuses a taken code", async () => {
    const { client } = await startTestCatalog({ seed: false, caller: "platform" });
    const code = `DATA_TEST_${uniqueSuffix().toUpperCase()}`;
    const requestId = `create-${code}`;
    // Ten copies of the same request racing each other: one offering, one answer.
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => client.createOffering({ requestId, offering: newPack(code) })),
    );
    expect(new Set(answers.map((answer) => answer.offering!.offeringId)).size).toBe(1);

    const reused = await failure(client.createOffering({ requestId, offering: { ...newPack(code), priceFen: 1n } }));
    expect([reused.code, reused.reason]).toEqual([status.ALREADY_EXISTS, "REQUEST_ID_REUSED"]);
    const taken = await failure(client.createOffering({ requestId: `${requestId}-2`, offering: newPack(code) }));
    expect([taken.code, taken.reason]).toEqual([status.ALREADY_EXISTS, "OFFERING_CODE_TAKEN"]);

    const activated = await client.activateOffering({ requestId: `activate-${code}`, code });
    const retried = await client.activateOffering({ requestId: `activate-${code}`, code });
    expect(retried).toEqual(activated);
  });

  it("refuses bad offerings with the field at fault", async () => {
    const { client } = await startTestCatalog({ seed: false, caller: "platform" });
    const code = `DATA_TEST_${uniqueSuffix().toUpperCase()}`;
    const missingRequestId = await failure(client.createOffering({ requestId: "", offering: newPack(code) }));
    expect(missingRequestId.reason).toBe("REQUEST_ID_REQUIRED");
    const bad = await failure(
      client.createOffering({
        requestId: `bad-${code}`,
        offering: { ...newPack(code), validity: { kind: ValidityKind.VALIDITY_KIND_DAYS, days: 0 } },
      }),
    );
    expect([bad.code, bad.reason]).toEqual([status.INVALID_ARGUMENT, "VALIDITY_INVALID"]);
    expect(bad.fieldViolations.map((violation) => violation.field)).toEqual(["offering.validity"]);
    // A refused request changed nothing, so its request_id still works once the request is fixed.
    const fixed = await client.createOffering({ requestId: `bad-${code}`, offering: newPack(code) });
    expect(fixed.offering!.code).toBe(code);
    const mask = await failure(
      client.updateOffering({ requestId: `mask-${code}`, offering: newPack(code), updateMask: ["code"] }),
    );
    expect(mask.reason).toBe("UPDATE_MASK_INVALID");
  });

  it("lets operators author only in their province and role, and shows drafts to no subscriber hall", async () => {
    const { address } = await startTestCatalog({ seed: false });
    const clientAs = (caller: string) => {
      const client = createServiceClient(CatalogServiceClient, {
        address,
        caller,
        credential: developmentCallerKey(caller),
      });
      onTestFinished(() => client.close());
      return client;
    };
    const ops = clientAs("ops-console");
    const web = clientAs("web-hall");
    const operator = (provinceScope: string, ...roles: OperatorRole[]): { party: ActingParty } => ({
      party: {
        kind: "operator",
        operatorId: provinceScope === "*" ? "op_hq" : `op_${provinceScope}`,
        roles,
        provinceScope,
      },
    });
    const pack = (code: string, provinceCodes: string[]) => ({
      ...newPack(code),
      availability: { provinceCodes, channels: [Channel.CHANNEL_WEB_HALL] },
    });
    const code = `DATA_GD_${uniqueSuffix().toUpperCase()}`;
    const create = (offering: Offering, party: { party: ActingParty }) =>
      ops.createOffering({ requestId: `create-${offering.code}-${party.party.kind}`, offering }, party);
    const reasonOf = async (call: Promise<unknown>) => (await failure(call)).reason;

    expect(await reasonOf(create(pack(code, ["GD"]), operator("GD", "viewer")))).toBe("OPERATOR_ROLE_REQUIRED");
    expect(await reasonOf(create(pack(`${code}_NATIONAL`, []), operator("GD", "author")))).toBe("OUTSIDE_PARTY_SCOPE");
    expect(await reasonOf(create(pack(`${code}_SC`, ["SC"]), operator("GD", "author")))).toBe("OUTSIDE_PARTY_SCOPE");
    await create(pack(code, ["GD"]), operator("GD", "author"));
    await create(pack(`${code}_NATIONAL`, []), operator("*", "author"));

    // Putting it on sale is the approver's, of the same province (or HQ).
    const activate = (party: { party: ActingParty }, attempt: string) =>
      ops.activateOffering({ requestId: `activate-${code}-${attempt}`, code }, party);
    expect(await reasonOf(activate(operator("GD", "author"), "author"))).toBe("OPERATOR_ROLE_REQUIRED");
    expect(await reasonOf(activate(operator("SC", "approver"), "sc"))).toBe("OUTSIDE_PARTY_SCOPE");
    // Moving it to another province is authoring there.
    const moved = ops.updateOffering(
      { requestId: `move-${code}`, offering: pack(code, ["SC"]), updateMask: ["availability"] },
      operator("GD", "author"),
    );
    expect(await reasonOf(moved)).toBe("OUTSIDE_PARTY_SCOPE");

    // A draft is not public: a subscriber hall neither finds it nor lists drafts.
    const anonymous = await failure(web.getOffering({ code }));
    expect([anonymous.code, anonymous.reason]).toEqual([status.NOT_FOUND, "OFFERING_NOT_FOUND"]);
    const drafts = ListOfferingsRequest.fromPartial({ lifecycle: OfferingLifecycle.OFFERING_LIFECYCLE_DRAFT });
    expect(await reasonOf(web.listOfferings(drafts))).toBe("OFFERING_DRAFTS_HIDDEN");
    expect((await ops.getOffering({ code }, operator("SC", "viewer"))).offering!.code).toBe(code);

    await activate(operator("GD", "approver"), "gd");
    expect((await web.getOffering({ code })).offering!.lifecycle).toBe(OfferingLifecycle.OFFERING_LIFECYCLE_ACTIVE);
  });
});

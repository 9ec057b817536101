import { status } from "@grpc/grpc-js";
import { ServiceCallError } from "@omnihall/channel-client";
import { CampaignState } from "@omnihall/proto/omnihall/campaign/v1/campaign";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { describe, expect, it } from "vitest";
import { demoCampaignSpec, operator, startTestCampaignService } from "../testing.js";

const AUTHOR = operator("op_gd_author", ["author"], "GD");
const APPROVER = operator("op_gd_approver", ["approver"], "GD");
const AUTHOR_AND_APPROVER = operator("op_gd_both", ["author", "approver"], "GD");
const ZJ_APPROVER = operator("op_zj_approver", ["approver", "author", "viewer"], "ZJ");
const HQ = operator("op_hq", ["author", "approver", "viewer"]);
const GD_VIEWER = operator("op_gd_viewer", ["viewer"], "GD");

let counter = 0;
const rid = (label: string) => `${label}-${Date.now()}-${(counter += 1)}`;

/** The refusal a call ends in: [gRPC code, reason]. */
async function refusal(call: Promise<unknown>): Promise<[number, string]> {
  try {
    await call;
  } catch (error) {
    if (error instanceof ServiceCallError) return [error.code, error.reason ?? ""];
    throw error;
  }
  throw new Error("the call succeeded");
}

describe("campaign lifecycle", () => {
  it("runs draft → pending approval → live → paused → live → ended with two operators, all audited", async () => {
    const service = await startTestCampaignService();
    const ops = service.client();

    const { campaign: draft } = await ops.createCampaign(
      { requestId: rid("create"), spec: demoCampaignSpec("GD") },
      { party: AUTHOR },
    );
    expect(draft).toMatchObject({ state: CampaignState.CAMPAIGN_STATE_DRAFT, authorId: "op_gd_author" });
    expect(draft!.campaignId).toMatch(/^cmp_/);
    const campaignId = draft!.campaignId;
    // A province campaign's audience defaults to its own province.
    expect(draft!.spec!.audience!.provinceCodes).toEqual(["GD"]);

    const updated = await ops.updateCampaign(
      { requestId: rid("update"), campaignId, etag: draft!.etag, spec: demoCampaignSpec("GD", { name: "流量包七折" }) },
      { party: AUTHOR },
    );
    expect(updated.campaign!.spec!.name).toBe("流量包七折");
    // A stale etag is a lost update, refused.
    expect(
      await refusal(
        ops.updateCampaign(
          { requestId: rid("update"), campaignId, etag: draft!.etag, spec: demoCampaignSpec("GD") },
          { party: AUTHOR },
        ),
      ),
    ).toEqual([status.ABORTED, "CAMPAIGN_CHANGED"]);

    // Approving a draft is out of order; a viewer cannot submit.
    expect(await refusal(ops.approveCampaign({ requestId: rid("a"), campaignId }, { party: APPROVER }))).toEqual([
      status.FAILED_PRECONDITION,
      "STATE_TRANSITION_INVALID",
    ]);
    expect(await refusal(ops.submitCampaign({ requestId: rid("s"), campaignId }, { party: GD_VIEWER }))).toEqual([
      status.PERMISSION_DENIED,
      "OPERATOR_ROLE_REQUIRED",
    ]);

    const submitted = await ops.submitCampaign({ requestId: rid("submit"), campaignId }, { party: AUTHOR });
    expect(submitted.campaign!.state).toBe(CampaignState.CAMPAIGN_STATE_PENDING_APPROVAL);
    // Submitted campaigns are frozen.
    expect(
      await refusal(
        ops.updateCampaign(
          { requestId: rid("u"), campaignId, etag: "", spec: demoCampaignSpec("GD") },
          { party: AUTHOR },
        ),
      ),
    ).toEqual([status.FAILED_PRECONDITION, "CAMPAIGN_NOT_DRAFT"]);

    // Another province's approver may not approve, nor even see it.
    expect(await refusal(ops.approveCampaign({ requestId: rid("a"), campaignId }, { party: ZJ_APPROVER }))).toEqual([
      status.PERMISSION_DENIED,
      "OUTSIDE_PARTY_SCOPE",
    ]);
    expect(await refusal(ops.getCampaign({ campaignId }, { party: ZJ_APPROVER }))).toEqual([
      status.PERMISSION_DENIED,
      "OUTSIDE_PARTY_SCOPE",
    ]);

    const approveId = rid("approve");
    const approved = await ops.approveCampaign({ requestId: approveId, campaignId }, { party: APPROVER });
    // Its start time has come: approval releases it at once.
    expect(approved.campaign).toMatchObject({ state: CampaignState.CAMPAIGN_STATE_LIVE, approverId: "op_gd_approver" });
    // A retry answers the first result and changes nothing more.
    const retried = await ops.approveCampaign({ requestId: approveId, campaignId }, { party: APPROVER });
    expect(retried.campaign).toEqual(approved.campaign);

    const paused = await ops.pauseCampaign({ requestId: rid("pause"), campaignId }, { party: APPROVER });
    expect(paused.campaign!.state).toBe(CampaignState.CAMPAIGN_STATE_PAUSED);
    const resumed = await ops.resumeCampaign({ requestId: rid("resume"), campaignId }, { party: AUTHOR });
    expect(resumed.campaign!.state).toBe(CampaignState.CAMPAIGN_STATE_LIVE);
    const ended = await ops.endCampaign({ requestId: rid("end"), campaignId }, { party: HQ });
    expect(ended.campaign!.state).toBe(CampaignState.CAMPAIGN_STATE_ENDED);
    expect(await refusal(ops.resumeCampaign({ requestId: rid("r"), campaignId }, { party: AUTHOR }))).toEqual([
      status.FAILED_PRECONDITION,
      "STATE_TRANSITION_INVALID",
    ]);

    const { entries } = await ops.listAuditEntries({ campaignId, pageSize: 0, pageToken: "" }, { party: GD_VIEWER });
    expect(entries.map((entry) => [entry.action, entry.actor])).toEqual([
      ["CREATE", "operator:op_gd_author"],
      ["UPDATE", "operator:op_gd_author"],
      ["SUBMIT", "operator:op_gd_author"],
      ["APPROVE", "operator:op_gd_approver"],
      ["PAUSE", "operator:op_gd_approver"],
      ["RESUME", "operator:op_gd_author"],
      ["END", "operator:op_hq"],
    ]);
    const approval = entries[3]!;
    expect(approval.requestId).toBe(approveId);
    expect(JSON.parse(approval.beforeJson)).toMatchObject({ state: "CAMPAIGN_STATE_PENDING_APPROVAL" });
    expect(JSON.parse(approval.afterJson)).toMatchObject({
      state: "CAMPAIGN_STATE_LIVE",
      approverId: "op_gd_approver",
    });
    expect(entries[0]!.beforeJson).toBe("");

    // Launch, pause, resume and end each published one event through the outbox.
    const subjects = (await service.db.outboxMessage.findMany({ orderBy: { id: "asc" } })).map((row) => row.subject);
    expect(subjects).toEqual([
      "campaign.campaign.launched",
      "campaign.campaign.paused",
      "campaign.campaign.launched",
      "campaign.campaign.ended",
    ]);
  });

  it("refuses the author's own approval, even with the approver role", async () => {
    const service = await startTestCampaignService();
    const ops = service.client();
    const { campaign } = await ops.createCampaign(
      { requestId: rid("create"), spec: demoCampaignSpec("GD") },
      { party: AUTHOR_AND_APPROVER },
    );
    const campaignId = campaign!.campaignId;
    await ops.submitCampaign({ requestId: rid("submit"), campaignId }, { party: AUTHOR_AND_APPROVER });
    expect(
      await refusal(ops.approveCampaign({ requestId: rid("a"), campaignId }, { party: AUTHOR_AND_APPROVER })),
    ).toEqual([status.PERMISSION_DENIED, "AUTHOR_CANNOT_APPROVE"]);
    expect(
      await refusal(
        ops.rejectCampaign({ requestId: rid("r"), campaignId, reason: "x" }, { party: AUTHOR_AND_APPROVER }),
      ),
    ).toEqual([status.PERMISSION_DENIED, "AUTHOR_CANNOT_APPROVE"]);

    // A rejection needs a reason, and sends it back to draft for the author.
    expect(
      await refusal(ops.rejectCampaign({ requestId: rid("r"), campaignId, reason: " " }, { party: APPROVER })),
    ).toEqual([status.INVALID_ARGUMENT, "REJECTION_REASON_REQUIRED"]);
    const rejected = await ops.rejectCampaign(
      { requestId: rid("r"), campaignId, reason: "文案需修改" },
      { party: APPROVER },
    );
    expect(rejected.campaign).toMatchObject({
      state: CampaignState.CAMPAIGN_STATE_DRAFT,
      rejectionReason: "文案需修改",
    });
  });

  it("keeps province operators to their own province and national campaigns to HQ", async () => {
    const service = await startTestCampaignService();
    const ops = service.client();
    // A province author creates neither national nor another province's campaigns.
    expect(
      await refusal(ops.createCampaign({ requestId: rid("c"), spec: demoCampaignSpec(undefined) }, { party: AUTHOR })),
    ).toEqual([status.PERMISSION_DENIED, "OUTSIDE_PARTY_SCOPE"]);
    expect(
      await refusal(ops.createCampaign({ requestId: rid("c"), spec: demoCampaignSpec("ZJ") }, { party: AUTHOR })),
    ).toEqual([status.PERMISSION_DENIED, "OUTSIDE_PARTY_SCOPE"]);

    const national = (
      await ops.createCampaign({ requestId: rid("c"), spec: demoCampaignSpec(undefined) }, { party: HQ })
    ).campaign!;
    const guangdong = (
      await ops.createCampaign({ requestId: rid("c"), spec: demoCampaignSpec("GD") }, { party: AUTHOR })
    ).campaign!;
    const zhejiang = (
      await ops.createCampaign({ requestId: rid("c"), spec: demoCampaignSpec("ZJ") }, { party: ZJ_APPROVER })
    ).campaign!;

    // Seeing: HQ sees all three; GD sees its own only, and asking for others is refused.
    const list = (party: typeof HQ, filter: { provinceCode?: string; nationalOnly?: boolean } = {}) =>
      ops.listCampaigns(
        {
          pageSize: 0,
          pageToken: "",
          states: [],
          provinceCode: filter.provinceCode ?? "",
          nationalOnly: filter.nationalOnly ?? false,
        },
        { party },
      );
    expect((await list(HQ)).campaigns.map((c) => c.campaignId)).toEqual(
      expect.arrayContaining([national.campaignId, guangdong.campaignId, zhejiang.campaignId]),
    );
    expect((await list(GD_VIEWER)).campaigns.map((c) => c.campaignId)).toEqual([guangdong.campaignId]);
    expect(await refusal(list(GD_VIEWER, { provinceCode: "ZJ" }))).toEqual([
      status.PERMISSION_DENIED,
      "OUTSIDE_PARTY_SCOPE",
    ]);
    expect(await refusal(list(GD_VIEWER, { nationalOnly: true }))).toEqual([
      status.PERMISSION_DENIED,
      "OUTSIDE_PARTY_SCOPE",
    ]);
    expect((await list(HQ, { nationalOnly: true })).campaigns.map((c) => c.campaignId)).toEqual([national.campaignId]);
    for (const campaignId of [national.campaignId, zhejiang.campaignId]) {
      expect(await refusal(ops.getCampaign({ campaignId }, { party: GD_VIEWER }))).toEqual([
        status.PERMISSION_DENIED,
        "OUTSIDE_PARTY_SCOPE",
      ]);
      expect(
        await refusal(ops.listAuditEntries({ campaignId, pageSize: 0, pageToken: "" }, { party: GD_VIEWER })),
      ).toEqual([status.PERMISSION_DENIED, "OUTSIDE_PARTY_SCOPE"]);
    }
    // Approving: a GD approver cannot approve HQ's national campaign.
    await ops.submitCampaign({ requestId: rid("s"), campaignId: national.campaignId }, { party: HQ });
    expect(
      await refusal(ops.approveCampaign({ requestId: rid("a"), campaignId: national.campaignId }, { party: APPROVER })),
    ).toEqual([status.PERMISSION_DENIED, "OUTSIDE_PARTY_SCOPE"]);
    // Audience: a GD operator may not size a national or another province's audience.
    const audience = demoCampaignSpec("GD").audience!;
    expect(
      await refusal(
        ops.estimateAudience(
          { audience, scope: { national: true, provinceCode: "" }, holdoutPercent: 0 },
          { party: AUTHOR },
        ),
      ),
    ).toEqual([status.PERMISSION_DENIED, "OUTSIDE_PARTY_SCOPE"]);
    expect(
      await refusal(
        ops.estimateAudience(
          { audience, scope: { national: false, provinceCode: "ZJ" }, holdoutPercent: 0 },
          { party: AUTHOR },
        ),
      ),
    ).toEqual([status.PERMISSION_DENIED, "OUTSIDE_PARTY_SCOPE"]);
    // Unknown ids look like out-of-scope ones.
    expect(await refusal(ops.getCampaign({ campaignId: "cmp_01JUNKNOWN" }, { party: HQ }))).toEqual([
      status.PERMISSION_DENIED,
      "OUTSIDE_PARTY_SCOPE",
    ]);
    // Services other than the console may not author at all (the caller policy), but orders may validate an id.
    expect(
      await refusal(
        service
          .client("web-hall")
          .listCampaigns({ pageSize: 0, pageToken: "", states: [], provinceCode: "", nationalOnly: false }),
      ),
    ).toEqual([status.PERMISSION_DENIED, "CALLER_NOT_ALLOWED"]);
    const validated = await service.client("orders").getCampaign({ campaignId: guangdong.campaignId });
    expect(validated.campaign!.campaignId).toBe(guangdong.campaignId);
  });

  it("answers bad input with the field's reason, and a reused request id as REQUEST_ID_REUSED", async () => {
    const service = await startTestCampaignService();
    const ops = service.client();
    const spec = demoCampaignSpec("GD");
    const cases: Array<[Partial<typeof spec>, string]> = [
      [{ name: " " }, "NAME_REQUIRED"],
      [{ offer: { ...spec.offer!, offeringCode: "pack-10g" } }, "OFFERING_CODE_MALFORMED"],
      [{ offer: { ...spec.offer!, discountBps: 12_000 } }, "DISCOUNT_INVALID"],
      [{ scope: { national: true, provinceCode: "GD" } }, "SCOPE_INVALID"],
      [{ scope: { national: false, provinceCode: "QQ" } }, "PROVINCE_CODE_UNKNOWN"],
      [{ audience: { ...spec.audience!, provinceCodes: ["ZJ"] } }, "AUDIENCE_INVALID"],
      [{ channels: [] }, "CHANNELS_REQUIRED"],
      [{ channels: [{ ...spec.channels[0]!, channel: 5 }] }, "CHANNEL_INVALID"],
      [
        {
          channels: [{ ...spec.channels[0]!, creative: { ...spec.channels[0]!.creative!, webBannerText: undefined } }],
        },
        "CREATIVE_REQUIRED",
      ],
      [
        { channels: [{ ...spec.channels[1]!, creative: { ...spec.channels[1]!.creative!, smsReplyKeyword: "TD" } }] },
        "SMS_REPLY_KEYWORD_MALFORMED",
      ],
      [{ schedule: { ...spec.schedule!, endTime: spec.schedule!.startTime } }, "SCHEDULE_INVALID"],
      [{ schedule: { ...spec.schedule!, timeZone: "Mars/Olympus" } }, "TIME_ZONE_UNKNOWN"],
      [{ holdoutPercent: 80 }, "HOLDOUT_INVALID"],
      [{ caps: { perSubscriberFrequency: -1, totalQuantity: 0n, budgetFen: 0n } }, "CAPS_INVALID"],
    ];
    for (const [override, reason] of cases) {
      expect(
        await refusal(ops.createCampaign({ requestId: rid("bad"), spec: { ...spec, ...override } }, { party: AUTHOR })),
        reason,
      ).toEqual([status.INVALID_ARGUMENT, reason]);
    }
    expect(await refusal(ops.createCampaign({ requestId: "", spec }, { party: AUTHOR }))).toEqual([
      status.INVALID_ARGUMENT,
      "REQUEST_ID_REQUIRED",
    ]);
    expect(await refusal(ops.getCampaign({ campaignId: "ord_1" }, { party: HQ }))).toEqual([
      status.INVALID_ARGUMENT,
      "CAMPAIGN_ID_MALFORMED",
    ]);

    const requestId = rid("create-once");
    const first = await ops.createCampaign({ requestId, spec }, { party: AUTHOR });
    const again = await ops.createCampaign({ requestId, spec }, { party: AUTHOR });
    expect(again.campaign).toEqual(first.campaign);
    expect(await service.db.campaign.count()).toBe(1);
    expect(
      await refusal(ops.createCampaign({ requestId, spec: { ...spec, name: "另一个活动" } }, { party: AUTHOR })),
    ).toEqual([status.ALREADY_EXISTS, "REQUEST_ID_REUSED"]);
  });

  it("launches a scheduled campaign at its start time and ends it at its end time, by itself", async () => {
    const service = await startTestCampaignService({ schedulerIntervalMs: 100 });
    const ops = service.client();
    const start = new Date(Date.now() + 1_500);
    const spec = demoCampaignSpec("GD", {
      schedule: { startTime: start, endTime: new Date(start.getTime() + 1_500), timeZone: "Asia/Shanghai" },
    });
    const { campaign } = await ops.createCampaign({ requestId: rid("c"), spec }, { party: AUTHOR });
    const campaignId = campaign!.campaignId;
    await ops.submitCampaign({ requestId: rid("s"), campaignId }, { party: AUTHOR });
    const approved = await ops.approveCampaign({ requestId: rid("a"), campaignId }, { party: APPROVER });
    expect(approved.campaign!.state).toBe(CampaignState.CAMPAIGN_STATE_SCHEDULED);

    const stateOf = async () => (await ops.getCampaign({ campaignId }, { party: HQ })).campaign!.state;
    await expect.poll(stateOf, { timeout: 10_000, interval: 50 }).toBe(CampaignState.CAMPAIGN_STATE_LIVE);
    expect(Date.now()).toBeGreaterThanOrEqual(start.getTime());
    await expect.poll(stateOf, { timeout: 10_000, interval: 50 }).toBe(CampaignState.CAMPAIGN_STATE_ENDED);
    const { entries } = await ops.listAuditEntries({ campaignId, pageSize: 0, pageToken: "" }, { party: HQ });
    expect(entries.slice(-2).map((entry) => [entry.action, entry.actor])).toEqual([
      ["GO_LIVE", "system:scheduler"],
      ["EXPIRE", "system:scheduler"],
    ]);
  });

  // 180 calls to set the campaigns up: seconds on a quiet machine, up to ~20 s on a loaded 2-core one.
  it("with two instances, launches and ends each of 60 scheduled campaigns once", { timeout: 90_000 }, async () => {
    const service = await startTestCampaignService({ schedulerIntervalMs: 50 });
    await service.startInstance();
    const ops = service.client();
    const COUNT = 60; // more than one scheduler round takes (50)
    const start = new Date(Date.now() + 3_600_000);
    const base = demoCampaignSpec("GD", {
      schedule: { startTime: start, endTime: new Date(start.getTime() + 3_600_000), timeZone: "Asia/Shanghai" },
    });
    // Without the SMS hall: no waves (this test is about the scheduler).
    const spec = {
      ...base,
      channels: base.channels.filter((placement) => placement.channel !== Channel.CHANNEL_SMS_HALL),
    };
    const ids = await Promise.all(
      Array.from({ length: COUNT }, async () => {
        const { campaign } = await ops.createCampaign({ requestId: rid("c"), spec }, { party: AUTHOR });
        const campaignId = campaign!.campaignId;
        await ops.submitCampaign({ requestId: rid("s"), campaignId }, { party: AUTHOR });
        await ops.approveCampaign({ requestId: rid("a"), campaignId }, { party: APPROVER });
        return campaignId;
      }),
    );
    const inState = (state: "LIVE" | "ENDED") => service.db.campaign.count({ where: { id: { in: ids }, state } });
    const count = (where: { action?: string; subject?: string }) =>
      where.action
        ? service.db.auditEntry.count({ where: { campaignId: { in: ids }, action: where.action } })
        : service.db.outboxMessage.count({ where: { subject: where.subject } });
    expect(await inState("LIVE")).toBe(0);

    // Their start time comes (both instances' schedulers are polling), then their end time.
    await service.db.$executeRaw`UPDATE campaign SET start_time = now() WHERE id = ANY(${ids})`;
    await expect.poll(() => inState("LIVE"), { timeout: 15_000, interval: 50 }).toBe(COUNT);
    await service.db.$executeRaw`UPDATE campaign SET end_time = now() WHERE id = ANY(${ids})`;
    await expect.poll(() => inState("ENDED"), { timeout: 15_000, interval: 50 }).toBe(COUNT);

    expect(await count({ action: "GO_LIVE" })).toBe(COUNT);
    expect(await count({ action: "EXPIRE" })).toBe(COUNT);
    expect(await count({ subject: "campaign.campaign.launched" })).toBe(COUNT);
    expect(await count({ subject: "campaign.campaign.ended" })).toBe(COUNT);
  });
});

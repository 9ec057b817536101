import { describe, expect, it } from "vitest";
import { consolePlatform, OPERATORS } from "./testing/console-platform.js";
import { consoleSpec } from "./testing/specs.js";

let counter = 0;
const key = () => `key-${Date.now()}-${(counter += 1)}`;
const bearer = (token: string) => ({ authorization: `Bearer ${token}`, "idempotency-key": key() });

describe("ops console API", () => {
  it("runs a national campaign author → another operator approves → live → paused, with the services' refusals", async () => {
    const platform = await consolePlatform();
    const author = await platform.logIn(OPERATORS.hqAuthor);
    const approver = await platform.logIn(OPERATORS.hqApprover);

    const me = await platform.call("GET", "/v1/me", undefined, bearer(author));
    expect(me.body).toMatchObject({ operatorId: OPERATORS.hqAuthor.id, roles: ["author"], provinceScope: "*" });

    const created = await platform.call("POST", "/v1/campaigns", { spec: consoleSpec() }, bearer(author));
    expect(created.status).toBe(201);
    const { campaignId } = created.body.campaign;
    expect(created.body.campaign).toMatchObject({ state: "DRAFT", authorId: OPERATORS.hqAuthor.id });
    expect(created.body.campaign.spec.channels.map((c: { channel: string }) => c.channel)).toEqual([
      "WEB_HALL",
      "SMS_HALL",
      "KIOSK",
      "MINI_HALL",
    ]);

    const estimate = await platform.call(
      "POST",
      "/v1/audience-estimates",
      { audience: { provinceCodes: ["GD"] }, scope: { national: true }, holdoutPercent: 10 },
      bearer(author),
    );
    expect(estimate.status).toBe(200);
    expect(estimate.body.matching).toBeGreaterThan(0);
    expect(estimate.body.reachable).toBeLessThanOrEqual(estimate.body.matching);

    const sms = await platform.call("POST", "/v1/sms-previews", { text: "回复 LL8 办理" }, bearer(author));
    expect(sms.body).toEqual({ encoding: "UCS2", parts: 1, characters: 9 });

    expect(
      (await platform.call("POST", `/v1/campaigns/${campaignId}/submit`, undefined, bearer(author))).body.campaign
        .state,
    ).toBe("PENDING_APPROVAL");
    // The author holds no approver role: the campaign service refuses, and the console passes its words on.
    const selfApproval = await platform.call("POST", `/v1/campaigns/${campaignId}/approve`, undefined, bearer(author));
    expect(selfApproval.status).toBe(403);
    expect(selfApproval.body.error.reason).toBe("OPERATOR_ROLE_REQUIRED");

    // A Guangdong approver may not approve a national campaign.
    const gdApprover = await platform.logIn(OPERATORS.gdApprover);
    const outside = await platform.call("POST", `/v1/campaigns/${campaignId}/approve`, undefined, bearer(gdApprover));
    expect([outside.status, outside.body.error.reason]).toEqual([403, "OUTSIDE_PARTY_SCOPE"]);

    const noWave = await platform.call("GET", `/v1/campaigns/${campaignId}/wave`, undefined, bearer(author));
    expect([noWave.status, noWave.body.error.reason]).toEqual([404, "WAVE_NOT_FOUND"]);

    const approved = await platform.call("POST", `/v1/campaigns/${campaignId}/approve`, undefined, bearer(approver));
    expect(approved.body.campaign).toMatchObject({ state: "LIVE", approverId: OPERATORS.hqApprover.id });
    // Live with an SMS channel: its outbound wave reports its progress (walking the audience, or done with it).
    await expect
      .poll(
        async () => (await platform.call("GET", `/v1/campaigns/${campaignId}/wave`, undefined, bearer(author))).status,
      )
      .toBe(200);
    const wave = await platform.call("GET", `/v1/campaigns/${campaignId}/wave`, undefined, bearer(author));
    expect(["RUNNING", "COMPLETED"]).toContain(wave.body.state);
    expect(wave.body.counted).toBeGreaterThanOrEqual(wave.body.handedOver);

    const paused = await platform.call("POST", `/v1/campaigns/${campaignId}/pause`, undefined, bearer(approver));
    expect(paused.body.campaign.state).toBe("PAUSED");

    const audit = await platform.call("GET", `/v1/campaigns/${campaignId}/audit`, undefined, bearer(author));
    expect(audit.body.entries.map((e: { action: string }) => e.action)).toEqual([
      "CREATE",
      "SUBMIT",
      "APPROVE",
      "PAUSE",
    ]);
    expect(audit.body.entries[2].actor).toBe(`operator:${OPERATORS.hqApprover.id}`);

    // A Guangdong operator neither lists nor reads a national campaign (the campaign service's scope).
    const guangdong = await platform.logIn(OPERATORS.gdAuthorApprover);
    const list = await platform.call("GET", "/v1/campaigns", undefined, bearer(guangdong));
    expect(list.body.campaigns.map((c: { campaignId: string }) => c.campaignId)).not.toContain(campaignId);
    const read = await platform.call("GET", `/v1/campaigns/${campaignId}`, undefined, bearer(guangdong));
    expect([read.status, read.body.error.reason]).toEqual([403, "OUTSIDE_PARTY_SCOPE"]);
  }, 120_000);

  it("refuses a province author's own approval with AUTHOR_CANNOT_APPROVE, bad logins and bad input clearly", async () => {
    const platform = await consolePlatform();
    const wrong = await platform.call("POST", "/v1/sessions", {
      operatorId: OPERATORS.gdAuthorApprover.id,
      password: "not-the-password",
    });
    expect([wrong.status, wrong.body.error.reason]).toEqual([401, "OPERATOR_CREDENTIALS_WRONG"]);

    const gd = await platform.logIn(OPERATORS.gdAuthorApprover);
    const national = await platform.call("POST", "/v1/campaigns", { spec: consoleSpec() }, bearer(gd));
    expect([national.status, national.body.error.reason]).toEqual([403, "OUTSIDE_PARTY_SCOPE"]);
    const own = await platform.call("POST", "/v1/campaigns", { spec: consoleSpec("GD") }, bearer(gd));
    const { campaignId } = own.body.campaign;
    await platform.call("POST", `/v1/campaigns/${campaignId}/submit`, undefined, bearer(gd));
    const self = await platform.call("POST", `/v1/campaigns/${campaignId}/approve`, undefined, bearer(gd));
    expect([self.status, self.body.error.reason]).toEqual([403, "AUTHOR_CANNOT_APPROVE"]);
    expect(self.body.error.message).toMatch(/[\u4e00-\u9fff]/);

    // Another Guangdong approver sends it back with a reason; the author edits the draft (a stale etag is refused).
    const gdApprover = await platform.logIn(OPERATORS.gdApprover);
    const rejected = await platform.call(
      "POST",
      `/v1/campaigns/${campaignId}/reject`,
      { reason: "短信文案需要修改" },
      bearer(gdApprover),
    );
    expect(rejected.body.campaign).toMatchObject({ state: "DRAFT", rejectionReason: "短信文案需要修改" });
    const edited = await platform.call(
      "PUT",
      `/v1/campaigns/${campaignId}`,
      { spec: consoleSpec("GD", "广东本地活动（改）"), etag: rejected.body.campaign.etag },
      bearer(gd),
    );
    expect(edited.body.campaign.spec.name).toBe("广东本地活动（改）");
    const stale = await platform.call(
      "PUT",
      `/v1/campaigns/${campaignId}`,
      { spec: consoleSpec("GD"), etag: rejected.body.campaign.etag },
      bearer(gd),
    );
    expect([stale.status, stale.body.error.reason]).toEqual([409, "CAMPAIGN_CHANGED"]);

    // The audience of a national or another province's campaign is not theirs to size; a viewer writes nothing.
    for (const scope of [{ national: true }, { national: false, provinceCode: "ZJ" }]) {
      const sized = await platform.call("POST", "/v1/audience-estimates", { audience: {}, scope }, bearer(gd));
      expect([sized.status, sized.body.error.reason]).toEqual([403, "OUTSIDE_PARTY_SCOPE"]);
    }
    const viewer = await platform.logIn(OPERATORS.viewer);
    const viewerCreates = await platform.call("POST", "/v1/campaigns", { spec: consoleSpec() }, bearer(viewer));
    expect([viewerCreates.status, viewerCreates.body.error.reason]).toEqual([403, "OPERATOR_ROLE_REQUIRED"]);

    const bad = await platform.call(
      "POST",
      "/v1/campaigns",
      { spec: { ...consoleSpec("GD"), holdoutPercent: "10" } },
      bearer(gd),
    );
    expect([bad.status, bad.body.error.reason]).toEqual([400, "REQUEST_INVALID"]);
    const noKey = await platform.call(
      "POST",
      "/v1/campaigns",
      { spec: consoleSpec("GD") },
      { authorization: `Bearer ${gd}` },
    );
    expect(noKey.status).toBe(400);
    const anonymous = await platform.call("GET", "/v1/campaigns");
    expect(anonymous.status).toBe(401);
  }, 120_000);
});

import { status } from "@grpc/grpc-js";
import { createServiceClient } from "@omnihall/channel-client";
import { developmentCallerKey } from "@omnihall/config";
import { AgentServiceClient, AgentStatus } from "@omnihall/proto/omnihall/customer/v1/agent";
import type { KnownCaller } from "@omnihall/service-kit";
import { describe, expect, it, onTestFinished } from "vitest";
import { callFailure } from "@omnihall/channel-client/testing";
import { startCustomerHarness, type CustomerHarness } from "../testing/customer-harness.js";
import { hashPin } from "./pin-hash.js";

const HANDHELD = "hh-gd-sz-0001";

async function agentsFixture() {
  const harness = await startCustomerHarness();
  // A handheld as the terminal registry holds it, and a kiosk (which is no handheld).
  await harness.db.$executeRaw`
    INSERT INTO terminal (terminal_id, kind, shop_id, province_code, city, location, software_version)
    VALUES (${HANDHELD}, 'HANDHELD', 'outlet-sz-1', 'GD', '深圳', '南山', '1.0'),
           ('kiosk-gd-sz-01', 'KIOSK', 'shop-sz-1', 'GD', '深圳', '南山', '1.0')`;
  await harness.db.agent.create({
    data: { id: "agt_sz_1", name: "李娜", provinceCode: "GD", city: "深圳", pinHash: await hashPin("246810") },
  });
  const clientAs = (caller: KnownCaller) => {
    const client = createServiceClient(AgentServiceClient, {
      address: harness.address,
      caller,
      credential: developmentCallerKey(caller),
    });
    onTestFinished(() => client.close());
    return client;
  };
  return { harness, hall: clientAs("mini-hall"), clientAs };
}

let attempt = 0;
const login = (pin: string, overrides: Record<string, string> = {}) => ({
  requestId: `login-${(attempt += 1)}`,
  agentId: "agt_sz_1",
  pin,
  deviceId: HANDHELD,
  ...overrides,
});

async function agentRow(harness: CustomerHarness) {
  return harness.db.agent.findUniqueOrThrow({ where: { id: "agt_sz_1" } });
}

describe("AgentService", () => {
  it("logs an agent in on a registered handheld and answers their territory", async () => {
    const { hall } = await agentsFixture();
    const { agent } = await hall.loginAgent(login("246810"));
    expect(agent).toMatchObject({
      agentId: "agt_sz_1",
      name: "李娜",
      territory: { provinceCode: "GD", city: "深圳", area: "" },
      status: AgentStatus.AGENT_STATUS_ACTIVE,
    });
  });

  it("refuses a device that is not a registered handheld, before looking at the PIN", async () => {
    const { harness, hall } = await agentsFixture();
    for (const deviceId of ["phone-of-someone", "kiosk-gd-sz-01"]) {
      const refused = await callFailure(hall.loginAgent(login("000000", { deviceId })));
      expect([refused.code, refused.reason]).toEqual([status.PERMISSION_DENIED, "DEVICE_NOT_REGISTERED"]);
      expect(refused.messages["zh-CN"]).toContain("终端");
    }
    expect((await agentRow(harness)).failedPinAttempts).toBe(0);
  });

  it("locks after five wrong PINs (a replayed attempt counts once) until operations unlock", async () => {
    const { harness, hall, clientAs } = await agentsFixture();
    const first = login("111111");
    const wrong = await callFailure(hall.loginAgent(first));
    expect([wrong.code, wrong.reason, wrong.metadata.attemptsLeft]).toEqual([
      status.UNAUTHENTICATED,
      "AGENT_CREDENTIALS_WRONG",
      "4",
    ]);
    // The same request again (a retry after a lost answer) counts nothing more.
    expect((await callFailure(hall.loginAgent(first))).metadata.attemptsLeft).toBe("4");
    expect((await agentRow(harness)).failedPinAttempts).toBe(1);

    // Three more wrong ones, concurrently: each counted.
    await Promise.all([1, 2, 3].map(() => callFailure(hall.loginAgent(login("222222")))));
    expect((await agentRow(harness)).failedPinAttempts).toBe(4);
    expect((await callFailure(hall.loginAgent(login("333333")))).reason).toBe("AGENT_LOCKED");
    // Now even the right PIN is refused.
    const locked = await callFailure(hall.loginAgent(login("246810")));
    expect([locked.code, locked.reason]).toEqual([status.FAILED_PRECONDITION, "AGENT_LOCKED"]);
    expect((await agentRow(harness)).status).toBe("LOCKED");

    // The hall cannot unlock; operations staff of another province may not; of Guangdong may.
    expect((await callFailure(hall.unlockAgent({ requestId: "u1", agentId: "agt_sz_1" }))).reason).toBe(
      "CALLER_NOT_ALLOWED",
    );
    const ops = clientAs("ops-console");
    const operator = (provinceScope: string, role: "approver" | "support" | "author" = "approver") => ({
      party: { kind: "operator" as const, operatorId: "op_1", roles: [role], provinceScope },
    });
    const outside = await callFailure(ops.unlockAgent({ requestId: "u2", agentId: "agt_sz_1" }, operator("ZJ")));
    expect(outside.reason).toBe("OUTSIDE_PARTY_SCOPE");
    for (const role of ["support", "author"] as const) {
      const notApprover = await callFailure(
        ops.unlockAgent({ requestId: "u2", agentId: "agt_sz_1" }, operator("GD", role)),
      );
      expect([notApprover.code, notApprover.reason]).toEqual([status.PERMISSION_DENIED, "OPERATOR_ROLE_REQUIRED"]);
    }
    // The ops console must act for an operator; an agent party is refused before the handler.
    const asAgent = { party: { kind: "agent" as const, agentId: "agt_sz_1", territory: { provinceCode: "GD" } } };
    expect((await callFailure(ops.unlockAgent({ requestId: "u2", agentId: "agt_sz_1" }, asAgent))).code).toBe(
      status.PERMISSION_DENIED,
    );
    expect((await agentRow(harness)).status).toBe("LOCKED");
    expect(await harness.db.agentAuditEntry.count()).toBe(0);

    const { agent } = await ops.unlockAgent({ requestId: "u3", agentId: "agt_sz_1" }, operator("GD"));
    expect([agent?.status, agent?.failedPinAttempts]).toEqual([AgentStatus.AGENT_STATUS_ACTIVE, 0]);
    // A retry of the same unlock is applied and audited once.
    await ops.unlockAgent({ requestId: "u3", agentId: "agt_sz_1" }, operator("GD"));
    const audit = await harness.db.agentAuditEntry.findMany({ where: { agentId: "agt_sz_1" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: "UNLOCK",
      actor: "operator:op_1",
      actorDetail: { provinceScope: "GD", roles: ["approver"] },
      before: { status: "LOCKED", failedPinAttempts: 5 },
      after: { status: "ACTIVE", failedPinAttempts: 0 },
    });
    expect((await hall.loginAgent(login("246810"))).agent?.agentId).toBe("agt_sz_1");
    // Group HQ may too (an unlocked agent stays as it is; the call is still audited).
    const hq = await ops.unlockAgent({ requestId: "u4", agentId: "agt_sz_1" }, operator("*"));
    expect(hq.agent?.status).toBe(AgentStatus.AGENT_STATUS_ACTIVE);
    expect(await harness.db.agentAuditEntry.count({ where: { agentId: "agt_sz_1" } })).toBe(2);
    // An agent nobody knows: not found (for the right role, in scope of group HQ).
    const unknown = await callFailure(ops.unlockAgent({ requestId: "u5", agentId: "agt_nobody" }, operator("*")));
    expect(unknown.reason).toBe("OUTSIDE_PARTY_SCOPE");
  });

  it("gives a retried login its first answer only when it is the same login (request ids come from devices)", async () => {
    const { harness, hall } = await agentsFixture();
    await harness.db.$executeRaw`
      INSERT INTO terminal (terminal_id, kind, shop_id, province_code, city, location, software_version)
      VALUES ('hh-gd-sz-0002', 'HANDHELD', 'outlet-sz-1', 'GD', '深圳', '南山', '1.0')`;
    const good = login("246810");
    expect((await hall.loginAgent(good)).agent?.agentId).toBe("agt_sz_1");
    // The same login again (its answer was lost): the same session-worthy answer.
    expect((await hall.loginAgent(good)).agent?.agentId).toBe("agt_sz_1");
    // Someone who learnt the id replays it with a guess: no session; the guess counts like any wrong PIN.
    const guessed = await callFailure(hall.loginAgent({ ...good, pin: "999999" }));
    expect([guessed.code, guessed.reason]).toEqual([status.ALREADY_EXISTS, "REQUEST_ID_REUSED"]);
    expect((await agentRow(harness)).failedPinAttempts).toBe(1);
    // Or from another handheld: refused, nothing counted.
    const elsewhere = await callFailure(hall.loginAgent({ ...good, deviceId: "hh-gd-sz-0002" }));
    expect(elsewhere.reason).toBe("REQUEST_ID_REUSED");
    expect((await agentRow(harness)).failedPinAttempts).toBe(1);

    // A refused login retried with another PIN gets its refusal again: nothing counted, nothing learnt.
    const wrong = login("111111");
    expect((await callFailure(hall.loginAgent(wrong))).metadata.attemptsLeft).toBe("3");
    for (const pin of ["111111", "222222", "246810"]) {
      const again = await callFailure(hall.loginAgent({ ...wrong, pin }));
      expect([again.reason, again.metadata.attemptsLeft]).toEqual(["AGENT_CREDENTIALS_WRONG", "3"]);
    }
    expect((await agentRow(harness)).failedPinAttempts).toBe(2);
  });

  it("answers an unknown agent exactly like a wrong PIN, and refuses malformed input", async () => {
    const { hall } = await agentsFixture();
    const unknown = await callFailure(hall.loginAgent(login("246810", { agentId: "agt_nobody" })));
    expect([unknown.code, unknown.reason]).toEqual([status.UNAUTHENTICATED, "AGENT_CREDENTIALS_WRONG"]);
    expect((await callFailure(hall.loginAgent(login("12ab56")))).reason).toBe("PIN_MALFORMED");
    expect((await callFailure(hall.loginAgent(login("246810", { agentId: "sub_1" })))).reason).toBe(
      "AGENT_ID_MALFORMED",
    );
    expect((await callFailure(hall.loginAgent(login("246810", { requestId: "" })))).reason).toBe("REQUEST_ID_REQUIRED");
    expect((await callFailure(hall.loginAgent(login("246810", { deviceId: "" })))).reason).toBe("DEVICE_ID_REQUIRED");
  });

  it("shows an agent only themselves", async () => {
    const { hall } = await agentsFixture();
    const self = { party: { kind: "agent" as const, agentId: "agt_sz_1", territory: { provinceCode: "GD" } } };
    expect((await hall.getAgent({ agentId: "agt_sz_1" }, self)).agent?.name).toBe("李娜");
    const other = { party: { kind: "agent" as const, agentId: "agt_other", territory: { provinceCode: "GD" } } };
    expect((await callFailure(hall.getAgent({ agentId: "agt_sz_1" }, other))).reason).toBe("OUTSIDE_PARTY_SCOPE");
  });
});

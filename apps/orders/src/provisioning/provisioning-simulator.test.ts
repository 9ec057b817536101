import { describe, expect, it } from "vitest";
import { createProvisioningSimulator } from "./provisioning-simulator.js";
import type { ProvisioningRequest } from "./provisioning-adapter.js";

const request = (orderId: string, patch: Partial<ProvisioningRequest> = {}): ProvisioningRequest => ({
  orderId,
  subscriberId: "sub_1",
  msisdn: "13800138000",
  offeringCode: "DATA_10GB_30D",
  kind: "DATA_PACK",
  characteristics: {},
  number: "",
  ...patch,
});

describe("provisioning simulator", () => {
  it("rejects about the configured share of orders, the same way every time", async () => {
    const simulator = createProvisioningSimulator({ latencyMs: 0, failureRate: 0.3, installationStepMs: 0 });
    const ids = Array.from({ length: 1000 }, (_, i) => `ord_${i}`);
    const outcomes = await Promise.all(ids.map((id) => simulator.provision(request(id))));
    const rejected = outcomes.filter((outcome) => outcome.outcome === "rejected").length;
    expect(rejected).toBeGreaterThan(240);
    expect(rejected).toBeLessThan(360);
    const again = await Promise.all(ids.map((id) => simulator.provision(request(id))));
    expect(again).toEqual(outcomes);
  });

  it("never rejects at rate 0 and always at rate 1", async () => {
    const never = createProvisioningSimulator({ latencyMs: 0, failureRate: 0, installationStepMs: 0 });
    const always = createProvisioningSimulator({ latencyMs: 0, failureRate: 1, installationStepMs: 0 });
    expect(await never.provision(request("ord_x"))).toEqual({ outcome: "done" });
    expect((await always.provision(request("ord_x"))).outcome).toBe("rejected");
  });

  it("waits its latency", async () => {
    const simulator = createProvisioningSimulator({ latencyMs: 50, failureRate: 0, installationStepMs: 0 });
    const started = Date.now();
    await simulator.provision(request("ord_slow"));
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it("opens a work order for an installation and walks it through the milestones in time", async () => {
    const simulator = createProvisioningSimulator({ latencyMs: 0, failureRate: 0, installationStepMs: 60_000 });
    const installation = { address: "深圳市南山区科技园 1 号", appointmentTime: new Date(Date.now() + 86_400_000) };
    const result = await simulator.provision(request("ord_bb", { kind: "BROADBAND", installation }));
    expect(result).toEqual({ outcome: "work-order", workOrderId: "wo_bb" });
    const acceptedAt = new Date(Date.now() - 150_000);
    const progress = await simulator.installationProgress({ workOrderId: "wo_bb", acceptedAt });
    expect(progress.map((step) => step.milestone)).toEqual(["ACCEPTED", "ENGINEER_ASSIGNED", "SCHEDULED"]);
    const done = await simulator.installationProgress({ workOrderId: "wo_bb", acceptedAt: new Date(0) });
    expect(done.at(-1)?.milestone).toBe("INSTALLED");
  });
});

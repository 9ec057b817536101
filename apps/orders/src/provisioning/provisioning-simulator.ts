import { createHash } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { MILESTONES, type ProvisioningAdapter, type ProvisioningResult } from "./provisioning-adapter.js";

export interface ProvisioningSimulatorOptions {
  /** How long each provisioning call takes. */
  latencyMs: number;
  /** Share of orders (0 to 1) the network rejects. */
  failureRate: number;
  /** Time between one installation milestone and the next. */
  installationStepMs: number;
}

/**
 * Whether the simulator rejects this order. The draw comes from the order's id, so the answer for an order is
 * the same on every call and after a restart, as a real network remembers its work orders, and a test can
 * tell in advance how each of its orders must end.
 */
export function simulatorRejects(orderId: string, failureRate: number): boolean {
  return createHash("sha256").update(orderId).digest().readUInt32BE(0) / 2 ** 32 < failureRate;
}

/**
 * A stand-in for the operator's network provisioning (for tests and the demo): answers after a configurable
 * latency, rejects a configurable share of orders, and walks broadband work orders through their milestones.
 */
export function createProvisioningSimulator(options: ProvisioningSimulatorOptions): ProvisioningAdapter {
  return {
    async provision(request, signal): Promise<ProvisioningResult> {
      if (options.latencyMs > 0) await sleep(options.latencyMs, undefined, { signal });
      if (simulatorRejects(request.orderId, options.failureRate)) {
        return { outcome: "rejected", detail: `network rejected ${request.offeringCode} (simulated)` };
      }
      if (request.installation) return { outcome: "work-order", workOrderId: `wo_${request.orderId.slice(4)}` };
      return { outcome: "done" };
    },

    async installationProgress({ acceptedAt }, signal) {
      if (options.latencyMs > 0) await sleep(options.latencyMs, undefined, { signal });
      const now = Date.now();
      return MILESTONES.map((milestone, index) => ({
        milestone,
        at: new Date(acceptedAt.getTime() + index * options.installationStepMs),
      })).filter((progress) => progress.at.getTime() <= now);
    },
  };
}

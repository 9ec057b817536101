import type { OfferingKindName } from "../orders/offering-terms.js";

/** What the network is asked to set up for an order. */
export interface ProvisioningRequest {
  orderId: string;
  subscriberId: string;
  msisdn: string;
  offeringCode: string;
  kind: OfferingKindName;
  /** Feature settings (e.g. call forwarding condition and target). */
  characteristics: Record<string, string>;
  /** For a number sale, the number to activate. */
  number: string;
  /** For a broadband new installation, the visit. */
  installation?: { address: string; appointmentTime: Date };
}

export type ProvisioningResult =
  | { outcome: "done" }
  /** A broadband work order the network accepted; the line is ready once INSTALLED is reached. */
  | { outcome: "work-order"; workOrderId: string }
  | { outcome: "rejected"; detail: string };

export type Milestone = "ACCEPTED" | "ENGINEER_ASSIGNED" | "SCHEDULED" | "INSTALLED";
export const MILESTONES: readonly Milestone[] = ["ACCEPTED", "ENGINEER_ASSIGNED", "SCHEDULED", "INSTALLED"];

/**
 * The network provisioning system the saga drives. Calls must be idempotent by order id: after a crash the
 * saga repeats the step, and the network must not set the product up twice. Throwing means "try again later".
 */
export interface ProvisioningAdapter {
  provision(request: ProvisioningRequest, signal?: AbortSignal): Promise<ProvisioningResult>;
  /** Milestones a work order has reached so far, oldest first. */
  installationProgress(
    workOrder: { workOrderId: string; acceptedAt: Date },
    signal?: AbortSignal,
  ): Promise<Array<{ milestone: Milestone; at: Date }>>;
}

import type { SagaStep } from "../generated/prisma/enums.js";
import type { OfferingTerms } from "../orders/offering-terms.js";

/** What decides an order's path through the saga. */
export interface SagaShape {
  priceFen: bigint;
  /** A trial conversion: eligibility and provisioning were done for the trial. */
  convertsProductId: string | null;
  terms: Pick<OfferingTerms, "needsInstallation">;
}

/** The first step once an order is confirmed: eligibility → charge → provision → (installation) → activate. */
export function firstStep(order: SagaShape): SagaStep {
  if (!order.convertsProductId) return "CHECK_ELIGIBILITY";
  return order.priceFen > 0n ? "CHARGE" : "ACTIVATE";
}

/** The step after `step` succeeded; undefined after ACTIVATE (the order is complete). */
export function stepAfter(step: SagaStep, order: SagaShape): SagaStep | undefined {
  switch (step) {
    case "CHECK_ELIGIBILITY":
      return order.priceFen > 0n ? "CHARGE" : "PROVISION";
    case "CHARGE":
      return order.convertsProductId ? "ACTIVATE" : "PROVISION";
    case "PROVISION":
      return order.terms.needsInstallation ? "AWAIT_INSTALLATION" : "ACTIVATE";
    case "AWAIT_INSTALLATION":
      return "ACTIVATE";
    case "ACTIVATE":
    case "REFUND":
      return undefined;
  }
}

/**
 * Where an order goes when `step` fails for good: straight to FAILED while nothing can have been charged,
 * otherwise through REFUND first. `definitelyNotCharged` is true when billing itself refused the charge.
 */
export function stepOnFailure(step: SagaStep, order: SagaShape, definitelyNotCharged: boolean): "REFUND" | undefined {
  if (order.priceFen === 0n || step === "CHECK_ELIGIBILITY" || step === "REFUND") return undefined;
  if (step === "CHARGE" && definitelyNotCharged) return undefined;
  return "REFUND";
}

/** Delay before retrying a step whose dependency failed: doubling from `baseMs`, at most a minute. */
export function retryDelayMs(attempts: number, baseMs: number): number {
  return Math.min(60_000, baseMs * 2 ** Math.max(0, attempts - 1));
}

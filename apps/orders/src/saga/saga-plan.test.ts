import { describe, expect, it } from "vitest";
import { firstStep, retryDelayMs, stepAfter, stepOnFailure, type SagaShape } from "./saga-plan.js";
import type { SagaStep } from "../generated/prisma/enums.js";

const shape = (patch: Partial<SagaShape> = {}): SagaShape => ({
  priceFen: 1000n,
  convertsProductId: null,
  terms: { needsInstallation: false },
  ...patch,
});

function path(order: SagaShape): SagaStep[] {
  const steps: SagaStep[] = [];
  for (let step: SagaStep | undefined = firstStep(order); step; step = stepAfter(step, order)) steps.push(step);
  return steps;
}

describe("saga plan", () => {
  it("charges only after eligibility and before provisioning", () => {
    expect(path(shape())).toEqual(["CHECK_ELIGIBILITY", "CHARGE", "PROVISION", "ACTIVATE"]);
  });

  it("waits for the installation of a new broadband line", () => {
    expect(path(shape({ terms: { needsInstallation: true } }))).toEqual([
      "CHECK_ELIGIBILITY",
      "CHARGE",
      "PROVISION",
      "AWAIT_INSTALLATION",
      "ACTIVATE",
    ]);
  });

  it("skips the charge of free offers and the checks of trial conversions", () => {
    expect(path(shape({ priceFen: 0n }))).toEqual(["CHECK_ELIGIBILITY", "PROVISION", "ACTIVATE"]);
    expect(path(shape({ convertsProductId: "prd_trial" }))).toEqual(["CHARGE", "ACTIVATE"]);
    expect(path(shape({ convertsProductId: "prd_trial", priceFen: 0n }))).toEqual(["ACTIVATE"]);
  });

  it("refunds whenever a charge may exist, and only then", () => {
    expect(stepOnFailure("CHECK_ELIGIBILITY", shape(), false)).toBeUndefined();
    expect(stepOnFailure("CHARGE", shape(), true)).toBeUndefined();
    // A charge that timed out may have gone through.
    expect(stepOnFailure("CHARGE", shape(), false)).toBe("REFUND");
    expect(stepOnFailure("PROVISION", shape(), false)).toBe("REFUND");
    expect(stepOnFailure("AWAIT_INSTALLATION", shape(), false)).toBe("REFUND");
    expect(stepOnFailure("PROVISION", shape({ priceFen: 0n }), false)).toBeUndefined();
  });

  it("backs off retries up to a minute", () => {
    expect(retryDelayMs(1, 1000)).toBe(1000);
    expect(retryDelayMs(3, 1000)).toBe(4000);
    expect(retryDelayMs(20, 1000)).toBe(60_000);
  });
});

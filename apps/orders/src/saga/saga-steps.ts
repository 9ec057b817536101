import { ChargeStatus } from "@omnihall/proto/omnihall/billing/v1/billing";
import { channelFromJSON } from "@omnihall/proto/omnihall/common/v1/common";
import type { SagaStep } from "../generated/prisma/enums.js";
import type { Order as OrderRow, Prisma } from "../generated/prisma/client.js";
import type { OrdersDb } from "../db.js";
import type { Dependencies } from "../dependencies/dependencies.js";
import { refusalOf } from "../dependencies/call-errors.js";
import { checkEligibility, eligibilityError, subscriberFacts } from "../orders/eligibility.js";
import type { OfferingTerms } from "../orders/offering-terms.js";
import type { OrderState } from "../orders/order-state.js";
import { characteristicsOf, installationOf } from "../orders/order-view.js";
import type { Milestone } from "../provisioning/provisioning-adapter.js";

/** What one step of an order's saga came to. A step that throws is retried later (its dependency failed). */
export type StepOutcome =
  /** Done: go on to the next step, saving what the step learnt. */
  | { kind: "next"; data?: Prisma.OrderUpdateInput; state?: OrderState; milestones?: Milestone[] }
  /** Not yet (an installation in progress): look again later, recording the milestones reached meanwhile. */
  | { kind: "wait"; delayMs: number; milestones: Milestone[] }
  /** Waits for the subscriber to pay: HELD until `until`, unless a payment for the order makes it due sooner. */
  | { kind: "await-payment"; until: Date }
  /** Can never succeed: fail the order (through a refund when a charge may exist). */
  | { kind: "reject"; reason: string; definitelyNotCharged?: boolean };

export interface StepEnvironment {
  /** For reads only: a step runs outside any transaction, while it waits on other services. */
  db: OrdersDb;
  deps: Dependencies;
  deadlineMs: number;
  /** How often a held broadband order looks for installation progress. */
  installationPollMs: number;
  /** How long an order the balance does not cover waits for a payment (0: it fails at once). */
  paymentWaitMs: number;
  signal?: AbortSignal;
}

// Idempotency keys of the calls each step makes: derived from the order, so a step repeated after a crash
// repeats the same call and never charges or refunds twice.
export const chargeRequestId = (orderId: string) => `${orderId}:charge`;
const refundRequestId = (orderId: string, chargeId: string) => `${orderId}:refund:${chargeId}`;
const consumeRequestId = (orderId: string) => `${orderId}:consume-number`;

/** Runs one step for an order the caller has claimed (see saga-worker); holds no transaction itself. */
export function runStep(
  step: SagaStep,
  order: OrderRow,
  terms: OfferingTerms,
  env: StepEnvironment,
): Promise<StepOutcome> {
  switch (step) {
    case "CHECK_ELIGIBILITY":
      return checkStillEligible(order, env);
    case "CHARGE":
      return charge(order, terms, env);
    case "PROVISION":
      return provision(order, terms, env);
    case "AWAIT_INSTALLATION":
      return awaitInstallation(order, env);
    case "REFUND":
      return refundCharges(order, env);
    case "ACTIVATE":
      // Activation is local; the worker does it in the transaction that saves the step before it.
      return Promise.resolve({ kind: "next" });
  }
}

/** Time has passed since the order was taken: the subscriber must still be eligible when it is fulfilled. */
async function checkStillEligible(order: OrderRow, env: StepEnvironment): Promise<StepOutcome> {
  try {
    const options = { deadlineMs: env.deadlineMs };
    const { subscriber } = await env.deps.customer.getSubscriber({ subscriberId: order.subscriberId }, options);
    const facts = await subscriberFacts(env.db, subscriber!, new Date());
    const answer = await checkEligibility(env.deps.catalog, {
      offeringCode: order.offeringCode,
      channel: channelFromJSON(order.channel),
      facts,
      characteristics: characteristicsOf(order),
      deadlineMs: env.deadlineMs,
    });
    const refused = eligibilityError(answer);
    return refused ? { kind: "reject", reason: refused.reason } : { kind: "next" };
  } catch (error) {
    // The subscriber or the offering is gone: no retry will bring them back.
    const refusal = refusalOf(error);
    if (refusal) return { kind: "reject", reason: refusal.reason };
    throw error;
  }
}

async function charge(order: OrderRow, terms: OfferingTerms, env: StepEnvironment): Promise<StepOutcome> {
  try {
    const { charge } = await env.deps.billing.createCharge(
      {
        requestId: chargeRequestId(order.id),
        subscriberId: order.subscriberId,
        orderId: order.id,
        amountFen: order.priceFen,
        description: { zhCn: terms.nameZh, en: terms.nameEn },
        channel: channelFromJSON(order.channel),
      },
      { deadlineMs: env.deadlineMs },
    );
    // An order that waited for its payment goes on.
    return { kind: "next", state: "IN_PROGRESS", data: { chargeId: charge!.chargeId, paymentDueAt: null } };
  } catch (error) {
    const refusal = refusalOf(error);
    if (!refusal) throw error;
    // Billing said no: nothing was debited. A balance short of the price waits for the subscriber to pay, except
    // a trial conversion, which nobody is there to pay for.
    const until = order.paymentDueAt ?? new Date(Date.now() + env.paymentWaitMs);
    if (refusal.reason === "INSUFFICIENT_BALANCE" && !order.convertsProductId && until.getTime() > Date.now()) {
      return { kind: "await-payment", until };
    }
    return { kind: "reject", reason: refusal.reason, definitelyNotCharged: true };
  }
}

async function provision(order: OrderRow, terms: OfferingTerms, env: StepEnvironment): Promise<StepOutcome> {
  if (order.numberReservationId !== "") {
    try {
      await env.deps.catalog.consumeReservation(
        { requestId: consumeRequestId(order.id), reservationId: order.numberReservationId, orderId: order.id },
        { deadlineMs: env.deadlineMs },
      );
    } catch (error) {
      if (refusalOf(error)) return { kind: "reject", reason: "NUMBER_NOT_AVAILABLE" };
      throw error;
    }
  }
  const installation = installationOf(order);
  const result = await env.deps.provisioning.provision(
    {
      orderId: order.id,
      subscriberId: order.subscriberId,
      msisdn: order.msisdn,
      offeringCode: order.offeringCode,
      kind: terms.kind,
      characteristics: characteristicsOf(order),
      number: order.number,
      installation: installation
        ? { address: installation.address, appointmentTime: new Date(installation.appointmentTime) }
        : undefined,
    },
    env.signal,
  );
  switch (result.outcome) {
    case "rejected":
      return { kind: "reject", reason: "PROVISIONING_REJECTED" };
    case "work-order":
      return { kind: "next", state: "HELD", data: { workOrderId: result.workOrderId }, milestones: ["ACCEPTED"] };
    case "done":
      return { kind: "next" };
  }
}

async function awaitInstallation(order: OrderRow, env: StepEnvironment): Promise<StepOutcome> {
  const accepted = await env.db.orderMilestone.findUnique({
    where: { orderId_milestone: { orderId: order.id, milestone: "ACCEPTED" } },
  });
  const progress = await env.deps.provisioning.installationProgress(
    { workOrderId: order.workOrderId!, acceptedAt: accepted?.at ?? order.updatedAt },
    env.signal,
  );
  const milestones = progress.map((step) => step.milestone);
  if (milestones.includes("INSTALLED")) return { kind: "next", state: "IN_PROGRESS", milestones };
  return { kind: "wait", delayMs: env.installationPollMs, milestones };
}

/**
 * Compensation: returns every charge billing holds for this order. Asking billing rather than trusting
 * order.charge_id covers a charge whose answer was lost (a timeout, a crash before the answer was saved).
 */
async function refundCharges(order: OrderRow, env: StepEnvironment): Promise<StepOutcome> {
  const options = { deadlineMs: env.deadlineMs };
  let pageToken = "";
  do {
    const page = await env.deps.billing.listCharges(
      { subscriberId: order.subscriberId, orderId: order.id, pageSize: 100, pageToken },
      options,
    );
    for (const charge of page.charges) {
      if (charge.status !== ChargeStatus.CHARGE_STATUS_COMPLETED) continue;
      await env.deps.billing.refundCharge(
        { requestId: refundRequestId(order.id, charge.chargeId), chargeId: charge.chargeId },
        options,
      );
    }
    pageToken = page.nextPageToken;
  } while (pageToken !== "");
  return { kind: "next" };
}

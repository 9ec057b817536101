import { PaymentCompletedEvent } from "@omnihall/proto/omnihall/billing/v1/events";
import { describe, expect, it } from "vitest";
import { backoffDelay } from "./backoff.js";
import { defineEvent, domainOf, streamName } from "./event.js";

describe("defineEvent", () => {
  it("binds a subject to its proto message, whose bytes round-trip", () => {
    const PaymentCompleted = defineEvent("billing.payment.completed", PaymentCompletedEvent);
    expect(PaymentCompleted.subject).toBe("billing.payment.completed");
    expect(PaymentCompleted.domain).toBe("billing");
    const message = PaymentCompletedEvent.fromPartial({
      payment: { paymentId: "pay_1", amountFen: 9_007_199_254_740_993n },
    });
    const bytes = PaymentCompleted.codec.encode(message).finish();
    expect(PaymentCompleted.codec.decode(bytes)).toEqual(message);
  });

  it.each([
    "billing.payment",
    "billing.payment.completed.twice",
    "Billing.payment.completed",
    "billing.*.completed",
    "1x.a.b",
    "",
  ])("refuses the subject %j", (subject) => {
    expect(() => defineEvent(subject, PaymentCompletedEvent)).toThrow(/<domain>\.<entity>\.<past-tense>/);
  });

  it("accepts snake_case entities and verbs, and names the domain's stream", () => {
    expect(domainOf("usage.quota.threshold_crossed")).toBe("usage");
    expect(streamName("usage")).toBe("USAGE");
  });
});

describe("backoffDelay", () => {
  it("doubles from the initial delay and stops at the cap", () => {
    const delays = [1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(attempt, { initialMs: 1_000, maxMs: 10_000 }));
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
  });
});

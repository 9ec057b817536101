import { describe, expect, it } from "vitest";
import { OrderState as ProtoOrderState } from "@omnihall/proto/omnihall/orders/v1/orders";
import {
  canTransition,
  isCancellable,
  isFinal,
  orderStateFromProto,
  orderStateSubject,
  orderStateToProto,
  type OrderState,
} from "./order-state.js";

const ALL: OrderState[] = ["ACKNOWLEDGED", "PENDING", "HELD", "IN_PROGRESS", "COMPLETED", "FAILED", "CANCELLED"];

describe("order state machine", () => {
  it("follows the confirmation-before-charge path", () => {
    expect(canTransition("ACKNOWLEDGED", "PENDING")).toBe(true);
    expect(canTransition("PENDING", "IN_PROGRESS")).toBe(true);
    expect(canTransition("IN_PROGRESS", "HELD")).toBe(true);
    expect(canTransition("HELD", "IN_PROGRESS")).toBe(true);
    expect(canTransition("IN_PROGRESS", "COMPLETED")).toBe(true);
  });

  it("never leaves a final state and never goes back to pending", () => {
    for (const from of ["COMPLETED", "FAILED", "CANCELLED"] as const) {
      expect(isFinal(from)).toBe(true);
      for (const to of ALL) expect(canTransition(from, to)).toBe(false);
    }
    for (const from of ALL) expect(canTransition(from, "PENDING")).toBe(from === "ACKNOWLEDGED");
  });

  it("lets the subscriber cancel only before confirmation", () => {
    expect(ALL.filter(isCancellable)).toEqual(["ACKNOWLEDGED", "PENDING"]);
    expect(canTransition("IN_PROGRESS", "CANCELLED")).toBe(false);
    expect(canTransition("HELD", "CANCELLED")).toBe(false);
  });

  it("maps every state to proto and back, and to its event subject", () => {
    for (const state of ALL) expect(orderStateFromProto(orderStateToProto(state))).toBe(state);
    expect(orderStateFromProto(ProtoOrderState.ORDER_STATE_UNSPECIFIED)).toBeUndefined();
    expect(orderStateSubject("IN_PROGRESS")).toBe("orders.order.in_progress");
    expect(orderStateSubject("COMPLETED")).toBe("orders.order.completed");
  });
});

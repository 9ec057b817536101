import { OrderState as ProtoOrderState } from "@omnihall/proto/omnihall/orders/v1/orders";

/** TMF622 order states, as stored (the Prisma enum OrderState). */
export type OrderState = "ACKNOWLEDGED" | "PENDING" | "HELD" | "IN_PROGRESS" | "COMPLETED" | "FAILED" | "CANCELLED";

/**
 * The TMF622 state machine: which state may follow which. Anything else is a bug, refused loudly, so a saga
 * step replayed after a crash can never move an order backwards.
 */
const NEXT: Record<OrderState, readonly OrderState[]> = {
  // Customer orders go to PENDING for confirmation; the platform's own orders (trial conversion) go straight on.
  ACKNOWLEDGED: ["PENDING", "IN_PROGRESS", "CANCELLED"],
  PENDING: ["IN_PROGRESS", "CANCELLED"],
  IN_PROGRESS: ["HELD", "COMPLETED", "FAILED"],
  HELD: ["IN_PROGRESS", "FAILED"],
  COMPLETED: [],
  FAILED: [],
  CANCELLED: [],
};

export function canTransition(from: OrderState, to: OrderState): boolean {
  return NEXT[from].includes(to);
}

export function isFinal(state: OrderState): boolean {
  return NEXT[state].length === 0;
}

/** States in which the subscriber may still cancel: nothing has been charged or provisioned. */
export function isCancellable(state: OrderState): boolean {
  return state === "ACKNOWLEDGED" || state === "PENDING";
}

const TO_PROTO: Record<OrderState, ProtoOrderState> = {
  ACKNOWLEDGED: ProtoOrderState.ORDER_STATE_ACKNOWLEDGED,
  PENDING: ProtoOrderState.ORDER_STATE_PENDING,
  HELD: ProtoOrderState.ORDER_STATE_HELD,
  IN_PROGRESS: ProtoOrderState.ORDER_STATE_IN_PROGRESS,
  COMPLETED: ProtoOrderState.ORDER_STATE_COMPLETED,
  FAILED: ProtoOrderState.ORDER_STATE_FAILED,
  CANCELLED: ProtoOrderState.ORDER_STATE_CANCELLED,
};

export function orderStateToProto(state: OrderState): ProtoOrderState {
  return TO_PROTO[state];
}

/** The stored state for a proto state, or undefined for UNSPECIFIED/unknown values. */
export function orderStateFromProto(state: ProtoOrderState): OrderState | undefined {
  return (Object.keys(TO_PROTO) as OrderState[]).find((key) => TO_PROTO[key] === state);
}

/** The event subject a transition into `state` is published on: `orders.order.<state>`. */
export function orderStateSubject(state: OrderState) {
  return `orders.order.${state.toLowerCase()}` as const;
}

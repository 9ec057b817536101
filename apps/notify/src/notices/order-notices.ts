import type {
  ConfirmationRequestedEvent,
  InstallationProgressedEvent,
  OrderStateChangedEvent,
} from "@omnihall/proto/omnihall/orders/v1/order_events";
import { InstallationMilestone, OrderState, type Order } from "@omnihall/proto/omnihall/orders/v1/orders";
import type { Language, TemplateCode } from "../templates/catalog.js";
import { formatDateTime } from "../templates/format.js";
import { localized } from "./allowance-label.js";
import type { Notice } from "./notice.js";

const STATE_TEMPLATES: Partial<Record<OrderState, TemplateCode>> = {
  [OrderState.ORDER_STATE_ACKNOWLEDGED]: "ORDER_ACKNOWLEDGED",
  [OrderState.ORDER_STATE_PENDING]: "ORDER_PENDING",
  [OrderState.ORDER_STATE_HELD]: "ORDER_HELD",
  [OrderState.ORDER_STATE_IN_PROGRESS]: "ORDER_IN_PROGRESS",
  [OrderState.ORDER_STATE_COMPLETED]: "ORDER_COMPLETED",
  [OrderState.ORDER_STATE_FAILED]: "ORDER_FAILED",
  [OrderState.ORDER_STATE_CANCELLED]: "ORDER_CANCELLED",
};

function orderVariables(order: Order, language: Language) {
  return { offering: localized(order.offeringName, language) || order.offeringCode, order_id: order.orderId };
}

/**
 * Order progress: one service message per state change. Keyed by the transition, so the same change published
 * twice makes one message while an order passing through a state again (held, then in progress once more) is
 * still told.
 */
export function orderStateNotice(event: OrderStateChangedEvent, language: Language): Notice | undefined {
  const order = event.order!;
  const templateCode = STATE_TEMPLATES[order.state];
  if (!templateCode) return undefined;
  return {
    templateCode,
    variables: orderVariables(order, language),
    dedupeKey: `order-state:${order.orderId}:${event.fromState}->${order.state}`,
  };
}

/** The confirmation request, in the wording the orders service wrote (it owns the rule and the code). */
export function confirmationNotice(event: ConfirmationRequestedEvent, language: Language): Notice {
  return {
    templateCode: "ORDER_CONFIRMATION",
    variables: { text: localized(event.text, language) },
    dedupeKey: `order-confirmation:${event.orderId}:${event.code}`,
  };
}

/** Broadband installation milestones: accepted, engineer assigned, visit scheduled, installed. */
export function installationNotice(
  event: InstallationProgressedEvent,
  language: Language,
  timeZone: string,
): Notice | undefined {
  const order = event.order!;
  const milestone = event.progress?.milestone;
  const { offering, order_id } = orderVariables(order, language);
  const dedupeKey = `installation:${order.orderId}:${milestone}`;
  switch (milestone) {
    case InstallationMilestone.INSTALLATION_MILESTONE_ACCEPTED:
      return { templateCode: "BROADBAND_ACCEPTED", variables: { offering, order_id }, dedupeKey };
    case InstallationMilestone.INSTALLATION_MILESTONE_ENGINEER_ASSIGNED:
      return { templateCode: "BROADBAND_ENGINEER_ASSIGNED", variables: { order_id }, dedupeKey };
    case InstallationMilestone.INSTALLATION_MILESTONE_SCHEDULED: {
      const at = order.installation?.appointmentTime;
      if (!at) return undefined;
      return {
        templateCode: "BROADBAND_SCHEDULED",
        variables: { order_id, appointment: formatDateTime(at, timeZone, language) },
        dedupeKey,
      };
    }
    case InstallationMilestone.INSTALLATION_MILESTONE_INSTALLED:
      return { templateCode: "BROADBAND_INSTALLED", variables: { offering, order_id }, dedupeKey };
    default:
      return undefined;
  }
}

import { z } from "zod";
import { channelFromJSON } from "@omnihall/proto/omnihall/common/v1/common";
import {
  confirmationMethodFromJSON,
  installationMilestoneFromJSON,
  type InstallationAppointment,
  type Order,
  type OrderStateChange,
} from "@omnihall/proto/omnihall/orders/v1/orders";
import type { Order as OrderRow, OrderMilestone, OrderTransition } from "../generated/prisma/client.js";
import { parseTerms } from "./offering-terms.js";
import { orderStateToProto } from "./order-state.js";

/** The installation appointment as stored in order.installation. */
export const storedInstallationSchema = z.object({
  address: z.string(),
  appointmentTime: z.iso.datetime(),
  contactMsisdn: z.string(),
});
export type StoredInstallation = z.infer<typeof storedInstallationSchema>;

export function installationOf(row: Pick<OrderRow, "installation">): StoredInstallation | undefined {
  return row.installation === null ? undefined : storedInstallationSchema.parse(row.installation);
}

export function characteristicsOf(row: Pick<OrderRow, "characteristics">): Record<string, string> {
  return z.record(z.string(), z.string()).parse(row.characteristics);
}

function appointmentToProto(installation: StoredInstallation | undefined): InstallationAppointment | undefined {
  if (!installation) return undefined;
  return {
    address: installation.address,
    appointmentTime: new Date(installation.appointmentTime),
    contactMsisdn: installation.contactMsisdn,
  };
}

/** What a HELD order waits for, told by the saga step it is held at. */
function holdReasonOf(row: Pick<OrderRow, "state" | "sagaStep">): string {
  if (row.state !== "HELD") return "";
  return row.sagaStep === "CHARGE" ? "AWAITING_PAYMENT" : "AWAITING_INSTALLATION";
}

const MILESTONE_ORDER = ["ACCEPTED", "ENGINEER_ASSIGNED", "SCHEDULED", "INSTALLED"];

/** An order as callers see it; pass its history for GetOrder, leave it out for lists and events. */
export function orderToProto(
  row: OrderRow,
  related: { milestones?: OrderMilestone[]; history?: OrderTransition[] } = {},
): Order {
  const terms = parseTerms(row.offering);
  const history: OrderStateChange[] = (related.history ?? []).map((change) => ({
    fromState: change.fromState ? orderStateToProto(change.fromState) : 0,
    toState: orderStateToProto(change.toState),
    time: change.at,
    reason: change.reason,
  }));
  const milestones = [...(related.milestones ?? [])].sort(
    (a, b) => MILESTONE_ORDER.indexOf(a.milestone) - MILESTONE_ORDER.indexOf(b.milestone),
  );
  return {
    orderId: row.id,
    subscriberId: row.subscriberId,
    offeringCode: row.offeringCode,
    offeringName: { zhCn: terms.nameZh, en: terms.nameEn },
    priceFen: row.priceFen,
    channel: channelFromJSON(row.channel),
    agentId: row.agentId,
    campaignId: row.campaignId,
    state: orderStateToProto(row.state),
    confirmationMethod: confirmationMethodFromJSON(row.confirmationMethod),
    confirmExpireTime: row.confirmExpiresAt,
    number: row.number,
    characteristics: characteristicsOf(row),
    installation: appointmentToProto(installationOf(row)),
    installationProgress: milestones.map((progress) => ({
      milestone: installationMilestoneFromJSON(`INSTALLATION_MILESTONE_${progress.milestone}`),
      time: progress.at,
    })),
    chargeId: row.chargeId ?? "",
    productId: row.productId ?? "",
    failureReason: row.failureReason,
    holdReason: holdReasonOf(row),
    paymentDueTime: row.state === "HELD" ? (row.paymentDueAt ?? undefined) : undefined,
    history,
    createTime: row.createdAt,
    updateTime: row.updatedAt,
  };
}

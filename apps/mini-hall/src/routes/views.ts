import { enumView, fenOf, timeOf } from "@omnihall/hall-kit";
import {
  BroadbandOrderType,
  OfferingKind,
  type Offering,
  type PoolNumber,
} from "@omnihall/proto/omnihall/catalog/v1/catalog";
import { AgentStatus, type Agent } from "@omnihall/proto/omnihall/customer/v1/agent";
import { SubscriberStatus, type Subscriber } from "@omnihall/proto/omnihall/customer/v1/customer";
import { AccountOpeningState, type AccountOpening } from "@omnihall/proto/omnihall/orders/v1/account_opening";

/** The mini hall's JSON views of domain messages (shapes only: every rule is the services'). */
const agentStatus = enumView(AgentStatus, "AGENT_STATUS_");
const subscriberStatus = enumView(SubscriberStatus, "SUBSCRIBER_STATUS_");
export const offeringKinds = enumView(OfferingKind, "OFFERING_KIND_");
const broadbandOrderTypes = enumView(BroadbandOrderType, "BROADBAND_ORDER_TYPE_");
export const openingStates = enumView(AccountOpeningState, "ACCOUNT_OPENING_STATE_");

const text = { type: "string" } as const;

export const agentSchema = {
  type: "object",
  properties: {
    agentId: text,
    name: text,
    status: text,
    territory: { type: "object", properties: { provinceCode: text, city: text, area: text } },
  },
} as const;

export function agentView(agent: Agent) {
  return {
    agentId: agent.agentId,
    name: agent.name,
    status: agentStatus.nameOf(agent.status),
    territory: {
      provinceCode: agent.territory?.provinceCode ?? "",
      city: agent.territory?.city ?? "",
      area: agent.territory?.area ?? "",
    },
  };
}

export const subscriberSchema = {
  type: "object",
  properties: {
    subscriberId: text,
    msisdn: text,
    displayName: text,
    provinceCode: text,
    city: text,
    planCode: text,
    status: text,
  },
} as const;

export function subscriberView(s: Subscriber) {
  return {
    subscriberId: s.subscriberId,
    msisdn: s.msisdn,
    displayName: s.displayName,
    provinceCode: s.provinceCode,
    city: s.city,
    planCode: s.planCode,
    status: subscriberStatus.nameOf(s.status),
  };
}

export const numberSchema = {
  type: "object",
  properties: { msisdn: text, selectionFeeFen: { type: "integer" } },
} as const;

export function numberView(n: PoolNumber) {
  return { msisdn: n.msisdn, selectionFeeFen: fenOf(n.selectionFeeFen) };
}

export const offeringSchema = {
  type: "object",
  properties: {
    code: text,
    kind: text,
    nameZh: text,
    nameEn: text,
    descriptionZh: text,
    descriptionEn: text,
    priceFen: { type: "integer" },
    broadband: {
      type: "object",
      description: "Broadband only: a NEW_INSTALLATION order needs an installation address and appointment",
      properties: {
        orderType: { type: "string", enum: [...broadbandOrderTypes.names] },
        downstreamMbps: { type: "integer" },
        contractMonths: { type: "integer" },
        installationFeeFen: { type: "integer" },
      },
    },
  },
} as const;

export function offeringView(o: Offering) {
  return {
    code: o.code,
    kind: offeringKinds.nameOf(o.kind),
    nameZh: o.name?.zhCn ?? "",
    nameEn: o.name?.en ?? "",
    descriptionZh: o.description?.zhCn ?? "",
    descriptionEn: o.description?.en ?? "",
    priceFen: fenOf(o.priceFen),
    ...(o.broadband
      ? {
          broadband: {
            orderType: broadbandOrderTypes.nameOf(o.broadband.orderType),
            downstreamMbps: o.broadband.downstreamMbps,
            contractMonths: o.broadband.contractMonths,
            installationFeeFen: fenOf(o.broadband.installationFeeFen),
          },
        }
      : {}),
  };
}

export const openingSchema = {
  type: "object",
  properties: {
    accountOpeningId: text,
    state: { type: "string", enum: [...openingStates.names] },
    failureReason: text,
    subscriberId: text,
    number: text,
    iccid: text,
    planCode: text,
    holderName: text,
    idNumberMasked: text,
    numberFeeFen: { type: "integer" },
    createTime: { type: "string", format: "date-time" },
  },
} as const;

export function openingView(o: AccountOpening) {
  return {
    accountOpeningId: o.accountOpeningId,
    state: openingStates.nameOf(o.state),
    failureReason: o.failureReason,
    subscriberId: o.subscriberId,
    number: o.number,
    iccid: o.iccid,
    planCode: o.planCode,
    holderName: o.holderName,
    idNumberMasked: o.idNumberMasked,
    numberFeeFen: fenOf(o.numberFeeFen),
    createTime: timeOf(o.createTime),
  };
}

import { enumView, fenOf, timeOf } from "@omnihall/hall-kit";
import type { Allowance } from "@omnihall/proto/omnihall/catalog/v1/allowance";
import { AllowanceRecurrence, AllowanceUnit } from "@omnihall/proto/omnihall/catalog/v1/allowance";
import type { Offering } from "@omnihall/proto/omnihall/catalog/v1/catalog";
import {
  BroadbandOrderType,
  OfferingKind,
  PriceRecurrence,
  SettingType,
  UnsubscribeEffect,
  ValidityKind,
} from "@omnihall/proto/omnihall/catalog/v1/catalog";
import type { LocalizedText } from "@omnihall/proto/omnihall/common/v1/common";
import { ProductEndReason } from "@omnihall/proto/omnihall/orders/v1/events";
import type { Order, Product } from "@omnihall/proto/omnihall/orders/v1/orders";
import { InstallationMilestone, OrderState, ProductStatus } from "@omnihall/proto/omnihall/orders/v1/orders";
import type { AllowanceBucket } from "@omnihall/proto/omnihall/usage/v1/usage";

/** JSON views of catalog, orders and usage messages for the web hall's pages (shapes only, no rule). */
export const offeringKinds = enumView(OfferingKind, "OFFERING_KIND_");
const units = enumView(AllowanceUnit, "ALLOWANCE_UNIT_");
const recurrences = enumView(AllowanceRecurrence, "ALLOWANCE_RECURRENCE_");
const priceRecurrences = enumView(PriceRecurrence, "PRICE_RECURRENCE_");
const validityKinds = enumView(ValidityKind, "VALIDITY_KIND_");
const unsubscribeEffects = enumView(UnsubscribeEffect, "UNSUBSCRIBE_EFFECT_");
const broadbandTypes = enumView(BroadbandOrderType, "BROADBAND_ORDER_TYPE_");
const settingTypes = enumView(SettingType, "SETTING_TYPE_");
export const orderStates = enumView(OrderState, "ORDER_STATE_");
const milestones = enumView(InstallationMilestone, "INSTALLATION_MILESTONE_");
const productStatuses = enumView(ProductStatus, "PRODUCT_STATUS_");
const endReasons = enumView(ProductEndReason, "PRODUCT_END_REASON_");

export const localizedSchema = {
  type: "object",
  required: ["zh-CN", "en"],
  properties: { "zh-CN": { type: "string" }, en: { type: "string" } },
} as const;

export function localized(text: LocalizedText | undefined) {
  return { "zh-CN": text?.zhCn ?? "", en: text?.en ?? "" };
}

const allowanceSchema = {
  type: "object",
  required: ["unit", "quantity", "recurrence"],
  properties: {
    unit: { type: "string", enum: [...units.names], description: "DATA_KB, VOICE_SECONDS or SMS_COUNT" },
    quantity: { type: "integer" },
    recurrence: { type: "string" },
    roamingCountryCode: { type: "string" },
  },
} as const;

function allowanceView(a: Allowance) {
  return {
    unit: units.nameOf(a.unit),
    quantity: Number(a.quantity),
    recurrence: recurrences.nameOf(a.recurrence),
    roamingCountryCode: a.roamingCountryCode,
  };
}

export const offeringSchema = {
  type: "object",
  required: ["code", "kind", "name", "description", "priceFen", "priceRecurrence", "validity", "allowances"],
  properties: {
    code: { type: "string" },
    kind: { type: "string", enum: [...offeringKinds.names] },
    name: localizedSchema,
    description: localizedSchema,
    priceFen: { type: "integer" },
    priceRecurrence: { type: "string", description: "ONE_TIME or MONTHLY" },
    validity: {
      type: "object",
      required: ["kind", "days"],
      properties: {
        kind: { type: "string", description: "DAYS, CALENDAR_MONTH or OPEN_ENDED" },
        days: { type: "integer" },
      },
    },
    unsubscribeEffect: { type: "string" },
    allowances: { type: "array", items: allowanceSchema },
    trialDays: { type: "integer" },
    roamingCountryCode: { type: "string" },
    broadband: {
      type: "object",
      properties: {
        orderType: { type: "string", description: "NEW_INSTALLATION or RENEWAL" },
        downstreamMbps: { type: "integer" },
        contractMonths: { type: "integer" },
        installationFeeFen: { type: "integer" },
      },
    },
    feature: {
      type: "object",
      properties: {
        featureCode: { type: "string" },
        settings: {
          type: "array",
          items: {
            type: "object",
            required: ["key", "label", "type", "allowedValues", "required"],
            properties: {
              key: { type: "string" },
              label: localizedSchema,
              type: { type: "string", description: "CHOICE or PHONE_NUMBER" },
              allowedValues: { type: "array", items: { type: "string" } },
              required: { type: "boolean" },
            },
          },
        },
      },
    },
  },
} as const;

export function offeringView(o: Offering) {
  return {
    code: o.code,
    kind: offeringKinds.nameOf(o.kind),
    name: localized(o.name),
    description: localized(o.description),
    priceFen: fenOf(o.priceFen),
    priceRecurrence: priceRecurrences.nameOf(o.priceRecurrence),
    validity: { kind: validityKinds.nameOf(o.validity?.kind ?? 0), days: o.validity?.days ?? 0 },
    unsubscribeEffect: unsubscribeEffects.nameOf(o.unsubscribeEffect),
    allowances: o.allowances.map(allowanceView),
    trialDays: o.trial?.days ?? 0,
    roamingCountryCode: o.roaming?.countryCode,
    broadband: o.broadband
      ? {
          orderType: broadbandTypes.nameOf(o.broadband.orderType),
          downstreamMbps: o.broadband.downstreamMbps,
          contractMonths: o.broadband.contractMonths,
          installationFeeFen: fenOf(o.broadband.installationFeeFen),
        }
      : undefined,
    feature: o.feature
      ? {
          featureCode: o.feature.featureCode,
          settings: o.feature.settings.map((s) => ({
            key: s.key,
            label: localized(s.label),
            type: settingTypes.nameOf(s.type),
            allowedValues: s.allowedValues,
            required: s.required,
          })),
        }
      : undefined,
  };
}

export const orderSchema = {
  type: "object",
  required: ["orderId", "offeringCode", "offeringName", "priceFen", "state", "characteristics", "history"],
  properties: {
    orderId: { type: "string" },
    offeringCode: { type: "string" },
    offeringName: localizedSchema,
    priceFen: { type: "integer" },
    state: { type: "string", enum: [...orderStates.names] },
    confirmExpireTime: { type: "string", format: "date-time" },
    characteristics: { type: "object", additionalProperties: { type: "string" } },
    installation: {
      type: "object",
      properties: {
        address: { type: "string" },
        appointmentTime: { type: "string", format: "date-time" },
        contactMsisdn: { type: "string" },
      },
    },
    installationProgress: {
      type: "array",
      items: {
        type: "object",
        properties: { milestone: { type: "string" }, time: { type: "string", format: "date-time" } },
      },
    },
    productId: { type: "string" },
    failureReason: { type: "string" },
    holdReason: { type: "string" },
    history: {
      type: "array",
      items: {
        type: "object",
        properties: {
          state: { type: "string" },
          time: { type: "string", format: "date-time" },
          reason: { type: "string" },
        },
      },
    },
    createTime: { type: "string", format: "date-time" },
    updateTime: { type: "string", format: "date-time" },
  },
} as const;

export function orderView(o: Order) {
  return {
    orderId: o.orderId,
    offeringCode: o.offeringCode,
    offeringName: localized(o.offeringName),
    priceFen: fenOf(o.priceFen),
    state: orderStates.nameOf(o.state),
    confirmExpireTime: timeOf(o.confirmExpireTime),
    characteristics: o.characteristics,
    installation: o.installation && {
      address: o.installation.address,
      appointmentTime: timeOf(o.installation.appointmentTime),
      contactMsisdn: o.installation.contactMsisdn,
    },
    installationProgress: o.installationProgress.map((p) => ({
      milestone: milestones.nameOf(p.milestone),
      time: timeOf(p.time),
    })),
    productId: o.productId,
    failureReason: o.failureReason,
    holdReason: o.holdReason,
    history: o.history.map((h) => ({ state: orderStates.nameOf(h.toState), time: timeOf(h.time), reason: h.reason })),
    createTime: timeOf(o.createTime),
    updateTime: timeOf(o.updateTime),
  };
}

export const productSchema = {
  type: "object",
  required: ["productId", "offeringCode", "offeringName", "status", "allowances", "trial", "unsubscribeRequested"],
  properties: {
    productId: { type: "string" },
    offeringCode: { type: "string" },
    offeringName: localizedSchema,
    status: { type: "string", description: "ACTIVE or ENDED" },
    allowances: { type: "array", items: allowanceSchema },
    startTime: { type: "string", format: "date-time" },
    endTime: { type: "string", format: "date-time" },
    trial: { type: "boolean" },
    unsubscribeRequested: { type: "boolean" },
    endReason: { type: "string" },
  },
} as const;

export function productView(p: Product) {
  const s = p.snapshot!;
  return {
    productId: s.productId,
    offeringCode: s.offeringCode,
    offeringName: localized(s.offeringName),
    status: productStatuses.nameOf(p.status),
    allowances: s.allowances.map(allowanceView),
    startTime: timeOf(s.startTime),
    endTime: timeOf(s.endTime),
    trial: s.trial,
    unsubscribeRequested: p.unsubscribeRequested,
    endReason: p.endReason ? endReasons.nameOf(p.endReason) : undefined,
  };
}

export const bucketSchema = {
  type: "object",
  required: ["bucketId", "offeringName", "unit", "quota", "used", "remaining"],
  properties: {
    bucketId: { type: "string" },
    productId: { type: "string" },
    offeringCode: { type: "string" },
    offeringName: localizedSchema,
    unit: { type: "string", enum: [...units.names] },
    recurrence: { type: "string" },
    roamingCountryCode: { type: "string" },
    quota: { type: "integer" },
    used: { type: "integer" },
    remaining: { type: "integer" },
    periodEndTime: { type: "string", format: "date-time" },
    trial: { type: "boolean" },
  },
} as const;

export function bucketView(b: AllowanceBucket) {
  return {
    bucketId: b.bucketId,
    productId: b.productId,
    offeringCode: b.offeringCode,
    offeringName: localized(b.offeringName),
    unit: units.nameOf(b.unit),
    recurrence: recurrences.nameOf(b.recurrence),
    roamingCountryCode: b.roamingCountryCode,
    quota: Number(b.quota),
    used: Number(b.used),
    remaining: Number(b.remaining),
    periodEndTime: timeOf(b.periodEndTime),
    trial: b.trial,
  };
}

export { units as allowanceUnits };

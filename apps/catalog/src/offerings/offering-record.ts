import { newId } from "@omnihall/ids";
import { Allowance } from "@omnihall/proto/omnihall/catalog/v1/allowance";
import {
  BroadbandDetails,
  EligibilityRules,
  FeatureDetails,
  Offering,
  OfferingKind,
  OfferingLifecycle,
  PriceRecurrence,
  RoamingDetails,
  SimCardDetails,
  UnsubscribeEffect,
  ValidityKind,
} from "@omnihall/proto/omnihall/catalog/v1/catalog";
import { Prisma, type Offering as OfferingRow } from "../generated/prisma/client.js";
import { channelFromName, channelName, enumName, enumValue } from "../proto-enums.js";

/** The columns that hold an offering's terms: everything but its id, lifecycle and times. */
export type OfferingTermsColumns = Omit<
  Prisma.OfferingUncheckedCreateInput,
  "id" | "lifecycle" | "createdAt" | "updatedAt"
>;

const DETAILS_CODECS = {
  roaming: RoamingDetails,
  broadband: BroadbandDetails,
  feature: FeatureDetails,
  sim: SimCardDetails,
} as const;
type DetailsMember = keyof typeof DETAILS_CODECS;

export function newOfferingId(): string {
  return newId("off");
}

/** An already validated offering's terms as columns. */
export function offeringTermsColumns(offering: Offering): OfferingTermsColumns {
  const member = (Object.keys(DETAILS_CODECS) as DetailsMember[]).find((key) => offering[key] !== undefined);
  return {
    code: offering.code,
    kind: enumName(OfferingKind, "OFFERING_KIND_", offering.kind) as OfferingTermsColumns["kind"],
    nameZh: offering.name!.zhCn,
    nameEn: offering.name!.en,
    descriptionZh: offering.description?.zhCn ?? "",
    descriptionEn: offering.description?.en ?? "",
    priceFen: offering.priceFen,
    priceRecurrence: enumName(PriceRecurrence, "PRICE_RECURRENCE_", offering.priceRecurrence),
    validityKind: enumName(ValidityKind, "VALIDITY_KIND_", offering.validity!.kind),
    validityDays: offering.validity!.days,
    unsubscribeEffect: enumName(UnsubscribeEffect, "UNSUBSCRIBE_EFFECT_", offering.unsubscribeEffect),
    provinceCodes: [...new Set(offering.availability?.provinceCodes ?? [])].sort(),
    channels: [...new Set(offering.availability?.channels ?? [])].sort().map(channelName),
    trialDays: offering.trial ? offering.trial.days : null,
    roamingCountryCode: offering.roaming?.countryCode ?? null,
    allowances: offering.allowances.map((allowance) => Allowance.toJSON(allowance)) as Prisma.InputJsonValue,
    eligibility: EligibilityRules.toJSON(offering.eligibility ?? EligibilityRules.create()) as Prisma.InputJsonValue,
    details: member
      ? ({ [member]: DETAILS_CODECS[member].toJSON(offering[member] as never) } as Prisma.InputJsonValue)
      : Prisma.DbNull,
  };
}

export function offeringFromRow(row: OfferingRow): Offering {
  const details = (row.details ?? {}) as Partial<Record<DetailsMember, unknown>>;
  const decodeDetails = <M extends DetailsMember>(member: M) =>
    details[member] === undefined
      ? undefined
      : (DETAILS_CODECS[member].fromJSON(details[member]) as ReturnType<(typeof DETAILS_CODECS)[M]["fromJSON"]>);
  return {
    offeringId: row.id,
    code: row.code,
    kind: enumValue(OfferingKind, "OFFERING_KIND_", row.kind),
    name: { zhCn: row.nameZh, en: row.nameEn },
    description: { zhCn: row.descriptionZh, en: row.descriptionEn },
    priceFen: row.priceFen,
    priceRecurrence: enumValue(PriceRecurrence, "PRICE_RECURRENCE_", row.priceRecurrence),
    validity: { kind: enumValue(ValidityKind, "VALIDITY_KIND_", row.validityKind), days: row.validityDays },
    unsubscribeEffect: enumValue(UnsubscribeEffect, "UNSUBSCRIBE_EFFECT_", row.unsubscribeEffect),
    allowances: (row.allowances as unknown[]).map((allowance) => Allowance.fromJSON(allowance)),
    availability: { provinceCodes: row.provinceCodes, channels: row.channels.map(channelFromName) },
    eligibility: EligibilityRules.fromJSON(row.eligibility),
    trial: row.trialDays === null ? undefined : { days: row.trialDays },
    lifecycle: enumValue(OfferingLifecycle, "OFFERING_LIFECYCLE_", row.lifecycle),
    roaming: decodeDetails("roaming"),
    broadband: decodeDetails("broadband"),
    feature: decodeDetails("feature"),
    sim: decodeDetails("sim"),
    createTime: row.createdAt,
    updateTime: row.updatedAt,
  };
}

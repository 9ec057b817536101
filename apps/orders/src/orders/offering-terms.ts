import { z } from "zod";
import {
  BroadbandOrderType,
  OfferingKind,
  UnsubscribeEffect,
  ValidityKind,
  type Offering,
} from "@omnihall/proto/omnihall/catalog/v1/catalog";
import { AllowanceRecurrence, AllowanceUnit, type Allowance } from "@omnihall/proto/omnihall/catalog/v1/allowance";

/**
 * The terms of an offering as sold, snapshotted on the order (and on the product it activates) so that a later
 * catalog change alters nothing already bought. Stored as JSON: money and quantities as decimal strings.
 */
const allowanceSchema = z.object({
  unit: z.number().int(),
  quantity: z.string(),
  recurrence: z.number().int(),
  roamingCountryCode: z.string(),
});

export const offeringTermsSchema = z.object({
  code: z.string(),
  kind: z.enum(["PLAN", "DATA_PACK", "VOICE_PACK", "ROAMING_PACK", "BROADBAND", "VALUE_ADDED", "SIM_CARD"]),
  nameZh: z.string(),
  nameEn: z.string(),
  /** Charged when the order is fulfilled (0 for trials and free offers). */
  chargeFen: z.string(),
  /** The offering's price; what a trial costs once converted. */
  priceFen: z.string(),
  validity: z.object({ kind: z.enum(["DAYS", "CALENDAR_MONTH", "OPEN_ENDED"]), days: z.number().int() }),
  unsubscribeAtPeriodEnd: z.boolean(),
  trialDays: z.number().int(),
  /** A broadband new installation: an engineer visits before the product starts. */
  needsInstallation: z.boolean(),
  needsNumber: z.boolean(),
  allowances: z.array(allowanceSchema),
});

export type OfferingTerms = z.infer<typeof offeringTermsSchema>;
export type OfferingKindName = OfferingTerms["kind"];

const KIND_NAMES: Partial<Record<OfferingKind, OfferingKindName>> = {
  [OfferingKind.OFFERING_KIND_PLAN]: "PLAN",
  [OfferingKind.OFFERING_KIND_DATA_PACK]: "DATA_PACK",
  [OfferingKind.OFFERING_KIND_VOICE_PACK]: "VOICE_PACK",
  [OfferingKind.OFFERING_KIND_ROAMING_PACK]: "ROAMING_PACK",
  [OfferingKind.OFFERING_KIND_BROADBAND]: "BROADBAND",
  [OfferingKind.OFFERING_KIND_VALUE_ADDED]: "VALUE_ADDED",
  [OfferingKind.OFFERING_KIND_SIM_CARD]: "SIM_CARD",
};

function validityOf(offering: Offering): OfferingTerms["validity"] {
  switch (offering.validity?.kind) {
    case ValidityKind.VALIDITY_KIND_DAYS:
      return { kind: "DAYS", days: offering.validity.days };
    case ValidityKind.VALIDITY_KIND_CALENDAR_MONTH:
      return { kind: "CALENDAR_MONTH", days: 0 };
    default:
      return { kind: "OPEN_ENDED", days: 0 };
  }
}

/** The terms of a catalog offering, as an order for it is taken now. */
export function termsOf(offering: Offering): OfferingTerms {
  const trialDays = offering.trial?.days ?? 0;
  const newInstallation = offering.broadband?.orderType === BroadbandOrderType.BROADBAND_ORDER_TYPE_NEW_INSTALLATION;
  const installationFee = newInstallation ? offering.broadband!.installationFeeFen : 0n;
  return {
    code: offering.code,
    kind: KIND_NAMES[offering.kind] ?? "VALUE_ADDED",
    nameZh: offering.name?.zhCn ?? offering.code,
    nameEn: offering.name?.en ?? offering.code,
    chargeFen: String(trialDays > 0 ? 0n : offering.priceFen + installationFee),
    priceFen: String(offering.priceFen),
    validity: validityOf(offering),
    unsubscribeAtPeriodEnd: offering.unsubscribeEffect === UnsubscribeEffect.UNSUBSCRIBE_EFFECT_PERIOD_END,
    trialDays,
    needsInstallation: newInstallation,
    needsNumber: offering.sim?.requiresNumberReservation ?? false,
    allowances: offering.allowances.map((allowance) => ({
      unit: allowance.unit,
      quantity: String(allowance.quantity),
      recurrence: allowance.recurrence,
      roamingCountryCode: allowance.roamingCountryCode,
    })),
  };
}

/** Reads terms back from a JSON column; a row that does not parse is corrupt, not bad input. */
export function parseTerms(json: unknown): OfferingTerms {
  return offeringTermsSchema.parse(json);
}

export function allowancesOf(terms: OfferingTerms): Allowance[] {
  return terms.allowances.map((allowance) => ({
    unit: allowance.unit as AllowanceUnit,
    quantity: BigInt(allowance.quantity),
    recurrence: allowance.recurrence as AllowanceRecurrence,
    roamingCountryCode: allowance.roamingCountryCode,
  }));
}

import { AllowanceRecurrence, AllowanceUnit, type Allowance } from "@omnihall/proto/omnihall/catalog/v1/allowance";
import {
  BroadbandOrderType,
  OfferingKind,
  PriceRecurrence,
  SettingType,
  UnsubscribeEffect,
  ValidityKind,
  type Offering,
  type SettingDefinition,
} from "@omnihall/proto/omnihall/catalog/v1/catalog";
import type { LocalizedText } from "@omnihall/proto/omnihall/common/v1/common";
import {
  badField,
  channelInvalid,
  countryCodeMalformed,
  offeringCodeMalformed,
  provinceCodeUnknown,
} from "../errors.js";
import { isChannel, isSpecified } from "../proto-enums.js";
import { isKnownProvince } from "../provinces.js";

export const OFFERING_CODE = /^[A-Z][A-Z0-9_]{1,63}$/;
export const COUNTRY_CODE = /^[A-Z]{2}$/;
const FEATURE_CODE = /^[A-Z][A-Z0-9_]{1,63}$/;
const SETTING_KEY = /^[a-z][a-z0-9_]{0,39}$/;
const MAX_VALIDITY_DAYS = 3660;
const MAX_TRIAL_DAYS = 90;
const MAX_TENURE_MONTHS = 1200;

/** The kind-specific details member each kind requires (kinds not listed take none). */
const DETAILS_OF_KIND: Partial<Record<OfferingKind, "roaming" | "broadband" | "feature" | "sim">> = {
  [OfferingKind.OFFERING_KIND_ROAMING_PACK]: "roaming",
  [OfferingKind.OFFERING_KIND_BROADBAND]: "broadband",
  [OfferingKind.OFFERING_KIND_VALUE_ADDED]: "feature",
  [OfferingKind.OFFERING_KIND_SIM_CARD]: "sim",
};
const DETAILS_MEMBERS = ["roaming", "broadband", "feature", "sim"] as const;

/**
 * Checks an offering's code and terms (everything but id, lifecycle and times) and throws INVALID_ARGUMENT with
 * the first problem found, naming the field under `field` (e.g. "offering"). Create and update both check the
 * whole resulting offering here, so no combination of fields can slip past one path and not the other.
 */
export function validateOffering(offering: Offering, field = "offering"): void {
  const at = (path: string) => `${field}.${path}`;
  if (!OFFERING_CODE.test(offering.code)) throw offeringCodeMalformed(at("code"));
  if (!isSpecified(OfferingKind, offering.kind)) {
    throw badField("KIND_REQUIRED", at("kind"), { "zh-CN": "请指定商品类型。", en: "The offering needs a kind." });
  }
  if (!hasBothLanguages(offering.name, 100)) {
    throw badField("NAME_REQUIRED", at("name"), {
      "zh-CN": "商品名称需同时提供中文和英文（各不超过 100 字）。",
      en: "The offering needs a name in both zh-CN and en (at most 100 characters each).",
    });
  }
  if (offering.priceFen < 0n) {
    throw badField("PRICE_NEGATIVE", at("price_fen"), {
      "zh-CN": "价格不能为负数。",
      en: "The price cannot be negative.",
    });
  }
  if (!isSpecified(PriceRecurrence, offering.priceRecurrence)) {
    throw badField("PRICE_RECURRENCE_REQUIRED", at("price_recurrence"), {
      "zh-CN": "请指定收费方式（一次性或按月）。",
      en: "The offering needs a price recurrence (one-time or monthly).",
    });
  }
  validateValidity(offering, at("validity"));
  if (!isSpecified(UnsubscribeEffect, offering.unsubscribeEffect)) {
    throw badField("UNSUBSCRIBE_EFFECT_REQUIRED", at("unsubscribe_effect"), {
      "zh-CN": "请指定退订生效方式（立即或周期末）。",
      en: "The offering needs an unsubscribe effect (immediate or at period end).",
    });
  }
  offering.allowances.forEach((allowance, index) => validateAllowance(allowance, at(`allowances[${index}]`)));
  validateAvailability(offering, at("availability"));
  validateEligibilityRules(offering, at("eligibility"));
  if (offering.trial) validateTrial(offering, at("trial"));
  validateDetails(offering, field);
}

function hasBothLanguages(text: LocalizedText | undefined, maxLength: number): boolean {
  return Boolean(
    text && text.zhCn.trim() && text.en.trim() && text.zhCn.length <= maxLength && text.en.length <= maxLength,
  );
}

function validateValidity(offering: Offering, field: string) {
  const validity = offering.validity;
  const ok =
    validity &&
    isSpecified(ValidityKind, validity.kind) &&
    (validity.kind === ValidityKind.VALIDITY_KIND_DAYS
      ? validity.days >= 1 && validity.days <= MAX_VALIDITY_DAYS
      : validity.days === 0);
  if (!ok) {
    throw badField("VALIDITY_INVALID", field, {
      "zh-CN": `有效期无效：按天计算时天数应为 1 至 ${MAX_VALIDITY_DAYS}，其他方式天数应为 0。`,
      en: `The validity is invalid: 1 to ${MAX_VALIDITY_DAYS} days for a validity in days, 0 days otherwise.`,
    });
  }
}

function validateAllowance(allowance: Allowance, field: string) {
  const ok =
    isSpecified(AllowanceUnit, allowance.unit) &&
    allowance.quantity > 0n &&
    isSpecified(AllowanceRecurrence, allowance.recurrence) &&
    (allowance.roamingCountryCode === "" || COUNTRY_CODE.test(allowance.roamingCountryCode));
  if (!ok) {
    throw badField("ALLOWANCE_INVALID", field, {
      "zh-CN": "权益无效：需指定单位、正数数量、周期，漫游国家代码为两位大写字母或留空。",
      en: "The allowance is invalid: it needs a unit, a positive quantity, a recurrence, and an ISO country code or none.",
    });
  }
}

function validateAvailability(offering: Offering, field: string) {
  const availability = offering.availability ?? { provinceCodes: [], channels: [] };
  availability.provinceCodes.forEach((code, index) => {
    if (!isKnownProvince(code)) throw provinceCodeUnknown(`${field}.province_codes[${index}]`, code);
  });
  availability.channels.forEach((channel, index) => {
    if (!isChannel(channel)) throw channelInvalid(`${field}.channels[${index}]`);
  });
}

function validateEligibilityRules(offering: Offering, field: string) {
  const rules = offering.eligibility;
  if (!rules) return;
  const ok =
    rules.compatiblePlanCodes.every((code) => OFFERING_CODE.test(code)) &&
    rules.requiredOfferingCodes.every((code) => OFFERING_CODE.test(code)) &&
    rules.minTenureMonths >= 0 &&
    rules.minTenureMonths <= MAX_TENURE_MONTHS &&
    (rules.exclusiveGroup === "" || OFFERING_CODE.test(rules.exclusiveGroup));
  if (!ok) {
    throw badField("ELIGIBILITY_RULES_INVALID", field, {
      "zh-CN": "办理条件无效：套餐和商品编码格式须正确，在网时长为 0 至 1200 个月，互斥组为大写编码或留空。",
      en: "The eligibility rules are invalid: well-formed plan and offering codes, tenure 0 to 1200 months, and an UPPER_SNAKE exclusive group or none.",
    });
  }
}

function validateTrial(offering: Offering, field: string) {
  const days = offering.trial!.days;
  if (days < 1 || days > MAX_TRIAL_DAYS || offering.priceRecurrence !== PriceRecurrence.PRICE_RECURRENCE_MONTHLY) {
    throw badField("TRIAL_INVALID", field, {
      "zh-CN": `试用期应为 1 至 ${MAX_TRIAL_DAYS} 天，且仅适用于按月收费的商品（转正后按月收费）。`,
      en: `A trial lasts 1 to ${MAX_TRIAL_DAYS} days and only suits monthly-priced offerings (the monthly price applies on conversion).`,
    });
  }
}

function validateDetails(offering: Offering, field: string) {
  const expected = DETAILS_OF_KIND[offering.kind];
  const present = DETAILS_MEMBERS.filter((member) => offering[member] !== undefined);
  if (present.length > (expected ? 1 : 0) || (expected && present[0] !== expected)) {
    throw badField("DETAILS_MISMATCH", `${field}.${expected ?? present[0]}`, {
      "zh-CN": expected ? `该类型的商品须提供且仅提供 ${expected} 详情。` : "该类型的商品不带类型详情。",
      en: expected
        ? `An offering of this kind needs its ${expected} details and no others.`
        : "An offering of this kind takes no kind details.",
    });
  }
  const detailsInvalid = (path: string, zh: string, en: string) =>
    badField("DETAILS_INVALID", `${field}.${path}`, { "zh-CN": zh, en });

  if (offering.roaming) {
    if (!COUNTRY_CODE.test(offering.roaming.countryCode)) throw countryCodeMalformed(`${field}.roaming.country_code`);
    offering.allowances.forEach((allowance, index) => {
      if (allowance.roamingCountryCode !== offering.roaming!.countryCode) {
        throw badField("ALLOWANCE_INVALID", `${field}.allowances[${index}].roaming_country_code`, {
          "zh-CN": "漫游包的权益须限定在该漫游目的地使用。",
          en: "A roaming pack's allowances must be scoped to its destination.",
        });
      }
    });
  }
  const broadband = offering.broadband;
  if (
    broadband &&
    !(
      isSpecified(BroadbandOrderType, broadband.orderType) &&
      broadband.downstreamMbps > 0 &&
      broadband.contractMonths >= 0 &&
      broadband.installationFeeFen >= 0n
    )
  ) {
    throw detailsInvalid(
      "broadband",
      "宽带详情无效：需指定新装或续费、正的下行速率，合约月数和安装费不能为负。",
      "The broadband details are invalid: an order type, a positive speed, and no negative contract months or fee.",
    );
  }
  if (offering.feature) {
    if (!FEATURE_CODE.test(offering.feature.featureCode)) {
      throw detailsInvalid(
        "feature.feature_code",
        "业务功能编码格式不正确（大写字母、数字和下划线）。",
        "The feature code is malformed (upper-case letters, digits and underscores).",
      );
    }
    const keys = new Set<string>();
    offering.feature.settings.forEach((setting, index) => {
      if (!isValidSettingDefinition(setting) || keys.has(setting.key)) {
        throw badField("SETTING_DEFINITION_INVALID", `${field}.feature.settings[${index}]`, {
          "zh-CN": "业务设置项无效：键名须为唯一的小写下划线格式，需有中英文标签；选项类型须列出可选值。",
          en: "The setting definition is invalid: a unique lower_snake key, labels in both languages, and allowed values exactly for choices.",
        });
      }
      keys.add(setting.key);
    });
  }
  if (offering.sim && !offering.sim.starterPlanCodes.every((code) => OFFERING_CODE.test(code))) {
    throw detailsInvalid("sim.starter_plan_codes", "入网套餐编码格式不正确。", "A starter plan code is malformed.");
  }
}

function isValidSettingDefinition(setting: SettingDefinition): boolean {
  if (!SETTING_KEY.test(setting.key) || !hasBothLanguages(setting.label, 60)) return false;
  if (setting.type === SettingType.SETTING_TYPE_CHOICE) {
    return setting.allowedValues.length > 0 && setting.allowedValues.every((value) => value.trim() !== "");
  }
  return setting.type === SettingType.SETTING_TYPE_PHONE_NUMBER && setting.allowedValues.length === 0;
}

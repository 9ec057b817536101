import {
  OfferingLifecycle,
  SettingType,
  type EligibilityViolation,
  type Offering,
  type SettingDefinition,
  type SubscriberFacts,
} from "@omnihall/proto/omnihall/catalog/v1/catalog";
import type { Channel } from "@omnihall/proto/omnihall/common/v1/common";

export interface EligibilityQuestion {
  offering: Offering;
  channel: Channel;
  subscriber: SubscriberFacts;
  settings: Record<string, string>;
  /** Exclusive group of each offering the subscriber holds (codes the catalog does not know are absent). */
  heldExclusiveGroups: ReadonlyMap<string, string>;
}

const MOBILE_NUMBER = /^1[3-9]\d{9}$/;
const FIXED_LINE_WITH_AREA_CODE = /^0\d{9,11}$/;

/**
 * The catalog's eligibility rules, the only place they are decided: every reason the subscriber may not order
 * the offering, in a stable order (empty when eligible). Pure, so each rule is tested on its own.
 */
export function evaluateEligibility(question: EligibilityQuestion): EligibilityViolation[] {
  const { offering, channel, subscriber, settings } = question;
  const rules = offering.eligibility;
  const availability = offering.availability;
  const violations: EligibilityViolation[] = [];
  const violate = (reason: string, zhCn: string, en: string, settingKey = "") =>
    violations.push({ reason, message: { zhCn, en }, settingKey });
  const name = offering.name ?? { zhCn: offering.code, en: offering.code };

  if (offering.lifecycle !== OfferingLifecycle.OFFERING_LIFECYCLE_ACTIVE) {
    violate("OFFERING_NOT_ON_SALE", `“${name.zhCn}”目前不在售。`, `"${name.en}" is not on sale.`);
  }
  const provinces = availability?.provinceCodes ?? [];
  if (provinces.length > 0 && !provinces.includes(subscriber.provinceCode)) {
    violate(
      "PROVINCE_NOT_SERVED",
      `“${name.zhCn}”在您所在的省份不提供。`,
      `"${name.en}" is not offered in your province.`,
    );
  }
  if (!(availability?.channels ?? []).includes(channel)) {
    violate(
      "CHANNEL_NOT_SOLD",
      `“${name.zhCn}”不能通过此渠道办理。`,
      `"${name.en}" cannot be ordered through this channel.`,
    );
  }
  if (rules && rules.compatiblePlanCodes.length > 0 && !rules.compatiblePlanCodes.includes(subscriber.planCode)) {
    violate(
      "PLAN_NOT_COMPATIBLE",
      `您当前的套餐不能办理“${name.zhCn}”。`,
      `"${name.en}" is not available with your current plan.`,
    );
  }
  if (rules && subscriber.tenureMonths < rules.minTenureMonths) {
    violate(
      "TENURE_TOO_SHORT",
      `“${name.zhCn}”要求在网满 ${rules.minTenureMonths} 个月。`,
      `"${name.en}" requires at least ${rules.minTenureMonths} months with us.`,
    );
  }
  const held = new Set(subscriber.heldOfferingCodes);
  if (held.has(offering.code) && !rules?.stackable) {
    violate("ALREADY_HELD", `您已办理“${name.zhCn}”。`, `You already have "${name.en}".`);
  }
  if (rules?.exclusiveGroup) {
    const conflicting = [...held].find(
      (code) => code !== offering.code && question.heldExclusiveGroups.get(code) === rules.exclusiveGroup,
    );
    if (conflicting) {
      violate(
        "EXCLUSIVE_OFFERING_HELD",
        `您已办理的 ${conflicting} 与“${name.zhCn}”不能同时持有。`,
        `You hold ${conflicting}, which cannot be held together with "${name.en}".`,
      );
    }
  }
  if (rules && rules.requiredOfferingCodes.length > 0 && !rules.requiredOfferingCodes.some((code) => held.has(code))) {
    violate(
      "REQUIRED_OFFERING_MISSING",
      `办理“${name.zhCn}”需先持有以下任一业务：${rules.requiredOfferingCodes.join("、")}。`,
      `"${name.en}" requires one of: ${rules.requiredOfferingCodes.join(", ")}.`,
    );
  }
  if (offering.trial && subscriber.formerOfferingCodes.includes(offering.code)) {
    violate(
      "TRIAL_ALREADY_USED",
      `您已体验过“${name.zhCn}”，每位用户限体验一次。`,
      `You have already tried "${name.en}"; one trial per subscriber.`,
    );
  }
  for (const violation of settingViolations(offering.feature?.settings ?? [], settings)) violations.push(violation);
  return violations;
}

function settingViolations(definitions: SettingDefinition[], values: Record<string, string>): EligibilityViolation[] {
  const violations: EligibilityViolation[] = [];
  const known = new Set(definitions.map((definition) => definition.key));
  for (const definition of definitions) {
    const value = values[definition.key];
    const label = definition.label ?? { zhCn: definition.key, en: definition.key };
    if (value === undefined || value === "") {
      if (definition.required) {
        violations.push({
          reason: "SETTING_MISSING",
          message: { zhCn: `请填写“${label.zhCn}”。`, en: `Please give "${label.en}".` },
          settingKey: definition.key,
        });
      }
    } else if (!isValidSettingValue(definition, value)) {
      violations.push({
        reason: "SETTING_INVALID",
        message:
          definition.type === SettingType.SETTING_TYPE_CHOICE
            ? {
                zhCn: `“${label.zhCn}”只能是：${definition.allowedValues.join("、")}。`,
                en: `"${label.en}" must be one of: ${definition.allowedValues.join(", ")}.`,
              }
            : {
                zhCn: `“${label.zhCn}”应为手机号码或带区号的固定电话号码。`,
                en: `"${label.en}" must be a mobile number or a fixed-line number with its area code.`,
              },
        settingKey: definition.key,
      });
    }
  }
  for (const key of Object.keys(values).sort()) {
    if (!known.has(key)) {
      violations.push({
        reason: "SETTING_UNKNOWN",
        message: { zhCn: `该业务没有设置项“${key}”。`, en: `This offering has no setting "${key}".` },
        settingKey: key,
      });
    }
  }
  return violations;
}

function isValidSettingValue(definition: SettingDefinition, value: string): boolean {
  if (definition.type === SettingType.SETTING_TYPE_CHOICE) return definition.allowedValues.includes(value);
  return MOBILE_NUMBER.test(value) || FIXED_LINE_WITH_AREA_CODE.test(value);
}

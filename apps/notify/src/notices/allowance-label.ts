import { AllowanceUnit } from "@omnihall/proto/omnihall/catalog/v1/allowance";
import type { LocalizedText } from "@omnihall/proto/omnihall/common/v1/common";
import type { Language } from "../templates/catalog.js";
import { formatKb, formatSmsCount, formatVoiceSeconds } from "../templates/format.js";

const UNIT_NAME: Record<Language, Record<AllowanceUnit, string>> = {
  "zh-CN": {
    [AllowanceUnit.ALLOWANCE_UNIT_DATA_KB]: "流量",
    [AllowanceUnit.ALLOWANCE_UNIT_VOICE_SECONDS]: "通话",
    [AllowanceUnit.ALLOWANCE_UNIT_SMS_COUNT]: "短信",
    [AllowanceUnit.ALLOWANCE_UNIT_UNSPECIFIED]: "额度",
    [AllowanceUnit.UNRECOGNIZED]: "额度",
  },
  en: {
    [AllowanceUnit.ALLOWANCE_UNIT_DATA_KB]: "data",
    [AllowanceUnit.ALLOWANCE_UNIT_VOICE_SECONDS]: "call minutes",
    [AllowanceUnit.ALLOWANCE_UNIT_SMS_COUNT]: "texts",
    [AllowanceUnit.ALLOWANCE_UNIT_UNSPECIFIED]: "allowance",
    [AllowanceUnit.UNRECOGNIZED]: "allowance",
  },
};

/** A text from a contract in the reader's language, falling back to the other one when it is missing. */
export function localized(text: LocalizedText | undefined, language: Language): string {
  const preferred = language === "en" ? text?.en : text?.zhCn;
  return preferred || text?.zhCn || text?.en || "";
}

/** What an allowance is called in a message: "5G 智享 59 元套餐流量" / "5G Smart 59 data". */
export function allowanceName(offeringName: LocalizedText | undefined, unit: AllowanceUnit, language: Language) {
  const offering = localized(offeringName, language);
  const unitName = UNIT_NAME[language][unit];
  if (!offering) return unitName;
  return language === "en" ? `${offering} ${unitName}` : `${offering}${unitName}`;
}

/** A quantity of an allowance as people read it. */
export function allowanceQuantity(quantity: bigint, unit: AllowanceUnit, language: Language): string {
  switch (unit) {
    case AllowanceUnit.ALLOWANCE_UNIT_DATA_KB:
      return formatKb(quantity);
    case AllowanceUnit.ALLOWANCE_UNIT_VOICE_SECONDS:
      return formatVoiceSeconds(quantity, language);
    case AllowanceUnit.ALLOWANCE_UNIT_SMS_COUNT:
      return formatSmsCount(quantity, language);
    default:
      return String(quantity);
  }
}

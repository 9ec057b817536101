import { failedPrecondition, invalidArgument, notFound, type DomainError } from "@omnihall/service-kit";
import { OrderErrors } from "../errors.js";

function badField(field: string, reason: string, zh: string, en: string): DomainError {
  const messages = { "zh-CN": zh, en };
  return invalidArgument(reason, messages, { fieldViolations: [{ field, reason, messages }] });
}

/** Account opening's own refusals; the shared ones (request id, number, dependencies) are OrderErrors'. */
export const OpeningErrors = {
  nameRequired: () => badField("identity.name", "NAME_REQUIRED", "请填写机主姓名。", "The holder's name is missing."),
  idNumberMalformed: () =>
    badField(
      "identity.id_number",
      "ID_NUMBER_MALFORMED",
      "身份证号码应为 18 位（最后一位可为 X）。",
      "The ID number is 18 characters: 17 digits and a digit or X.",
    ),
  idNumberChecksumWrong: () =>
    badField(
      "identity.id_number",
      "ID_NUMBER_CHECKSUM_WRONG",
      "身份证号码校验位不正确，请核对证件后重新输入。",
      "The ID number's check character does not fit; check the card and type it again.",
    ),
  idNumberBirthDateInvalid: () =>
    badField(
      "identity.id_number",
      "ID_NUMBER_BIRTH_DATE_INVALID",
      "身份证号码中的出生日期无效。",
      "The birth date in the ID number is not a real date.",
    ),
  idHolderUnderAge: () =>
    badField(
      "identity.id_number",
      "ID_HOLDER_UNDER_AGE",
      "未满 16 周岁不能以本人名义办理入网。",
      "Holders under 16 cannot open an account in their own name.",
    ),
  addressRequired: () => badField("identity.address", "ADDRESS_REQUIRED", "请填写地址。", "The address is missing."),
  idPhotoRequired: () =>
    badField("id_photo", "ID_PHOTO_REQUIRED", "请拍摄身份证照片。", "Take a photo of the ID card."),
  idPhotoTooLarge: () =>
    badField(
      "id_photo",
      "ID_PHOTO_TOO_LARGE",
      "证件照片过大（最大 512 KB）。",
      "The ID photo is too large (512 KiB at most).",
    ),
  idPhotoTypeUnsupported: () =>
    badField(
      "id_photo.content_type",
      "ID_PHOTO_TYPE_UNSUPPORTED",
      "证件照片须为 JPEG、PNG 或 WebP 格式。",
      "The ID photo must be JPEG, PNG or WebP.",
    ),
  iccidMalformed: () =>
    badField(
      "iccid",
      "ICCID_MALFORMED",
      "SIM 卡号（ICCID）应为 89 开头的 19–20 位数字。",
      "The ICCID is 19–20 digits starting 89.",
    ),
  iccidChecksumWrong: () =>
    badField(
      "iccid",
      "ICCID_CHECKSUM_WRONG",
      "SIM 卡号（ICCID）校验位不正确，请核对卡片背面的号码。",
      "The ICCID's check digit does not fit; check the number on the card.",
    ),
  numberRequired: () =>
    badField(
      "number",
      "NUMBER_REQUIRED",
      "请从号码池中选择一个 11 位号码。",
      "Choose an 11-digit number from the pool.",
    ),
  planCodeRequired: () => badField("plan_code", "PLAN_CODE_REQUIRED", "请选择套餐。", "Choose a tariff plan."),
  provinceRequired: () =>
    badField(
      "province_code",
      "PROVINCE_REQUIRED",
      "请指定开户省份和城市。",
      "Name the province and city of the account.",
    ),
  openingIdMalformed: () =>
    badField(
      "account_opening_id",
      "ACCOUNT_OPENING_ID_MALFORMED",
      "开户单编号格式不正确。",
      "The account opening id is malformed.",
    ),
  openingNotFound: () =>
    notFound("ACCOUNT_OPENING_NOT_FOUND", { "zh-CN": "未找到该开户单。", en: "No such account opening." }),
  planNotAvailable: () =>
    failedPrecondition("OFFERING_NOT_AVAILABLE", {
      "zh-CN": "该套餐已下架或在本地区不可办理，请为用户另选套餐后重新提交。",
      en: "This plan is no longer on sale here; choose another plan with the subscriber and submit again.",
    }),
  numberNotAvailable: () =>
    failedPrecondition("NUMBER_NOT_AVAILABLE", {
      "zh-CN": "该号码已被他人选用，请为用户另选号码后重新提交。",
      en: "That number was taken meanwhile; choose another number with the subscriber and submit again.",
    }),
  requestIdRequired: OrderErrors.requestIdRequired,
  requestIdReused: OrderErrors.requestIdReused,
  dependencyUnavailable: OrderErrors.dependencyUnavailable,
};

/** The stored failure reasons an opening may end with, and the error each replay answers. */
export const FINAL_FAILURES: Record<string, () => DomainError> = {
  NUMBER_NOT_AVAILABLE: OpeningErrors.numberNotAvailable,
  OFFERING_NOT_AVAILABLE: OpeningErrors.planNotAvailable,
};

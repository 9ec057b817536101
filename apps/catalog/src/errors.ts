import { alreadyExists, badField, failedPrecondition, notFound } from "@omnihall/service-kit";

/**
 * Every error the catalog returns, in one place so each reason has one wording in both languages. The reasons are
 * the contract (listed on each RPC in catalog.proto); the texts are for people.
 */

export { badField, requestIdRequired, requestIdReused } from "@omnihall/service-kit";

export const offeringCodeMalformed = (field: string) =>
  badField("OFFERING_CODE_MALFORMED", field, {
    "zh-CN": "商品编码格式不正确（应为大写字母、数字和下划线，2 至 64 位）。",
    en: "The offering code is malformed (upper-case letters, digits and underscores, 2 to 64 characters).",
  });

export const offeringNotFound = (code: string) =>
  notFound(
    "OFFERING_NOT_FOUND",
    { "zh-CN": `未找到商品“${code}”。`, en: `There is no offering "${code}".` },
    { metadata: { offering: code } },
  );

export const provinceCodeUnknown = (field: string, code: string) =>
  badField("PROVINCE_CODE_UNKNOWN", field, {
    "zh-CN": `未知的省份编码“${code}”。`,
    en: `Unknown province code "${code}".`,
  });

export const channelInvalid = (field: string) =>
  badField("CHANNEL_INVALID", field, {
    "zh-CN": "渠道无效。",
    en: "The channel is not valid.",
  });

export const countryCodeMalformed = (field: string) =>
  badField("COUNTRY_CODE_MALFORMED", field, {
    "zh-CN": "国家或地区代码应为两位大写字母（ISO 3166-1）。",
    en: "The country code must be two upper-case letters (ISO 3166-1 alpha-2).",
  });

export const offeringCodeTaken = (code: string) =>
  alreadyExists("OFFERING_CODE_TAKEN", {
    "zh-CN": `商品编码“${code}”已被使用。`,
    en: `The offering code "${code}" is already taken.`,
  });

export const offeringFieldFrozen = (field: string) =>
  failedPrecondition(
    "OFFERING_FIELD_FROZEN",
    {
      "zh-CN": `商品已上架，不能再修改“${field}”（只能修改名称、描述、销售省份和渠道）。`,
      en: `The offering is on sale: "${field}" can no longer change (only name, description, provinces and channels can).`,
    },
    { metadata: { field } },
  );

export const offeringRetired = (code: string) =>
  failedPrecondition("OFFERING_RETIRED", {
    "zh-CN": `商品“${code}”已下架，不能再修改。`,
    en: `The offering "${code}" is retired and can no longer change.`,
  });

export const lifecycleTransitionInvalid = (code: string, from: string, to: string) =>
  failedPrecondition(
    "LIFECYCLE_TRANSITION_INVALID",
    {
      "zh-CN": `商品“${code}”当前状态为 ${from}，不能变为 ${to}。`,
      en: `The offering "${code}" is ${from} and cannot become ${to}.`,
    },
    { metadata: { from, to } },
  );

export const roamingDestinationNotFound = (countryCode: string) =>
  notFound("ROAMING_DESTINATION_NOT_FOUND", {
    "zh-CN": `暂不支持漫游目的地“${countryCode}”。`,
    en: `There is no roaming destination "${countryCode}".`,
  });

export const msisdnMalformed = (field: string) =>
  badField("MSISDN_MALFORMED", field, {
    "zh-CN": "手机号码应为 11 位数字，以 1 开头。",
    en: "The phone number must be 11 digits starting with 1.",
  });

export const numberNotFound = (msisdn: string) =>
  notFound("NUMBER_NOT_FOUND", {
    "zh-CN": `号码 ${msisdn} 不在可售号码池中。`,
    en: `The number ${msisdn} is not in the number pool.`,
  });

export const numberNotAvailable = (msisdn: string) =>
  failedPrecondition("NUMBER_NOT_AVAILABLE", {
    "zh-CN": `号码 ${msisdn} 已被选走或已售出，请选择其他号码。`,
    en: `The number ${msisdn} is already reserved or sold. Please choose another.`,
  });

export const reservationIdMalformed = () =>
  badField("RESERVATION_ID_MALFORMED", "reservation_id", {
    "zh-CN": "预占编号格式不正确（应以 nrs_ 开头）。",
    en: 'The reservation id is malformed (it starts with "nrs_").',
  });

export const reservationNotFound = (id: string) =>
  notFound("RESERVATION_NOT_FOUND", {
    "zh-CN": `未找到号码预占 ${id}。`,
    en: `There is no number reservation ${id}.`,
  });

export const reservationExpired = () =>
  failedPrecondition("RESERVATION_EXPIRED", {
    "zh-CN": "号码预占已过期，号码已释放，请重新选号。",
    en: "The number reservation has expired and the number was freed. Please choose a number again.",
  });

export const reservationReleased = () =>
  failedPrecondition("RESERVATION_RELEASED", {
    "zh-CN": "号码预占已取消，请重新选号。",
    en: "The number reservation was released. Please choose a number again.",
  });

export const reservationConsumed = () =>
  failedPrecondition("RESERVATION_CONSUMED", {
    "zh-CN": "该号码已售出。",
    en: "The reserved number has already been sold.",
  });

export const orderIdRequired = () =>
  badField("ORDER_ID_REQUIRED", "order_id", {
    "zh-CN": "请提供订单编号。",
    en: "The request needs the order id.",
  });

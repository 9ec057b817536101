import {
  alreadyExists,
  failedPrecondition,
  invalidArgument,
  notFound,
  permissionDenied,
  unavailable,
  type DomainError,
  type DomainErrorOptions,
} from "@omnihall/service-kit";

/** Every error the order service sends, with its reason and what people read, in one place. */

const field = (name: string, reason: string, zh: string, en: string): DomainErrorOptions => ({
  fieldViolations: [{ field: name, reason, messages: { "zh-CN": zh, en } }],
});

function badField(name: string, reason: string, zh: string, en: string): DomainError {
  return invalidArgument(reason, { "zh-CN": zh, en }, field(name, reason, zh, en));
}

export const OrderErrors = {
  requestIdRequired: () => badField("request_id", "REQUEST_ID_REQUIRED", "缺少请求编号。", "request_id is required."),
  requestIdReused: () =>
    alreadyExists("REQUEST_ID_REUSED", {
      "zh-CN": "该请求编号已用于另一笔不同的请求。",
      en: "This request_id was already used for a different request.",
    }),
  subscriberIdMalformed: () =>
    badField("subscriber_id", "SUBSCRIBER_ID_MALFORMED", "用户编号格式不正确。", "The subscriber id is malformed."),
  campaignIdMalformed: () =>
    badField("campaign_id", "CAMPAIGN_ID_MALFORMED", "活动编号格式不正确。", "The campaign id is malformed."),
  orderIdMalformed: () =>
    badField("order_id", "ORDER_ID_MALFORMED", "订单编号格式不正确。", "The order id is malformed."),
  productIdMalformed: () =>
    badField("product_id", "PRODUCT_ID_MALFORMED", "产品编号格式不正确。", "The product id is malformed."),
  offeringCodeRequired: () =>
    badField("offering_code", "OFFERING_CODE_REQUIRED", "请选择要订购的产品。", "offering_code is required."),
  channelRequired: () => badField("channel", "CHANNEL_REQUIRED", "缺少受理渠道。", "channel is required."),
  numberRequired: () =>
    badField(
      "number",
      "NUMBER_REQUIRED",
      "选号入网需要先选择号码。",
      "This offering needs a number chosen from the pool.",
    ),
  installationRequired: () =>
    badField(
      "installation",
      "INSTALLATION_APPOINTMENT_REQUIRED",
      "新装宽带需要填写安装地址和预约时间。",
      "A new broadband line needs an installation address and appointment time.",
    ),
  installationInvalid: () =>
    badField(
      "installation",
      "INSTALLATION_APPOINTMENT_INVALID",
      "安装预约须有地址，且预约时间须晚于现在。",
      "The installation appointment needs an address and a time in the future.",
    ),
  characteristicInvalid: (detail: string) =>
    invalidArgument(
      "CHARACTERISTIC_INVALID",
      { "zh-CN": `业务设置不正确：${detail}`, en: `The offering settings are not valid: ${detail}` },
      { metadata: { detail } },
    ),
  subscriberNotFound: () => notFound("SUBSCRIBER_NOT_FOUND", { "zh-CN": "找不到该用户。", en: "No such subscriber." }),
  offeringNotFound: () => notFound("OFFERING_NOT_FOUND", { "zh-CN": "找不到该产品。", en: "No such offering." }),
  offeringNotAvailable: (reasons: string[]) =>
    failedPrecondition(
      "OFFERING_NOT_AVAILABLE",
      {
        "zh-CN": "该产品在您所在的省份或当前渠道不可订购。",
        en: "This offering is not sold in your province or through this channel.",
      },
      { metadata: { violations: reasons.join(",") } },
    ),
  subscriberNotEligible: (reasons: string[], messages?: { "zh-CN": string; en: string }) =>
    failedPrecondition(
      "SUBSCRIBER_NOT_ELIGIBLE",
      messages ?? { "zh-CN": "您暂不符合订购该产品的条件。", en: "You are not eligible for this offering." },
      { metadata: { violations: reasons.join(",") } },
    ),
  numberNotAvailable: () =>
    failedPrecondition("NUMBER_NOT_AVAILABLE", {
      "zh-CN": "该号码已被选用，请换一个号码。",
      en: "That number is already taken. Please choose another.",
    }),
  campaignNotFound: () =>
    badField("campaign_id", "CAMPAIGN_NOT_FOUND", "该营销活动不存在。", "There is no such campaign."),
  campaignOfferingMismatch: () =>
    badField(
      "campaign_id",
      "CAMPAIGN_OFFERING_MISMATCH",
      "该营销活动推广的不是这个产品。",
      "The campaign offers another offering.",
    ),
  campaignChannelMismatch: () =>
    badField(
      "campaign_id",
      "CAMPAIGN_CHANNEL_MISMATCH",
      "该营销活动不在此渠道开展。",
      "The campaign does not run on this channel.",
    ),
  campaignNotLive: (state: string) =>
    failedPrecondition(
      "CAMPAIGN_NOT_LIVE",
      { "zh-CN": "该营销活动当前未在进行中。", en: "The campaign is not running now." },
      { metadata: { state } },
    ),
  campaignNotForSubscriber: () =>
    failedPrecondition("CAMPAIGN_NOT_FOR_SUBSCRIBER", {
      "zh-CN": "该营销活动不面向您所在的地区。",
      en: "The campaign does not run where you are.",
    }),
  dependencyUnavailable: () =>
    unavailable("DEPENDENCY_UNAVAILABLE", {
      "zh-CN": "系统繁忙，请稍后再试。",
      en: "The service is busy. Please try again shortly.",
    }),
  confirmationBySubscriberOnly: () =>
    permissionDenied("CONFIRMATION_BY_SUBSCRIBER_ONLY", {
      "zh-CN": "该订单须由用户本人确认。",
      en: "Only the subscriber can confirm this order.",
    }),
  orderNotFound: () => notFound("ORDER_NOT_FOUND", { "zh-CN": "找不到该订单。", en: "No such order." }),
  productNotFound: () => notFound("PRODUCT_NOT_FOUND", { "zh-CN": "找不到该产品。", en: "No such product." }),
  confirmationCodeRequired: () =>
    badField(
      "confirmation_code",
      "CONFIRMATION_CODE_REQUIRED",
      "请输入短信中的验证码。",
      "Enter the code from the text message.",
    ),
  confirmationCodeWrong: (attemptsLeft: number) =>
    permissionDenied(
      "CONFIRMATION_CODE_WRONG",
      {
        "zh-CN": `验证码不正确，还可尝试 ${attemptsLeft} 次。`,
        en: `The code is wrong. ${attemptsLeft} attempt(s) left.`,
      },
      { metadata: { attemptsLeft: String(attemptsLeft) } },
    ),
  confirmationAttemptsExhausted: () =>
    failedPrecondition("CONFIRMATION_ATTEMPTS_EXHAUSTED", {
      "zh-CN": "验证码错误次数过多，订单已取消。",
      en: "Too many wrong codes: the order was cancelled.",
    }),
  confirmationExpired: () =>
    failedPrecondition("CONFIRMATION_EXPIRED", {
      "zh-CN": "确认已超时，订单已取消，请重新下单。",
      en: "The time to confirm has passed and the order was cancelled. Please order again.",
    }),
  orderAlreadyConfirmed: () =>
    failedPrecondition("ORDER_ALREADY_CONFIRMED", {
      "zh-CN": "该订单已确认，无需重复确认。",
      en: "This order has already been confirmed.",
    }),
  orderNotPending: () =>
    failedPrecondition("ORDER_NOT_PENDING", {
      "zh-CN": "该订单已取消，无法确认。",
      en: "This order was cancelled and can no longer be confirmed.",
    }),
  orderNotCancellable: () =>
    failedPrecondition("ORDER_NOT_CANCELLABLE", {
      "zh-CN": "订单已确认并在办理中，无法取消。",
      en: "The order is confirmed and being fulfilled; it can no longer be cancelled.",
    }),
  productNotActive: () =>
    failedPrecondition("PRODUCT_NOT_ACTIVE", { "zh-CN": "该产品已失效。", en: "This product has already ended." }),
  productIsPlan: () =>
    failedPrecondition("PRODUCT_IS_PLAN", {
      "zh-CN": "套餐不能退订，请办理套餐变更。",
      en: "A tariff plan cannot be unsubscribed; change plans instead.",
    }),
  productNotTrial: () =>
    failedPrecondition("PRODUCT_NOT_TRIAL", {
      "zh-CN": "该产品不是体验产品。",
      en: "This product is not a trial.",
    }),
};

/** Checks a request_id is present; every mutating RPC needs one. */
export function requireRequestId(requestId: string): void {
  if (requestId.trim() === "") throw OrderErrors.requestIdRequired();
}

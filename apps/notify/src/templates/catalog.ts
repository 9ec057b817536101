/**
 * Every message the platform sends, in both languages the halls serve. Templates live in code (reviewed like any
 * other change) rather than in the database: service wording is part of the product, and a marketing template
 * is a frame a campaign fills, so campaigns need no template editing of their own.
 *
 * A service template must never carry marketing content: service templates take only the facts of the
 * reminder, confirmation or order they are about, and a marketing template can never be sent as a service message
 * (see `renderMessage`).
 */

export type Language = "zh-CN" | "en";
export type MessageKind = "SERVICE" | "MARKETING";

export interface Template {
  code: string;
  kind: MessageKind;
  /** Only the service's own event consumers may send it (not SendMessage callers). */
  eventOnly?: boolean;
  /** Only these callers may send it through SendMessage. */
  callers?: readonly string[];
  /** Longest variable value, when a template takes more than a slot in a sentence (default MAX_VARIABLE_LENGTH). */
  maxVariableLength?: number;
  /** Variable names used as `{name}` in the texts; every one must be given, no other. */
  variables: readonly string[];
  text: Record<Language, string>;
}

const templates = [
  {
    code: "LOGIN_CODE",
    kind: "SERVICE",
    variables: ["code", "minutes"],
    text: {
      "zh-CN": "您的登录验证码为{code}，{minutes}分钟内有效。请勿将验证码告诉他人。",
      en: "Your login code is {code}. It expires in {minutes} minutes. Never share it with anyone.",
    },
  },
  {
    // The orders service writes the confirmation wording (offering, price, how to confirm) and owns its rule;
    // only its event may use this template, never SendMessage, so no caller can put free text in a service SMS.
    code: "ORDER_CONFIRMATION",
    kind: "SERVICE",
    eventOnly: true,
    variables: ["text"],
    text: { "zh-CN": "{text}", en: "{text}" },
  },
  {
    // The SMS hall's answer to a text the subscriber sent to the service number (balance, menu, "0000" list…):
    // the hall writes it, so only the hall may use it. It never carries marketing (service kind, no campaign).
    code: "SMS_HALL_REPLY",
    kind: "SERVICE",
    callers: ["sms-hall"],
    maxVariableLength: 600,
    variables: ["text"],
    text: { "zh-CN": "{text}", en: "{text}" },
  },
  {
    code: "ORDER_ACKNOWLEDGED",
    kind: "SERVICE",
    variables: ["offering", "order_id"],
    text: {
      "zh-CN": "您办理“{offering}”的订单{order_id}已受理。",
      en: "Your order {order_id} for {offering} has been received.",
    },
  },
  {
    code: "ORDER_PENDING",
    kind: "SERVICE",
    variables: ["offering", "order_id"],
    text: {
      "zh-CN": "您办理“{offering}”的订单{order_id}待您确认，确认前不会扣费。",
      en: "Your order {order_id} for {offering} is waiting for your confirmation. Nothing is charged until you confirm.",
    },
  },
  {
    code: "ORDER_HELD",
    kind: "SERVICE",
    variables: ["offering", "order_id"],
    text: {
      "zh-CN": "您办理“{offering}”的订单{order_id}暂时挂起，我们处理后会再通知您。",
      en: "Your order {order_id} for {offering} is on hold. We will let you know when it moves on.",
    },
  },
  {
    code: "ORDER_IN_PROGRESS",
    kind: "SERVICE",
    variables: ["offering", "order_id"],
    text: {
      "zh-CN": "您办理“{offering}”的订单{order_id}正在处理中。",
      en: "Your order {order_id} for {offering} is being processed.",
    },
  },
  {
    code: "ORDER_COMPLETED",
    kind: "SERVICE",
    variables: ["offering", "order_id"],
    text: {
      "zh-CN": "您办理的“{offering}”已成功开通（订单{order_id}）。",
      en: "{offering} is now active (order {order_id}).",
    },
  },
  {
    code: "ORDER_FAILED",
    kind: "SERVICE",
    variables: ["offering", "order_id"],
    text: {
      "zh-CN": "很抱歉，您办理“{offering}”的订单{order_id}未能完成，已扣费用将原路退回。",
      en: "Sorry, your order {order_id} for {offering} could not be completed. Any amount charged is refunded.",
    },
  },
  {
    code: "ORDER_CANCELLED",
    kind: "SERVICE",
    variables: ["offering", "order_id"],
    text: {
      "zh-CN": "您办理“{offering}”的订单{order_id}已取消，未产生费用。",
      en: "Your order {order_id} for {offering} has been cancelled. Nothing was charged.",
    },
  },
  {
    code: "BROADBAND_ACCEPTED",
    kind: "SERVICE",
    variables: ["offering", "order_id"],
    text: {
      "zh-CN": "您的宽带“{offering}”装机申请（订单{order_id}）已受理，我们将尽快安排工程师。",
      en: "Your broadband installation for {offering} (order {order_id}) is accepted. An engineer will be assigned soon.",
    },
  },
  {
    code: "BROADBAND_ENGINEER_ASSIGNED",
    kind: "SERVICE",
    variables: ["order_id"],
    text: {
      "zh-CN": "您的宽带装机（订单{order_id}）已安排工程师，工程师将与您联系确认上门时间。",
      en: "An engineer is assigned to your broadband installation (order {order_id}) and will call you about the visit.",
    },
  },
  {
    code: "BROADBAND_SCHEDULED",
    kind: "SERVICE",
    variables: ["order_id", "appointment"],
    text: {
      "zh-CN": "您的宽带装机（订单{order_id}）已预约在{appointment}上门，请保持电话畅通。",
      en: "Your broadband installation (order {order_id}) is booked for {appointment}. Please keep your phone on.",
    },
  },
  {
    code: "BROADBAND_INSTALLED",
    kind: "SERVICE",
    variables: ["offering", "order_id"],
    text: {
      "zh-CN": "您的宽带“{offering}”已安装完成（订单{order_id}），祝您使用愉快。",
      en: "Your broadband {offering} is installed (order {order_id}). Enjoy!",
    },
  },
  {
    code: "PRODUCT_EXPIRING",
    kind: "SERVICE",
    variables: ["offering", "end_time"],
    text: {
      "zh-CN": "您的“{offering}”将于{end_time}到期。",
      en: "Your {offering} ends on {end_time}.",
    },
  },
  {
    code: "TRIAL_EXPIRING",
    kind: "SERVICE",
    variables: ["offering", "end_time", "price"],
    text: {
      "zh-CN":
        "您试用的“{offering}”将于{end_time}结束。如需继续使用，转为正式订购后每月{price}；不转正将自动取消，不收费。",
      en: "Your {offering} trial ends on {end_time}. To keep it, convert to the paid plan at {price} a month; otherwise it is cancelled at no charge.",
    },
  },
  {
    code: "QUOTA_THRESHOLD",
    kind: "SERVICE",
    variables: ["allowance", "percent", "used", "quota"],
    text: {
      "zh-CN": "您的{allowance}已使用{percent}%（已用{used}，共{quota}）。",
      en: "You have used {percent}% of your {allowance} ({used} of {quota}).",
    },
  },
  {
    code: "ROAMING_WELCOME",
    kind: "SERVICE",
    variables: ["destination", "rates"],
    text: {
      "zh-CN": "欢迎来到{destination}！当地资费：{rates}。",
      en: "Welcome to {destination}! Local rates: {rates}.",
    },
  },
  {
    code: "USAGE_SUMMARY",
    kind: "SERVICE",
    variables: ["period", "summary"],
    text: {
      "zh-CN": "您{period}的用量：{summary}。",
      en: "Your usage for {period}: {summary}.",
    },
  },
  {
    // A payment a field agent took in person (billing's event says who): the facts of the payment only.
    code: "PAYMENT_RECEIPT",
    kind: "SERVICE",
    eventOnly: true,
    variables: ["amount", "method", "time", "payment_id", "agent", "device"],
    text: {
      "zh-CN": "收款凭证：您于{time}以{method}缴费{amount}，流水号{payment_id}，受理代理员{agent}（终端{device}）。",
      en: "Receipt: you paid {amount} by {method} on {time}, payment {payment_id}, taken by agent {agent} (handheld {device}).",
    },
  },
  {
    // A campaign's own SMS creative (SendMarketingBatch: the campaign service's outbound wave), written and
    // approved in the campaign; notify adds the signature and the opt-out hint.
    code: "CAMPAIGN_SMS",
    kind: "MARKETING",
    callers: ["campaigns", "platform"],
    maxVariableLength: 500,
    variables: ["text"],
    text: { "zh-CN": "{text}", en: "{text}" },
  },
  {
    code: "MARKETING_OFFER",
    kind: "MARKETING",
    variables: ["offer", "details"],
    text: {
      "zh-CN": "{offer}：{details}",
      en: "{offer}: {details}",
    },
  },
] as const satisfies readonly Template[];

export type TemplateCode = (typeof templates)[number]["code"];

const byCode: ReadonlyMap<string, Template> = new Map(templates.map((template) => [template.code, template]));

/** The template with this code, or undefined. */
export function findTemplate(code: string): Template | undefined {
  return byCode.get(code);
}

/** Every template, for documentation and tests. */
export function allTemplates(): readonly Template[] {
  return templates;
}

import type { CampaignSpec, Creative } from "@omnihall/proto/omnihall/campaign/v1/campaign";
import { Channel, type LocalizedText } from "@omnihall/proto/omnihall/common/v1/common";
import { badField, channelInvalid, provinceCodeUnknown } from "../errors.js";
import { isProvinceCode } from "./provinces.js";

/** The halls a campaign can run on. */
export const CAMPAIGN_CHANNELS: ReadonlySet<Channel> = new Set([
  Channel.CHANNEL_WEB_HALL,
  Channel.CHANNEL_SMS_HALL,
  Channel.CHANNEL_KIOSK,
  Channel.CHANNEL_MINI_HALL,
]);

const OFFERING_CODE = /^[A-Z0-9_]{2,64}$/;
const REPLY_KEYWORD = /^[A-Z0-9]{1,8}$/;
/** Words the SMS hall already gives a meaning: a campaign may not take them (TD is the opt-out). */
const RESERVED_KEYWORDS = new Set(["TD", "Y", "N", "CXYE", "CXLL", "HELP"]);
const MAX_HOLDOUT_PERCENT = 50;

const bad = (reason: string, field: string, zh: string, en: string) => badField(reason, field, { "zh-CN": zh, en });

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return zone !== "";
  } catch {
    return false;
  }
}

const both = (text: LocalizedText | undefined) => Boolean(text?.zhCn.trim() && text.en.trim());

/** What each hall needs of its creative to show anything: [field, text] pairs that must be there in both languages. */
function requiredTexts(channel: Channel, creative: Creative): Array<[string, LocalizedText | undefined]> {
  switch (channel) {
    case Channel.CHANNEL_WEB_HALL:
      return [
        ["web_banner_title", creative.webBannerTitle],
        ["web_banner_text", creative.webBannerText],
      ];
    case Channel.CHANNEL_SMS_HALL:
      return [["sms_text", creative.smsText]];
    case Channel.CHANNEL_KIOSK:
      return [
        ["kiosk_attract_title", creative.kioskAttractTitle],
        ["kiosk_attract_text", creative.kioskAttractText],
      ];
    default:
      return [["agent_pitch", creative.agentPitch]];
  }
}

/**
 * Checks a campaign definition and answers the first problem as INVALID_ARGUMENT with the field named. Returns the
 * spec with its text trimmed and a province-scoped audience defaulting to the campaign's province.
 */
export function validateSpec(spec: CampaignSpec | undefined): CampaignSpec {
  if (!spec) throw bad("CAMPAIGN_REQUIRED", "spec", "请填写活动内容。", "The request needs the campaign (spec).");
  const name = spec.name.trim();
  if (!name || name.length > 200) {
    throw bad(
      "NAME_REQUIRED",
      "spec.name",
      "请填写活动名称（200 字以内）。",
      "The campaign needs a name (up to 200 characters).",
    );
  }

  const offer = spec.offer;
  if (!offer || !OFFERING_CODE.test(offer.offeringCode)) {
    throw bad(
      "OFFERING_CODE_MALFORMED",
      "spec.offer.offering_code",
      "商品编码格式不正确（大写字母、数字和下划线，2 至 64 位）。",
      "The offering code is malformed (upper-case letters, digits and underscores, 2 to 64 characters).",
    );
  }
  if (offer.priceFen < 0n) {
    throw bad(
      "PRICE_NEGATIVE",
      "spec.offer.price_fen",
      "活动价格不能为负数。",
      "The campaign price must not be negative.",
    );
  }
  if (offer.discountBps < 0 || offer.discountBps > 10_000 || (offer.hasPrice && offer.discountBps > 0)) {
    throw bad(
      "DISCOUNT_INVALID",
      "spec.offer.discount_bps",
      "折扣应在 0 至 10000 个基点之间，且不能与活动价格同时设置。",
      "The discount must be 0 to 10000 basis points, and not given together with a campaign price.",
    );
  }

  const scope = spec.scope;
  if (!scope || scope.national === (scope.provinceCode !== "")) {
    throw bad(
      "SCOPE_INVALID",
      "spec.scope",
      "活动范围应为全国，或指定一个省份。",
      "The scope must be national or name exactly one province.",
    );
  }
  if (!scope.national && !isProvinceCode(scope.provinceCode)) {
    throw provinceCodeUnknown("spec.scope.province_code", scope.provinceCode);
  }

  const audience = spec.audience ?? {
    provinceCodes: [],
    cities: [],
    planCodes: [],
    minTenureMonths: 0,
    monthlySpend: undefined,
    minLastMonthDataKb: 0n,
    maxLastMonthDataKb: 0n,
    marketingConsentRequired: false,
  };
  for (const [index, code] of audience.provinceCodes.entries()) {
    if (!isProvinceCode(code)) throw provinceCodeUnknown(`spec.audience.province_codes[${index}]`, code);
    if (!scope.national && code !== scope.provinceCode) {
      throw bad(
        "AUDIENCE_INVALID",
        `spec.audience.province_codes[${index}]`,
        "省级活动的受众只能在本省。",
        "A province campaign's audience must be in its own province.",
      );
    }
  }
  const spend = audience.monthlySpend;
  if (
    audience.minTenureMonths < 0 ||
    (spend && (spend.minFen < 0n || spend.maxFen < 0n || (spend.maxFen > 0n && spend.maxFen <= spend.minFen))) ||
    audience.minLastMonthDataKb < 0n ||
    audience.maxLastMonthDataKb < 0n ||
    (audience.maxLastMonthDataKb > 0n && audience.maxLastMonthDataKb <= audience.minLastMonthDataKb)
  ) {
    throw bad(
      "AUDIENCE_INVALID",
      "spec.audience",
      "受众条件无效（不能为负数，上限须大于下限）。",
      "The audience is not valid (no negative values; each maximum above its minimum).",
    );
  }

  if (spec.channels.length === 0) {
    throw bad("CHANNELS_REQUIRED", "spec.channels", "请至少选择一个渠道。", "Choose at least one channel.");
  }
  const seen = new Set<Channel>();
  for (const [index, placement] of spec.channels.entries()) {
    const field = `spec.channels[${index}]`;
    if (!CAMPAIGN_CHANNELS.has(placement.channel) || seen.has(placement.channel))
      throw channelInvalid(`${field}.channel`);
    seen.add(placement.channel);
    const creative = placement.creative;
    const missing = creative
      ? requiredTexts(placement.channel, creative).find(([, text]) => !both(text))
      : ["creative"];
    if (!creative || missing) {
      throw bad(
        "CREATIVE_REQUIRED",
        `${field}.creative${missing && missing[0] !== "creative" ? `.${missing[0]}` : ""}`,
        "该渠道的宣传内容不完整（需中文和英文）。",
        "The channel's creative is incomplete (it needs Chinese and English).",
      );
    }
    if (placement.channel === Channel.CHANNEL_SMS_HALL) {
      const keyword = creative.smsReplyKeyword.trim().toUpperCase();
      if (!REPLY_KEYWORD.test(keyword) || RESERVED_KEYWORDS.has(keyword)) {
        throw bad(
          "SMS_REPLY_KEYWORD_MALFORMED",
          `${field}.creative.sms_reply_keyword`,
          "短信回复关键字应为 1 至 8 位大写字母或数字，且不能是 TD 等已有指令。",
          "The SMS reply keyword must be 1 to 8 upper-case letters or digits, and not a command such as TD.",
        );
      }
      creative.smsReplyKeyword = keyword;
    }
  }

  const schedule = spec.schedule;
  if (!schedule?.startTime || !schedule.endTime || schedule.endTime <= schedule.startTime) {
    throw bad(
      "SCHEDULE_INVALID",
      "spec.schedule",
      "请填写开始和结束时间，结束时间须晚于开始时间。",
      "The schedule needs a start and an end time, the end after the start.",
    );
  }
  if (!isTimeZone(schedule.timeZone)) {
    throw bad(
      "TIME_ZONE_UNKNOWN",
      "spec.schedule.time_zone",
      "未知的时区。",
      "Unknown time zone (IANA name expected).",
    );
  }

  const caps = spec.caps;
  if (caps && (caps.perSubscriberFrequency < 0 || caps.totalQuantity < 0n || caps.budgetFen < 0n)) {
    throw bad("CAPS_INVALID", "spec.caps", "上限不能为负数。", "Caps must not be negative.");
  }
  if (spec.holdoutPercent < 0 || spec.holdoutPercent > MAX_HOLDOUT_PERCENT) {
    throw bad(
      "HOLDOUT_INVALID",
      "spec.holdout_percent",
      `对照组比例应在 0 至 ${MAX_HOLDOUT_PERCENT}% 之间。`,
      `The holdout must be 0 to ${MAX_HOLDOUT_PERCENT} percent.`,
    );
  }

  return {
    ...spec,
    name,
    description: spec.description.trim(),
    audience: {
      ...audience,
      provinceCodes: audience.provinceCodes.length || scope.national ? audience.provinceCodes : [scope.provinceCode],
    },
  };
}

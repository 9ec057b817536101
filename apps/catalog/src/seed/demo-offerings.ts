import { DEMO_PLANS } from "@omnihall/demo-data";
import { AllowanceRecurrence, AllowanceUnit, type Allowance } from "@omnihall/proto/omnihall/catalog/v1/allowance";
import {
  BroadbandOrderType,
  EligibilityRules,
  type Offering,
  OfferingKind,
  OfferingLifecycle,
  PriceRecurrence,
  SettingType,
  UnsubscribeEffect,
  ValidityKind,
} from "@omnihall/proto/omnihall/catalog/v1/catalog";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";

const GB = 1024n * 1024n;
const MINUTE = 60n;
const { CHANNEL_WEB_HALL: WEB, CHANNEL_SMS_HALL: SMS, CHANNEL_KIOSK: KIOSK, CHANNEL_MINI_HALL: MINI } = Channel;
const OPS = Channel.CHANNEL_OPS_CONSOLE;
const EVERY_HALL = [WEB, SMS, KIOSK, MINI, OPS];
/** Orders with details to fill in (settings, a number, an appointment) are not taken by SMS. */
const SCREEN_HALLS = [WEB, KIOSK, MINI, OPS];

const data = (kb: bigint, recurrence: AllowanceRecurrence, roamingCountryCode = ""): Allowance => ({
  unit: AllowanceUnit.ALLOWANCE_UNIT_DATA_KB,
  quantity: kb,
  recurrence,
  roamingCountryCode,
});
const voice = (seconds: bigint, recurrence: AllowanceRecurrence, roamingCountryCode = ""): Allowance => ({
  unit: AllowanceUnit.ALLOWANCE_UNIT_VOICE_SECONDS,
  quantity: seconds,
  recurrence,
  roamingCountryCode,
});
const sms = (count: bigint, recurrence: AllowanceRecurrence): Allowance => ({
  unit: AllowanceUnit.ALLOWANCE_UNIT_SMS_COUNT,
  quantity: count,
  recurrence,
  roamingCountryCode: "",
});
const { ALLOWANCE_RECURRENCE_ONCE: ONCE, ALLOWANCE_RECURRENCE_MONTHLY: MONTHLY } = AllowanceRecurrence;

type Seeded = Omit<Offering, "offeringId" | "createTime" | "updateTime">;

/** An offering with the usual defaults: nationwide, sold in every hall, active, no rules. */
function offering(fields: Partial<Seeded> & Pick<Seeded, "code" | "kind" | "name" | "priceFen">): Seeded {
  return {
    description: { zhCn: "", en: "" },
    priceRecurrence: PriceRecurrence.PRICE_RECURRENCE_ONE_TIME,
    validity: { kind: ValidityKind.VALIDITY_KIND_CALENDAR_MONTH, days: 0 },
    unsubscribeEffect: UnsubscribeEffect.UNSUBSCRIBE_EFFECT_PERIOD_END,
    allowances: [],
    availability: { provinceCodes: [], channels: EVERY_HALL },
    eligibility: EligibilityRules.create({ stackable: true }),
    trial: undefined,
    lifecycle: OfferingLifecycle.OFFERING_LIFECYCLE_ACTIVE,
    ...fields,
  };
}

const plans: Seeded[] = DEMO_PLANS.map((plan) =>
  offering({
    code: plan.code,
    kind: OfferingKind.OFFERING_KIND_PLAN,
    name: { zhCn: plan.nameZh, en: plan.nameEn },
    description: {
      zhCn: `每月 ${plan.dataKb / GB}GB 国内流量、${plan.voiceSeconds / MINUTE} 分钟国内通话、${plan.smsCount} 条短信。`,
      en: `Every month: ${plan.dataKb / GB} GB domestic data, ${plan.voiceSeconds / MINUTE} domestic minutes, ${plan.smsCount} texts.`,
    },
    priceFen: plan.monthlyFeeFen,
    priceRecurrence: PriceRecurrence.PRICE_RECURRENCE_MONTHLY,
    validity: { kind: ValidityKind.VALIDITY_KIND_OPEN_ENDED, days: 0 },
    allowances: [data(plan.dataKb, MONTHLY), voice(plan.voiceSeconds, MONTHLY), sms(plan.smsCount, MONTHLY)],
    availability: { provinceCodes: [], channels: SCREEN_HALLS },
    eligibility: EligibilityRules.create(),
  }),
);

const FIVE_G_PLANS = DEMO_PLANS.filter((plan) => plan.code.startsWith("PLAN_5G")).map((plan) => plan.code);

const dataPacks: Seeded[] = [
  offering({
    code: "DATA_1GB_1D",
    kind: OfferingKind.OFFERING_KIND_DATA_PACK,
    name: { zhCn: "1GB 日包", en: "1 GB Day Pass" },
    description: { zhCn: "1GB 国内流量，24 小时有效。", en: "1 GB of domestic data for 24 hours." },
    priceFen: 500n,
    validity: { kind: ValidityKind.VALIDITY_KIND_DAYS, days: 1 },
    unsubscribeEffect: UnsubscribeEffect.UNSUBSCRIBE_EFFECT_IMMEDIATE,
    allowances: [data(1n * GB, ONCE)],
  }),
  offering({
    code: "DATA_10GB_MONTH",
    kind: OfferingKind.OFFERING_KIND_DATA_PACK,
    name: { zhCn: "10GB 当月流量包", en: "10 GB Data This Month" },
    description: { zhCn: "10GB 国内流量，当月有效。", en: "10 GB of domestic data until the end of this month." },
    priceFen: 3000n,
    allowances: [data(10n * GB, ONCE)],
  }),
  offering({
    code: "DATA_20GB_30D",
    kind: OfferingKind.OFFERING_KIND_DATA_PACK,
    name: { zhCn: "20GB 30 天流量包", en: "20 GB Data for 30 Days" },
    description: { zhCn: "20GB 国内流量，30 天有效。", en: "20 GB of domestic data for 30 days." },
    priceFen: 5000n,
    validity: { kind: ValidityKind.VALIDITY_KIND_DAYS, days: 30 },
    allowances: [data(20n * GB, ONCE)],
  }),
  offering({
    code: "DATA_5G_BOOST_30GB",
    kind: OfferingKind.OFFERING_KIND_DATA_PACK,
    name: { zhCn: "5G 加速包（每月 30GB）", en: "5G Boost (30 GB a month)" },
    description: {
      zhCn: "每月 30GB 5G 高速流量，按月续订，仅限 5G 套餐。",
      en: "30 GB of 5G data every month, renewed monthly; 5G plans only.",
    },
    priceFen: 2000n,
    priceRecurrence: PriceRecurrence.PRICE_RECURRENCE_MONTHLY,
    validity: { kind: ValidityKind.VALIDITY_KIND_OPEN_ENDED, days: 0 },
    allowances: [data(30n * GB, MONTHLY)],
    eligibility: EligibilityRules.create({ compatiblePlanCodes: FIVE_G_PLANS, exclusiveGroup: "DATA_MONTHLY_ADDON" }),
  }),
  offering({
    code: "DATA_GD_LOCAL_15GB",
    kind: OfferingKind.OFFERING_KIND_DATA_PACK,
    name: { zhCn: "广东省内 15GB 流量包", en: "Guangdong Local 15 GB" },
    description: {
      zhCn: "15GB 广东省内流量，当月有效。",
      en: "15 GB of data within Guangdong until the end of this month.",
    },
    priceFen: 1500n,
    allowances: [data(15n * GB, ONCE)],
    availability: { provinceCodes: ["GD"], channels: EVERY_HALL },
  }),
  offering({
    code: "DATA_LOYALTY_50GB",
    kind: OfferingKind.OFFERING_KIND_DATA_PACK,
    name: { zhCn: "老用户回馈 50GB", en: "Loyalty 50 GB" },
    description: {
      zhCn: "在网满 24 个月的用户专享，50GB 国内流量，30 天有效。",
      en: "For subscribers with us 24 months or more: 50 GB of domestic data for 30 days.",
    },
    priceFen: 2900n,
    validity: { kind: ValidityKind.VALIDITY_KIND_DAYS, days: 30 },
    allowances: [data(50n * GB, ONCE)],
    eligibility: EligibilityRules.create({ minTenureMonths: 24 }),
  }),
  offering({
    code: "DATA_500MB_MONTH",
    kind: OfferingKind.OFFERING_KIND_DATA_PACK,
    name: { zhCn: "500MB 当月流量包（已下架）", en: "500 MB Data This Month (retired)" },
    priceFen: 1000n,
    allowances: [data(500n * 1024n, ONCE)],
    lifecycle: OfferingLifecycle.OFFERING_LIFECYCLE_RETIRED,
  }),
  offering({
    code: "DATA_100GB_HOLIDAY",
    kind: OfferingKind.OFFERING_KIND_DATA_PACK,
    name: { zhCn: "假期 100GB 流量包（筹备中）", en: "Holiday 100 GB (in preparation)" },
    priceFen: 6800n,
    validity: { kind: ValidityKind.VALIDITY_KIND_DAYS, days: 7 },
    allowances: [data(100n * GB, ONCE)],
    lifecycle: OfferingLifecycle.OFFERING_LIFECYCLE_DRAFT,
  }),
];

const voicePacks: Seeded[] = [
  offering({
    code: "VOICE_100MIN_MONTH",
    kind: OfferingKind.OFFERING_KIND_VOICE_PACK,
    name: { zhCn: "100 分钟当月通话包", en: "100 Minutes This Month" },
    description: { zhCn: "100 分钟国内通话，当月有效。", en: "100 domestic minutes until the end of this month." },
    priceFen: 1000n,
    allowances: [voice(100n * MINUTE, ONCE)],
  }),
  offering({
    code: "VOICE_300MIN_MONTHLY",
    kind: OfferingKind.OFFERING_KIND_VOICE_PACK,
    name: { zhCn: "300 分钟通话月包", en: "300 Minutes Monthly" },
    description: {
      zhCn: "每月 300 分钟国内通话，按月续订。",
      en: "300 domestic minutes every month, renewed monthly.",
    },
    priceFen: 2500n,
    priceRecurrence: PriceRecurrence.PRICE_RECURRENCE_MONTHLY,
    validity: { kind: ValidityKind.VALIDITY_KIND_OPEN_ENDED, days: 0 },
    allowances: [voice(300n * MINUTE, MONTHLY)],
    eligibility: EligibilityRules.create({ exclusiveGroup: "VOICE_MONTHLY_ADDON" }),
  }),
];

/** Day and week roaming packs for the most visited destinations. */
const ROAMING_PACKS: ReadonlyArray<[country: string, zh: string, en: string, dayFen: bigint, weekFen: bigint]> = [
  ["HK", "中国香港", "Hong Kong", 1500n, 6800n],
  ["MO", "中国澳门", "Macao", 1500n, 6800n],
  ["JP", "日本", "Japan", 2500n, 9800n],
  ["KR", "韩国", "South Korea", 2500n, 9800n],
  ["TH", "泰国", "Thailand", 2500n, 9800n],
  ["SG", "新加坡", "Singapore", 2500n, 9800n],
  ["US", "美国", "United States", 3500n, 16800n],
  ["GB", "英国", "United Kingdom", 3500n, 16800n],
];

const roamingPacks: Seeded[] = ROAMING_PACKS.flatMap(([country, zh, en, dayFen, weekFen]) => [
  offering({
    code: `ROAM_${country}_1D`,
    kind: OfferingKind.OFFERING_KIND_ROAMING_PACK,
    name: { zhCn: `${zh}漫游日包`, en: `${en} Roaming Day Pass` },
    description: {
      zhCn: `在${zh} 24 小时内 3GB 高速流量、30 分钟通话。`,
      en: `3 GB of data and 30 minutes of calls in ${en} for 24 hours.`,
    },
    priceFen: dayFen,
    validity: { kind: ValidityKind.VALIDITY_KIND_DAYS, days: 1 },
    unsubscribeEffect: UnsubscribeEffect.UNSUBSCRIBE_EFFECT_IMMEDIATE,
    allowances: [data(3n * GB, ONCE, country), voice(30n * MINUTE, ONCE, country)],
    roaming: { countryCode: country },
  }),
  offering({
    code: `ROAM_${country}_7D`,
    kind: OfferingKind.OFFERING_KIND_ROAMING_PACK,
    name: { zhCn: `${zh}漫游 7 天包`, en: `${en} Roaming 7 Days` },
    description: {
      zhCn: `在${zh} 7 天内 10GB 高速流量、100 分钟通话。`,
      en: `10 GB of data and 100 minutes of calls in ${en} for 7 days.`,
    },
    priceFen: weekFen,
    validity: { kind: ValidityKind.VALIDITY_KIND_DAYS, days: 7 },
    unsubscribeEffect: UnsubscribeEffect.UNSUBSCRIBE_EFFECT_IMMEDIATE,
    allowances: [data(10n * GB, ONCE, country), voice(100n * MINUTE, ONCE, country)],
    roaming: { countryCode: country },
  }),
]);

/** Provinces where fibre is laid for the demo. */
const BROADBAND_PROVINCES = ["GD", "ZJ", "SC", "HB"];
const broadbandNew = (mbps: number, monthlyFen: bigint, contractMonths: number): Seeded =>
  offering({
    code: `BB_${mbps}M_NEW`,
    kind: OfferingKind.OFFERING_KIND_BROADBAND,
    name: { zhCn: `${mbps}M 光宽带新装`, en: `${mbps} Mbps Fibre, New Line` },
    description: {
      zhCn: `${mbps}M 光纤宽带，合约 ${contractMonths} 个月，上门安装。`,
      en: `${mbps} Mbps fibre broadband, ${contractMonths}-month contract, installed at home by an engineer.`,
    },
    priceFen: monthlyFen,
    priceRecurrence: PriceRecurrence.PRICE_RECURRENCE_MONTHLY,
    validity: { kind: ValidityKind.VALIDITY_KIND_OPEN_ENDED, days: 0 },
    availability: { provinceCodes: BROADBAND_PROVINCES, channels: SCREEN_HALLS },
    eligibility: EligibilityRules.create({ exclusiveGroup: "BROADBAND" }),
    broadband: {
      orderType: BroadbandOrderType.BROADBAND_ORDER_TYPE_NEW_INSTALLATION,
      downstreamMbps: mbps,
      contractMonths,
      installationFeeFen: 10000n,
    },
  });
const broadbandRenewal = (mbps: number, yearFen: bigint): Seeded =>
  offering({
    code: `BB_${mbps}M_RENEW_12M`,
    kind: OfferingKind.OFFERING_KIND_BROADBAND,
    name: { zhCn: `${mbps}M 宽带续费一年`, en: `${mbps} Mbps Broadband, Renew 12 Months` },
    description: {
      zhCn: `为已有的 ${mbps}M 宽带续费 12 个月，无需上门。`,
      en: `Another 12 months on your ${mbps} Mbps line; no visit needed.`,
    },
    priceFen: yearFen,
    validity: { kind: ValidityKind.VALIDITY_KIND_DAYS, days: 365 },
    availability: { provinceCodes: BROADBAND_PROVINCES, channels: EVERY_HALL },
    eligibility: EligibilityRules.create({ requiredOfferingCodes: [`BB_${mbps}M_NEW`] }),
    broadband: {
      orderType: BroadbandOrderType.BROADBAND_ORDER_TYPE_RENEWAL,
      downstreamMbps: mbps,
      contractMonths: 12,
      installationFeeFen: 0n,
    },
  });
const broadband: Seeded[] = [
  broadbandNew(300, 5000n, 12),
  broadbandNew(1000, 10000n, 24),
  broadbandRenewal(300, 48000n),
  broadbandRenewal(1000, 96000n),
];

const monthlyFeature = {
  priceRecurrence: PriceRecurrence.PRICE_RECURRENCE_MONTHLY,
  validity: { kind: ValidityKind.VALIDITY_KIND_OPEN_ENDED, days: 0 },
  unsubscribeEffect: UnsubscribeEffect.UNSUBSCRIBE_EFFECT_IMMEDIATE,
  eligibility: EligibilityRules.create(),
};
const valueAdded: Seeded[] = [
  offering({
    code: "VAS_CALL_FORWARDING",
    kind: OfferingKind.OFFERING_KIND_VALUE_ADDED,
    name: { zhCn: "呼叫转移", en: "Call Forwarding" },
    description: {
      zhCn: "把来电转到另一个号码：无条件、遇忙或无应答时转移。",
      en: "Forward calls to another number: always, when busy, or when unanswered.",
    },
    priceFen: 300n,
    ...monthlyFeature,
    availability: { provinceCodes: [], channels: SCREEN_HALLS },
    feature: {
      featureCode: "CALL_FORWARDING",
      settings: [
        {
          key: "condition",
          label: { zhCn: "转移条件", en: "When to forward" },
          type: SettingType.SETTING_TYPE_CHOICE,
          allowedValues: ["UNCONDITIONAL", "BUSY", "NO_ANSWER"],
          required: true,
        },
        {
          key: "forward_to",
          label: { zhCn: "转移到号码", en: "Forward to number" },
          type: SettingType.SETTING_TYPE_PHONE_NUMBER,
          allowedValues: [],
          required: true,
        },
      ],
    },
  }),
  offering({
    code: "VAS_MISSED_CALL_ALERT",
    kind: OfferingKind.OFFERING_KIND_VALUE_ADDED,
    name: { zhCn: "来电提醒", en: "Missed Call Alerts" },
    description: {
      zhCn: "关机或无信号时的来电，开机后短信提醒。",
      en: "A text about calls you missed while switched off or out of coverage.",
    },
    priceFen: 200n,
    ...monthlyFeature,
    feature: { featureCode: "MISSED_CALL_ALERT", settings: [] },
  }),
  offering({
    code: "VAS_VIDEO_RINGBACK_TRIAL",
    kind: OfferingKind.OFFERING_KIND_VALUE_ADDED,
    name: { zhCn: "视频彩铃 7 天免费体验", en: "Video Ringback, 7-Day Free Trial" },
    description: {
      zhCn: "前 7 天免费，到期前可转为正式订购（每月 5 元），否则自动取消。",
      en: "Free for 7 days; convert before it ends to keep it (¥5 a month), otherwise it is cancelled automatically.",
    },
    priceFen: 500n,
    ...monthlyFeature,
    trial: { days: 7 },
    eligibility: EligibilityRules.create({ exclusiveGroup: "VIDEO_RINGBACK" }),
    feature: {
      featureCode: "VIDEO_RINGBACK",
      settings: [
        {
          key: "theme",
          label: { zhCn: "彩铃主题", en: "Theme" },
          type: SettingType.SETTING_TYPE_CHOICE,
          allowedValues: ["CLASSIC", "NATURE", "FESTIVE"],
          required: false,
        },
      ],
    },
  }),
];

const trials: Seeded[] = [
  offering({
    code: "TRIAL_5G_BOOST_7D",
    kind: OfferingKind.OFFERING_KIND_DATA_PACK,
    name: { zhCn: "5G 加速包 7 天免费体验", en: "5G Boost, 7-Day Free Trial" },
    description: {
      zhCn: "7 天免费体验 5G 加速包，到期前可转为正式订购（每月 20 元、30GB），否则自动取消。",
      en: "Try the 5G Boost free for 7 days; convert before it ends to keep it (¥20 for 30 GB a month), otherwise it is cancelled automatically.",
    },
    priceFen: 2000n,
    priceRecurrence: PriceRecurrence.PRICE_RECURRENCE_MONTHLY,
    validity: { kind: ValidityKind.VALIDITY_KIND_OPEN_ENDED, days: 0 },
    unsubscribeEffect: UnsubscribeEffect.UNSUBSCRIBE_EFFECT_IMMEDIATE,
    allowances: [data(30n * GB, MONTHLY)],
    trial: { days: 7 },
    eligibility: EligibilityRules.create({ compatiblePlanCodes: FIVE_G_PLANS, exclusiveGroup: "DATA_MONTHLY_ADDON" }),
  }),
];

const simCards: Seeded[] = [
  offering({
    code: "SIM_NEW_NUMBER",
    kind: OfferingKind.OFFERING_KIND_SIM_CARD,
    name: { zhCn: "选号入网", en: "New SIM with a Number of Your Choice" },
    description: {
      zhCn: "从号码池选择新号码，办理 SIM 卡入网（含卡费 10 元，靓号另收选号费）。",
      en: "Choose a new number from the pool and get a SIM (¥10 card fee; memorable numbers carry a selection fee).",
    },
    priceFen: 1000n,
    validity: { kind: ValidityKind.VALIDITY_KIND_OPEN_ENDED, days: 0 },
    unsubscribeEffect: UnsubscribeEffect.UNSUBSCRIBE_EFFECT_IMMEDIATE,
    availability: { provinceCodes: [], channels: [WEB, KIOSK, MINI] },
    sim: { requiresNumberReservation: true, starterPlanCodes: DEMO_PLANS.map((plan) => plan.code) },
  }),
];

/** The demo catalog: the demo subscribers' plans and everything the halls sell. */
export const DEMO_OFFERINGS: readonly Seeded[] = [
  ...plans,
  ...dataPacks,
  ...voicePacks,
  ...roamingPacks,
  ...broadband,
  ...valueAdded,
  ...trials,
  ...simCards,
];

/**
 * The campaign contract as the console's JSON: enums by name without their prefix, fen and counts as JSON
 * integers, times ISO 8601, texts as { zhCn, en }. A plain translation both ways — what is valid is the campaign
 * service's to say (it answers the field and the reason).
 */
import { enumView, fenAmount, fenOf, timeOf } from "@omnihall/hall-kit";
import {
  CampaignState,
  type AuditEntry,
  type Campaign,
  type CampaignSpec,
  type ChannelFunnel,
  type Creative,
  type EstimateAudienceResponse,
  type GetCampaignFunnelResponse,
  type WaveProgress,
  WaveState,
} from "@omnihall/proto/omnihall/campaign/v1/campaign";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";

export const STATES = enumView(CampaignState, "CAMPAIGN_STATE_");
/** The halls a campaign may run on (the contract's CHANNEL_* names; the service refuses the others). */
export const CHANNELS = enumView(Channel, "CHANNEL_");

const text = {
  type: "object",
  additionalProperties: false,
  required: ["zhCn", "en"],
  properties: { zhCn: { type: "string", maxLength: 500 }, en: { type: "string", maxLength: 500 } },
} as const;
const count = { type: "integer", minimum: 0, maximum: Number.MAX_SAFE_INTEGER } as const;
const codes = { type: "array", maxItems: 50, items: { type: "string", maxLength: 40 } } as const;

const creativeSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    webBannerTitle: text,
    webBannerText: text,
    smsText: text,
    smsReplyKeyword: { type: "string", maxLength: 16 },
    kioskAttractTitle: text,
    kioskAttractText: text,
    agentPitch: text,
  },
} as const;

export const specSchema = {
  type: "object",
  additionalProperties: false,
  required: ["name", "offer", "audience", "channels", "schedule", "caps", "holdoutPercent", "scope"],
  properties: {
    name: { type: "string", maxLength: 200 },
    description: { type: "string", maxLength: 2000 },
    offer: {
      type: "object",
      additionalProperties: false,
      required: ["offeringCode"],
      properties: {
        offeringCode: { type: "string", maxLength: 64 },
        priceFen: { ...fenAmount({ description: "Campaign price in fen; absent: the catalog's price" }) },
        discountBps: { type: "integer", minimum: 0, maximum: 10000 },
      },
    },
    audience: {
      type: "object",
      additionalProperties: false,
      properties: {
        provinceCodes: codes,
        cities: codes,
        planCodes: codes,
        minTenureMonths: { type: "integer", minimum: 0, maximum: 1200 },
        monthlySpendMinFen: fenAmount({ minimum: 0 }),
        monthlySpendMaxFen: fenAmount({ minimum: 0 }),
        minLastMonthDataKb: count,
        maxLastMonthDataKb: count,
        marketingConsentRequired: { type: "boolean" },
      },
    },
    channels: {
      type: "array",
      maxItems: 8,
      items: {
        type: "object",
        additionalProperties: false,
        required: ["channel", "creative"],
        properties: { channel: CHANNELS.schema, creative: creativeSchema },
      },
    },
    schedule: {
      type: "object",
      additionalProperties: false,
      required: ["startTime", "endTime", "timeZone"],
      properties: {
        startTime: { type: "string", format: "date-time" },
        endTime: { type: "string", format: "date-time" },
        timeZone: { type: "string", maxLength: 64 },
      },
    },
    caps: {
      type: "object",
      additionalProperties: false,
      properties: {
        perSubscriberFrequency: { type: "integer", minimum: 0, maximum: 1000 },
        totalQuantity: count,
        budgetFen: fenAmount({ minimum: 0 }),
      },
    },
    holdoutPercent: { type: "integer", minimum: 0, maximum: 100 },
    scope: {
      type: "object",
      additionalProperties: false,
      required: ["national"],
      properties: { national: { type: "boolean" }, provinceCode: { type: "string", maxLength: 4 } },
    },
  },
} as const;

type Text = { zhCn: string; en: string };
export interface CreativeView {
  webBannerTitle?: Text;
  webBannerText?: Text;
  smsText?: Text;
  smsReplyKeyword?: string;
  kioskAttractTitle?: Text;
  kioskAttractText?: Text;
  agentPitch?: Text;
}
export interface SpecView {
  name: string;
  description?: string;
  offer: { offeringCode: string; priceFen?: number; discountBps?: number };
  audience: {
    provinceCodes?: string[];
    cities?: string[];
    planCodes?: string[];
    minTenureMonths?: number;
    monthlySpendMinFen?: number;
    monthlySpendMaxFen?: number;
    minLastMonthDataKb?: number;
    maxLastMonthDataKb?: number;
    marketingConsentRequired?: boolean;
  };
  channels: Array<{ channel: string; creative: CreativeView }>;
  schedule: { startTime: string; endTime: string; timeZone: string };
  caps: { perSubscriberFrequency?: number; totalQuantity?: number; budgetFen?: number };
  holdoutPercent: number;
  scope: { national: boolean; provinceCode?: string };
}

function creativeOf(view: CreativeView): Creative {
  return {
    webBannerTitle: view.webBannerTitle,
    webBannerText: view.webBannerText,
    smsText: view.smsText,
    smsReplyKeyword: view.smsReplyKeyword ?? "",
    kioskAttractTitle: view.kioskAttractTitle,
    kioskAttractText: view.kioskAttractText,
    agentPitch: view.agentPitch,
  };
}

export function audienceOf(view: SpecView["audience"]) {
  return {
    provinceCodes: view.provinceCodes ?? [],
    cities: view.cities ?? [],
    planCodes: view.planCodes ?? [],
    minTenureMonths: view.minTenureMonths ?? 0,
    monthlySpend: { minFen: BigInt(view.monthlySpendMinFen ?? 0), maxFen: BigInt(view.monthlySpendMaxFen ?? 0) },
    minLastMonthDataKb: BigInt(view.minLastMonthDataKb ?? 0),
    maxLastMonthDataKb: BigInt(view.maxLastMonthDataKb ?? 0),
    marketingConsentRequired: view.marketingConsentRequired ?? false,
  };
}

export function scopeOf(view: SpecView["scope"]) {
  return { national: view.national, provinceCode: view.national ? "" : (view.provinceCode ?? "") };
}

/** The JSON a page sent, as the contract's CampaignSpec. */
export function specOf(view: SpecView): CampaignSpec {
  return {
    name: view.name,
    description: view.description ?? "",
    offer: {
      offeringCode: view.offer.offeringCode,
      priceFen: BigInt(view.offer.priceFen ?? 0),
      hasPrice: view.offer.priceFen !== undefined,
      discountBps: view.offer.discountBps ?? 0,
    },
    audience: audienceOf(view.audience),
    channels: view.channels.map((placement) => ({
      channel: CHANNELS.valueOf(placement.channel),
      creative: creativeOf(placement.creative),
    })),
    schedule: {
      startTime: new Date(view.schedule.startTime),
      endTime: new Date(view.schedule.endTime),
      timeZone: view.schedule.timeZone,
    },
    caps: {
      perSubscriberFrequency: view.caps.perSubscriberFrequency ?? 0,
      totalQuantity: BigInt(view.caps.totalQuantity ?? 0),
      budgetFen: BigInt(view.caps.budgetFen ?? 0),
    },
    holdoutPercent: view.holdoutPercent,
    scope: scopeOf(view.scope),
  };
}

function textView(value: { zhCn: string; en: string } | undefined): Text | undefined {
  return value ? { zhCn: value.zhCn, en: value.en } : undefined;
}

function specView(spec: CampaignSpec): SpecView {
  const { offer, audience, schedule, caps, scope } = spec;
  return {
    name: spec.name,
    description: spec.description,
    offer: {
      offeringCode: offer?.offeringCode ?? "",
      ...(offer?.hasPrice ? { priceFen: fenOf(offer.priceFen) } : {}),
      discountBps: offer?.discountBps ?? 0,
    },
    audience: {
      provinceCodes: audience?.provinceCodes ?? [],
      cities: audience?.cities ?? [],
      planCodes: audience?.planCodes ?? [],
      minTenureMonths: audience?.minTenureMonths ?? 0,
      monthlySpendMinFen: fenOf(audience?.monthlySpend?.minFen ?? 0n),
      monthlySpendMaxFen: fenOf(audience?.monthlySpend?.maxFen ?? 0n),
      minLastMonthDataKb: Number(audience?.minLastMonthDataKb ?? 0n),
      maxLastMonthDataKb: Number(audience?.maxLastMonthDataKb ?? 0n),
      marketingConsentRequired: audience?.marketingConsentRequired ?? false,
    },
    channels: spec.channels.map(({ channel, creative }) => ({
      channel: CHANNELS.nameOf(channel),
      creative: {
        webBannerTitle: textView(creative?.webBannerTitle),
        webBannerText: textView(creative?.webBannerText),
        smsText: textView(creative?.smsText),
        smsReplyKeyword: creative?.smsReplyKeyword ?? "",
        kioskAttractTitle: textView(creative?.kioskAttractTitle),
        kioskAttractText: textView(creative?.kioskAttractText),
        agentPitch: textView(creative?.agentPitch),
      },
    })),
    schedule: {
      startTime: timeOf(schedule?.startTime) ?? "",
      endTime: timeOf(schedule?.endTime) ?? "",
      timeZone: schedule?.timeZone ?? "",
    },
    caps: {
      perSubscriberFrequency: caps?.perSubscriberFrequency ?? 0,
      totalQuantity: Number(caps?.totalQuantity ?? 0n),
      budgetFen: fenOf(caps?.budgetFen ?? 0n),
    },
    holdoutPercent: spec.holdoutPercent,
    scope: { national: scope?.national ?? false, provinceCode: scope?.provinceCode ?? "" },
  };
}

export const campaignSchema = {
  type: "object",
  required: ["campaignId", "spec", "state", "etag"],
  properties: {
    campaignId: { type: "string" },
    spec: specSchema,
    state: STATES.schema,
    authorId: { type: "string" },
    approverId: { type: "string" },
    rejectionReason: { type: "string" },
    createTime: { type: "string", format: "date-time" },
    updateTime: { type: "string", format: "date-time" },
    etag: { type: "string" },
  },
} as const;

export function campaignView(campaign: Campaign) {
  return {
    campaignId: campaign.campaignId,
    spec: specView(campaign.spec!),
    state: STATES.nameOf(campaign.state),
    authorId: campaign.authorId,
    approverId: campaign.approverId,
    rejectionReason: campaign.rejectionReason,
    createTime: timeOf(campaign.createTime),
    updateTime: timeOf(campaign.updateTime),
    etag: campaign.etag,
  };
}

export const auditEntrySchema = {
  type: "object",
  required: ["entryId", "action", "actor", "createTime", "beforeJson", "afterJson"],
  properties: {
    entryId: { type: "string" },
    action: { type: "string" },
    actor: { type: "string", description: '"operator:<id>", "service:<caller>" or "system:scheduler"' },
    createTime: { type: "string", format: "date-time" },
    beforeJson: { type: "string", description: "The campaign before (proto3 JSON; empty before CREATE)" },
    afterJson: { type: "string", description: "The campaign after (proto3 JSON)" },
    requestId: { type: "string" },
  },
} as const;

export function auditEntryView(entry: AuditEntry) {
  return {
    entryId: entry.entryId,
    action: entry.action,
    actor: entry.actor,
    createTime: timeOf(entry.createTime),
    beforeJson: entry.beforeJson,
    afterJson: entry.afterJson,
    requestId: entry.requestId,
  };
}

export const estimateSchema = {
  type: "object",
  required: ["matching", "reachable", "holdout"],
  properties: {
    matching: count,
    reachable: count,
    holdout: count,
    factsTime: { type: "string", format: "date-time" },
  },
} as const;

export function estimateView(answer: EstimateAudienceResponse) {
  return {
    matching: Number(answer.matching),
    reachable: Number(answer.reachable),
    holdout: Number(answer.holdout),
    factsTime: timeOf(answer.factsTime),
  };
}

const channelFunnelSchema = {
  type: "object",
  required: ["channel", "impressions", "clicks", "replies", "ordersPlaced", "ordersCompleted", "ordersLost"],
  properties: {
    channel: { type: "string", description: "A CHANNEL_* name without its prefix; UNSPECIFIED for the total" },
    impressions: count,
    clicks: count,
    replies: count,
    ordersPlaced: count,
    ordersCompleted: count,
    ordersLost: count,
    revenueFen: { type: "integer" },
    optOuts: count,
  },
} as const;

export const funnelSchema = {
  type: "object",
  required: ["campaignId", "state", "channels", "total"],
  properties: {
    campaignId: { type: "string" },
    state: STATES.schema,
    channels: { type: "array", items: channelFunnelSchema },
    total: channelFunnelSchema,
    lift: {
      type: "object",
      properties: {
        contactedSubscribers: count,
        contactedConverted: count,
        holdoutSubscribers: count,
        holdoutConverted: count,
        contactedConversionBps: { type: "integer" },
        holdoutConversionBps: { type: "integer" },
        liftBps: { type: "integer" },
      },
    },
    asOfTime: { type: "string", format: "date-time" },
  },
} as const;

function channelFunnelView(funnel: ChannelFunnel | undefined) {
  return {
    channel: funnel ? CHANNELS.nameOf(funnel.channel) : "UNSPECIFIED",
    impressions: Number(funnel?.impressions ?? 0n),
    clicks: Number(funnel?.clicks ?? 0n),
    replies: Number(funnel?.replies ?? 0n),
    ordersPlaced: Number(funnel?.ordersPlaced ?? 0n),
    ordersCompleted: Number(funnel?.ordersCompleted ?? 0n),
    ordersLost: Number(funnel?.ordersLost ?? 0n),
    revenueFen: fenOf(funnel?.revenueFen ?? 0n),
    optOuts: Number(funnel?.optOuts ?? 0n),
  };
}

export function funnelView(answer: GetCampaignFunnelResponse) {
  const lift = answer.lift;
  return {
    campaignId: answer.campaignId,
    state: STATES.nameOf(answer.state),
    channels: answer.channels.map(channelFunnelView),
    total: channelFunnelView(answer.total),
    lift: {
      contactedSubscribers: Number(lift?.contactedSubscribers ?? 0n),
      contactedConverted: Number(lift?.contactedConverted ?? 0n),
      holdoutSubscribers: Number(lift?.holdoutSubscribers ?? 0n),
      holdoutConverted: Number(lift?.holdoutConverted ?? 0n),
      contactedConversionBps: lift?.contactedConversionBps ?? 0,
      holdoutConversionBps: lift?.holdoutConversionBps ?? 0,
      liftBps: lift?.liftBps ?? 0,
    },
    asOfTime: timeOf(answer.asOfTime),
  };
}

export const WAVE_STATES = enumView(WaveState, "WAVE_STATE_");

const WAVE_COUNTS = [
  "counted",
  "handedOver",
  "skippedHoldout",
  "skippedNoConsent",
  "skippedFrequencyCap",
  "refusedByNotify",
  "pending",
  "sent",
  "delivered",
  "failed",
  "withdrawn",
] as const;

export const waveSchema = {
  type: "object",
  required: ["state", "deliveryKnown", ...WAVE_COUNTS],
  properties: {
    state: WAVE_STATES.schema,
    ...Object.fromEntries(WAVE_COUNTS.map((name) => [name, count])),
    deliveryKnown: { type: "boolean", description: "False when notify could not be asked just now" },
    startTime: { type: "string", format: "date-time" },
    updateTime: { type: "string", format: "date-time" },
  },
} as const;

export function waveView(progress: WaveProgress) {
  return {
    state: WAVE_STATES.nameOf(progress.state),
    ...Object.fromEntries(WAVE_COUNTS.map((name) => [name, Number(progress[name])])),
    deliveryKnown: progress.deliveryKnown,
    startTime: timeOf(progress.startTime),
    updateTime: timeOf(progress.updateTime),
  };
}

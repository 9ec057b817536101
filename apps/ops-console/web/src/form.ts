import type { Creative, Operator, Spec } from "./api";

export const CHANNELS = ["WEB_HALL", "SMS_HALL", "KIOSK", "MINI_HALL"] as const;
export type ChannelName = (typeof CHANNELS)[number];

/** The creative fields each hall shows (the others stay empty for it). */
export const CREATIVE_FIELDS: Record<ChannelName, Array<Exclude<keyof Creative, "smsReplyKeyword">>> = {
  WEB_HALL: ["webBannerTitle", "webBannerText"],
  SMS_HALL: ["smsText"],
  KIOSK: ["kioskAttractTitle", "kioskAttractText"],
  MINI_HALL: ["agentPitch"],
};

/** The editor's fields as typed (numbers as the text in their inputs; converted once, on save or estimate). */
export interface Draft {
  name: string;
  description: string;
  offeringCode: string;
  priceYuan: string;
  discountPercent: string;
  national: boolean;
  provinceCode: string;
  provinces: string;
  cities: string;
  plans: string;
  minTenure: string;
  spendMinYuan: string;
  spendMaxYuan: string;
  consent: boolean;
  channels: Record<ChannelName, { on: boolean; creative: Creative }>;
  start: string;
  end: string;
  timeZone: string;
  frequency: string;
  quantity: string;
  budgetYuan: string;
  holdout: string;
}

const emptyText = () => ({ zhCn: "", en: "" });

function emptyCreative(channel: ChannelName): Creative {
  const creative: Creative = channel === "SMS_HALL" ? { smsReplyKeyword: "" } : {};
  for (const field of CREATIVE_FIELDS[channel]) creative[field] = emptyText();
  return creative;
}

/** "datetime-local" text of a time, in the browser's zone. */
function localInput(time: Date): string {
  const shifted = new Date(time.getTime() - time.getTimezoneOffset() * 60_000);
  return shifted.toISOString().slice(0, 16);
}

export function newDraft(me: Operator): Draft {
  const national = me.provinceScope === "*";
  const start = new Date(Date.now() + 3600_000);
  return {
    name: "",
    description: "",
    offeringCode: "",
    priceYuan: "",
    discountPercent: "",
    national,
    provinceCode: national ? "" : me.provinceScope,
    provinces: "",
    cities: "",
    plans: "",
    minTenure: "0",
    spendMinYuan: "",
    spendMaxYuan: "",
    consent: true,
    channels: Object.fromEntries(
      CHANNELS.map((channel) => [channel, { on: false, creative: emptyCreative(channel) }]),
    ) as Draft["channels"],
    start: localInput(start),
    end: localInput(new Date(start.getTime() + 30 * 24 * 3600_000)),
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || "Asia/Shanghai",
    frequency: "2",
    quantity: "0",
    budgetYuan: "0",
    holdout: "10",
  };
}

const yuanText = (fen: number | undefined) => (fen ? (fen / 100).toFixed(2).replace(/\.00$/, "") : "");

export function draftOf(spec: Spec): Draft {
  const channels = Object.fromEntries(
    CHANNELS.map((channel) => {
      const placed = spec.channels.find((placement) => placement.channel === channel);
      return [channel, { on: Boolean(placed), creative: { ...emptyCreative(channel), ...placed?.creative } }];
    }),
  ) as Draft["channels"];
  const { audience } = spec;
  return {
    name: spec.name,
    description: spec.description ?? "",
    offeringCode: spec.offer.offeringCode,
    priceYuan: spec.offer.priceFen === undefined ? "" : (spec.offer.priceFen / 100).toFixed(2),
    discountPercent: spec.offer.discountBps ? String(spec.offer.discountBps / 100) : "",
    national: spec.scope.national,
    provinceCode: spec.scope.provinceCode ?? "",
    provinces: (audience.provinceCodes ?? []).join(","),
    cities: (audience.cities ?? []).join(","),
    plans: (audience.planCodes ?? []).join(","),
    minTenure: String(audience.minTenureMonths ?? 0),
    spendMinYuan: yuanText(audience.monthlySpendMinFen),
    spendMaxYuan: yuanText(audience.monthlySpendMaxFen),
    consent: audience.marketingConsentRequired ?? false,
    channels,
    start: localInput(new Date(spec.schedule.startTime)),
    end: localInput(new Date(spec.schedule.endTime)),
    timeZone: spec.schedule.timeZone,
    frequency: String(spec.caps.perSubscriberFrequency ?? 0),
    quantity: String(spec.caps.totalQuantity ?? 0),
    budgetYuan: yuanText(spec.caps.budgetFen) || "0",
    holdout: String(spec.holdoutPercent),
  };
}

/** Yuan as typed ("24", "24.5", "24.50") to integer fen, exactly (no floating point); NaN when it is not money. */
export function fenOfYuan(text: string): number {
  const match = /^\s*(\d{1,12})(?:\.(\d{1,2}))?\s*$/.exec(text);
  if (!match) return Number.NaN;
  return Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
}

const list = (text: string) =>
  text
    .split(/[,，\s]+/)
    .map((item) => item.trim())
    .filter(Boolean);
const whole = (text: string) => (text.trim() === "" ? 0 : Number(text));
/** An unreadable number goes as -1: the console's request schema refuses it (REQUEST_INVALID, naming the field). */
const judged = (value: number) => (Number.isFinite(value) ? value : -1);
/** An unreadable time goes as "": refused the same way. */
const iso = (local: string) => {
  const time = new Date(local);
  return Number.isNaN(time.getTime()) ? "" : time.toISOString();
};

export function audienceOf(draft: Draft): Spec["audience"] {
  return {
    provinceCodes: list(draft.provinces).map((code) => code.toUpperCase()),
    cities: list(draft.cities),
    planCodes: list(draft.plans),
    minTenureMonths: judged(whole(draft.minTenure)),
    monthlySpendMinFen: draft.spendMinYuan ? judged(fenOfYuan(draft.spendMinYuan)) : 0,
    monthlySpendMaxFen: draft.spendMaxYuan ? judged(fenOfYuan(draft.spendMaxYuan)) : 0,
    marketingConsentRequired: draft.consent,
  };
}

export function scopeOf(draft: Draft): Spec["scope"] {
  return draft.national ? { national: true } : { national: false, provinceCode: draft.provinceCode.toUpperCase() };
}

export function specOf(draft: Draft): Spec {
  // Percent as typed ("20", "12.5") to basis points.
  const discount = draft.discountPercent.trim() === "" ? 0 : Math.round(Number(draft.discountPercent) * 100);
  return {
    name: draft.name,
    description: draft.description,
    offer: {
      offeringCode: draft.offeringCode,
      ...(draft.priceYuan.trim() === "" ? {} : { priceFen: judged(fenOfYuan(draft.priceYuan)) }),
      discountBps: judged(discount),
    },
    audience: audienceOf(draft),
    channels: CHANNELS.filter((channel) => draft.channels[channel].on).map((channel) => ({
      channel,
      creative: draft.channels[channel].creative,
    })),
    schedule: {
      startTime: iso(draft.start),
      endTime: iso(draft.end),
      timeZone: draft.timeZone,
    },
    caps: {
      perSubscriberFrequency: judged(whole(draft.frequency)),
      totalQuantity: judged(whole(draft.quantity)),
      budgetFen: judged(fenOfYuan(draft.budgetYuan || "0")),
    },
    holdoutPercent: judged(whole(draft.holdout)),
    scope: scopeOf(draft),
  };
}

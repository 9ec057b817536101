import { describe, expect, it } from "vitest";
import { AllowanceRecurrence, AllowanceUnit } from "@omnihall/proto/omnihall/catalog/v1/allowance";
import type { AllowanceBucket } from "@omnihall/proto/omnihall/usage/v1/usage";
import type { ProductSnapshot } from "@omnihall/proto/omnihall/orders/v1/events";
import type { Language } from "../templates/catalog.js";
import { renderMessage } from "../templates/render.js";
import { loginCodeNotice } from "./login-code.js";
import type { Notice } from "./notice.js";
import { productExpiringNotice } from "./product-expiring.js";
import { quotaThresholdNotice, roamingWelcomeNotice, usageSummaryNotice } from "./usage-notices.js";

const GB = 1024n * 1024n;

function text(notice: Notice, language: Language): string {
  const result = renderMessage({ ...notice, kind: "SERVICE", language });
  if (!result.ok) throw new Error(`${notice.templateCode}: ${result.reason}`);
  return result.text;
}

function bucket(overrides: Partial<AllowanceBucket> = {}): AllowanceBucket {
  return {
    bucketId: "bkt_1",
    productId: "prd_1",
    offeringCode: "PLAN_5G_59",
    offeringName: { zhCn: "5G 智享 59 元套餐", en: "5G Smart 59" },
    unit: AllowanceUnit.ALLOWANCE_UNIT_DATA_KB,
    recurrence: AllowanceRecurrence.ALLOWANCE_RECURRENCE_MONTHLY,
    roamingCountryCode: "",
    quota: 30n * GB,
    used: 24n * GB,
    remaining: 6n * GB,
    periodStartTime: new Date("2026-11-01T00:00:00+08:00"),
    periodEndTime: new Date("2026-12-01T00:00:00+08:00"),
    trial: false,
    ...overrides,
  };
}

describe("event notices", () => {
  it("sends a login code with its remaining minutes, keyed without the code, the code a secret", () => {
    const publishedAt = new Date("2026-11-22T08:00:00Z");
    const notice = loginCodeNotice(
      {
        subscriberId: "sub_1",
        msisdn: "13800138000",
        code: "",
        sealedCode: Buffer.alloc(0),
        expireTime: new Date("2026-11-22T08:05:00Z"),
        channel: 1,
        languageCode: "en",
      },
      "042917",
      publishedAt,
    );
    expect(text(notice, "en")).toContain("Your login code is 042917. It expires in 5 minutes.");
    expect(notice.dedupeKey).toBe("login-code:sub_1:2026-11-22T08:05:00.000Z");
    expect(notice.secretVariables).toEqual(["code"]);
  });

  it("writes a threshold reminder with the allowance in people's units", () => {
    const event = {
      subscriberId: "sub_1",
      bucket: bucket(),
      thresholdPercent: 80,
      usedPercent: 80,
      crossTime: new Date(),
    };
    expect(text(quotaThresholdNotice(event, "zh-CN"), "zh-CN")).toBe(
      "【Omnihall】您的5G 智享 59 元套餐流量已使用80%（已用24GB，共30GB）。",
    );
    expect(text(quotaThresholdNotice(event, "en"), "en")).toBe(
      "[Omnihall] You have used 80% of your 5G Smart 59 data (24GB of 30GB).",
    );
    const voice = quotaThresholdNotice(
      {
        ...event,
        thresholdPercent: 100,
        bucket: bucket({ unit: AllowanceUnit.ALLOWANCE_UNIT_VOICE_SECONDS, quota: 6000n, used: 6000n }),
      },
      "en",
    );
    expect(text(voice, "en")).toContain("100% of your 5G Smart 59 call minutes (100 min of 100 min)");
    expect(voice.dedupeKey).toBe("quota-threshold:bkt_1:100");
  });

  it("welcomes a roamer with rates, suggesting packs only to someone without one", () => {
    const destination = {
      countryCode: "JP",
      name: { zhCn: "日本", en: "Japan" },
      rates: {
        dataPerMbFen: 500n,
        voiceOutgoingPerMinuteFen: 99n,
        voiceIncomingPerMinuteFen: 99n,
        smsPerMessageFen: 50n,
      },
    };
    const pack = { name: { zhCn: "日本 1 天包", en: "Japan Day Pass" }, priceFen: 2500n } as never;
    const event = { subscriberId: "sub_1", countryCode: "JP", firstUsageTime: new Date(0), buckets: [] };
    const zh = text(roamingWelcomeNotice(event, destination, [pack], "zh-CN"), "zh-CN");
    expect(zh).toContain("欢迎来到日本！当地资费：流量5.00元/MB，拨打0.99元/分钟");
    expect(zh).toContain("优惠包：日本 1 天包 25.00元");
    const holder = { ...event, buckets: [bucket({ roamingCountryCode: "JP" })] };
    const en = text(roamingWelcomeNotice(holder, destination, [pack], "en"), "en");
    expect(en).toContain("Welcome to Japan! Local rates: data CNY 5.00/MB");
    expect(en).not.toContain("Day Pass");
  });

  it("summarises the month's buckets", () => {
    const event = {
      subscriberId: "sub_1",
      summaryDate: "2026-11-16",
      month: "2026-11",
      buckets: [bucket(), bucket({ unit: AllowanceUnit.ALLOWANCE_UNIT_SMS_COUNT, quota: 100n, used: 3n })],
      overages: [],
    };
    expect(text(usageSummaryNotice(event, "zh-CN"), "zh-CN")).toBe(
      "【Omnihall】您2026年11月的用量：5G 智享 59 元套餐流量 24GB/30GB；5G 智享 59 元套餐短信 3条/100条。",
    );
    expect(usageSummaryNotice(event, "en").dedupeKey).toBe("usage-summary:sub_1:2026-11-16");
    expect(text(usageSummaryNotice({ ...event, buckets: [] }, "en"), "en")).toContain("no usage yet");
  });

  it("reminds of a trial's end with its conversion price, in the subscriber's zone", () => {
    const product: ProductSnapshot = {
      productId: "prd_9",
      subscriberId: "sub_1",
      orderId: "ord_1",
      offeringCode: "VIDEO_TRIAL",
      offeringName: { zhCn: "视频会员", en: "Video Plus" },
      allowances: [],
      startTime: new Date("2026-11-01T00:00:00Z"),
      endTime: new Date("2026-11-30T16:00:00Z"),
      trial: true,
      subscriberTimeZone: "Asia/Shanghai",
    };
    const trial = productExpiringNotice({ product, conversionPriceFen: 1500n }, "zh-CN", "Asia/Shanghai");
    expect(text(trial, "zh-CN")).toContain("您试用的“视频会员”将于2026年12月1日 00:00结束");
    expect(text(trial, "zh-CN")).toContain("每月15.00元");
    const pack = productExpiringNotice({ product: { ...product, trial: false }, conversionPriceFen: 0n }, "en", "UTC");
    expect(text(pack, "en")).toBe("[Omnihall] Your Video Plus ends on 30 Nov 2026, 16:00.");
  });
});

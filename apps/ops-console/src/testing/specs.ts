/** A complete campaign definition as the console's JSON (all four halls), national or for one province. */
export function consoleSpec(provinceCode?: string, name = "双十二流量包八折") {
  const now = Date.now();
  const text = (zhCn: string, en: string) => ({ zhCn, en });
  return {
    name,
    description: "10GB 流量包限时八折",
    offer: { offeringCode: "DATA_10GB_MONTH", discountBps: 2000 },
    audience: { marketingConsentRequired: true },
    channels: [
      {
        channel: "WEB_HALL",
        creative: {
          webBannerTitle: text("流量包八折", "Data pack 20% off"),
          webBannerText: text("10GB 只要 24 元", "10 GB for ¥24"),
        },
      },
      {
        channel: "SMS_HALL",
        creative: {
          smsText: text("回复 LL8 办理 10GB 流量包八折", "Reply LL8 for 10 GB at 20% off"),
          smsReplyKeyword: "LL8",
        },
      },
      {
        channel: "KIOSK",
        creative: {
          kioskAttractTitle: text("流量包八折", "Data pack 20% off"),
          kioskAttractText: text("点击办理", "Tap to buy"),
        },
      },
      { channel: "MINI_HALL", creative: { agentPitch: text("本月流量包八折", "Data packs 20% off this month") } },
    ],
    schedule: {
      startTime: new Date(now - 60_000).toISOString(),
      endTime: new Date(now + 30 * 24 * 3600_000).toISOString(),
      timeZone: "Asia/Shanghai",
    },
    caps: { perSubscriberFrequency: 2, totalQuantity: 10000 },
    holdoutPercent: 10,
    scope: provinceCode ? { national: false, provinceCode } : { national: true },
  };
}

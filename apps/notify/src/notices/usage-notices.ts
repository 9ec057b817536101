import type {
  QuotaThresholdCrossedEvent,
  RoamingEnteredEvent,
  UsageSummaryDueEvent,
} from "@omnihall/proto/omnihall/usage/v1/events";
import type { RoamingDestination } from "@omnihall/proto/omnihall/catalog/v1/catalog";
import type { Offering } from "@omnihall/proto/omnihall/catalog/v1/catalog";
import type { Language } from "../templates/catalog.js";
import { formatFen } from "../templates/format.js";
import { allowanceName, allowanceQuantity, localized } from "./allowance-label.js";
import type { Notice } from "./notice.js";

/** "You have used 80% of your data": one per bucket and threshold, as usage publishes exactly one event for it. */
export function quotaThresholdNotice(event: QuotaThresholdCrossedEvent, language: Language): Notice {
  const bucket = event.bucket!;
  return {
    templateCode: "QUOTA_THRESHOLD",
    variables: {
      allowance: allowanceName(bucket.offeringName, bucket.unit, language),
      percent: String(event.thresholdPercent),
      used: allowanceQuantity(bucket.used, bucket.unit, language),
      quota: allowanceQuantity(bucket.quota, bucket.unit, language),
    },
    dedupeKey: `quota-threshold:${bucket.bucketId}:${event.thresholdPercent}`,
  };
}

/** The roaming welcome: the destination's pay-as-you-go rates and, without a pack yet, the cheapest packs on sale. */
export function roamingWelcomeNotice(
  event: RoamingEnteredEvent,
  destination: RoamingDestination,
  packs: readonly Offering[],
  language: Language,
): Notice {
  const rates = destination.rates;
  const fen = (amount: bigint | undefined) => formatFen(amount ?? 0n, language);
  const rateText =
    language === "zh-CN"
      ? `流量${fen(rates?.dataPerMbFen)}/MB，拨打${fen(rates?.voiceOutgoingPerMinuteFen)}/分钟，接听${fen(rates?.voiceIncomingPerMinuteFen)}/分钟，短信${fen(rates?.smsPerMessageFen)}/条`
      : `data ${fen(rates?.dataPerMbFen)}/MB, calls ${fen(rates?.voiceOutgoingPerMinuteFen)}/min out and ${fen(rates?.voiceIncomingPerMinuteFen)}/min in, texts ${fen(rates?.smsPerMessageFen)} each`;
  // Suggest packs only to someone who holds none for this country; two keep the message to a few SMS parts.
  const suggested = event.buckets.length === 0 ? packs.slice(0, 2) : [];
  const packText = suggested
    .map((pack) => `${localized(pack.name, language)} ${formatFen(pack.priceFen, language)}`)
    .join(language === "zh-CN" ? "、" : ", ");
  return {
    templateCode: "ROAMING_WELCOME",
    variables: {
      destination: localized(destination.name, language) || event.countryCode,
      rates: packText ? `${rateText}${language === "zh-CN" ? "。优惠包：" : ". Packs: "}${packText}` : rateText,
    },
    dedupeKey: `roaming-welcome:${event.subscriberId}:${event.countryCode}:${event.firstUsageTime?.toISOString() ?? ""}`,
  };
}

/** The twice-monthly usage summary: used of quota for each bucket of the month. */
export function usageSummaryNotice(event: UsageSummaryDueEvent, language: Language): Notice {
  const lines = event.buckets.map(
    (bucket) =>
      `${allowanceName(bucket.offeringName, bucket.unit, language)} ${allowanceQuantity(bucket.used, bucket.unit, language)}/${allowanceQuantity(bucket.quota, bucket.unit, language)}`,
  );
  const none = language === "zh-CN" ? "暂无用量" : "no usage yet";
  return {
    templateCode: "USAGE_SUMMARY",
    variables: {
      period: language === "zh-CN" ? `${event.month.replace("-", "年")}月` : event.month,
      summary: lines.join(language === "zh-CN" ? "；" : "; ") || none,
    },
    dedupeKey: `usage-summary:${event.subscriberId}:${event.summaryDate}`,
  };
}

import type { RoamingDestination } from "@omnihall/proto/omnihall/catalog/v1/catalog";

const rates = (data: bigint, voiceOut: bigint, voiceIn: bigint, sms: bigint) => ({
  dataPerMbFen: data,
  voiceOutgoingPerMinuteFen: voiceOut,
  voiceIncomingPerMinuteFen: voiceIn,
  smsPerMessageFen: sms,
});

/** Pay-as-you-go roaming rates by destination, in fen (a typical mainland operator's published tariff). */
export const ROAMING_DESTINATIONS: readonly RoamingDestination[] = [
  { countryCode: "HK", name: { zhCn: "中国香港", en: "Hong Kong, China" }, rates: rates(29n, 99n, 99n, 39n) },
  { countryCode: "MO", name: { zhCn: "中国澳门", en: "Macao, China" }, rates: rates(29n, 99n, 99n, 39n) },
  { countryCode: "TW", name: { zhCn: "中国台湾", en: "Taiwan, China" }, rates: rates(29n, 99n, 99n, 39n) },
  { countryCode: "JP", name: { zhCn: "日本", en: "Japan" }, rates: rates(29n, 99n, 99n, 39n) },
  { countryCode: "KR", name: { zhCn: "韩国", en: "South Korea" }, rates: rates(29n, 99n, 99n, 39n) },
  { countryCode: "SG", name: { zhCn: "新加坡", en: "Singapore" }, rates: rates(29n, 99n, 99n, 39n) },
  { countryCode: "TH", name: { zhCn: "泰国", en: "Thailand" }, rates: rates(29n, 99n, 99n, 39n) },
  { countryCode: "MY", name: { zhCn: "马来西亚", en: "Malaysia" }, rates: rates(29n, 99n, 99n, 39n) },
  { countryCode: "VN", name: { zhCn: "越南", en: "Vietnam" }, rates: rates(29n, 99n, 99n, 39n) },
  { countryCode: "US", name: { zhCn: "美国", en: "United States" }, rates: rates(99n, 199n, 199n, 99n) },
  { countryCode: "CA", name: { zhCn: "加拿大", en: "Canada" }, rates: rates(99n, 199n, 199n, 99n) },
  { countryCode: "GB", name: { zhCn: "英国", en: "United Kingdom" }, rates: rates(99n, 199n, 199n, 99n) },
  { countryCode: "FR", name: { zhCn: "法国", en: "France" }, rates: rates(99n, 199n, 199n, 99n) },
  { countryCode: "DE", name: { zhCn: "德国", en: "Germany" }, rates: rates(99n, 199n, 199n, 99n) },
  { countryCode: "AU", name: { zhCn: "澳大利亚", en: "Australia" }, rates: rates(99n, 199n, 199n, 99n) },
  { countryCode: "AE", name: { zhCn: "阿联酋", en: "United Arab Emirates" }, rates: rates(299n, 299n, 299n, 99n) },
  { countryCode: "RU", name: { zhCn: "俄罗斯", en: "Russia" }, rates: rates(299n, 299n, 299n, 99n) },
];

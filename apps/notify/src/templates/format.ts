import type { Language } from "./catalog.js";

/** An amount in fen as people read it: "12.50元" / "CNY 12.50". */
export function formatFen(fen: bigint, language: Language): string {
  const negative = fen < 0n;
  const abs = negative ? -fen : fen;
  const yuan = `${negative ? "-" : ""}${abs / 100n}.${String(abs % 100n).padStart(2, "0")}`;
  return language === "zh-CN" ? `${yuan}元` : `CNY ${yuan}`;
}

const KB_UNITS = ["KB", "MB", "GB", "TB"] as const;

/** A data volume in KB as people read it, with at most two decimals: "1.5GB", "300MB". */
export function formatKb(kb: bigint): string {
  let unit = 0;
  let scaled = kb;
  while (unit < KB_UNITS.length - 1 && scaled >= 1024n * 1024n) {
    scaled /= 1024n;
    unit++;
  }
  // The last step keeps two decimals, computed in integers so huge volumes stay exact.
  if (unit < KB_UNITS.length - 1 && scaled >= 1024n) {
    unit++;
    const hundredths = (scaled * 100n) / 1024n;
    return `${trimDecimals(hundredths)}${KB_UNITS[unit]}`;
  }
  return `${scaled}${KB_UNITS[unit]}`;
}

function trimDecimals(hundredths: bigint): string {
  const whole = hundredths / 100n;
  const fraction = String(hundredths % 100n)
    .padStart(2, "0")
    .replace(/0+$/, "");
  return fraction ? `${whole}.${fraction}` : `${whole}`;
}

/** Voice time in seconds as minutes, rounded up as operators bill it: "100分钟" / "100 min". */
export function formatVoiceSeconds(seconds: bigint, language: Language): string {
  const minutes = (seconds + 59n) / 60n;
  return language === "zh-CN" ? `${minutes}分钟` : `${minutes} min`;
}

/** A count of text messages: "50条" / "50 SMS". */
export function formatSmsCount(count: bigint, language: Language): string {
  return language === "zh-CN" ? `${count}条` : `${count} SMS`;
}

/** A moment in the subscriber's time zone, to the minute: "2026年11月22日 08:00" / "22 Nov 2026, 08:00". */
export function formatDateTime(at: Date, timeZone: string, language: Language): string {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)!.value;
  if (language === "zh-CN") {
    return `${part("year")}年${Number(part("month"))}月${Number(part("day"))}日 ${part("hour")}:${part("minute")}`;
  }
  const month = MONTHS[Number(part("month")) - 1];
  return `${Number(part("day"))} ${month} ${part("year")}, ${part("hour")}:${part("minute")}`;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;

/**
 * Formatting of the platform's units for people: money arrives as integer fen, data as integer KB, times as ISO
 * strings. Only presentation: amounts are never computed here, and fen are never turned into floating yuan (a
 * float would print 0.1 + 0.2 fen errors on large sums).
 */

export type Locale = "zh-CN" | "en";
export const LOCALES: readonly Locale[] = ["zh-CN", "en"];

const GROUPED = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** 123456 → "¥1,234.56"; -5 → "-¥0.05". Integer arithmetic only (bigint, so any int64 fen prints exactly). */
export function formatFen(fen: number | bigint, options: { sign?: boolean } = {}): string {
  const value = BigInt(fen);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const yuan = abs / 100n;
  const cents = (abs % 100n).toString().padStart(2, "0");
  const prefix = negative ? "-" : options.sign && value > 0n ? "+" : "";
  return `${prefix}¥${GROUPED.format(yuan)}.${cents}`;
}

const DATA_UNITS = ["KB", "MB", "GB", "TB"] as const;

/**
 * Kilobytes as a person reads them (1024-based, as operators bill data): 512 → "512 KB", 1536 → "1.5 MB",
 * 10485760 → "10 GB". At most one decimal, dropped when it is zero.
 */
export function formatDataKb(kb: number): string {
  let value = Math.abs(kb);
  let unit = 0;
  while (value >= 1024 && unit < DATA_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const rounded = Math.round(value * 10) / 10;
  const text = Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(1);
  return `${kb < 0 ? "-" : ""}${text} ${DATA_UNITS[unit]}`;
}

/** Whole minutes of voice: 90 → "90 分钟" / "90 min". */
export function formatMinutes(minutes: number, locale: Locale): string {
  return locale === "zh-CN" ? `${minutes} 分钟` : `${minutes} min`;
}

function asDate(value: string | Date): Date {
  return typeof value === "string" ? new Date(value) : value;
}

/** A calendar date in the platform's time zone (China Standard Time): "2026年12月2日" / "Dec 2, 2026". */
export function formatDate(value: string | Date, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "Asia/Shanghai" }).format(asDate(value));
}

/** Date and time in China Standard Time: "2026/12/2 08:05" / "Dec 2, 2026, 08:05". */
export function formatDateTime(value: string | Date, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, {
    dateStyle: "medium",
    timeStyle: "short",
    hourCycle: "h23",
    timeZone: "Asia/Shanghai",
  }).format(asDate(value));
}

/** A billing month "2026-05" → "2026年5月" / "May 2026" (no time zone: it is a label, not an instant). */
export function formatMonth(month: string, locale: Locale): string {
  const [year, m] = month.split("-").map(Number);
  if (!year || !m) return month;
  return new Intl.DateTimeFormat(locale, { year: "numeric", month: "long", timeZone: "UTC" }).format(
    new Date(Date.UTC(year, m - 1, 1)),
  );
}

/** A calendar day "2026-05-03" → "2026年5月3日" / "May 3, 2026" (a label of the service's own day, no time zone). */
export function formatDay(day: string, locale: Locale): string {
  const [year, m, d] = day.split("-").map(Number);
  if (!year || !m || !d) return day;
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" }).format(
    new Date(Date.UTC(year, m - 1, d)),
  );
}

/** Share used, 0–100, for a bar: never NaN when a bucket is empty. */
export function percentOf(used: number, total: number): number {
  if (total <= 0) return 0;
  return Math.min(100, Math.max(0, Math.round((used / total) * 100)));
}

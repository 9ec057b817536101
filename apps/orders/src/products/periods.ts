import type { OfferingTerms } from "../orders/offering-terms.js";

const DAY_MS = 24 * 60 * 60 * 1000;

/** The platform default when a subscriber's time zone is unknown. */
export const DEFAULT_TIME_ZONE = "Asia/Shanghai";

/** Offset of `timeZone` from UTC at `instant`, in ms (Asia/Shanghai → +8 h). */
function utcOffsetMs(instant: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  }).formatToParts(instant);
  const field = (type: string) => Number(parts.find((part) => part.type === type)!.value);
  const asUtc = Date.UTC(
    field("year"),
    field("month") - 1,
    field("day"),
    field("hour"),
    field("minute"),
    field("second"),
  );
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/**
 * Midnight at the start of the next calendar month in the subscriber's time zone: when a monthly period ends
 * and when a "this month only" product stops.
 */
export function startOfNextMonth(now: Date, timeZone: string): Date {
  const local = new Date(now.getTime() + utcOffsetMs(now, timeZone));
  const guess = Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + 1, 1);
  // The offset at the boundary itself can differ from now's (daylight saving), so measure it there.
  return new Date(guess - utcOffsetMs(new Date(guess), timeZone));
}

/** When a product bought on these terms and starting at `start` ends; undefined for open-ended products. */
export function productEnd(terms: OfferingTerms, start: Date, timeZone: string): Date | undefined {
  if (terms.trialDays > 0) return new Date(start.getTime() + terms.trialDays * DAY_MS);
  switch (terms.validity.kind) {
    case "DAYS":
      return new Date(start.getTime() + terms.validity.days * DAY_MS);
    case "CALENDAR_MONTH":
      return startOfNextMonth(start, timeZone);
    case "OPEN_ENDED":
      return undefined;
  }
}

/**
 * When an unsubscription requested at `now` takes effect: at once, or at the end of the current period (the
 * product's own end if it comes first, else the end of the calendar month).
 */
export function unsubscribeEnd(
  terms: OfferingTerms,
  product: { endAt: Date | null },
  now: Date,
  timeZone: string,
): Date {
  if (!terms.unsubscribeAtPeriodEnd) return now;
  const monthEnd = startOfNextMonth(now, timeZone);
  return product.endAt && product.endAt < monthEnd ? product.endAt : monthEnd;
}

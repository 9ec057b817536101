/**
 * Calendar arithmetic in a subscriber's time zone: monthly allowances renew at local midnight on the 1st, and
 * summaries go out on local days. Intl does the zone rules; results are cached because ingest asks for every
 * record.
 */

export interface Month {
  /** "YYYY-MM" in the zone. */
  month: string;
  /** Local midnight on the 1st, as an instant. */
  start: Date;
  /** Local midnight on the 1st of the next month (exclusive). */
  end: Date;
}

export interface LocalTime {
  /** "YYYY-MM-DD" */
  date: string;
  /** 1–31 */
  day: number;
  /** 0–23 */
  hour: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when Intl knows the zone, e.g. "Asia/Shanghai". */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

function wallClock(instant: number, timeZone: string) {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(instant)) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    minute: parts.minute!,
    second: parts.second!,
  };
}

/** The instant at which the zone's wall clock shows the given local midnight. */
function localMidnight(year: number, month: number, timeZone: string): number {
  const asUtc = Date.UTC(year, month - 1, 1);
  let guess = asUtc;
  // Two rounds settle a guess that straddles a DST change.
  for (let i = 0; i < 2; i++) {
    const w = wallClock(guess, timeZone);
    const offset = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - guess;
    guess = asUtc - offset;
  }
  return guess;
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

const monthCache = new Map<string, Month[]>();

/** The calendar month containing the instant, in the zone. */
export function monthOf(instant: Date, timeZone: string): Month {
  const t = instant.getTime();
  let months = monthCache.get(timeZone);
  if (!months) monthCache.set(timeZone, (months = []));
  const cached = months.find((m) => m.start.getTime() <= t && t < m.end.getTime());
  if (cached) return cached;
  const w = wallClock(t, timeZone);
  const next = w.month === 12 ? { year: w.year + 1, month: 1 } : { year: w.year, month: w.month + 1 };
  const found: Month = {
    month: `${pad(w.year, 4)}-${pad(w.month)}`,
    start: new Date(localMidnight(w.year, w.month, timeZone)),
    end: new Date(localMidnight(next.year, next.month, timeZone)),
  };
  // Recent months are what ingest asks for; keep a handful per zone.
  months.unshift(found);
  if (months.length > 6) months.pop();
  return found;
}

/** The month before the one containing the instant. */
export function previousMonth(instant: Date, timeZone: string): Month {
  return monthOf(new Date(monthOf(instant, timeZone).start.getTime() - 1), timeZone);
}

/** The zone's local date and hour at the instant. */
export function localTime(instant: Date, timeZone: string): LocalTime {
  const w = wallClock(instant.getTime(), timeZone);
  return { date: `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`, day: w.day, hour: w.hour };
}

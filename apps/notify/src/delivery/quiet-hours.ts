import { createHash } from "node:crypto";

/**
 * Quiet hours for marketing, in the subscriber's own time zone. A window may wrap midnight (21:00–08:00); a window
 * whose start equals its end means no quiet hours at all.
 */
export interface QuietHours {
  /** Minutes after local midnight when the quiet starts. */
  startMinute: number;
  /** Minutes after local midnight when sending may resume. */
  endMinute: number;
}

export const DEFAULT_QUIET_HOURS = "21:00-08:00";

const WINDOW = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/;

/** Parses "HH:MM-HH:MM" (24-hour local times); throws on anything else. */
export function parseQuietHours(window: string): QuietHours {
  const match = WINDOW.exec(window.trim());
  if (!match) throw new Error(`Quiet hours must look like 21:00-08:00, got "${window}"`);
  const [, startHour, startMinute, endHour, endMinute] = match.map(Number) as number[];
  return { startMinute: startHour! * 60 + startMinute!, endMinute: endHour! * 60 + endMinute! };
}

/**
 * When quiet hours end if `now` falls inside them in `timeZone`, else null (send now). Marketing found inside the
 * window is deferred to this moment, never dropped.
 */
export function quietHoursEnd(now: Date, timeZone: string, quiet: QuietHours): Date | null {
  const { startMinute, endMinute } = quiet;
  if (startMinute === endMinute) return null;
  const local = wallClock(now, timeZone);
  const minute = local.hour * 60 + local.minute;
  const wraps = startMinute > endMinute;
  const inside = wraps ? minute >= startMinute || minute < endMinute : minute >= startMinute && minute < endMinute;
  if (!inside) return null;
  // Inside a wrapping window before midnight, quiet ends tomorrow morning; otherwise later today.
  const dayOffset = wraps && minute >= startMinute ? 1 : 0;
  const endDay = new Date(Date.UTC(local.year, local.month - 1, local.day + dayOffset));
  return zonedInstant(
    endDay.getUTCFullYear(),
    endDay.getUTCMonth() + 1,
    endDay.getUTCDate(),
    Math.floor(endMinute / 60),
    endMinute % 60,
    timeZone,
  );
}

/**
 * When a marketing message that meets quiet hours goes out: the end of the window plus a share of `spreadMs` fixed
 * by the message's key. A night's deferred wave then leaves evenly over the hours after the window instead of
 * all at its end (an SMSC burst, phones buzzing together at 08:00); the same key always gets the same moment.
 */
export function quietHoursRelease(
  now: Date,
  timeZone: string,
  quiet: QuietHours,
  spreadMs: number,
  key: string,
): Date | null {
  const end = quietHoursEnd(now, timeZone, quiet);
  if (!end || spreadMs <= 0) return end;
  const share = createHash("sha256").update(key).digest().readUInt32BE(0) / 2 ** 32;
  return new Date(end.getTime() + Math.floor(share * spreadMs));
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClock(at: Date, timeZone: string): WallClock {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
    hourCycle: "h23",
  }).formatToParts(at);
  const value = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((part) => part.type === type)!.value);
  return {
    year: value("year"),
    month: value("month"),
    day: value("day"),
    hour: value("hour"),
    minute: value("minute"),
    second: value("second"),
  };
}

/** How far the zone's wall clock is ahead of UTC at `at`, in ms. */
function zoneOffsetMs(at: number, timeZone: string): number {
  const local = wallClock(new Date(at), timeZone);
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  return asUtc - Math.floor(at / 1000) * 1000;
}

/** The instant a wall-clock time in a zone denotes (checked twice so a DST change between guesses is honoured). */
function zonedInstant(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): Date {
  const asUtc = Date.UTC(year, month - 1, day, hour, minute);
  const first = asUtc - zoneOffsetMs(asUtc, timeZone);
  return new Date(asUtc - zoneOffsetMs(first, timeZone));
}

/** Whether the runtime knows this IANA zone. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

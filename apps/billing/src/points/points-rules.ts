/** The loyalty programme's rules, as pure functions: what a charge earns and when points expire. */

/** 1 point per whole yuan (100 fen) of a completed charge. */
export function pointsEarnedFor(amountFen: bigint): bigint {
  return amountFen > 0n ? amountFen / 100n : 0n;
}

/** China Standard Time has no daylight saving: a fixed offset is exact. */
export const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

/**
 * Points expire at the end of the year after the one they were earned in, as subscribers read the calendar (China
 * Standard Time): points earned any day of 2026 are usable until 2027-12-31 23:59:59 and gone at 2028-01-01 00:00.
 */
export function pointsExpiryOf(earnedAt: Date): Date {
  const earnedYear = new Date(earnedAt.getTime() + CHINA_OFFSET_MS).getUTCFullYear();
  return new Date(Date.UTC(earnedYear + 2, 0, 1) - CHINA_OFFSET_MS);
}

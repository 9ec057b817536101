/**
 * Provincial-level divisions of mainland China by their GB/T 2260 two-letter abbreviations: the provinces a
 * campaign may be scoped to and target.
 */
const PROVINCES = "BJ TJ HE SX NM LN JL HL SH JS ZJ AH FJ JX SD HA HB HN GD GX HI CQ SC GZ YN XZ SN GS QH NX XJ".split(
  " ",
);

export const PROVINCE_CODES: ReadonlySet<string> = new Set(PROVINCES);

export const isProvinceCode = (code: string) => PROVINCE_CODES.has(code);

/**
 * Provincial-level divisions of mainland China by their GB/T 2260 two-letter abbreviations: the province codes
 * offerings are sold in and numbers belong to.
 */
export const PROVINCE_CODES: ReadonlySet<string> = new Set([
  "BJ",
  "TJ",
  "HE",
  "SX",
  "NM",
  "LN",
  "JL",
  "HL",
  "SH",
  "JS",
  "ZJ",
  "AH",
  "FJ",
  "JX",
  "SD",
  "HA",
  "HB",
  "HN",
  "GD",
  "GX",
  "HI",
  "CQ",
  "SC",
  "GZ",
  "YN",
  "XZ",
  "SN",
  "GS",
  "QH",
  "NX",
  "XJ",
]);

export function isKnownProvince(code: string): boolean {
  return PROVINCE_CODES.has(code);
}

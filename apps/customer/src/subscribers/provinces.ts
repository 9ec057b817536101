/**
 * The 31 mainland provinces, autonomous regions and municipalities by their GB/T 2260 two-letter
 * abbreviation: the only province codes a subscriber can have.
 */
// prettier-ignore
export const PROVINCE_CODES: ReadonlySet<string> = new Set([
  "BJ", "TJ", "HE", "SX", "NM", "LN", "JL", "HL", "SH", "JS", "ZJ", "AH", "FJ", "JX", "SD", "HA",
  "HB", "HN", "GD", "GX", "HI", "CQ", "SC", "GZ", "YN", "XZ", "SN", "GS", "QH", "NX", "XJ",
]);

/** The canonical (upper-case) province code, or undefined when it names no mainland province. */
export function normalizeProvinceCode(input: string): string | undefined {
  const code = input.trim().toUpperCase();
  return PROVINCE_CODES.has(code) ? code : undefined;
}

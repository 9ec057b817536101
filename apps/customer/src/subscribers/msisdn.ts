/**
 * Mainland China mobile numbers: 11 digits starting 13–19. Callers may type them with a +86 / 0086 / 86 country
 * prefix, spaces or hyphens; the canonical form is the bare 11 digits.
 */
const MOBILE = /^1[3-9]\d{9}$/;

/** The canonical 11-digit MSISDN, or undefined when the input is not a mainland mobile number. */
export function normalizeMsisdn(input: string): string | undefined {
  const compact = input.replace(/[\s-]/g, "");
  const national = compact.replace(/^(\+86|0086|86)(?=1\d{10}$)/, "");
  return MOBILE.test(national) ? national : undefined;
}

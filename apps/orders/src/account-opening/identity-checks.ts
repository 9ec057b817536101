/**
 * The checks real-name registration needs on what the agent types in, as pure functions.
 *
 * A resident ID number (GB 11643-1999) is 17 digits and a check character: 6 digits of the issuing area, the
 * birth date YYYYMMDD, 3 digits of sequence, and ISO 7064 MOD 11-2 over the 17 digits ("X" for 10).
 */
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = "10X98765432";

export type IdNumberProblem = "MALFORMED" | "CHECKSUM_WRONG" | "BIRTH_DATE_INVALID" | "UNDER_AGE";

/** The minimum age to hold a number in one's own name. */
export const MIN_HOLDER_AGE = 16;

export function normalizeIdNumber(raw: string): string {
  return raw.trim().toUpperCase();
}

export function idNumberProblem(idNumber: string, today: Date): IdNumberProblem | undefined {
  if (!/^\d{17}[\dX]$/.test(idNumber)) return "MALFORMED";
  const sum = ID_WEIGHTS.reduce((total, weight, i) => total + weight * Number(idNumber[i]), 0);
  if (ID_CHECK[sum % 11] !== idNumber[17]) return "CHECKSUM_WRONG";
  const birth = birthDateOf(idNumber);
  if (!birth || birth.getTime() > today.getTime() || birth.getUTCFullYear() < 1900) return "BIRTH_DATE_INVALID";
  if (ageOn(birth, today) < MIN_HOLDER_AGE) return "UNDER_AGE";
  return undefined;
}

function birthDateOf(idNumber: string): Date | undefined {
  const year = Number(idNumber.slice(6, 10));
  const month = Number(idNumber.slice(10, 12));
  const day = Number(idNumber.slice(12, 14));
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date rolls 19990230 over to March: a real date reads back the same.
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return date;
}

function ageOn(birth: Date, today: Date): number {
  let age = today.getUTCFullYear() - birth.getUTCFullYear();
  const beforeBirthday =
    today.getUTCMonth() < birth.getUTCMonth() ||
    (today.getUTCMonth() === birth.getUTCMonth() && today.getUTCDate() < birth.getUTCDate());
  if (beforeBirthday) age -= 1;
  return age;
}

/** Only the first 6 (area) and last 4 characters stay readable outside the opening record. */
export function maskIdNumber(idNumber: string): string {
  return idNumber.length < 10
    ? "*".repeat(idNumber.length)
    : `${idNumber.slice(0, 6)}${"*".repeat(idNumber.length - 10)}${idNumber.slice(-4)}`;
}

/** A valid ID number for tests and the demo: the 17 digits given, plus their check character. */
export function withIdCheckCharacter(first17: string): string {
  const sum = ID_WEIGHTS.reduce((total, weight, i) => total + weight * Number(first17[i]), 0);
  return first17 + ID_CHECK[sum % 11];
}

/**
 * A SIM card's ICCID (ITU-T E.118): "89", country code 86 for China, issuer and serial, 19 or 20 digits in all,
 * the last a Luhn check digit over the others.
 */
export type IccidProblem = "MALFORMED" | "CHECKSUM_WRONG";

export function normalizeIccid(raw: string): string {
  return raw.replace(/[\s-]/g, "");
}

export function iccidProblem(iccid: string): IccidProblem | undefined {
  if (!/^89\d{17,18}$/.test(iccid)) return "MALFORMED";
  return luhnCheckDigit(iccid.slice(0, -1)) === Number(iccid.at(-1)) ? undefined : "CHECKSUM_WRONG";
}

export function luhnCheckDigit(payload: string): number {
  let sum = 0;
  for (let i = 0; i < payload.length; i += 1) {
    // Doubling starts at the digit next to the (missing) check digit, i.e. the rightmost payload digit.
    let digit = Number(payload[payload.length - 1 - i]);
    if (i % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return (10 - (sum % 10)) % 10;
}

/** A valid ICCID for tests and the demo: the payload given, plus its Luhn digit. */
export function withLuhnDigit(payload: string): string {
  return payload + String(luhnCheckDigit(payload));
}

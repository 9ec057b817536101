import { describe, expect, it } from "vitest";
import { iccidProblem, idNumberProblem, maskIdNumber, withIdCheckCharacter, withLuhnDigit } from "./identity-checks.js";

const today = new Date("2026-12-02T00:00:00Z");

describe("resident ID numbers (GB 11643)", () => {
  it("accepts a number whose check character fits, X included", () => {
    // The standard's own example.
    expect(idNumberProblem("11010519491231002X", today)).toBeUndefined();
    expect(idNumberProblem(withIdCheckCharacter("44030419900307123"), today)).toBeUndefined();
  });

  it("refuses a wrong check character, a malformed number, an impossible or future birth date, a minor", () => {
    expect(idNumberProblem("110105194912310021", today)).toBe("CHECKSUM_WRONG");
    expect(idNumberProblem("11010519491231002", today)).toBe("MALFORMED");
    expect(idNumberProblem("1101051949123100 X", today)).toBe("MALFORMED");
    expect(idNumberProblem(withIdCheckCharacter("44030419990230123"), today)).toBe("BIRTH_DATE_INVALID");
    expect(idNumberProblem(withIdCheckCharacter("44030420300101123"), today)).toBe("BIRTH_DATE_INVALID");
    expect(idNumberProblem(withIdCheckCharacter("44030418800101123"), today)).toBe("BIRTH_DATE_INVALID");
    expect(idNumberProblem(withIdCheckCharacter("44030420101203123"), today)).toBe("UNDER_AGE");
    expect(idNumberProblem(withIdCheckCharacter("44030420101202123"), today)).toBeUndefined();
  });

  it("masks all but the area and the last four", () => {
    expect(maskIdNumber("11010519491231002X")).toBe("110105********002X");
  });
});

describe("ICCIDs (Luhn)", () => {
  it("accepts 19 and 20 digits with the right Luhn digit, refuses others", () => {
    const iccid = withLuhnDigit("8986001234567890123");
    expect(iccid).toHaveLength(20);
    expect(iccidProblem(iccid)).toBeUndefined();
    expect(iccidProblem(withLuhnDigit("898600123456789012"))).toBeUndefined();
    // The Luhn example from ISO/IEC 7812: 7992739871 → 3.
    expect(withLuhnDigit("7992739871")).toBe("79927398713");
    const wrong = iccid.slice(0, -1) + String((Number(iccid.at(-1)) + 1) % 10);
    expect(iccidProblem(wrong)).toBe("CHECKSUM_WRONG");
    expect(iccidProblem("12345")).toBe("MALFORMED");
    expect(iccidProblem("8986ABCD")).toBe("MALFORMED");
  });
});

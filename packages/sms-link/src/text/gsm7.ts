/**
 * The GSM 7-bit default alphabet and its extension table (3GPP TS 23.038 §6.2.1), as unpacked septets.
 * SMPP carries GSM-7 unpacked, one septet per octet, so a character costs one octet, or two for an
 * extension character (ESC + code).
 */

const ESCAPE = 0x1b;

/** Index = septet value. Position 0x1B is the escape to the extension table, not a character of its own. */
const DEFAULT_ALPHABET =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
  "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

/** Characters reached through ESC, with the septet that follows the ESC. */
const EXTENSION_TABLE: Record<string, number> = {
  "\f": 0x0a,
  "^": 0x14,
  "{": 0x28,
  "}": 0x29,
  "\\": 0x2f,
  "[": 0x3c,
  "~": 0x3d,
  "]": 0x3e,
  "|": 0x40,
  "€": 0x65,
};

const SEPTETS = new Map<string, readonly number[]>();
[...DEFAULT_ALPHABET].forEach((char, septet) => {
  if (septet !== ESCAPE) SEPTETS.set(char, [septet]);
});
for (const [char, septet] of Object.entries(EXTENSION_TABLE)) SEPTETS.set(char, [ESCAPE, septet]);

const EXTENSION_CHARS = new Map(Object.entries(EXTENSION_TABLE).map(([char, septet]) => [septet, char]));

/** The unpacked septets for one character, or undefined when GSM-7 cannot carry it. */
export function gsm7Septets(char: string): readonly number[] | undefined {
  return SEPTETS.get(char);
}

/** Reads unpacked septets back into text; unknown codes read as a space, as handsets do. */
export function gsm7Decode(septets: Uint8Array): string {
  let text = "";
  for (let i = 0; i < septets.length; i++) {
    const septet = septets[i]!;
    if (septet === ESCAPE && i + 1 < septets.length) text += EXTENSION_CHARS.get(septets[++i]!) ?? " ";
    else text += DEFAULT_ALPHABET[septet] ?? " ";
  }
  return text;
}

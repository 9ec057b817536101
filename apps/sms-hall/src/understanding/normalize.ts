/**
 * The one way a text is read before matching: full-width forms to half-width (NFKC, plus the ideographic space),
 * stray spaces and punctuation at the ends dropped, runs of spaces collapsed. Commands also lose every space
 * ("KT 5G" = "KT5G"), and match upper case.
 */
export function normalizeText(text: string): string {
  return (
    text
      .normalize("NFKC")
      // eslint-disable-next-line no-control-regex -- control characters are exactly what is dropped
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "")
      .replace(/\s+/g, " ")
      .trim()
  );
}

export function commandForm(text: string): string {
  return normalizeText(text)
    .replace(/[\s.。!！~～]+/g, "")
    .toUpperCase();
}

export type Language = "zh-CN" | "en";

const HAN = /\p{Script=Han}/u;
const LATIN_WORD = /[a-z]{2,}/i;

/**
 * The language a text is written in: any Chinese character makes it Chinese; Latin words alone make it English;
 * a bare command or number says nothing (undefined), and the subscriber's own language is used.
 */
export function writtenLanguage(text: string): Language | undefined {
  if (HAN.test(text)) return "zh-CN";
  return LATIN_WORD.test(text) ? "en" : undefined;
}

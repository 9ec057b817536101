import { findTemplate, type Language, type MessageKind } from "./catalog.js";

/** Longest value one variable may take: a variable fills a slot in a sentence, not a message of its own. */
export const MAX_VARIABLE_LENGTH = 200;

// Chinese operators require the sender's signature on every SMS and an opt-out hint on every marketing SMS.
const SIGNATURE: Record<Language, string> = { "zh-CN": "【Omnihall】", en: "[Omnihall] " };
const OPT_OUT_HINT: Record<Language, string> = { "zh-CN": "回复TD退订", en: " Reply TD to opt out" };

export type RenderFailure =
  | { reason: "TEMPLATE_UNKNOWN" }
  | { reason: "TEMPLATE_KIND_MISMATCH"; templateKind: MessageKind }
  | {
      reason: "TEMPLATE_VARIABLE_MISSING" | "TEMPLATE_VARIABLE_UNKNOWN" | "TEMPLATE_VARIABLE_TOO_LONG";
      variable: string;
    };

export type RenderResult = { ok: true; text: string } | ({ ok: false } & RenderFailure);

export interface RenderRequest {
  templateCode: string;
  /** The kind the message is sent as; it must be the template's own kind. */
  kind: MessageKind;
  language: Language;
  variables: Readonly<Record<string, string>>;
}

/** The text of a message: its template in the recipient's language, filled, signed, with an opt-out hint for marketing. */
export function renderMessage(request: RenderRequest): RenderResult {
  const template = findTemplate(request.templateCode);
  if (!template) return { ok: false, reason: "TEMPLATE_UNKNOWN" };
  if (template.kind !== request.kind)
    return { ok: false, reason: "TEMPLATE_KIND_MISMATCH", templateKind: template.kind };
  for (const variable of template.variables) {
    if (!request.variables[variable]?.trim()) return { ok: false, reason: "TEMPLATE_VARIABLE_MISSING", variable };
  }
  for (const [variable, value] of Object.entries(request.variables)) {
    if (!template.variables.includes(variable)) return { ok: false, reason: "TEMPLATE_VARIABLE_UNKNOWN", variable };
    if ([...value].length > (template.maxVariableLength ?? MAX_VARIABLE_LENGTH))
      return { ok: false, reason: "TEMPLATE_VARIABLE_TOO_LONG", variable };
  }
  // One pass over the template, so a value that itself contains "{name}" is never expanded again.
  const body = template.text[request.language].replace(/\{([a-z_]+)\}/g, (_, name: string) =>
    request.variables[name]!.trim(),
  );
  const hint = template.kind === "MARKETING" ? OPT_OUT_HINT[request.language] : "";
  return { ok: true, text: SIGNATURE[request.language] + body + hint };
}

/** The language a message is written in: the subscriber's when we have it in both texts, else Chinese. */
export function messageLanguage(languageCode: string): Language {
  return languageCode.toLowerCase().startsWith("en") ? "en" : "zh-CN";
}

import type { TemplateCode } from "../templates/catalog.js";

/**
 * A service message an event calls for, before it is queued. The dedupe key names the fact it reports (this
 * threshold of this bucket, this state of this order), so the same fact published or delivered twice still
 * makes one message.
 */
export interface Notice {
  templateCode: TemplateCode;
  variables: Record<string, string>;
  dedupeKey: string;
  /** Variables whose values must never be stored readable (a login code): stored masked, sent sealed. */
  secretVariables?: readonly string[];
}

import intentData from "../../data/intents.json" with { type: "json" };
import type { CommandAction, PrefixAction } from "./commands.js";
import { normalizeText } from "./normalize.js";

export type Intent = Exclude<CommandAction, "CONFIRM"> | PrefixAction;

export interface IntentModelData {
  minScore: number;
  intents: Record<string, { phrases: Record<string, number> }>;
  /** Words in free text that name a product, → SMS product code. */
  productHints: Record<string, string>;
}

export interface Understood {
  intent: Intent | undefined;
  score: number;
  /** SMS product code named in the text ("我要办个5G流量包" → "5G"), for ORDER and UNSUBSCRIBE. */
  productCode: string | undefined;
}

/**
 * A small, inspectable intent model: weighted phrases per intent, kept in data/intents.json so that whoever runs
 * the service can extend it without code. Scores add up per intent; the best one wins if it reaches minScore,
 * otherwise the text is not understood (and gets the menu).
 */
export class IntentModel {
  private readonly intents: Array<{ intent: Intent; phrases: Array<[string, number]> }>;
  private readonly hints: Array<[string, string]>;

  constructor(private readonly data: IntentModelData = intentData as IntentModelData) {
    this.intents = Object.entries(data.intents).map(([intent, { phrases }]) => ({
      intent: intent as Intent,
      phrases: Object.entries(phrases).map(([phrase, weight]) => [phrase.toLowerCase(), weight]),
    }));
    // Longest hint first: "10gb" before "1g".
    this.hints = Object.entries(data.productHints)
      .map(([hint, code]): [string, string] => [hint.toLowerCase(), code])
      .sort((a, b) => b[0].length - a[0].length);
  }

  understand(text: string): Understood {
    const lower = normalizeText(text).toLowerCase();
    let best: Intent | undefined;
    let bestScore = 0;
    for (const { intent, phrases } of this.intents) {
      let score = 0;
      for (const [phrase, weight] of phrases) if (contains(lower, phrase)) score += weight;
      if (score > bestScore) {
        best = intent;
        bestScore = score;
      }
    }
    const productCode = this.hints.find(([hint]) => contains(lower, hint))?.[1];
    return { intent: bestScore >= this.data.minScore ? best : undefined, score: bestScore, productCode };
  }
}

/** Latin phrases match whole words ("bill" not in "billion"); Chinese has no spaces, so a substring is a match. */
function contains(text: string, phrase: string): boolean {
  if (!/^[\x20-\x7e]+$/.test(phrase)) return text.includes(phrase);
  let from = 0;
  for (;;) {
    const at = text.indexOf(phrase, from);
    if (at < 0) return false;
    const before = text[at - 1];
    const after = text[at + phrase.length];
    if (!isWordChar(before) && !isWordChar(after)) return true;
    from = at + 1;
  }
}

function isWordChar(char: string | undefined): boolean {
  return char !== undefined && /[a-z0-9]/i.test(char);
}

import commandData from "../../data/commands.json" with { type: "json" };
import { commandForm } from "./normalize.js";

/** What a command word does. */
export type CommandAction =
  "BALANCE" | "DATA_LEFT" | "BILL" | "POINTS" | "LIST_SUBSCRIPTIONS" | "MENU" | "OPT_OUT" | "CONFIRM";
/** What a command prefix followed by a product code does. */
export type PrefixAction = "ORDER" | "UNSUBSCRIBE";

export interface CommandTable {
  words: Record<string, CommandAction>;
  prefixes: Record<string, PrefixAction>;
  /** SMS product code (as subscribers type it) → catalog offering code. */
  products: Record<string, string>;
}

interface CommandFile {
  default: CommandTable;
  provinces: Record<string, Partial<CommandTable>>;
}

/** The command table of a province: the default one with the province's words and codes added or overriding. */
export function commandTableFor(provinceCode: string | undefined, data: CommandFile = commandData as CommandFile) {
  const province = (provinceCode && data.provinces[provinceCode]) || {};
  return {
    words: upperKeys({ ...data.default.words, ...province.words }),
    prefixes: upperKeys({ ...data.default.prefixes, ...province.prefixes }),
    products: upperKeys({ ...data.default.products, ...province.products }),
  } satisfies CommandTable;
}

function upperKeys<V>(record: Record<string, V>): Record<string, V> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [commandForm(key), value]));
}

export type Command =
  | { action: CommandAction; code?: string }
  | { action: PrefixAction; productCode: string; offeringCode: string | undefined }
  | { action: "MENU_CHOICE"; choice: number };

const CONFIRM_WITH_CODE = /^Y(\d{4,8})$/;
const MENU_CHOICE = /^\d{1,2}$/;

/**
 * Reads a text as a command, or undefined when it is none (then it is free text for the intent model).
 * Case-insensitive, full-width/half-width and space tolerant: "ｋｔ ５ｇ", "kt5g" and "KT 5G" are one command.
 */
export function parseCommand(text: string, table: CommandTable): Command | undefined {
  const form = commandForm(text);
  if (form === "") return undefined;
  const word = table.words[form];
  if (word) return { action: word };
  const confirm = CONFIRM_WITH_CODE.exec(form);
  if (confirm) return { action: "CONFIRM", code: confirm[1]! };
  // "0000" is a word; other short numbers answer the last numbered list we sent.
  if (MENU_CHOICE.test(form)) return { action: "MENU_CHOICE", choice: Number(form) };
  // Longest prefix first, so a province's "TDX" is not read as "TD" + "X".
  for (const prefix of Object.keys(table.prefixes).sort((a, b) => b.length - a.length)) {
    if (form.startsWith(prefix) && form.length > prefix.length) {
      const productCode = form.slice(prefix.length);
      if (!/^[A-Z0-9]{1,16}$/.test(productCode)) continue;
      return { action: table.prefixes[prefix]!, productCode, offeringCode: table.products[productCode] };
    }
  }
  return undefined;
}

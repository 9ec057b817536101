import { badField } from "../errors.js";

/**
 * Turns a number-search pattern into a SQL LIKE pattern. Digits and "*" (any digits) only, so nothing in it needs
 * escaping. Without "*" it matches the end of the number: people looking for a memorable number type its ending
 * ("8888").
 */
export function numberPatternToLike(pattern: string): string {
  if (!/^[0-9*]{0,11}$/.test(pattern)) {
    throw badField("NUMBER_PATTERN_INVALID", "pattern", {
      "zh-CN": "号码搜索条件只能包含数字和 *（最多 11 位）。",
      en: 'The number pattern may hold only digits and "*" (at most 11 characters).',
    });
  }
  if (!pattern.includes("*")) return `%${pattern}`;
  return pattern.replace(/\*+/g, "%");
}

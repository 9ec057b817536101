import { describe, expect, it } from "vitest";
import { languageOf } from "./language.js";

describe("languageOf", () => {
  it.each([
    [undefined, "zh-CN"],
    ["", "zh-CN"],
    ["en", "en"],
    ["en-US,en;q=0.9", "en"],
    ["zh-CN,zh;q=0.9,en;q=0.8", "zh-CN"],
    ["en;q=0.5,zh;q=0.9", "zh-CN"],
    ["fr-FR,en;q=0.7", "en"],
    ["fr-FR", "zh-CN"],
    ["zh-TW", "zh-CN"],
    ["en;q=0", "zh-CN"],
  ])("%j → %s", (header, expected) => expect(languageOf(header)).toBe(expected));
});

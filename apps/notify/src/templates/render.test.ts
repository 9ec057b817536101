import { describe, expect, it } from "vitest";
import { allTemplates } from "./catalog.js";
import { messageLanguage, renderMessage } from "./render.js";

describe("renderMessage", () => {
  it("fills a service template in the subscriber's language, signed, without an opt-out hint", () => {
    const variables = { code: "123456", minutes: "5" };
    expect(renderMessage({ templateCode: "LOGIN_CODE", kind: "SERVICE", language: "zh-CN", variables })).toEqual({
      ok: true,
      text: "【Omnihall】您的登录验证码为123456，5分钟内有效。请勿将验证码告诉他人。",
    });
    const en = renderMessage({ templateCode: "LOGIN_CODE", kind: "SERVICE", language: "en", variables });
    expect(en).toEqual({
      ok: true,
      text: "[Omnihall] Your login code is 123456. It expires in 5 minutes. Never share it with anyone.",
    });
  });

  it("ends every marketing message with the TD opt-out hint", () => {
    const variables = { offer: "5G 加油包", details: "10GB 仅 10 元" };
    const zh = renderMessage({ templateCode: "MARKETING_OFFER", kind: "MARKETING", language: "zh-CN", variables });
    expect(zh).toEqual({ ok: true, text: "【Omnihall】5G 加油包：10GB 仅 10 元回复TD退订" });
    const en = renderMessage({ templateCode: "MARKETING_OFFER", kind: "MARKETING", language: "en", variables });
    expect(en.ok && en.text.endsWith("Reply TD to opt out")).toBe(true);
  });

  it("refuses to send a template as the other kind, so service messages never carry marketing", () => {
    const asService = renderMessage({
      templateCode: "MARKETING_OFFER",
      kind: "SERVICE",
      language: "en",
      variables: { offer: "x", details: "y" },
    });
    expect(asService).toEqual({ ok: false, reason: "TEMPLATE_KIND_MISMATCH", templateKind: "MARKETING" });
    const asMarketing = renderMessage({
      templateCode: "LOGIN_CODE",
      kind: "MARKETING",
      language: "en",
      variables: { code: "1", minutes: "5" },
    });
    expect(asMarketing).toMatchObject({ ok: false, reason: "TEMPLATE_KIND_MISMATCH" });
  });

  it("names the variable that is missing, blank, unknown or too long", () => {
    const base = { templateCode: "LOGIN_CODE", kind: "SERVICE", language: "en" } as const;
    expect(renderMessage({ ...base, variables: { code: "1" } })).toEqual({
      ok: false,
      reason: "TEMPLATE_VARIABLE_MISSING",
      variable: "minutes",
    });
    expect(renderMessage({ ...base, variables: { code: "1", minutes: "  " } })).toMatchObject({
      reason: "TEMPLATE_VARIABLE_MISSING",
      variable: "minutes",
    });
    expect(renderMessage({ ...base, variables: { code: "1", minutes: "5", link: "http://x" } })).toEqual({
      ok: false,
      reason: "TEMPLATE_VARIABLE_UNKNOWN",
      variable: "link",
    });
    expect(renderMessage({ ...base, variables: { code: "1", minutes: "5".repeat(201) } })).toMatchObject({
      reason: "TEMPLATE_VARIABLE_TOO_LONG",
      variable: "minutes",
    });
    expect(renderMessage({ ...base, templateCode: "NOPE", variables: {} })).toEqual({
      ok: false,
      reason: "TEMPLATE_UNKNOWN",
    });
  });

  it("does not expand placeholders inside values", () => {
    const result = renderMessage({
      templateCode: "LOGIN_CODE",
      kind: "SERVICE",
      language: "en",
      variables: { code: "{minutes}", minutes: "5" },
    });
    expect(result.ok && result.text).toContain("Your login code is {minutes}.");
  });

  it("has both languages for every template, using exactly the declared variables", () => {
    for (const template of allTemplates()) {
      for (const text of Object.values(template.text)) {
        const used = new Set([...text.matchAll(/\{([a-z_]+)\}/g)].map((match) => match[1]));
        expect([...used].sort(), `${template.code}: ${text}`).toEqual([...template.variables].sort());
      }
    }
  });
});

describe("messageLanguage", () => {
  it("writes English to English speakers and Chinese to everyone else", () => {
    expect(messageLanguage("en")).toBe("en");
    expect(messageLanguage("en-GB")).toBe("en");
    expect(messageLanguage("zh-CN")).toBe("zh-CN");
    expect(messageLanguage("")).toBe("zh-CN");
    expect(messageLanguage("fr")).toBe("zh-CN");
  });
});

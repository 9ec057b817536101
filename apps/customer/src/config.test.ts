import { ConfigError } from "@omnihall/config";
import { developmentSealingKeys, generateSealingKeyPair } from "@omnihall/sealed-box";
import { describe, expect, it } from "vitest";
import { loadCustomerConfig } from "./config.js";

describe("loadCustomerConfig", () => {
  it("runs on one machine by default, logging login codes", () => {
    const config = loadCustomerConfig({});
    expect(config.PORT).toBe(50051);
    expect(config.DATABASE_URL).toBe("postgresql://postgres@127.0.0.1:5432/omnihall_customer");
    expect(config.LOGIN_CODE_LOG).toBe(true);
  });

  it("refuses the development login-code secret in production, and logs no codes there by default", () => {
    const production = { NODE_ENV: "production", OMNIHALL_CALLER_KEYS: "web-hall=a-real-key-0123456789" };
    expect(() => loadCustomerConfig(production)).toThrow(ConfigError);
    expect(() => loadCustomerConfig(production)).toThrow(/LOGIN_CODE_SECRET/);
    const keys = {
      LOGIN_CODE_SECRET: "a-real-secret-0123456789",
      NOTIFY_PUBLIC_KEY: generateSealingKeyPair().publicKey,
    };
    const config = loadCustomerConfig({ ...production, ...keys });
    expect(config.LOGIN_CODE_LOG).toBe(false);
    expect(loadCustomerConfig({ ...production, ...keys, LOGIN_CODE_LOG: "true" }).LOGIN_CODE_LOG).toBe(true);
  });

  it("seals login codes to notify's development key, which production refuses", () => {
    expect(loadCustomerConfig({}).NOTIFY_PUBLIC_KEY).toBe(developmentSealingKeys("notify").publicKey);
    const production = {
      NODE_ENV: "production",
      OMNIHALL_CALLER_KEYS: "web-hall=a-real-key-0123456789",
      LOGIN_CODE_SECRET: "a-real-secret-0123456789",
    };
    expect(() => loadCustomerConfig(production)).toThrow(/NOTIFY_PUBLIC_KEY: must be set/);
    const development = { ...production, NOTIFY_PUBLIC_KEY: developmentSealingKeys("notify").publicKey };
    expect(() => loadCustomerConfig(development)).toThrow(/NOTIFY_PUBLIC_KEY: holds a development key/);
    expect(() => loadCustomerConfig({ NOTIFY_PUBLIC_KEY: "not-a-key" })).toThrow(/NOTIFY_PUBLIC_KEY/);
  });

  it("refuses short secrets and flags that are not true or false", () => {
    expect(() => loadCustomerConfig({ LOGIN_CODE_SECRET: "short" })).toThrow(/LOGIN_CODE_SECRET/);
    expect(() => loadCustomerConfig({ LOGIN_CODE_LOG: "maybe" })).toThrow(/LOGIN_CODE_LOG/);
  });
});

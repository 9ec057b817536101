import { ConfigError, loadConfig } from "@omnihall/config";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { developmentSessionSecret, hallEnv, isDevelopmentSecret } from "./config.js";

const schema = z.object(hallEnv("web-hall", 8080));
const RANDOM_SECRET = "q8ZtV1xN3rK7mB2cY5wH9pL0sD4fG6jA+e/T";
const production = { NODE_ENV: "production", OMNIHALL_CALLER_KEY: "k3yF0rTheW3bHall9Xy7" };

function problemsOf(env: Record<string, string>) {
  try {
    loadConfig(schema, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  return [];
}

describe("hall configuration", () => {
  it("runs on one machine with no environment at all", () => {
    const config = loadConfig(schema, {});
    expect(config).toMatchObject({
      PORT: 8080,
      SESSION_SECRET: developmentSessionSecret("web-hall"),
      SESSION_TTL_MINUTES: 30,
      SESSION_MAX_LIFETIME_MINUTES: 720,
      SESSION_COOKIE_SECURE: true,
      RATE_LIMIT_PER_MINUTE: 300,
    });
    expect(config.NATS_URL).toBeUndefined();
  });

  it.each([
    ["the development default, unset", undefined],
    ["the development default, copied", developmentSessionSecret("web-hall")],
    ["the development default with a '!'", `${developmentSessionSecret("web-hall")}!`],
    ["the development default in capitals", developmentSessionSecret("web-hall").toUpperCase()],
    ["the development default with underscores", developmentSessionSecret("web-hall").replaceAll("-", "_")],
    ["the marker anywhere", "x7Q2-dev_only_key-9fK3pL0sD4fG6jA1"],
    ["the default's body without the marker", "web-hall-session-signing-secret!!"],
    ["a change-me placeholder", "please-CHANGE-ME-before-going-live-123"],
    ["a repeated character", "a".repeat(48)],
    ["a short pattern repeated", "abc123".repeat(8)],
  ])("refuses %s as SESSION_SECRET in production", (_label, secret) => {
    const problems = problemsOf({ ...production, ...(secret === undefined ? {} : { SESSION_SECRET: secret }) });
    expect(problems.map((p) => p.variable)).toContain("SESSION_SECRET");
  });

  it("refuses a short SESSION_SECRET anywhere, and accepts a random one in production", () => {
    expect(problemsOf({ SESSION_SECRET: "Zt8q1xN3rK7mB2c" })).toEqual([
      { variable: "SESSION_SECRET", message: "must be at least 32 characters" },
    ]);
    expect(problemsOf({ ...production, SESSION_SECRET: RANDOM_SECRET })).toEqual([]);
    expect(isDevelopmentSecret(RANDOM_SECRET)).toBe(false);
  });

  it("reads NATS servers, flags and limits", () => {
    const config = loadConfig(schema, {
      NATS_URL: "nats://a:4222, nats://b:4222",
      SESSION_COOKIE_SECURE: "false",
      RATE_LIMIT_PER_MINUTE: "0",
    });
    expect(config.NATS_URL).toEqual(["nats://a:4222", "nats://b:4222"]);
    expect(config.SESSION_COOKIE_SECURE).toBe(false);
    expect(config.RATE_LIMIT_PER_MINUTE).toBe(0);
    expect(
      problemsOf({ NATS_URL: "http://x", SESSION_COOKIE_SECURE: "yes" })
        .map((p) => p.variable)
        .sort(),
    ).toEqual(["NATS_URL", "SESSION_COOKIE_SECURE"]);
  });
});

import { ConfigError } from "@omnihall/config";
import { describe, expect, it } from "vitest";
import { loadWebHallConfig } from "./config.js";

const production = {
  NODE_ENV: "production",
  OMNIHALL_CALLER_KEY: "k3yF0rTheW3bHall9Xy7",
  NATS_URL: "nats://nats:4222",
};

function sessionSecretRefused(secret: string | undefined): boolean {
  try {
    loadWebHallConfig({ ...production, ...(secret === undefined ? {} : { SESSION_SECRET: secret }) });
    return false;
  } catch (error) {
    return error instanceof ConfigError && error.problems.some((p) => p.variable === "SESSION_SECRET");
  }
}

describe("web hall configuration", () => {
  it.each([
    ["unset", undefined],
    ["the development secret", "dev-only-key-web-hall-session-signing-secret"],
    // Before, only the exact development string was refused: these passed.
    ["the development secret with a '!'", "dev-only-key-web-hall-session-signing-secret!"],
    ["the development secret in capitals", "DEV-ONLY-KEY-WEB-HALL-SESSION-SIGNING-SECRET"],
    ["the development secret's body", "my-web-hall-session-signing-secret"],
  ])("refuses a SESSION_SECRET %s in production", (_label, secret) => {
    expect(sessionSecretRefused(secret)).toBe(true);
  });

  it("accepts a random SESSION_SECRET in production", () => {
    expect(sessionSecretRefused("q8ZtV1xN3rK7mB2cY5wH9pL0sD4fG6jA+e/T")).toBe(false);
  });
});

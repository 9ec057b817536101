import { loadConfig } from "@omnihall/config";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  SealedBoxError,
  developmentSealingKeys,
  generateSealingKeyPair,
  open,
  publicKeyOf,
  seal,
  sealingPrivateKey,
  sealingPublicKey,
} from "./index.js";

describe("sealed boxes", () => {
  const keys = generateSealingKeyPair();

  it("open with the recipient's private key under the same context, and hold nothing readable", () => {
    const box = seal(keys.publicKey, "042917", "customer.login_code.issued:13800138000");
    expect(Buffer.from(box).toString("latin1")).not.toContain("042917");
    expect(open(keys.privateKey, box, "customer.login_code.issued:13800138000").toString()).toBe("042917");
    // A fresh ephemeral key and nonce each time: the same code never seals to the same bytes.
    expect(
      Buffer.from(seal(keys.publicKey, "042917", "c")).equals(Buffer.from(seal(keys.publicKey, "042917", "c"))),
    ).toBe(false);
  });

  it("do not open under another context, with another key, or damaged", () => {
    const box = seal(keys.publicKey, "042917", "for:13800138000");
    const refused = (run: () => unknown) => expect(run).toThrow(SealedBoxError);
    refused(() => open(keys.privateKey, box, "for:13900139000"));
    refused(() => open(generateSealingKeyPair().privateKey, box, "for:13800138000"));
    for (const index of [0, 5, 40, box.length - 1]) {
      const damaged = Uint8Array.from(box);
      damaged[index]! ^= 1;
      refused(() => open(keys.privateKey, damaged, "for:13800138000"));
    }
    refused(() => open(keys.privateKey, new Uint8Array(10), "for:13800138000"));
    refused(() => seal("not-a-key", "042917", "x"));
  });

  it("derive the public key from the private one; development keys are fixed per owner", () => {
    expect(publicKeyOf(keys.privateKey)).toBe(keys.publicKey);
    expect(developmentSealingKeys("notify")).toEqual(developmentSealingKeys("notify"));
    expect(developmentSealingKeys("notify").publicKey).not.toBe(developmentSealingKeys("other").publicKey);
  });
});

describe("sealing keys in configuration", () => {
  const schema = z.object({
    NODE_ENV: z.string().default("development"),
    NOTIFY_PUBLIC_KEY: sealingPublicKey("notify"),
    NOTIFY_PRIVATE_KEY: sealingPrivateKey("notify"),
  });

  it("default to the development pair, which production refuses", () => {
    const config = loadConfig(schema, {});
    expect(config.NOTIFY_PUBLIC_KEY).toBe(developmentSealingKeys("notify").publicKey);
    expect(publicKeyOf(config.NOTIFY_PRIVATE_KEY)).toBe(config.NOTIFY_PUBLIC_KEY);
    expect(() => loadConfig(schema, { NODE_ENV: "production" })).toThrow(/NOTIFY_PUBLIC_KEY.*must be set/s);
    expect(() => loadConfig(schema, { NODE_ENV: "production", ...toEnv(developmentSealingKeys("notify")) })).toThrow(
      /development key/,
    );
    const production = generateSealingKeyPair();
    expect(loadConfig(schema, { NODE_ENV: "production", ...toEnv(production) }).NOTIFY_PRIVATE_KEY).toBe(
      production.privateKey,
    );
  });

  it("refuse what is not a key", () => {
    expect(() => loadConfig(schema, { NOTIFY_PUBLIC_KEY: "abc" })).toThrow(/NOTIFY_PUBLIC_KEY.*X25519 key/s);
  });

  const toEnv = (pair: { publicKey: string; privateKey: string }) => ({
    NOTIFY_PUBLIC_KEY: pair.publicKey,
    NOTIFY_PRIVATE_KEY: pair.privateKey,
  });
});

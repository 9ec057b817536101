import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { canonical, fenFromYuan, fromXml, hmacSha256, rsa2Sign, rsa2Verify, toXml, yuan } from "./signing.js";

describe("gateway signing rules", () => {
  it("sign the sorted non-empty parameters without the signature fields", () => {
    const params = { b: "2", a: "1", empty: "", sign: "x", sign_type: "RSA2" };
    expect(canonical(params, ["sign", "sign_type"])).toBe("a=1&b=2");
  });

  it("verify RSA2 signatures with the signer's public key only", () => {
    const pair = generateKeyPairSync("rsa", { modulusLength: 1024 });
    const other = generateKeyPairSync("rsa", { modulusLength: 1024 });
    const pem = (key: typeof pair.publicKey) => key.export({ type: "spki", format: "pem" }).toString();
    const signature = rsa2Sign("a=1&b=2", pair.privateKey.export({ type: "pkcs8", format: "pem" }).toString());
    expect(rsa2Verify("a=1&b=2", signature, pem(pair.publicKey))).toBe(true);
    expect(rsa2Verify("a=1&b=3", signature, pem(pair.publicKey))).toBe(false);
    expect(rsa2Verify("a=1&b=2", signature, pem(other.publicKey))).toBe(false);
    expect(rsa2Verify("a=1&b=2", undefined, pem(pair.publicKey))).toBe(false);
  });

  it("write WeChat-style HMAC signatures and flat XML that reads back", () => {
    expect(hmacSha256("a=1", "key")).toMatch(/^[0-9A-F]{64}$/);
    expect(fromXml(toXml({ return_code: "SUCCESS", total_fee: "100" }))).toEqual({
      return_code: "SUCCESS",
      total_fee: "100",
    });
  });

  it("turn fen into Alipay's yuan and back without floats", () => {
    expect(yuan(5_001n)).toBe("50.01");
    expect(yuan(7n)).toBe("0.07");
    expect(fenFromYuan("50.1")).toBe(5_010n);
    expect(fenFromYuan("1e3")).toBeUndefined();
  });
});

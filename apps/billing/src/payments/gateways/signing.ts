import { createHash, createHmac, createSign, createVerify, timingSafeEqual } from "node:crypto";

/**
 * The string every gateway signs: parameters sorted by name, empty values and the signature fields left out,
 * `name=value` joined with `&` (values as sent, not URL-encoded) — Alipay's, WeChat Pay's and UnionPay's rule.
 */
export function canonicalString(params: Record<string, string>, exclude: readonly string[]): string {
  return Object.keys(params)
    .filter((key) => !exclude.includes(key) && params[key] !== undefined && params[key] !== "")
    .sort()
    .map((key) => `${key}=${params[key]}`)
    .join("&");
}

/** RSA2 (SHA256withRSA), base64: Alipay's sign_type RSA2. */
export function rsaSign(text: string, privateKeyPem: string): string {
  return createSign("RSA-SHA256").update(text, "utf8").sign(privateKeyPem, "base64");
}

export function rsaVerify(text: string, signature: string, publicKeyPem: string): boolean {
  try {
    return createVerify("RSA-SHA256").update(text, "utf8").verify(publicKeyPem, signature, "base64");
  } catch {
    return false;
  }
}

/** UnionPay's signMethod 01: SHA256withRSA over the hex SHA-256 digest of the canonical string. */
export const sha256Hex = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/** WeChat Pay v2 HMAC-SHA256: over `canonical&key=<API key>`, upper-case hex. */
export function hmacSign(canonical: string, apiKey: string): string {
  return createHmac("sha256", apiKey).update(`${canonical}&key=${apiKey}`, "utf8").digest("hex").toUpperCase();
}

/** Compares two signatures in constant time. */
export function sameSignature(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Fen as Alipay writes amounts: yuan with two decimals, never through a float. */
export function fenToYuan(fen: bigint): string {
  const sign = fen < 0n ? "-" : "";
  const abs = fen < 0n ? -fen : fen;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, "0")}`;
}

/** "50.00" → 5000n; undefined for anything that is not a plain non-negative amount with at most two decimals. */
export function yuanToFen(yuan: string): bigint | undefined {
  const match = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(yuan);
  if (!match) return undefined;
  return BigInt(match[1]!) * 100n + BigInt((match[2] ?? "0").padEnd(2, "0"));
}

/** "123" → 123n for gateways that count in fen; undefined for anything else. */
export function fenOf(text: string | undefined): bigint | undefined {
  return text !== undefined && /^\d{1,15}$/.test(text) ? BigInt(text) : undefined;
}

/** WeChat Pay's flat XML: `<xml><name><![CDATA[value]]></name>…</xml>`. */
export function toFlatXml(params: Record<string, string>): string {
  const body = Object.entries(params)
    .map(([key, value]) => `<${key}><![CDATA[${value.replaceAll("]]>", "")}]]></${key}>`)
    .join("");
  return `<xml>${body}</xml>`;
}

/** Reads flat XML (one level, text or CDATA values); undefined when it is not such a document. */
export function fromFlatXml(xml: string): Record<string, string> | undefined {
  const root = /^\s*<xml>([\s\S]*)<\/xml>\s*$/.exec(xml);
  if (!root) return undefined;
  const params: Record<string, string> = {};
  const element = /<([A-Za-z_][\w]*)>(?:<!\[CDATA\[([\s\S]*?)\]\]>|([^<]*))<\/\1>/g;
  let rest = root[1]!;
  for (const match of rest.matchAll(element)) params[match[1]!] = match[2] ?? match[3] ?? "";
  rest = rest.replace(element, "").trim();
  return rest === "" ? params : undefined;
}

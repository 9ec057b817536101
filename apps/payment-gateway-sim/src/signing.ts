import { createHash, createHmac, createSign, createVerify, timingSafeEqual } from "node:crypto";

/**
 * The gateways' side of the signature schemes, written from their published rules (not shared with billing, so a
 * mistake on either side shows up as a refused signature, as it would against a real gateway).
 */
export function canonical(params: Record<string, string>, exclude: readonly string[]): string {
  return Object.keys(params)
    .filter((key) => !exclude.includes(key) && params[key] !== "" && params[key] !== undefined)
    .sort()
    .map((key) => `${key}=${params[key]}`)
    .join("&");
}

export const rsa2Sign = (text: string, key: string) => createSign("RSA-SHA256").update(text).sign(key, "base64");
export function rsa2Verify(text: string, signature: string | undefined, key: string): boolean {
  if (!signature) return false;
  try {
    return createVerify("RSA-SHA256").update(text).verify(key, signature, "base64");
  } catch {
    return false;
  }
}
export const sha256Hex = (text: string) => createHash("sha256").update(text).digest("hex");
export const hmacSha256 = (text: string, apiKey: string) =>
  createHmac("sha256", apiKey).update(`${text}&key=${apiKey}`).digest("hex").toUpperCase();
export function equalText(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export const toXml = (params: Record<string, string>) =>
  `<xml>${Object.entries(params)
    .map(([k, v]) => `<${k}><![CDATA[${v}]]></${k}>`)
    .join("")}</xml>`;

export function fromXml(xml: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const m of xml.matchAll(/<([A-Za-z_]\w*)>(?:<!\[CDATA\[([\s\S]*?)\]\]>|([^<]*))<\/\1>/g)) {
    if (m[1] !== "xml") params[m[1]!] = m[2] ?? m[3] ?? "";
  }
  return params;
}

export const yuan = (fen: bigint) => `${fen / 100n}.${String(fen % 100n).padStart(2, "0")}`;
export function fenFromYuan(text: string | undefined): bigint | undefined {
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(text ?? "");
  return m ? BigInt(m[1]!) * 100n + BigInt((m[2] ?? "0").padEnd(2, "0")) : undefined;
}
/** Beijing time "YYYY-MM-DD HH:mm:ss", as the gateways write it. */
export const beijing = (date: Date) =>
  new Date(date.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace("T", " ");

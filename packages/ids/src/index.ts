import { randomBytes } from "node:crypto";

const CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz";

let lastTime = 0;
let lastRandom = 0n;

/**
 * A new entity id: its prefix (`sub`, `pay`, `ord`, `evt`…), an underscore and a ULID — 48-bit milliseconds then
 * 80 random bits in Crockford base32 (26 characters). Ids sort by creation time, and within one millisecond of
 * one process they keep increasing, so "order by id" is "order of creation".
 */
export function newId(prefix: string, now = Date.now()): string {
  if (now <= lastTime) {
    lastRandom = (lastRandom + 1n) & ((1n << 80n) - 1n);
    now = lastTime;
  } else {
    lastTime = now;
    lastRandom = BigInt(`0x${randomBytes(10).toString("hex")}`);
  }
  return `${prefix}_${base32(BigInt(now), 10)}${base32(lastRandom, 16)}`;
}

function base32(value: bigint, length: number): string {
  let text = "";
  for (let i = 0; i < length; i += 1) {
    text = CROCKFORD[Number(value & 31n)]! + text;
    value >>= 5n;
  }
  return text;
}

/** Whether `id` looks like an id of this prefix that a caller could have been given (any of our id shapes). */
export function hasIdShape(id: string, prefix: string): boolean {
  return id.length <= 80 && id.startsWith(`${prefix}_`) && /^[A-Za-z0-9_]+$/.test(id.slice(prefix.length + 1));
}

import { randomBytes } from "node:crypto";

const CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz";

let lastTime = 0;
let lastRandom = 0n;

/**
 * A new outbox event id, `evt_` + a ULID: 48-bit milliseconds then 80 random bits, in Crockford base32.
 * Ids sort by creation time, and within one millisecond of one process they keep increasing, so ordering the
 * outbox by id publishes events in the order this service created them.
 */
export function newEventId(now = Date.now()): string {
  if (now <= lastTime) {
    lastRandom = (lastRandom + 1n) & ((1n << 80n) - 1n);
    now = lastTime;
  } else {
    lastTime = now;
    lastRandom = BigInt(`0x${randomBytes(10).toString("hex")}`);
  }
  return `evt_${base32(BigInt(now), 10)}${base32(lastRandom, 16)}`;
}

function base32(value: bigint, length: number): string {
  let text = "";
  for (let i = 0; i < length; i += 1) {
    text = CROCKFORD[Number(value & 31n)]! + text;
    value >>= 5n;
  }
  return text;
}

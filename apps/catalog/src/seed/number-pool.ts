import { DEMO_PROVINCES, demoSubscribers, seededRandom } from "@omnihall/demo-data";
import type { PoolNumber } from "@omnihall/proto/omnihall/catalog/v1/catalog";

const PREFIXES = ["134", "135", "136", "147", "152", "158", "159", "178", "183", "184", "195", "197"];
const NUMBERS_PER_PROVINCE = 200;
/** Memorable endings every province's pool offers a few of, so a search for "8888" finds something. */
const MEMORABLE_ENDINGS = ["8888", "6666", "9999", "1688", "5678", "0000", "1314", "520", "888", "666"];

/**
 * The fee for choosing a memorable number (靓号), in fen: four of a kind at the end, a straight, or a lucky
 * ending cost more; an ordinary number nothing.
 */
export function selectionFeeFen(msisdn: string): bigint {
  const last4 = msisdn.slice(-4);
  if (/^(\d)\1{3}$/.test(last4)) return ["8", "6", "9"].includes(last4[0]!) ? 200_000n : 50_000n;
  if ("0123456789".includes(last4) || "9876543210".includes(last4)) return 50_000n;
  if (["1688", "1314", "5201", "5210"].includes(last4)) return 30_000n;
  if (/(\d)\1{2}$/.test(msisdn) && ["8", "6", "9"].includes(msisdn.at(-1)!)) return 10_000n;
  return 0n;
}

/**
 * The demo number pool: for each demo province, ordinary numbers and a handful of memorable ones, none of them a
 * demo subscriber's number.
 */
export function demoNumberPool(): PoolNumber[] {
  const random = seededRandom(20261123);
  const digits = (count: number) => String(Math.floor(random() * 10 ** count)).padStart(count, "0");
  const taken = new Set(demoSubscribers().map((subscriber) => subscriber.msisdn));
  const pool: PoolNumber[] = [];
  for (const provinceCode of Object.keys(DEMO_PROVINCES)) {
    const add = (msisdn: string) => {
      if (taken.has(msisdn)) return;
      taken.add(msisdn);
      pool.push({ msisdn, provinceCode, selectionFeeFen: selectionFeeFen(msisdn) });
    };
    for (const ending of MEMORABLE_ENDINGS) {
      const prefix = PREFIXES[Math.floor(random() * PREFIXES.length)]!;
      add(prefix + digits(8 - ending.length) + ending);
    }
    for (let i = 0; i < NUMBERS_PER_PROVINCE; i++) {
      add(PREFIXES[Math.floor(random() * PREFIXES.length)]! + digits(8));
    }
  }
  return pool;
}

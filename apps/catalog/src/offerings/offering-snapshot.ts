import { EligibilityRules, type Offering } from "@omnihall/proto/omnihall/catalog/v1/catalog";
import type { CatalogDb } from "../db.js";
import { offeringCodeMalformed, offeringNotFound } from "../errors.js";
import { offeringFromRow } from "./offering-record.js";
import { OFFERING_CODE } from "./validate-offering.js";

/** How stale the snapshot may get: another catalog instance's change is seen here within this time. */
export const SNAPSHOT_MAX_AGE_MS = 1_000;

/** One offering as the hot reads need it: the stored filter columns beside the proto the handlers return. */
export interface SnapshotOffering {
  code: string;
  /** Stored enum names (ACTIVE, DATA_PACK…), as the columns hold them. */
  lifecycle: string;
  kind: string;
  provinceCodes: readonly string[];
  channels: readonly string[];
  roamingCountryCode: string | null;
  exclusiveGroup: string;
  offering: Offering;
}

interface Snapshot {
  loadedAt: number;
  /** Sorted by code (as PostgreSQL's C collation sorts these ASCII codes), for paging. */
  sorted: readonly SnapshotOffering[];
  byCode: ReadonlyMap<string, SnapshotOffering>;
}

interface SnapshotState {
  current?: Snapshot;
  loading?: Promise<Snapshot>;
  /** Bumped by every local change, so a load that began before it is not kept. */
  generation: number;
}

const states = new WeakMap<CatalogDb, SnapshotState>();
const stateOf = (db: CatalogDb) => {
  let state = states.get(db);
  if (!state) states.set(db, (state = { generation: 0 }));
  return state;
};

async function load(db: CatalogDb, state: SnapshotState): Promise<Snapshot> {
  const generation = state.generation;
  const startedAt = Date.now();
  const rows = await db.offering.findMany({ orderBy: { code: "asc" } });
  const sorted = rows
    .map((row): SnapshotOffering => ({
      code: row.code,
      lifecycle: row.lifecycle,
      kind: row.kind,
      provinceCodes: row.provinceCodes,
      channels: row.channels,
      roamingCountryCode: row.roamingCountryCode,
      exclusiveGroup: EligibilityRules.fromJSON(row.eligibility).exclusiveGroup,
      offering: offeringFromRow(row),
    }))
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const snapshot = { loadedAt: startedAt, sorted, byCode: new Map(sorted.map((entry) => [entry.code, entry])) };
  if (state.generation === generation) state.current = snapshot;
  return snapshot;
}

/**
 * Every offering, in memory: CheckEligibility and ListOfferings (the order engine's and every hall's hot reads)
 * answer from it instead of two Prisma queries a call, which were most of their cost. Offerings change rarely
 * and only through this service, which drops the snapshot after each change it commits; another instance's
 * change shows within SNAPSHOT_MAX_AGE_MS. Loaded on first use, reloaded (one query, all waiting on it) when old.
 */
export async function offeringSnapshot(db: CatalogDb): Promise<Snapshot> {
  const state = stateOf(db);
  const current = state.current;
  if (current && Date.now() - current.loadedAt < SNAPSHOT_MAX_AGE_MS) return current;
  state.loading ??= load(db, state).finally(() => (state.loading = undefined));
  return state.loading;
}

/** After a committed change of offerings: the next read loads them afresh. Returns what `change` resolves to. */
export async function changingOfferings<T>(db: CatalogDb, change: Promise<T>): Promise<T> {
  try {
    return await change;
  } finally {
    const state = stateOf(db);
    state.generation += 1;
    state.current = undefined;
    state.loading = undefined;
  }
}

/** Like findOfferingByCode, from the snapshot: the same errors for a malformed or unknown code. */
export async function snapshotOfferingByCode(db: CatalogDb, code: string, field: string): Promise<SnapshotOffering> {
  if (!OFFERING_CODE.test(code)) throw offeringCodeMalformed(field);
  const entry = (await offeringSnapshot(db)).byCode.get(code);
  if (!entry) throw offeringNotFound(code);
  return entry;
}

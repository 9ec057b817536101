import type { Agent, OpeningBody, Offering, PoolNumber, SyncResult } from "./api";

/**
 * The handheld's own storage (IndexedDB): the openings the agent took, each with the key generated when it was
 * taken — the key the hall turns into the services' request id, so however often an opening is sent it is
 * applied once — and the data cached for a day without signal (agent, number slice, plans, offers).
 */
export type QueueState = "QUEUED" | "APPLIED" | "REFUSED";

export interface QueuedOpening {
  key: string;
  opening: OpeningBody;
  state: QueueState;
  takenAt: string;
  result?: SyncResult;
}

export interface FieldCache {
  agent: Agent;
  numbers: PoolNumber[];
  plans: Offering[];
  offers: Offering[];
  savedAt: string;
}

const DB_NAME = "omnihall-mini-hall";

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore("queue", { keyPath: "key" });
      request.result.createObjectStore("cache");
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function run<T>(store: string, mode: IDBTransactionMode, work: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(store, mode);
      const request = work(tx.objectStore(store));
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

export const queue = {
  all: () => run<QueuedOpening[]>("queue", "readonly", (s) => s.getAll() as IDBRequest<QueuedOpening[]>),
  put: (item: QueuedOpening) => run("queue", "readwrite", (s) => s.put(item)),
  remove: (key: string) => run("queue", "readwrite", (s) => s.delete(key)),
};

export const fieldCache = {
  get: () =>
    run<FieldCache | undefined>("cache", "readonly", (s) => s.get("field") as IDBRequest<FieldCache | undefined>),
  put: (cache: FieldCache) => run("cache", "readwrite", (s) => s.put(cache, "field")),
};

/** A fresh key per opening taken (letters, digits and - only, as the hall's Idempotency-Key rule wants). */
export function newOpeningKey(): string {
  return crypto.randomUUID();
}

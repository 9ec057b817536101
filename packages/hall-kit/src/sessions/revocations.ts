import { describeParty, type ActingParty, type Logger } from "@omnihall/service-kit";
import { Kvm, type KV, type KvWatchEntry } from "@nats-io/kv";
import { watchBucket } from "@omnihall/bus";
import { connect, type NatsConnection } from "@nats-io/transport-node";

/**
 * The list of logged-out sessions and logged-out parties, checked on every request. The check is synchronous and
 * in memory (it sits on every request's path); writes go to wherever every hall instance can see them.
 */
export interface SessionRevocations {
  /** Whether this session, or every session its party started at or before `startMs`, was revoked. */
  isRevoked(sessionId: string, party: ActingParty, startMs: number): boolean;
  /** Refuses every token of one session until `until` (after which its tokens have expired anyway). */
  revokeSession(sessionId: string, until: Date): Promise<void>;
  /** Refuses every session of a party started before `notBefore`, in every hall. */
  revokeParty(party: ActingParty, notBefore: Date): Promise<void>;
  close(): Promise<void>;
}

/** Key of a party in the list: kind and id, the id base64url-encoded (ids may hold characters keys may not). */
function partyKey(party: ActingParty): string {
  const { kind, id } = describeParty(party);
  return `party.${kind}.${Buffer.from(id).toString("base64url")}`;
}

/** The in-memory list both implementations keep; entries leave once they cannot matter any more. */
class RevocationTable {
  /** session id → until (ms). */
  readonly sessions = new Map<string, number>();
  /** party key → not before (ms). */
  readonly parties = new Map<string, number>();
  #nextSweep = 0;

  constructor(private readonly maxLifetimeMs: number) {}

  isRevoked(sessionId: string, party: ActingParty, startMs: number): boolean {
    if (this.sessions.size > 0 && this.sessions.has(sessionId)) return true;
    if (this.parties.size === 0) return false;
    const notBefore = this.parties.get(partyKey(party));
    return notBefore !== undefined && startMs <= notBefore;
  }

  apply(key: string, value: number | undefined): void {
    this.#sweep();
    if (key.startsWith("sid.")) {
      const sessionId = key.slice(4);
      if (value === undefined) this.sessions.delete(sessionId);
      else this.sessions.set(sessionId, value);
    } else if (key.startsWith("party.")) {
      if (value === undefined) this.parties.delete(key);
      else this.parties.set(key, Math.max(value, this.parties.get(key) ?? 0));
    }
  }

  /** Sessions past their `until` and party entries older than any session can live are forgotten. */
  #sweep(now = Date.now()): void {
    if (now < this.#nextSweep) return;
    this.#nextSweep = now + 60_000;
    for (const [sessionId, until] of this.sessions) if (until < now) this.sessions.delete(sessionId);
    for (const [key, notBefore] of this.parties) {
      if (notBefore + this.maxLifetimeMs < now) this.parties.delete(key);
    }
  }
}

/**
 * Revocations kept in this process only. Right for one hall instance (development, tests, a single-instance
 * deployment); with several instances a logout would reach only one of them — use `NatsSessionRevocations`.
 */
export class MemorySessionRevocations implements SessionRevocations {
  readonly #table: RevocationTable;

  constructor(options: { maxLifetimeSeconds: number }) {
    this.#table = new RevocationTable(options.maxLifetimeSeconds * 1000);
  }

  isRevoked(sessionId: string, party: ActingParty, startMs: number): boolean {
    return this.#table.isRevoked(sessionId, party, startMs);
  }

  async revokeSession(sessionId: string, until: Date): Promise<void> {
    this.#table.apply(`sid.${sessionId}`, until.getTime());
  }

  async revokeParty(party: ActingParty, notBefore: Date): Promise<void> {
    this.#table.apply(partyKey(party), notBefore.getTime());
  }

  async close(): Promise<void> {}
}

export interface NatsSessionRevocationsOptions {
  /** NATS servers (config NATS_URL), or a connection the caller owns. */
  servers?: string[];
  connection?: NatsConnection;
  /** KV bucket shared by every hall; default "omnihall-hall-sessions". */
  bucket?: string;
  /**
   * The longest any session lives (the bucket's max age): a revocation older than that has nothing left to
   * refuse, so the bucket forgets it by itself.
   */
  maxLifetimeSeconds: number;
  logger?: Logger;
  /** How long start-up waits for the existing list before refusing to start; default 10 s. */
  loadTimeoutMs?: number;
  /** Copies of the bucket in the NATS cluster (config NATS_REPLICAS); default 1. */
  replicas?: number;
}

/**
 * Revocations in a NATS JetStream key-value bucket that every instance of every hall watches: a logout written by
 * one instance reaches the others' in-memory tables within milliseconds. A hall starts serving only after it has
 * loaded the whole list, so a restarted instance never accepts a session revoked while it was down.
 */
export class NatsSessionRevocations implements SessionRevocations {
  readonly #table: RevocationTable;

  private constructor(
    private readonly kv: KV,
    private readonly ownConnection: NatsConnection | undefined,
    private readonly stopWatching: () => void,
    table: RevocationTable,
  ) {
    this.#table = table;
  }

  static async open(options: NatsSessionRevocationsOptions): Promise<NatsSessionRevocations> {
    const ownConnection = options.connection
      ? undefined
      : await connect({ servers: options.servers ?? ["nats://127.0.0.1:4222"], maxReconnectAttempts: -1 });
    const connection = options.connection ?? ownConnection!;
    try {
      const kv = await new Kvm(connection).create(options.bucket ?? "omnihall-hall-sessions", {
        history: 1,
        ttl: options.maxLifetimeSeconds * 1000,
        replicas: options.replicas ?? 1,
      });
      const table = new RevocationTable(options.maxLifetimeSeconds * 1000);
      const watch = await watchBucket(kv, (entry) => table.apply(entry.key, valueOf(entry)), {
        what: "session revocations",
        loadTimeoutMs: options.loadTimeoutMs,
        onError: (error) => options.logger?.error({ err: error }, "session revocation watch failed"),
      });
      return new NatsSessionRevocations(kv, ownConnection, () => watch.stop(), table);
    } catch (error) {
      await ownConnection?.close();
      throw error;
    }
  }

  isRevoked(sessionId: string, party: ActingParty, startMs: number): boolean {
    return this.#table.isRevoked(sessionId, party, startMs);
  }

  async revokeSession(sessionId: string, until: Date): Promise<void> {
    // Applied here at once too: the instance that logged someone out refuses the session without waiting for
    // its own watch.
    this.#table.apply(`sid.${sessionId}`, until.getTime());
    await this.kv.put(`sid.${sessionId}`, String(until.getTime()));
  }

  async revokeParty(party: ActingParty, notBefore: Date): Promise<void> {
    this.#table.apply(partyKey(party), notBefore.getTime());
    await this.kv.put(partyKey(party), String(notBefore.getTime()));
  }

  async close(): Promise<void> {
    this.stopWatching();
    await this.ownConnection?.drain();
  }
}

function valueOf(entry: KvWatchEntry): number | undefined {
  if (entry.operation !== "PUT") return undefined;
  const value = Number(entry.string());
  return Number.isFinite(value) ? value : undefined;
}

import { PrismaPg } from "@prisma/adapter-pg";
import {
  ColumnTypeEnum,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQuery,
  type SqlQueryable,
  type SqlResultSet,
  type Transaction,
} from "@prisma/driver-adapter-utils";
import pg from "pg";
import { databaseUrlFor } from "../database-urls.js";
import { dropDatabase, ensureDatabase } from "../databases.js";

/**
 * The driver adapter the WASM schema engine migrates through: @prisma/adapter-pg with the fixes the engine needs
 * (see /work/shared/notes/prisma.md). Everything else (value parsing, error mapping) stays adapter-pg's.
 */
export class MigrationAdapterFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = "postgres";
  readonly adapterName = "@omnihall/db";

  /** Adapters handed to the engine and not yet disposed; the engine does not always dispose them itself. */
  private readonly open = new Set<SqlDriverAdapter>();

  constructor(private readonly databaseUrl: string) {}

  connect(): Promise<SqlDriverAdapter> {
    return this.track(connectAdapter(this.databaseUrl));
  }

  /**
   * adapter-pg's own version lets the URL's database name win over the shadow name (so the "shadow" is the real
   * database) and drops the shadow database while its pool is still connected.
   */
  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    const name = `prisma_migrate_shadow_db_${crypto.randomUUID().replaceAll("-", "")}`;
    await ensureDatabase(this.databaseUrl, name);
    const adapter = await connectAdapter(databaseUrlFor(this.databaseUrl, name));
    return this.track({
      ...bindAdapter(adapter),
      dispose: async () => {
        await adapter.dispose();
        await dropDatabase(this.databaseUrl, name);
      },
    });
  }

  /** Disposes what the engine left open, so no connection outlives the engine (CREATE … TEMPLATE needs that). */
  async close(): Promise<void> {
    for (const adapter of [...this.open]) {
      this.open.delete(adapter);
      await adapter.dispose();
    }
  }

  private async track(connecting: Promise<SqlDriverAdapter> | SqlDriverAdapter): Promise<SqlDriverAdapter> {
    const adapter = await connecting;
    this.open.add(adapter);
    return {
      ...adapter,
      dispose: async () => {
        if (this.open.delete(adapter)) await adapter.dispose();
      },
    };
  }
}

async function connectAdapter(databaseUrl: string): Promise<SqlDriverAdapter> {
  // One connection: the engine holds Prisma's migration advisory lock on its session, so every statement must
  // run on that same session.
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1, Client: CharColumnClient });
  const inner = await new PrismaPg(pool, { disposeExternalPool: true }).connect();
  return {
    ...bindAdapter(inner),
    queryRaw: (query) => queryWithCharColumns(inner, query),
    // adapter-pg splits scripts on ";" (breaking $$-quoted function bodies) and runs the pieces one by one. Sent
    // whole without parameters, pg uses the simple query protocol, in which PostgreSQL runs a multi-statement
    // script as one implicit transaction; executeRaw keeps adapter-pg's error mapping.
    executeScript: async (script) => {
      await inner.executeRaw({ sql: script, args: [], argTypes: [] });
    },
    startTransaction: async (isolationLevel) => {
      const transaction = await inner.startTransaction(isolationLevel);
      return { ...bindTransaction(transaction), queryRaw: (query) => queryWithCharColumns(transaction, query) };
    },
  };
}

/** Copies an adapter's methods bound to it, so they can be overridden one by one in an object literal. */
function bindAdapter(adapter: SqlDriverAdapter): SqlDriverAdapter {
  return {
    provider: adapter.provider,
    adapterName: adapter.adapterName,
    queryRaw: (query) => adapter.queryRaw(query),
    executeRaw: (query) => adapter.executeRaw(query),
    executeScript: (script) => adapter.executeScript(script),
    startTransaction: (isolationLevel) => adapter.startTransaction(isolationLevel),
    getConnectionInfo: () => adapter.getConnectionInfo!(),
    dispose: () => adapter.dispose(),
  };
}

function bindTransaction(transaction: Transaction): Transaction {
  return {
    provider: transaction.provider,
    adapterName: transaction.adapterName,
    options: transaction.options,
    queryRaw: (query) => transaction.queryRaw(query),
    executeRaw: (query) => transaction.executeRaw(query),
    commit: () => transaction.commit(),
    rollback: () => transaction.rollback(),
    createSavepoint: (name) => transaction.createSavepoint!(name),
    rollbackToSavepoint: (name) => transaction.rollbackToSavepoint!(name),
    releaseSavepoint: (name) => transaction.releaseSavepoint!(name),
  };
}

const CHAR_OID = 18;
const TEXT_OID = 25;

/** Which columns of a result were PostgreSQL's one-byte `"char"` type, keyed by the result's rows array. */
const charColumnsOfRows = new WeakMap<unknown[], number[]>();

/**
 * adapter-pg rejects `"char"` columns (pg_constraint.contype and friends), and reported as text they make the
 * engine panic on any CHECK constraint: the engine reads them as characters. pg hands adapter-pg the same rows
 * array it got, so this client notes the `"char"` columns against that array and lets adapter-pg read them as
 * text; `queryWithCharColumns` then reports them as characters.
 */
class CharColumnClient extends pg.Client {
  // pg's query() has many overloads; this passes every form through and only looks at results.
  override query(...args: unknown[]): never {
    const callbackIndex = args.findIndex((arg) => typeof arg === "function");
    if (callbackIndex >= 0) {
      const callback = args[callbackIndex] as (error: Error | null, result?: pg.QueryResult) => void;
      args[callbackIndex] = (error: Error | null, result?: pg.QueryResult) => {
        if (result) noteCharColumns(result);
        callback(error, result);
      };
    }
    const returned = (super.query as (...a: unknown[]) => unknown)(...args);
    if (returned instanceof Promise) return returned.then((result: pg.QueryResult) => noteCharColumns(result)) as never;
    return returned as never;
  }
}

function noteCharColumns(result: pg.QueryResult): pg.QueryResult {
  const charColumns: number[] = [];
  result.fields?.forEach((field, index) => {
    if (field.dataTypeID === CHAR_OID) {
      field.dataTypeID = TEXT_OID;
      charColumns.push(index);
    }
  });
  if (charColumns.length > 0) charColumnsOfRows.set(result.rows, charColumns);
  return result;
}

async function queryWithCharColumns(queryable: SqlQueryable, query: SqlQuery): Promise<SqlResultSet> {
  const resultSet = await queryable.queryRaw(query);
  for (const index of charColumnsOfRows.get(resultSet.rows) ?? []) {
    resultSet.columnTypes[index] = ColumnTypeEnum.Character;
  }
  return resultSet;
}

import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import {
  bindMigrationAwareSqlAdapterFactory,
  type ErrorCapturingSqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import type { SchemaEngine } from "@prisma/schema-engine-wasm";
import * as engineBindings from "@prisma/schema-engine-wasm/schema_engine_bg";
import { MigrationAdapterFactory } from "./migration-adapter.js";
import type { SchemaFile } from "./migration-files.js";

export type { SchemaEngine };

/** Our migrations manage every table and enum of their database (Prisma's `tables.external` stays unused). */
export const NO_FILTERS = { externalTables: [], externalEnums: [] };

/** A refusal or failure reported by Prisma's schema engine, with Prisma's error code (P3009 …) when it has one. */
export class MigrationError extends Error {
  constructor(
    message: string,
    readonly code?: string,
    options?: ErrorOptions,
  ) {
    super(code ? `${code}: ${message}` : message, options);
    this.name = "MigrationError";
  }
}

/**
 * Runs work with Prisma's WASM schema engine connected to databaseUrl (and, when work needs one, to a throwaway
 * shadow database on the same server), then frees the engine and closes every connection it opened.
 */
export async function withSchemaEngine<T>(
  { schemaFiles, databaseUrl }: { schemaFiles: SchemaFile[]; databaseUrl: string },
  work: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const { SchemaEngine } = await loadEngineBindings();
  const adapterFactory = new MigrationAdapterFactory(databaseUrl);
  const boundFactory = bindMigrationAwareSqlAdapterFactory(adapterFactory);
  let engine: SchemaEngine | undefined;
  try {
    engine = await SchemaEngine.new(
      { datamodels: schemaFiles.map((file) => [file.path, file.content]) },
      logEngineMessage,
      boundFactory,
    );
    return await work(engine);
  } catch (error) {
    throw translateEngineError(error, boundFactory);
  } finally {
    engine?.free();
    await adapterFactory.close();
  }
}

function logEngineMessage(message: string) {
  if (process.env.OMNIHALL_DEBUG_SCHEMA_ENGINE) process.stderr.write(`[schema-engine] ${message}\n`);
}

function translateEngineError(error: unknown, factory: ErrorCapturingSqlMigrationAwareDriverAdapterFactory): Error {
  // A Rust panic surfaces as a trap ("unreachable"), its message left in the panic registry.
  if (error instanceof webAssembly.RuntimeError) {
    return new MigrationError(`Prisma's schema engine panicked: ${panicRegistry.message || error.message}`, undefined, {
      cause: error,
    });
  }
  if (typeof error === "object" && error !== null) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    if (typeof message === "string") {
      // The engine appends a Rust span trace ("   0: schema_commands::…"); it stays readable in `cause`.
      const summary = message.split(/\n\s+0: /)[0]!.trim();
      const fromAdapter = adapterErrorIn(summary, factory);
      return new MigrationError(
        fromAdapter ? summary.replace(EXTERNAL_ERROR, fromAdapter.message) : summary,
        typeof code === "string" ? code : undefined,
        { cause: fromAdapter ?? error },
      );
    }
  }
  return error instanceof Error ? error : new Error(String(error));
}

/** How the engine refers to an error our adapter threw: by its id in the adapter factory's error registry. */
const EXTERNAL_ERROR = /External error id#(\d+)/;

function adapterErrorIn(
  message: string,
  factory: ErrorCapturingSqlMigrationAwareDriverAdapterFactory,
): Error | undefined {
  const id = EXTERNAL_ERROR.exec(message)?.[1];
  const thrown = id === undefined ? undefined : factory.errorRegistry.consumeError(Number(id))?.error;
  return thrown instanceof Error ? thrown : undefined;
}

/** The parts of the WebAssembly global used here; @types/node 20 leaves its types to lib.dom. */
interface WebAssemblyApi {
  instantiate(
    bytes: Uint8Array,
    imports: Record<string, Record<string, unknown>>,
  ): Promise<{ instance: { exports: Record<string, unknown> } }>;
  RuntimeError: new () => Error;
}

const webAssembly = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

/** The engine reports a Rust panic's message here just before it traps. */
const panicRegistry = {
  message: "",
  set_message(message: string) {
    panicRegistry.message = message;
  },
};

let bindingsLoaded: Promise<typeof engineBindings> | undefined;

/**
 * Instantiates the engine's WebAssembly module once per process, the way Prisma's CLI does: the package's own
 * entry point imports the .wasm file as an ES module, which Node 20 cannot do without a flag.
 */
function loadEngineBindings(): Promise<typeof engineBindings> {
  bindingsLoaded ??= (async () => {
    (globalThis as { PRISMA_WASM_PANIC_REGISTRY?: unknown }).PRISMA_WASM_PANIC_REGISTRY ??= panicRegistry;
    const bindingsPath = createRequire(import.meta.url).resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const bytes = await readFile(bindingsPath.replace(/\.js$/, ".wasm"));
    const { instance } = await webAssembly.instantiate(bytes, { "./schema_engine_bg.js": withUnrefTimers() });
    engineBindings.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return engineBindings;
  })();
  return bindingsLoaded;
}

/**
 * The engine arms a 10 s timer around taking its advisory lock and never clears it, which would keep a CLI or a
 * test worker alive 10 s after the work is done. Its timers guard work that holds connections open anyway, so
 * they need not keep the process alive themselves.
 */
function withUnrefTimers(): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(engineBindings).map(([name, binding]) => [
      name,
      name.startsWith("__wbg_setTimeout_")
        ? (callback: () => void, milliseconds: number) => setTimeout(callback, milliseconds >>> 0).unref()
        : binding,
    ]),
  );
}

import type { KV, KvWatchEntry } from "@nats-io/kv";

export interface WatchBucketOptions {
  /** How long to wait for the current values before giving up; default 10 s. */
  loadTimeoutMs?: number;
  /** Named in the timeout error ("session revocations", "live offers"). */
  what: string;
  /** Told when the watch fails after loading (before it, watchBucket rejects instead). */
  onError?: (error: unknown) => void;
}

/**
 * Mirrors a KV bucket into memory: `apply` gets the current value of every key first, then each change as it
 * happens. Resolves once the current values are all applied — so a reader started now never answers from a
 * half-loaded copy — and returns how to stop watching.
 */
export async function watchBucket(
  kv: KV,
  apply: (entry: KvWatchEntry) => void,
  options: WatchBucketOptions,
): Promise<{ stop(): void }> {
  const watcher = await kv.watch();
  const pending = (await kv.status()).values;
  const timeoutMs = options.loadTimeoutMs ?? 10_000;
  let loaded = false;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${options.what} not loaded in ${timeoutMs} ms`)), timeoutMs);
    const done = () => {
      loaded = true;
      clearTimeout(timer);
      resolve();
    };
    if (pending === 0) done();
    void (async () => {
      for await (const entry of watcher) {
        apply(entry);
        // The watch first replays the last value of every key; delta 0 marks the last of them.
        if (entry.delta === 0) done();
      }
    })().catch((error: unknown) => {
      clearTimeout(timer);
      if (loaded) options.onError?.(error);
      reject(error as Error);
    });
  }).catch((error: unknown) => {
    watcher.stop();
    throw error;
  });
  return { stop: () => watcher.stop() };
}

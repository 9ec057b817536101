import { describe, expect, it } from "vitest";
import { Batcher, type BatchOutcome } from "./batcher.js";

/** A run that records each batch and answers when released (or at once). */
function recordingRun(options: { held?: boolean } = {}) {
  const batches: number[][] = [];
  const releases: Array<() => void> = [];
  const run = async (items: number[]): Promise<Array<BatchOutcome<string>>> => {
    batches.push(items);
    if (options.held) await new Promise<void>((release) => releases.push(release));
    return items.map((n) => (n < 0 ? { ok: false, error: new Error(`negative ${n}`) } : { ok: true, value: `#${n}` }));
  };
  return { run, batches, releases };
}

describe("Batcher", () => {
  it("sends what is asked in one turn as one batch, each caller getting its own answer", async () => {
    const { run, batches } = recordingRun();
    const batcher = new Batcher(run, { maxItems: 10 });
    const answers = await Promise.all([1, 2, 3].map((n) => batcher.add(n)));
    expect(answers).toEqual(["#1", "#2", "#3"]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it("fails only the item the batch says failed", async () => {
    const batcher = new Batcher(recordingRun().run, { maxItems: 10 });
    const settled = await Promise.allSettled([batcher.add(1), batcher.add(-2), batcher.add(3)]);
    expect(settled.map((s) => s.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((settled[1] as PromiseRejectedResult).reason).toEqual(new Error("negative -2"));
  });

  it("fails every item of a batch whose run throws, and goes on with the next", async () => {
    let calls = 0;
    const batcher = new Batcher<number, number>(
      async (items) => {
        calls += 1;
        if (calls === 1) throw new Error("database gone");
        return items.map((n) => ({ ok: true, value: n * 2 }));
      },
      { maxItems: 10 },
    );
    const first = await Promise.allSettled([batcher.add(1), batcher.add(2)]);
    expect(first.map((s) => s.status)).toEqual(["rejected", "rejected"]);
    expect(await batcher.add(4)).toBe(8);
  });

  it("rejects a batch answered with the wrong number of outcomes", async () => {
    const batcher = new Batcher<number, number>(async () => [{ ok: true, value: 1 }], { maxItems: 10 });
    await expect(Promise.all([batcher.add(1), batcher.add(2)])).rejects.toThrow(/1 outcomes for a batch of 2/);
  });

  it("splits at maxItems", async () => {
    const { run, batches } = recordingRun();
    const batcher = new Batcher(run, { maxItems: 2, maxInFlight: 5 });
    await Promise.all([1, 2, 3, 4, 5].map((n) => batcher.add(n)));
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it("gathers what arrives while maxInFlight batches run into the next batch", async () => {
    const { run, batches, releases } = recordingRun({ held: true });
    const batcher = new Batcher(run, { maxItems: 100, maxInFlight: 1 });
    const first = batcher.add(1);
    await waitUntil(() => batches.length === 1);
    const later = [2, 3, 4].map((n) => batcher.add(n));
    // They wait for the running batch, however many turns pass.
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[1]]);
    releases.shift()!();
    expect(await first).toBe("#1");
    await waitUntil(() => batches.length === 2);
    expect(batches[1]).toEqual([2, 3, 4]);
    releases.shift()!();
    expect(await Promise.all(later)).toEqual(["#2", "#3", "#4"]);
  });

  it("refuses a batch size below one", () => {
    expect(() => new Batcher(recordingRun().run, { maxItems: 0 })).toThrow(/maxItems/);
  });
});

/** Yields turns of the event loop until the condition holds (the batcher sends at the end of a turn). */
async function waitUntil(condition: () => boolean): Promise<void> {
  for (let turn = 0; turn < 100 && !condition(); turn++) await new Promise((resolve) => setImmediate(resolve));
  expect(condition()).toBe(true);
}

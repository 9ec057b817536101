import { describe, expect, it } from "vitest";
import { GroupCommit } from "./group-commit.js";

/** A write that stays open until the test finishes it, recording what it was given. */
function controlledWrites() {
  const writes: Array<{ items: number[]; finish: (error?: Error) => void }> = [];
  const write = (items: number[]) =>
    new Promise<void>((resolve, reject) => {
      writes.push({ items, finish: (error) => (error ? reject(error) : resolve()) });
    });
  return { writes, write };
}

describe("GroupCommit", () => {
  it("writes the first item at once and everything that arrives meanwhile in one next write", async () => {
    const { writes, write } = controlledWrites();
    const group = new GroupCommit(write);
    const done: number[] = [];
    const first = group.add(1).then(() => done.push(1));
    expect(writes.map((w) => w.items)).toEqual([[1]]);

    const later = [2, 3, 4].map((item) => group.add(item).then(() => done.push(item)));
    expect(writes).toHaveLength(1); // one write at a time
    writes[0]!.finish();
    await first;
    expect(done).toEqual([1]);
    await expect.poll(() => writes.length).toBe(2);
    expect(writes[1]!.items).toEqual([2, 3, 4]);
    writes[1]!.finish();
    await Promise.all(later);
    expect(done).toEqual([1, 2, 3, 4]);
  });

  it("writes again, with what arrived meanwhile, the items of a failed write that are still worth it", async () => {
    const { writes, write } = controlledWrites();
    const retries: number[] = [];
    const group = new GroupCommit(write, {
      backoff: { initialMs: 1, maxMs: 1 },
      stillWorthIt: (item) => item !== 2,
      onRetry: (_error, items) => retries.push(items),
    });
    const kept = group.add(1);
    const dropped = group.add(2);
    writes[0]!.finish(new Error("no connection"));
    await expect.poll(() => writes.length).toBe(2);
    // 2 was waiting behind the failed write: it goes with the retried 1, and is given up when that fails too.
    expect(writes[1]!.items).toEqual([1, 2]);
    const failure = new Error("still none");
    writes[1]!.finish(failure);
    await expect(dropped).rejects.toBe(failure);
    const later = group.add(3);
    await expect.poll(() => writes.length).toBe(3);
    expect(writes[2]!.items).toEqual([1, 3]);
    writes[2]!.finish();
    await expect(Promise.all([kept, later])).resolves.toEqual([undefined, undefined]);
    expect(retries).toEqual([1, 1]);
  });

  it("fails every item of a failed write, and writes the next ones again", async () => {
    const { writes, write } = controlledWrites();
    const group = new GroupCommit(write);
    const lost = [group.add(1), group.add(2)];
    const failure = new Error("database gone");
    writes[0]!.finish(failure);
    await expect(lost[0]).rejects.toBe(failure);
    await expect.poll(() => writes.length).toBe(2);
    writes[1]!.finish(failure);
    await expect(lost[1]).rejects.toBe(failure);

    const next = group.add(3);
    await expect.poll(() => writes.length).toBe(3);
    expect(writes[2]!.items).toEqual([3]);
    writes[2]!.finish();
    await expect(next).resolves.toBeUndefined();
  });
});

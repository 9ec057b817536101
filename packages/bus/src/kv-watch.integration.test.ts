import { Kvm } from "@nats-io/kv";
import { connect } from "@nats-io/transport-node";
import { uniqueSuffix } from "@omnihall/testkit";
import { describe, expect, inject, it, onTestFinished } from "vitest";
import { watchBucket } from "./kv-watch.js";

describe("watchBucket", () => {
  it("resolves only once every current value is applied, then follows changes until stopped", async () => {
    const nc = await connect({ servers: inject("natsUrl") });
    const kv = await new Kvm(nc).create(`test-watch-${uniqueSuffix()}`, { history: 1 });
    onTestFinished(async () => {
      await kv.destroy();
      await nc.close();
    });
    for (let i = 0; i < 50; i += 1) await kv.put(`k${i}`, String(i));
    await kv.delete("k0");

    const mirror = new Map<string, string>();
    const watch = await watchBucket(
      kv,
      (entry) => (entry.operation === "PUT" ? mirror.set(entry.key, entry.string()) : mirror.delete(entry.key)),
      { what: "test values" },
    );
    expect(mirror.size).toBe(49);
    expect(mirror.get("k49")).toBe("49");

    await kv.put("k1", "changed");
    await expect.poll(() => mirror.get("k1"), { timeout: 2_000, interval: 10 }).toBe("changed");
    watch.stop();
    await kv.put("k2", "after stop");
    await kv.put("marker", "x");
    // A second watcher sees the marker; the stopped one never does.
    const second = new Map<string, string>();
    const check = await watchBucket(kv, (entry) => second.set(entry.key, entry.string()), { what: "test values" });
    onTestFinished(() => check.stop());
    expect(second.get("marker")).toBe("x");
    expect(mirror.get("k2")).toBe("2");
  });

  it("resolves at once on an empty bucket", async () => {
    const nc = await connect({ servers: inject("natsUrl") });
    const kv = await new Kvm(nc).create(`test-watch-${uniqueSuffix()}`, { history: 1 });
    onTestFinished(async () => {
      await kv.destroy();
      await nc.close();
    });
    const watch = await watchBucket(kv, () => {}, { what: "nothing", loadTimeoutMs: 2_000 });
    watch.stop();
  });
});

import { describe, expect, it } from "vitest";
import { newEventId } from "./event-id.js";

describe("newEventId", () => {
  it("is evt_ and a lowercase ULID", () => {
    expect(newEventId()).toMatch(/^evt_[0-9a-hjkmnp-tv-z]{26}$/);
  });

  it("keeps increasing within one millisecond and when the clock steps back", () => {
    const now = Date.now() + 60_000;
    const ids = [newEventId(now), newEventId(now), newEventId(now), newEventId(now - 5_000), newEventId(now + 1)];
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it("sorts by creation time across milliseconds", () => {
    const earlier = newEventId(Date.now() + 120_000);
    const later = newEventId(Date.now() + 120_001);
    expect(earlier < later).toBe(true);
    expect(later.slice(4, 14)).not.toBe(earlier.slice(4, 14));
  });
});

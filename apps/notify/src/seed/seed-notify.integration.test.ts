import { describe, expect, it } from "vitest";
import { currentConsentState } from "../consent/consent-state.js";
import { notifyTestDatabase } from "../testing/sms-fixture.js";
import { demoConsentingSubscribers, seedNotify } from "./seed-notify.js";

describe("seedNotify", () => {
  it("records demo consent once, however often it runs", async () => {
    const { url, db } = await notifyTestDatabase();
    const consenting = demoConsentingSubscribers();
    expect(await seedNotify(url)).toEqual({ consents: consenting.length });
    expect(await seedNotify(url)).toEqual({ consents: 0 });
    expect(await currentConsentState(db, consenting[0]!)).toBe("GRANTED");
    expect(await currentConsentState(db, "sub_demo000002")).toBe("NONE");
  });
});

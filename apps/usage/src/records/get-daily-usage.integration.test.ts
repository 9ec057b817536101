import type { ServiceCallError } from "@omnihall/channel-client";
import { describe, expect, it, vi } from "vitest";
import { KB, monthly, product, SECONDS, startUsageHarness, unique, usage } from "../testing/usage-harness.js";

const HOUR = 3600_000;
/** The calendar day of an instant in a zone, computed independently of the service (Intl, not SQL). */
const dayIn = (timeZone: string, time: Date) => new Intl.DateTimeFormat("en-CA", { timeZone }).format(time);

describe("GetDailyUsage", () => {
  it("adds usage up per day of the subscriber's time zone and unit, newest first, within the asked days", async () => {
    const usageService = await startUsageHarness();
    const subscriberId = `sub_${unique()}`;
    // Tokyo is UTC+9: an instant's day there is often not its UTC day, so a UTC grouping would fail here.
    const timeZone = "Asia/Tokyo";
    await usageService.activate(product(subscriberId, [monthly(KB, 10_000n)], { subscriberTimeZone: timeZone }));
    await vi.waitFor(() => usageService.client.getUsageSummary({ subscriberId, asOfTime: undefined }), {
      timeout: 10_000,
      interval: 50,
    });
    const now = Date.now();
    const times = [now - 60_000, now - 2 * 60_000, now - 30 * HOUR, now - 30 * HOUR - 60_000, now - 80 * HOUR];
    await usageService.client.ingestUsage({
      requestId: `req-${unique()}`,
      records: [
        usage(subscriberId, KB, 100n, { usageTime: new Date(times[0]!) }),
        usage(subscriberId, KB, 50n, { usageTime: new Date(times[1]!), roamingCountryCode: "JP", provinceCode: "" }),
        usage(subscriberId, SECONDS, 90n, { usageTime: new Date(times[1]!) }),
        usage(subscriberId, KB, 7n, { usageTime: new Date(times[2]!) }),
        usage(subscriberId, KB, 3n, { usageTime: new Date(times[3]!) }),
        usage(subscriberId, KB, 1000n, { usageTime: new Date(times[4]!) }),
      ],
    });

    // Expected totals, grouped by the Tokyo day of each record (two records may share or split a day).
    const expected = new Map<string, { quantity: bigint; roaming: bigint }>();
    const add = (time: number, unit: number, quantity: bigint, roaming = 0n) => {
      const key = `${dayIn(timeZone, new Date(time))} ${unit}`;
      const sum = expected.get(key) ?? { quantity: 0n, roaming: 0n };
      expected.set(key, { quantity: sum.quantity + quantity, roaming: sum.roaming + roaming });
    };
    add(times[0]!, KB, 100n);
    add(times[1]!, KB, 50n, 50n);
    add(times[1]!, SECONDS, 90n);
    add(times[2]!, KB, 7n);
    add(times[3]!, KB, 3n);
    add(times[4]!, KB, 1000n);

    const report = await usageService.client.getDailyUsage({ subscriberId, days: 31 });
    expect(report.timeZone).toBe(timeZone);
    const got = new Map(
      report.days.map((d) => [`${d.date} ${d.unit}`, { quantity: d.quantity, roaming: d.roamingQuantity }]),
    );
    expect(got).toEqual(expected);
    const dates = report.days.map((d) => d.date);
    expect(dates).toEqual([...dates].sort().reverse());

    // days = 2: today and yesterday in Tokyo only; the record 80 hours ago is at least 3 days back.
    const recent = await usageService.client.getDailyUsage({ subscriberId, days: 2 });
    const today = dayIn(timeZone, new Date(now));
    const yesterday = dayIn(timeZone, new Date(now - 24 * HOUR));
    expect(recent.days.every((d) => d.date === today || d.date === yesterday)).toBe(true);
    expect(recent.days.some((d) => d.quantity === 1000n)).toBe(false);

    const reason = (promise: Promise<unknown>) =>
      promise.then(
        () => "OK",
        (error: ServiceCallError) => `${error.code} ${error.reason}`,
      );
    expect(await reason(usageService.client.getDailyUsage({ subscriberId, days: 93 }))).toBe("3 DAYS_INVALID");
    expect(await reason(usageService.client.getDailyUsage({ subscriberId: "bob", days: 1 }))).toBe(
      "3 SUBSCRIBER_ID_MALFORMED",
    );
    expect(await reason(usageService.client.getDailyUsage({ subscriberId: `sub_${unique()}`, days: 1 }))).toBe(
      "5 SUBSCRIBER_NOT_FOUND",
    );
  });
});

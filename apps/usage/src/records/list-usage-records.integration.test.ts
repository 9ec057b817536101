import { describe, expect, it, vi } from "vitest";
import type { ServiceCallError } from "@omnihall/channel-client";
import { KB, monthly, product, SMS, startUsageHarness, unique, usage } from "../testing/usage-harness.js";

describe("ListUsageRecords and GetUsageSummary", () => {
  it("pages a subscriber's records newest first, by unit and time range", async () => {
    const usageService = await startUsageHarness();
    const subscriberId = `sub_${unique()}`;
    await usageService.activate(product(subscriberId, [monthly(KB, 1000n)]));
    await vi.waitFor(() => usageService.client.getUsageSummary({ subscriberId, asOfTime: undefined }), {
      timeout: 10_000,
      interval: 50,
    });
    const base = Date.now() - 10 * 60_000;
    const records = Array.from({ length: 7 }, (_, i) =>
      usage(subscriberId, KB, BigInt(i + 1), { usageTime: new Date(base + i * 1000) }),
    );
    await usageService.client.ingestUsage({
      requestId: `req-${unique()}`,
      records: [...records, usage(subscriberId, SMS, 1n, { usageTime: new Date(base + 500) })],
    });

    const filters = { subscriberId, startTime: new Date(base - 1), endTime: undefined, unit: KB };
    const pages: string[][] = [];
    let pageToken = "";
    do {
      const page = await usageService.client.listUsageRecords({ ...filters, pageSize: 3, pageToken });
      pages.push(page.records.map((r) => r.recordId));
      pageToken = page.nextPageToken;
    } while (pageToken);
    expect(pages).toEqual([
      [records[6]!.recordId, records[5]!.recordId, records[4]!.recordId],
      [records[3]!.recordId, records[2]!.recordId, records[1]!.recordId],
      [records[0]!.recordId],
    ]);

    const all = await usageService.client.listUsageRecords({ ...filters, unit: 0, pageSize: 0, pageToken: "" });
    expect(all.records).toHaveLength(8);
    expect(all.records[0]).toMatchObject({ subscriberId, unit: KB, quantity: 7n, provinceCode: "GD" });
    expect(all.records[0]!.ingestTime).toBeInstanceOf(Date);

    const first = await usageService.client.listUsageRecords({ ...filters, pageSize: 3, pageToken: "" });
    const reason = (promise: Promise<unknown>) =>
      promise.then(
        () => "OK",
        (error: ServiceCallError) => `${error.code} ${error.reason}`,
      );
    expect(
      await reason(
        usageService.client.listUsageRecords({ ...filters, unit: SMS, pageSize: 3, pageToken: first.nextPageToken }),
      ),
    ).toBe("3 PAGE_TOKEN_INVALID");
    expect(await reason(usageService.client.listUsageRecords({ ...filters, pageSize: -1, pageToken: "" }))).toBe(
      "3 PAGE_SIZE_INVALID",
    );
    expect(
      await reason(
        usageService.client.listUsageRecords({
          ...filters,
          endTime: new Date(base - 1000),
          pageSize: 3,
          pageToken: "",
        }),
      ),
    ).toBe("3 TIME_RANGE_INVALID");
    expect(
      await reason(
        usageService.client.listUsageRecords({ ...filters, subscriberId: "bob", pageSize: 3, pageToken: "" }),
      ),
    ).toBe("3 SUBSCRIBER_ID_MALFORMED");
    expect(
      await reason(usageService.client.getUsageSummary({ subscriberId: `sub_${unique()}`, asOfTime: undefined })),
    ).toBe("5 SUBSCRIBER_NOT_FOUND");
    expect(await reason(usageService.client.getUsageSummary({ subscriberId: "sub_", asOfTime: undefined }))).toBe(
      "3 SUBSCRIBER_ID_MALFORMED",
    );
  });
});

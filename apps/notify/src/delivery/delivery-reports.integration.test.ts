import { describe, expect, it } from "vitest";
import { newId } from "@omnihall/ids";
import { notifyTestDatabase } from "../testing/sms-fixture.js";
import { deliveryReportRecorder, recordDeliveryReports } from "./delivery-reports.js";

describe("delivery reports, group-committed", () => {
  it("applies the reports of stored parts, keeps the rest waiting with their trace, newest report per part", async () => {
    const { db } = await notifyTestDatabase();
    const messageId = newId("msg");
    await db.message.create({
      data: {
        id: messageId,
        dedupeKey: messageId,
        requestHash: "",
        subscriberId: newId("sub"),
        msisdn: "13800138000",
        timeZone: "Asia/Shanghai",
        kind: "SERVICE",
        templateCode: "TEST",
        languageCode: "zh-CN",
        text: "两段",
        sender: "10086",
        channel: 1,
        status: "SENT",
        nextAttemptAt: new Date(),
        parts: {
          create: [
            { sequence: 1, providerMessageId: "p1", status: "SENT" },
            { sequence: 2, providerMessageId: "p2", status: "SENT" },
          ],
        },
      },
    });
    const trace = { recipient: "13900139000", reference: "4242" };
    // One group: part 1 reported twice (the newer wins), part 2 delivered, and a receipt for a part never stored.
    await recordDeliveryReports(db, [
      { providerMessageId: "p1", status: "UNDELIVERABLE", errorCode: "011" },
      { providerMessageId: "p1", status: "DELIVERED" },
      { providerMessageId: "p2", status: "DELIVERED" },
      { providerMessageId: "orphan", status: "DELIVERED", trace },
    ]);
    const message = await db.message.findUniqueOrThrow({ where: { id: messageId }, include: { parts: true } });
    expect(message.status).toBe("DELIVERED");
    expect(message.parts.map((part) => part.status)).toEqual(["DELIVERED", "DELIVERED"]);
    expect(
      await db.deliveryReport.findMany({ select: { providerMessageId: true, recipient: true, reference: true } }),
    ).toEqual([{ providerMessageId: "orphan", ...trace }]);
  });

  it("records a burst of reports on a small pool, each one answered once it is stored", async () => {
    const { db } = await notifyTestDatabase(2);
    const record = deliveryReportRecorder(db);
    const reports = Array.from({ length: 200 }, (_, i) => ({
      providerMessageId: `r${i}`,
      status: "DELIVERED" as const,
    }));
    // 200 at once on a pool of 2: grouped, a burst needs a transaction or two, not a connection each.
    await Promise.all(reports.map((report) => record(report)));
    expect(await db.deliveryReport.count()).toBe(200);
  });
});

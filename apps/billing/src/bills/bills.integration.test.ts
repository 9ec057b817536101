import { status } from "@grpc/grpc-js";
import { ServiceCallError } from "@omnihall/channel-client";
import { demoSubscribers } from "@omnihall/demo-data";
import { BillLineKind } from "@omnihall/proto/omnihall/billing/v1/billing";
import { describe, expect, it } from "vitest";
import { seedBilling } from "../seed.js";
import { billingUnderTest } from "../testing/billing-under-test.js";

const rejection = (call: Promise<unknown>) =>
  call.then(
    () => expect.fail("the call succeeded"),
    (e: unknown) => e as ServiceCallError,
  );

describe("bills", () => {
  it("list newest first in pages, and show one bill with its lines only to its subscriber", async () => {
    const billing = await billingUnderTest();
    expect(await seedBilling(billing.db, { subscribers: 2, now: new Date("2026-11-22T00:00:00Z") })).toBe(true);
    expect(await seedBilling(billing.db, { subscribers: 2 })).toBe(false);
    const [alice, bob] = demoSubscribers(2);
    billing.knowSubscriber(alice!.subscriberId, alice!.msisdn);
    billing.knowSubscriber(bob!.subscriberId, bob!.msisdn);

    const first = await billing.client.listBills({ subscriberId: alice!.subscriberId, pageSize: 4, pageToken: "" });
    expect(first.bills.map((b) => b.billingMonth)).toEqual(["2026-10", "2026-09", "2026-08", "2026-07"]);
    expect(first.bills[0]!.lines).toEqual([]);
    const second = await billing.client.listBills({
      subscriberId: alice!.subscriberId,
      pageSize: 4,
      pageToken: first.nextPageToken,
    });
    expect(second.bills.map((b) => b.billingMonth)).toEqual(["2026-06", "2026-05"]);
    expect(second.nextPageToken).toBe("");

    const { bill } = await billing.client.getBill({
      subscriberId: alice!.subscriberId,
      billId: first.bills[0]!.billId,
    });
    expect(bill!.lines[0]!.kind).toBe(BillLineKind.BILL_LINE_KIND_PLAN_FEE);
    expect(bill!.lines.reduce((sum, l) => sum + l.amountFen, 0n)).toBe(bill!.totalFen);

    const someoneElses = await rejection(
      billing.client.getBill({ subscriberId: bob!.subscriberId, billId: bill!.billId }),
    );
    expect(someoneElses).toMatchObject({ code: status.NOT_FOUND, reason: "BILL_NOT_FOUND" });
    // Logged in as Alice, asking for Bob's bills: refused whatever the request says.
    const asAlice = { party: billing.asSubscriber(alice!.subscriberId) };
    for (const call of [
      billing.client.listBills({ subscriberId: bob!.subscriberId, pageSize: 4, pageToken: "" }, asAlice),
      billing.client.getBill({ subscriberId: bob!.subscriberId, billId: bill!.billId }, asAlice),
      billing.client.getBalance({ subscriberId: bob!.subscriberId }, asAlice),
      billing.client.listPayments({ subscriberId: bob!.subscriberId, pageSize: 0, pageToken: "" }, asAlice),
      billing.client.listCharges({ subscriberId: bob!.subscriberId, orderId: "", pageSize: 0, pageToken: "" }, asAlice),
    ]) {
      expect(await rejection(call)).toMatchObject({ code: status.PERMISSION_DENIED, reason: "OUTSIDE_PARTY_SCOPE" });
    }
    const otherFilters = await rejection(
      billing.client.listBills({ subscriberId: bob!.subscriberId, pageSize: 4, pageToken: first.nextPageToken }),
    );
    expect(otherFilters).toMatchObject({ code: status.INVALID_ARGUMENT, reason: "PAGE_TOKEN_INVALID" });
    expect(
      await rejection(billing.client.listBills({ subscriberId: alice!.subscriberId, pageSize: -1, pageToken: "" })),
    ).toMatchObject({
      reason: "PAGE_SIZE_INVALID",
    });
    expect(await rejection(billing.client.getBill({ subscriberId: alice!.subscriberId, billId: "x" }))).toMatchObject({
      reason: "BILL_ID_MALFORMED",
    });
  });

  it("are not served to unknown callers", async () => {
    const billing = await billingUnderTest();
    const { createServiceClient } = await import("@omnihall/channel-client");
    const { BillingServiceClient } = await import("@omnihall/proto/omnihall/billing/v1/billing");
    const intruder = createServiceClient(BillingServiceClient, {
      address: `127.0.0.1:${billing.service.port}`,
      caller: "web-hall",
      credential: "a-key-that-nobody-issued",
    });
    const error = await rejection(intruder.listBills({ subscriberId: "sub_demo000001", pageSize: 0, pageToken: "" }));
    expect(error.code).toBe(status.UNAUTHENTICATED);
    intruder.close();
  });
});

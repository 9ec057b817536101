import { status } from "@grpc/grpc-js";
import { createServiceClient } from "@omnihall/channel-client";
import { developmentCallerKey } from "@omnihall/config";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { CustomerServiceClient } from "@omnihall/proto/omnihall/customer/v1/customer";
import {
  AccountOpeningServiceClient,
  AccountOpeningState,
  type OpenAccountRequest,
} from "@omnihall/proto/omnihall/orders/v1/account_opening";
import type { ActingParty } from "@omnihall/service-kit";
import { uniqueSuffix } from "@omnihall/testkit";
import { describe, expect, it, onTestFinished } from "vitest";
import { expectCallError } from "../testing/expectations.js";
import { startOrdersHarness, type OrdersHarness } from "../testing/orders-harness.js";
import { withIdCheckCharacter, withLuhnDigit } from "./identity-checks.js";

const SHENZHEN_AGENT: ActingParty = {
  kind: "agent",
  agentId: "agt_sz_1",
  territory: { provinceCode: "GD", city: "深圳" },
};
const OTHER_AGENT: ActingParty = {
  kind: "agent",
  agentId: "agt_sz_2",
  territory: { provinceCode: "GD", city: "深圳" },
};

function openingClient(harness: OrdersHarness, caller = "mini-hall") {
  const client = createServiceClient(AccountOpeningServiceClient, {
    address: harness.address,
    caller,
    credential: developmentCallerKey(caller),
    defaultDeadlineMs: 20_000,
  });
  onTestFinished(() => client.close());
  return client;
}

async function freeNumbers(harness: OrdersHarness, count: number): Promise<string[]> {
  const { numbers } = await harness.catalog.listAvailableNumbers({
    provinceCode: "GD",
    pattern: "",
    pageSize: count,
    pageToken: "",
  });
  return numbers.map((number) => number.msisdn);
}

const photo = { contentType: "image/jpeg", content: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]) };

function opening(number: string, overrides: Partial<OpenAccountRequest> = {}): OpenAccountRequest {
  return {
    requestId: `device-key-${uniqueSuffix()}`,
    channel: Channel.CHANNEL_UNSPECIFIED,
    identity: { name: "张三", idNumber: withIdCheckCharacter("44030519900307123"), address: "深圳市南山区科技园 1 号" },
    idPhoto: photo,
    number,
    iccid: withLuhnDigit("8986001912345678901"),
    planCode: "PLAN_5G_59",
    provinceCode: "",
    city: "",
    ...overrides,
  };
}

const wrongLuhn = (iccid: string) => iccid.slice(0, -1) + String((Number(iccid.at(-1)) + 1) % 10);

describe("AccountOpeningService", () => {
  it("opens an account once per request id: the subscriber on the number, the number sold, the photo kept", async () => {
    const harness = await startOrdersHarness();
    const client = openingClient(harness);
    const [number] = await freeNumbers(harness, 1);
    const request = opening(number!);

    // The device replays its queued opening several times at once (a flapping network), then once more.
    const answers = await Promise.all([1, 2, 3].map(() => client.openAccount(request, { party: SHENZHEN_AGENT })));
    const again = await client.openAccount(request, { party: SHENZHEN_AGENT });
    const opened = again.accountOpening!;
    expect(opened).toMatchObject({
      state: AccountOpeningState.ACCOUNT_OPENING_STATE_OPENED,
      number,
      agentId: "agt_sz_1",
      provinceCode: "GD",
      city: "深圳",
      channel: Channel.CHANNEL_MINI_HALL,
      idPhotoSize: photo.content.length,
    });
    expect(opened.idNumberMasked).toMatch(/^440305\*{8}\d{3}[\dX]$/);
    for (const answer of answers) expect(answer.accountOpening?.accountOpeningId).toBe(opened.accountOpeningId);
    expect(await harness.db.accountOpening.count()).toBe(1);

    const customer = createServiceClient(CustomerServiceClient, {
      address: harness.customerAddress,
      caller: "orders",
      credential: developmentCallerKey("orders"),
    });
    onTestFinished(() => customer.close());
    const { subscriber } = await customer.getSubscriber({ msisdn: number! });
    expect(subscriber).toMatchObject({ subscriberId: opened.subscriberId, displayName: "张三", provinceCode: "GD" });

    // The number has left the pool.
    const { numbers } = await harness.catalog.listAvailableNumbers({
      provinceCode: "GD",
      pattern: number!.slice(-8),
      pageSize: 100,
      pageToken: "",
    });
    expect(numbers.map((free) => free.msisdn)).not.toContain(number);
    const stored = await harness.db.accountOpeningPhoto.findUniqueOrThrow({
      where: { openingId: opened.accountOpeningId },
    });
    expect(Buffer.from(stored.content)).toEqual(Buffer.from(photo.content));
  });

  it("says why a number taken meanwhile fails, and answers every replay the same", async () => {
    const harness = await startOrdersHarness();
    const client = openingClient(harness);
    const [number] = await freeNumbers(harness, 1);
    await client.openAccount(opening(number!), { party: OTHER_AGENT });

    const late = opening(number!);
    const refused = await expectCallError(
      client.openAccount(late, { party: SHENZHEN_AGENT }),
      status.FAILED_PRECONDITION,
      "NUMBER_NOT_AVAILABLE",
    );
    expect(refused.messages["zh-CN"]).toContain("另选号码");
    await expectCallError(
      client.openAccount(late, { party: SHENZHEN_AGENT }),
      status.FAILED_PRECONDITION,
      "NUMBER_NOT_AVAILABLE",
    );
    const failed = await harness.db.accountOpening.findUniqueOrThrow({ where: { requestId: late.requestId } });
    expect([failed.state, failed.failureReason, failed.subscriberId]).toEqual(["FAILED", "NUMBER_NOT_AVAILABLE", ""]);
  });

  it("refuses bad real-name data with the field and a reason, storing nothing", async () => {
    const harness = await startOrdersHarness();
    const client = openingClient(harness);
    const [number] = await freeNumbers(harness, 1);
    const id = (idNumber: string) => ({ identity: { name: "张三", idNumber, address: "深圳" } });
    const cases: Array<[Partial<OpenAccountRequest>, string]> = [
      [id("440305199003071230"), "ID_NUMBER_CHECKSUM_WRONG"],
      [id("44030519900307"), "ID_NUMBER_MALFORMED"],
      [id(withIdCheckCharacter("44030519990231123")), "ID_NUMBER_BIRTH_DATE_INVALID"],
      [id(withIdCheckCharacter("44030520200101123")), "ID_HOLDER_UNDER_AGE"],
      [
        { identity: { name: " ", idNumber: withIdCheckCharacter("44030519900307123"), address: "深圳" } },
        "NAME_REQUIRED",
      ],
      [{ iccid: wrongLuhn(withLuhnDigit("8986001912345678901")) }, "ICCID_CHECKSUM_WRONG"],
      [{ iccid: "12345" }, "ICCID_MALFORMED"],
      [{ idPhoto: undefined }, "ID_PHOTO_REQUIRED"],
      [{ idPhoto: { contentType: "application/pdf", content: photo.content } }, "ID_PHOTO_TYPE_UNSUPPORTED"],
      [{ idPhoto: { contentType: "image/jpeg", content: Buffer.alloc(600 * 1024) } }, "ID_PHOTO_TOO_LARGE"],
      [{ number: "123" }, "NUMBER_REQUIRED"],
      [{ requestId: "" }, "REQUEST_ID_REQUIRED"],
    ];
    for (const [overrides, reason] of cases) {
      const error = await expectCallError(
        client.openAccount(opening(number!, overrides), { party: SHENZHEN_AGENT }),
        status.INVALID_ARGUMENT,
        reason,
      );
      expect(error.fieldViolations.length, reason).toBeGreaterThan(0);
    }
    expect(await harness.db.accountOpening.count()).toBe(0);
  });

  it("holds agents to their territory and their own openings; a key reused with other data is refused", async () => {
    const harness = await startOrdersHarness();
    const client = openingClient(harness);
    const [first, second] = await freeNumbers(harness, 2);
    await expectCallError(
      client.openAccount(opening(first!, { provinceCode: "ZJ", city: "杭州" }), { party: SHENZHEN_AGENT }),
      status.PERMISSION_DENIED,
      "OUTSIDE_PARTY_SCOPE",
    );
    const request = opening(first!);
    const { accountOpening } = await client.openAccount(request, { party: SHENZHEN_AGENT });
    // The same key from another agent (or with another number) is not a replay of this opening.
    await expectCallError(
      client.openAccount(request, { party: OTHER_AGENT }),
      status.ALREADY_EXISTS,
      "REQUEST_ID_REUSED",
    );
    await expectCallError(
      client.openAccount({ ...request, number: second! }, { party: SHENZHEN_AGENT }),
      status.ALREADY_EXISTS,
      "REQUEST_ID_REUSED",
    );

    const id = accountOpening!.accountOpeningId;
    expect(
      (await client.getAccountOpening({ accountOpeningId: id }, { party: SHENZHEN_AGENT })).accountOpening?.number,
    ).toBe(first);
    await expectCallError(
      client.getAccountOpening({ accountOpeningId: id }, { party: OTHER_AGENT }),
      status.NOT_FOUND,
      "ACCOUNT_OPENING_NOT_FOUND",
    );
    const own = await client.listAccountOpenings(
      { agentId: "", since: undefined, pageSize: 10, pageToken: "" },
      { party: SHENZHEN_AGENT },
    );
    expect(own.accountOpenings.map((listed) => listed.accountOpeningId)).toEqual([id]);
    expect(
      (
        await client.listAccountOpenings(
          { agentId: "", since: undefined, pageSize: 10, pageToken: "" },
          { party: OTHER_AGENT },
        )
      ).accountOpenings,
    ).toEqual([]);
    await expectCallError(
      client.listAccountOpenings(
        { agentId: "agt_sz_1", since: undefined, pageSize: 10, pageToken: "" },
        { party: OTHER_AGENT },
      ),
      status.PERMISSION_DENIED,
      "OUTSIDE_PARTY_SCOPE",
    );
    // Subscriber halls other than the handheld do not open accounts.
    await expectCallError(
      openingClient(harness, "web-hall").openAccount(opening(second!)),
      status.PERMISSION_DENIED,
      "CALLER_NOT_ALLOWED",
    );
  });

  it("refuses a plan no longer on sale", async () => {
    const harness = await startOrdersHarness();
    const client = openingClient(harness);
    const [number] = await freeNumbers(harness, 1);
    await expectCallError(
      client.openAccount(opening(number!, { planCode: "PLAN_GONE" }), { party: SHENZHEN_AGENT }),
      status.FAILED_PRECONDITION,
      "OFFERING_NOT_AVAILABLE",
    );
  });
});

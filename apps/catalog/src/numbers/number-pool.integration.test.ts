import { setTimeout as sleep } from "node:timers/promises";
import { status } from "@grpc/grpc-js";
import { ServiceCallError } from "@omnihall/channel-client";
import {
  ListAvailableNumbersRequest,
  ReservationState,
  type PoolNumber,
} from "@omnihall/proto/omnihall/catalog/v1/catalog";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { uniqueSuffix } from "@omnihall/testkit";
import { describe, expect, it } from "vitest";
import { startTestCatalog, type TestCatalog } from "../testing.js";

async function failure(call: Promise<unknown>): Promise<ServiceCallError> {
  const error = await call.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ServiceCallError);
  return error as ServiceCallError;
}

const KIOSK = Channel.CHANNEL_KIOSK;

async function available(catalog: TestCatalog, request: Partial<ListAvailableNumbersRequest>): Promise<PoolNumber[]> {
  const numbers: PoolNumber[] = [];
  let pageToken = "";
  do {
    const page = await catalog.client.listAvailableNumbers(
      ListAvailableNumbersRequest.fromPartial({ pageSize: 100, ...request, pageToken }),
    );
    numbers.push(...page.numbers);
    pageToken = page.nextPageToken;
  } while (pageToken);
  return numbers;
}

async function anyFreeNumber(catalog: TestCatalog, provinceCode = "GD"): Promise<string> {
  const page = await catalog.client.listAvailableNumbers(
    ListAvailableNumbersRequest.fromPartial({ provinceCode, pageSize: 1 }),
  );
  return page.numbers[0]!.msisdn;
}

describe("number pool over gRPC", () => {
  it("lists a province's free numbers in order, by pattern, page by page", async () => {
    const catalog = await startTestCatalog();
    const all = await available(catalog, { provinceCode: "ZJ" });
    expect(all.length).toBeGreaterThan(150);
    expect(all.every((number) => number.provinceCode === "ZJ")).toBe(true);
    expect(all.map((number) => number.msisdn)).toEqual(all.map((number) => number.msisdn).sort());

    const lucky = await available(catalog, { provinceCode: "ZJ", pattern: "8888" });
    expect(lucky.length).toBeGreaterThan(0);
    expect(lucky.every((number) => number.msisdn.endsWith("8888") && number.selectionFeeFen === 200_000n)).toBe(true);
    const prefix = all[0]!.msisdn.slice(0, 3);
    const byPrefix = await available(catalog, { provinceCode: "ZJ", pattern: `${prefix}*` });
    expect(byPrefix).toEqual(all.filter((number) => number.msisdn.startsWith(prefix)));

    expect(
      (await failure(catalog.client.listAvailableNumbers(ListAvailableNumbersRequest.fromPartial({})))).reason,
    ).toBe("PROVINCE_CODE_REQUIRED");
    const badPattern = await failure(
      catalog.client.listAvailableNumbers(
        ListAvailableNumbersRequest.fromPartial({ provinceCode: "ZJ", pattern: "8%" }),
      ),
    );
    expect([badPattern.code, badPattern.reason]).toEqual([status.INVALID_ARGUMENT, "NUMBER_PATTERN_INVALID"]);
  });

  it("lets exactly one of twenty concurrent reservations of a number win", async () => {
    const catalog = await startTestCatalog();
    const msisdn = await anyFreeNumber(catalog);
    const attempts = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        catalog.client.reserveNumber({ requestId: `race-${i}-${uniqueSuffix()}`, msisdn, channel: KIOSK }),
      ),
    );
    const winners = attempts.filter((attempt) => attempt.status === "fulfilled");
    const losers = attempts.flatMap((attempt) => (attempt.status === "rejected" ? [attempt.reason] : []));
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(19);
    for (const loser of losers) {
      expect(loser).toBeInstanceOf(ServiceCallError);
      expect([loser.code, loser.reason]).toEqual([status.FAILED_PRECONDITION, "NUMBER_NOT_AVAILABLE"]);
    }
    const listed = await available(catalog, { provinceCode: "GD", pattern: msisdn });
    expect(listed).toEqual([]);
  });

  it("answers a retried reservation with the first one, even when the retries race", async () => {
    const catalog = await startTestCatalog();
    const msisdn = await anyFreeNumber(catalog);
    const requestId = `reserve-${uniqueSuffix()}`;
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => catalog.client.reserveNumber({ requestId, msisdn, channel: KIOSK })),
    );
    expect(new Set(answers.map((answer) => answer.reservation!.reservationId)).size).toBe(1);
    const other = await failure(catalog.client.reserveNumber({ requestId, msisdn: "13900000001", channel: KIOSK }));
    expect(other.reason).toBe("REQUEST_ID_REUSED");
  });

  it("frees the number by itself when the reservation expires", async () => {
    const catalog = await startTestCatalog({ reservationTtlSeconds: 1 });
    const msisdn = await anyFreeNumber(catalog);
    const { reservation } = await catalog.client.reserveNumber({
      requestId: `first-${uniqueSuffix()}`,
      msisdn,
      channel: KIOSK,
    });
    expect(reservation!.state).toBe(ReservationState.RESERVATION_STATE_ACTIVE);
    expect(reservation!.expireTime!.getTime() - reservation!.createTime!.getTime()).toBeGreaterThanOrEqual(900);
    expect(await available(catalog, { provinceCode: "GD", pattern: msisdn })).toEqual([]);

    await sleep(1_300);
    expect((await available(catalog, { provinceCode: "GD", pattern: msisdn })).map((n) => n.msisdn)).toEqual([msisdn]);
    const late = await failure(
      catalog.client.consumeReservation({
        requestId: `late-${uniqueSuffix()}`,
        reservationId: reservation!.reservationId,
        orderId: "ord_late",
      }),
    );
    expect([late.code, late.reason]).toEqual([status.FAILED_PRECONDITION, "RESERVATION_EXPIRED"]);
    const second = await catalog.client.reserveNumber({
      requestId: `second-${uniqueSuffix()}`,
      msisdn,
      channel: KIOSK,
    });
    expect(second.reservation!.reservationId).not.toBe(reservation!.reservationId);
    const released = await catalog.client.releaseNumber({
      requestId: `release-${uniqueSuffix()}`,
      reservationId: reservation!.reservationId,
    });
    expect(released.reservation!.state).toBe(ReservationState.RESERVATION_STATE_EXPIRED);
    // Releasing the expired first reservation must not free the number the second one now holds.
    expect(await available(catalog, { provinceCode: "GD", pattern: msisdn })).toEqual([]);
  });

  it("releases a number back to the pool", async () => {
    const catalog = await startTestCatalog();
    const msisdn = await anyFreeNumber(catalog);
    const { reservation } = await catalog.client.reserveNumber({
      requestId: `r-${uniqueSuffix()}`,
      msisdn,
      channel: KIOSK,
    });
    const released = await catalog.client.releaseNumber({
      requestId: `rel-${uniqueSuffix()}`,
      reservationId: reservation!.reservationId,
    });
    expect(released.reservation!.state).toBe(ReservationState.RESERVATION_STATE_RELEASED);
    expect((await available(catalog, { provinceCode: "GD", pattern: msisdn })).map((n) => n.msisdn)).toEqual([msisdn]);
    const consumed = await failure(
      catalog.client.consumeReservation({
        requestId: `c-${uniqueSuffix()}`,
        reservationId: reservation!.reservationId,
        orderId: "ord_1",
      }),
    );
    expect(consumed.reason).toBe("RESERVATION_RELEASED");
  });

  it("sells a reserved number to one order, idempotently, and never again", async () => {
    const catalog = await startTestCatalog();
    const msisdn = await anyFreeNumber(catalog);
    const { reservation } = await catalog.client.reserveNumber({
      requestId: `r-${uniqueSuffix()}`,
      msisdn,
      channel: KIOSK,
    });
    const reservationId = reservation!.reservationId;
    const sold = await catalog.client.consumeReservation({
      requestId: `c-${uniqueSuffix()}`,
      reservationId,
      orderId: "ord_a",
    });
    expect(sold.reservation!.state).toBe(ReservationState.RESERVATION_STATE_CONSUMED);
    expect(sold.reservation!.orderId).toBe("ord_a");
    // The order engine retrying after a crash, with a new request_id: the same sale.
    const again = await catalog.client.consumeReservation({
      requestId: `c-${uniqueSuffix()}`,
      reservationId,
      orderId: "ord_a",
    });
    expect(again.reservation).toEqual(sold.reservation);

    const otherOrder = await failure(
      catalog.client.consumeReservation({ requestId: `c-${uniqueSuffix()}`, reservationId, orderId: "ord_b" }),
    );
    expect(otherOrder.reason).toBe("RESERVATION_CONSUMED");
    const release = await failure(catalog.client.releaseNumber({ requestId: `rel-${uniqueSuffix()}`, reservationId }));
    expect(release.reason).toBe("RESERVATION_CONSUMED");
    const resold = await failure(
      catalog.client.reserveNumber({ requestId: `r-${uniqueSuffix()}`, msisdn, channel: KIOSK }),
    );
    expect(resold.reason).toBe("NUMBER_NOT_AVAILABLE");
    expect(await available(catalog, { provinceCode: "GD", pattern: msisdn })).toEqual([]);
  });

  it("refuses malformed and unknown numbers and reservations", async () => {
    const catalog = await startTestCatalog({ seed: false });
    const reserve = (msisdn: string, channel = KIOSK) =>
      failure(catalog.client.reserveNumber({ requestId: `r-${uniqueSuffix()}`, msisdn, channel }));
    expect((await reserve("12345")).reason).toBe("MSISDN_MALFORMED");
    expect((await reserve("13800138000", Channel.CHANNEL_UNSPECIFIED)).reason).toBe("CHANNEL_INVALID");
    const unknown = await reserve("13800138000");
    expect([unknown.code, unknown.reason]).toEqual([status.NOT_FOUND, "NUMBER_NOT_FOUND"]);
    const noRequestId = await failure(
      catalog.client.reserveNumber({ requestId: "", msisdn: "13800138000", channel: KIOSK }),
    );
    expect(noRequestId.reason).toBe("REQUEST_ID_REQUIRED");
    const malformed = await failure(
      catalog.client.releaseNumber({ requestId: `x-${uniqueSuffix()}`, reservationId: "nope" }),
    );
    expect(malformed.reason).toBe("RESERVATION_ID_MALFORMED");
    const missing = await failure(
      catalog.client.consumeReservation({
        requestId: `x-${uniqueSuffix()}`,
        reservationId: "nrs_00000000000000000000",
        orderId: "ord_x",
      }),
    );
    expect([missing.code, missing.reason]).toEqual([status.NOT_FOUND, "RESERVATION_NOT_FOUND"]);
    const noOrder = await failure(
      catalog.client.consumeReservation({
        requestId: `x-${uniqueSuffix()}`,
        reservationId: "nrs_00000000000000000000",
        orderId: "",
      }),
    );
    expect(noOrder.reason).toBe("ORDER_ID_REQUIRED");
  });
});

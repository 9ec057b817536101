/**
 * Catalog throughput on this machine, over real gRPC and a real PostgreSQL (DATABASE_URL's server, default
 * local): eligibility checks and offering lists (the order engine's and the halls' hot paths), number
 * reservations, and a crowd reserving the same number. Prints figures; never fails on speed.
 */
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { createServiceClient } from "@omnihall/channel-client";
import { developmentCallerKey } from "@omnihall/config";
import { databaseUrlFor, dropDatabase, maintenanceUrl, migrateDeploy } from "@omnihall/db";
import {
  CatalogServiceClient,
  CheckEligibilityRequest,
  ListAvailableNumbersRequest,
  ListOfferingsRequest,
} from "@omnihall/proto/omnihall/catalog/v1/catalog";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { catalogMigrations, loadCatalogConfig, seedCatalog, startCatalogService } from "../src/index.js";
import { measureCalls } from "@omnihall/testkit/bench";

const CONCURRENCY = 32;
const measure = (label: string, count: number, call: (i: number) => Promise<unknown>) =>
  measureCalls(label, count, call, { concurrency: CONCURRENCY });
const baseUrl = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const databaseName = `omnihall_catalog_bench_${randomBytes(4).toString("hex")}`;
const databaseUrl = databaseUrlFor(baseUrl, databaseName);

await migrateDeploy({ ...catalogMigrations, databaseUrl });
const service = await startCatalogService({
  config: loadCatalogConfig({ DATABASE_URL: databaseUrl, PORT: "0", LOG_LEVEL: "warn", DATABASE_POOL_SIZE: "20" }),
});
const client = createServiceClient(CatalogServiceClient, {
  address: service.address,
  caller: "orders",
  credential: developmentCallerKey("orders"),
  defaultDeadlineMs: 30_000,
});
try {
  const seeded = await seedCatalog(databaseUrl);
  console.log(
    `catalog bench: ${seeded.offerings} offerings, ${seeded.poolNumbers} pool numbers, concurrency ${CONCURRENCY}`,
  );

  const facts = { provinceCode: "GD", planCode: "PLAN_5G_59", tenureMonths: 30, heldOfferingCodes: ["PLAN_5G_59"] };
  await measure("CheckEligibility", 5000, () =>
    client.checkEligibility(
      CheckEligibilityRequest.fromPartial({
        offeringCode: "BB_1000M_NEW",
        channel: Channel.CHANNEL_WEB_HALL,
        subscriber: { ...facts, heldOfferingCodes: ["PLAN_5G_59", "BB_300M_NEW"] },
      }),
    ),
  );
  await measure("ListOfferings (GD, web hall, 50)", 3000, () =>
    client.listOfferings(
      ListOfferingsRequest.fromPartial({ provinceCode: "GD", channel: Channel.CHANNEL_WEB_HALL, pageSize: 50 }),
    ),
  );

  const numbers: string[] = [];
  for (const provinceCode of ["GD", "ZJ", "SC", "BJ", "SH"]) {
    const page = await client.listAvailableNumbers(
      ListAvailableNumbersRequest.fromPartial({ provinceCode, pageSize: 100 }),
    );
    numbers.push(...page.numbers.map((number) => number.msisdn));
  }
  await measure("ReserveNumber (distinct numbers)", numbers.length, (i) =>
    client.reserveNumber({ requestId: `bench-${i}`, msisdn: numbers[i]!, channel: Channel.CHANNEL_KIOSK }),
  );
  const [contested] = (
    await client.listAvailableNumbers(ListAvailableNumbersRequest.fromPartial({ provinceCode: "HB", pageSize: 1 }))
  ).numbers;
  await measure("ReserveNumber (one number, crowd)", 200, (i) =>
    client.reserveNumber({ requestId: `crowd-${i}`, msisdn: contested!.msisdn, channel: Channel.CHANNEL_KIOSK }),
  );
} finally {
  client.close();
  await service.stop();
  await dropDatabase(maintenanceUrl(baseUrl), databaseName);
}
// The migration engine leaves a timer running after it is done.
process.exit(0);

import { migratedTestDatabase } from "@omnihall/db/testing";
import { createLogger } from "@omnihall/service-kit";
import { expect, it, onTestFinished } from "vitest";
import type { Prisma } from "../generated/prisma/client.js";
import { createOrdersDb, ordersMigrations } from "../index.js";
import { OrderEvents, ProductDeactivated, ProductExpiring } from "../events.js";
import type { OfferingTerms } from "../orders/offering-terms.js";
import { LifecycleJob } from "./lifecycle-job.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** More rows of each rule than one batch (100), so the two instances' batches interleave. */
const EACH = 250;
const CONVERSIONS = 20;

const terms = (trialDays: number): OfferingTerms => ({
  code: trialDays > 0 ? "TRIAL_PACK_7D" : "DATA_PACK_7D",
  kind: "DATA_PACK",
  nameZh: "流量包",
  nameEn: "Data pack",
  chargeFen: trialDays > 0 ? "0" : "2000",
  priceFen: "2000",
  validity: { kind: "DAYS", days: 7 },
  unsubscribeAtPeriodEnd: false,
  trialDays,
  needsInstallation: false,
  needsNumber: false,
  allowances: [],
});

it("two instances' lifecycle jobs at the same moment expire, announce, end and convert each row once", async () => {
  const database = await migratedTestDatabase(ordersMigrations);
  const instances = [1, 2].map(() => createOrdersDb(database.url, 3));
  onTestFinished(async () => {
    await Promise.all(instances.map((db) => db.$disconnect()));
  });
  const db = instances[0]!;
  const now = new Date();
  const product = (
    id: string,
    endAt: Date,
    extra: Partial<Prisma.ProductCreateManyInput> = {},
  ): Prisma.ProductCreateManyInput => ({
    id,
    subscriberId: `sub_${id}`,
    offeringCode: "DATA_PACK_7D",
    offering: terms(0),
    timeZone: "Asia/Shanghai",
    startAt: new Date(endAt.getTime() - 7 * DAY),
    endAt,
    status: "ACTIVE",
    ...extra,
  });
  // Each pass logs and stops at its first failure (e.g. a row another instance changed under it): none may.
  const failures: string[] = [];
  const logger = createLogger("lifecycle-test", {
    level: "error",
    destination: { write: (line) => failures.push(line) },
  });
  let sagaWakes = 0;
  const jobs = instances.map(
    (instanceDb) =>
      new LifecycleJob({ db: instanceDb, logger, intervalMs: HOUR, expiryNoticeMs: DAY, wakeSaga: () => sagaWakes++ }),
  );
  const published = async (subject: string) => await db.outboxMessage.count({ where: { subject } });
  // One rule's rows at a time, so both instances reach that rule's batches together.
  const bothRun = async () => {
    await Promise.all(jobs.map((job) => job.tick(now)));
    // A second pass of each finds nothing left to do.
    await Promise.all(jobs.map((job) => job.tick(now)));
    expect(failures).toEqual([]);
  };

  await db.order.createMany({
    data: Array.from({ length: EACH }, (_, i) => ({
      id: `ord_unconfirmed${i}`,
      requestId: `req-unconfirmed-${i}`,
      fingerprint: "",
      subscriberId: `sub_unconfirmed${i}`,
      msisdn: "",
      provinceCode: "GD",
      timeZone: "Asia/Shanghai",
      offeringCode: "DATA_PACK_7D",
      offering: terms(0),
      priceFen: 2000n,
      channel: "CHANNEL_WEB_HALL",
      state: "PENDING" as const,
      confirmationMethod: "CONFIRMATION_METHOD_ONE_TIME_CODE",
      confirmExpiresAt: new Date(now.getTime() - 1000),
    })),
  });
  await bothRun();
  expect(await db.order.count({ where: { state: "CANCELLED", failureReason: "CONFIRMATION_EXPIRED" } })).toBe(EACH);
  expect(await db.orderTransition.count({ where: { toState: "CANCELLED" } })).toBe(EACH);
  expect(await published(OrderEvents.CANCELLED.subject)).toBe(EACH);

  await db.product.createMany({
    data: Array.from({ length: EACH }, (_, i) => product(`prd_ending_soon${i}`, new Date(now.getTime() + HOUR))),
  });
  await bothRun();
  expect(await db.product.count({ where: { expiringAnnouncedAt: { not: null } } })).toBe(EACH);
  expect(await published(ProductExpiring.subject)).toBe(EACH);

  await db.product.createMany({
    data: Array.from({ length: EACH }, (_, i) => product(`prd_ended${i}`, new Date(now.getTime() - 1000))),
  });
  await bothRun();
  expect(await db.product.count({ where: { status: "ENDED", endReason: "EXPIRED" } })).toBe(EACH);
  expect(await published(ProductDeactivated.subject)).toBe(EACH);

  await db.product.createMany({
    data: Array.from({ length: CONVERSIONS }, (_, i) =>
      product(`prd_trial${i}`, new Date(now.getTime() - 1000), {
        offeringCode: "TRIAL_PACK_7D",
        offering: terms(7),
        trial: true,
        conversionRequested: true,
      }),
    ),
  });
  await bothRun();
  // One conversion order per trial (the trial itself ends in that order's saga, which does not run here).
  expect(await db.order.count({ where: { convertsProductId: { not: null } } })).toBe(CONVERSIONS);
  expect(await db.orderTransition.count({ where: { toState: "IN_PROGRESS" } })).toBe(CONVERSIONS);
  expect(sagaWakes).toBeGreaterThan(0);
});

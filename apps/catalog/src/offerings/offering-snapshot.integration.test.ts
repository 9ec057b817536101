import { ListOfferingsRequest } from "@omnihall/proto/omnihall/catalog/v1/catalog";
import { expect, it } from "vitest";
import { createCatalogDb } from "../db.js";
import { startTestCatalog } from "../testing.js";
import { SNAPSHOT_MAX_AGE_MS } from "./offering-snapshot.js";

it("sees a change another catalog instance committed within the snapshot's age", async () => {
  const { client, databaseUrl } = await startTestCatalog();
  const listed = async () =>
    (await client.listOfferings(ListOfferingsRequest.fromPartial({ pageSize: 200 }))).offerings.map((o) => o.code);
  expect(await listed()).toContain("DATA_1GB_1D");

  // As another instance would: straight in the database, behind this instance's back.
  const other = createCatalogDb(databaseUrl, 1);
  await other.offering.update({ where: { code: "DATA_1GB_1D" }, data: { lifecycle: "RETIRED" } });
  await other.$disconnect();
  const changedAt = Date.now();

  await expect.poll(listed, { timeout: SNAPSHOT_MAX_AGE_MS + 5_000, interval: 50 }).not.toContain("DATA_1GB_1D");
  expect(Date.now() - changedAt).toBeLessThan(SNAPSHOT_MAX_AGE_MS + 2_000);
});

import type { Offering } from "@omnihall/proto/omnihall/catalog/v1/catalog";
import type { CatalogDb, CatalogTx } from "../db.js";
import { offeringCodeMalformed, offeringNotFound } from "../errors.js";
import { offeringFromRow } from "./offering-record.js";
import { OFFERING_CODE } from "./validate-offering.js";

/** The offering with this code, in any lifecycle state; NOT_FOUND otherwise. `field` names the code's field. */
export async function findOfferingByCode(db: CatalogDb | CatalogTx, code: string, field: string): Promise<Offering> {
  if (!OFFERING_CODE.test(code)) throw offeringCodeMalformed(field);
  const row = await db.offering.findUnique({ where: { code } });
  if (!row) throw offeringNotFound(code);
  return offeringFromRow(row);
}

/** Like findOfferingByCode, but locks the row for the rest of the transaction (for changes). */
export async function lockOfferingByCode(tx: CatalogTx, code: string, field: string): Promise<Offering> {
  if (!OFFERING_CODE.test(code)) throw offeringCodeMalformed(field);
  await tx.$queryRaw`SELECT 1 FROM offering WHERE code = ${code} FOR UPDATE`;
  return findOfferingByCode(tx, code, field);
}

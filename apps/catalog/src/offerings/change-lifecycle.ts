import {
  ActivateOfferingRequest,
  ActivateOfferingResponse,
  OfferingLifecycle,
  RetireOfferingRequest,
  RetireOfferingResponse,
  offeringLifecycleToJSON,
} from "@omnihall/proto/omnihall/catalog/v1/catalog";
import type { CatalogDeps } from "../deps.js";
import type { CatalogTx } from "../db.js";
import { lifecycleTransitionInvalid } from "../errors.js";
import { enumName } from "../proto-enums.js";
import { runOnce } from "../idempotency/request-log.js";
import { changingOfferings } from "./offering-snapshot.js";
import { lockOfferingByCode } from "./find-offering.js";
import { offeringFromRow } from "./offering-record.js";
import type { OfferingLifecycle as StoredLifecycle } from "../generated/prisma/client.js";

/** The only moves an offering makes: DRAFT → ACTIVE → RETIRED. */
const NEXT_STATE: Partial<Record<OfferingLifecycle, OfferingLifecycle>> = {
  [OfferingLifecycle.OFFERING_LIFECYCLE_DRAFT]: OfferingLifecycle.OFFERING_LIFECYCLE_ACTIVE,
  [OfferingLifecycle.OFFERING_LIFECYCLE_ACTIVE]: OfferingLifecycle.OFFERING_LIFECYCLE_RETIRED,
};

async function moveTo(tx: CatalogTx, code: string, target: OfferingLifecycle) {
  const current = await lockOfferingByCode(tx, code, "code");
  if (NEXT_STATE[current.lifecycle] !== target) {
    const name = (state: OfferingLifecycle) => offeringLifecycleToJSON(state).replace("OFFERING_LIFECYCLE_", "");
    throw lifecycleTransitionInvalid(code, name(current.lifecycle), name(target));
  }
  const lifecycle = enumName(OfferingLifecycle, "OFFERING_LIFECYCLE_", target) as StoredLifecycle;
  return offeringFromRow(await tx.offering.update({ where: { code }, data: { lifecycle } }));
}

export async function activateOffering(
  { db }: CatalogDeps,
  request: ActivateOfferingRequest,
): Promise<ActivateOfferingResponse> {
  const call = {
    rpc: "ActivateOffering",
    request,
    requestCodec: ActivateOfferingRequest,
    responseCodec: ActivateOfferingResponse,
  };
  return changingOfferings(
    db,
    runOnce(db, call, async (tx) => ({
      offering: await moveTo(tx, request.code, OfferingLifecycle.OFFERING_LIFECYCLE_ACTIVE),
    })),
  );
}

export async function retireOffering(
  { db }: CatalogDeps,
  request: RetireOfferingRequest,
): Promise<RetireOfferingResponse> {
  const call = {
    rpc: "RetireOffering",
    request,
    requestCodec: RetireOfferingRequest,
    responseCodec: RetireOfferingResponse,
  };
  return changingOfferings(
    db,
    runOnce(db, call, async (tx) => ({
      offering: await moveTo(tx, request.code, OfferingLifecycle.OFFERING_LIFECYCLE_RETIRED),
    })),
  );
}

import { hasIdShape } from "@omnihall/ids";
import type {
  GetAccountOpeningRequest,
  GetAccountOpeningResponse,
  ListAccountOpeningsRequest,
  ListAccountOpeningsResponse,
} from "@omnihall/proto/omnihall/orders/v1/account_opening";
import {
  assertPlaceInScope,
  decodePageToken,
  encodePageToken,
  pageSize,
  permissionDenied,
  type CallContext,
} from "@omnihall/service-kit";
import { z } from "zod";
import type { OrdersDb } from "../db.js";
import { OpeningErrors } from "./account-opening-errors.js";
import { openingView } from "./opening-view.js";

type Scope = Pick<CallContext, "party">;

const outsideScope = () =>
  permissionDenied("OUTSIDE_PARTY_SCOPE", {
    "zh-CN": "无权查看其他代理员或其他地区的业务。",
    en: "You may not see another agent's work or work outside your area.",
  });

/** An agent sees only their own openings; operators those of their province; services all. */
export async function getAccountOpening(
  db: OrdersDb,
  request: GetAccountOpeningRequest,
  call: Scope,
): Promise<GetAccountOpeningResponse> {
  if (!hasIdShape(request.accountOpeningId, "aco")) throw OpeningErrors.openingIdMalformed();
  const row = await db.accountOpening.findUnique({
    where: { id: request.accountOpeningId },
    include: { photo: { select: { openingId: true } } },
  });
  const party = call.party;
  if (party?.kind === "agent" && row?.agentId !== party.agentId) {
    // Another agent's opening looks like none at all: ids are not probed.
    throw OpeningErrors.openingNotFound();
  }
  if (!row) throw OpeningErrors.openingNotFound();
  if (party && party.kind !== "agent") assertPlaceInScope(call, { provinceCode: row.provinceCode, city: row.city });
  const size = await photoSize(db, row.id);
  return { accountOpening: openingView(row, size) };
}

async function photoSize(db: OrdersDb, openingId: string): Promise<number> {
  const [photo] = await db.$queryRaw<Array<{ size: number }>>`
    SELECT octet_length(content)::int AS size FROM account_opening_photo WHERE opening_id = ${openingId}`;
  return photo?.size ?? 0;
}

const position = z.object({ createdAt: z.string(), id: z.string() });

export async function listAccountOpenings(
  db: OrdersDb,
  request: ListAccountOpeningsRequest,
  call: Scope,
): Promise<ListAccountOpeningsResponse> {
  const party = call.party;
  let agentId = request.agentId;
  if (party?.kind === "agent") {
    if (agentId !== "" && agentId !== party.agentId) throw outsideScope();
    agentId = party.agentId;
  }
  const provinceCode = party?.kind === "operator" && party.provinceScope !== "*" ? party.provinceScope : undefined;
  const size = pageSize(request.pageSize, { default: 50, max: 200 });
  const filters = { agentId, since: request.since?.toISOString() ?? "", provinceCode: provinceCode ?? "" };
  const after = decodePageToken(request.pageToken, position, filters);
  const rows = await db.accountOpening.findMany({
    where: {
      ...(agentId ? { agentId } : {}),
      ...(provinceCode ? { provinceCode } : {}),
      ...(request.since ? { createdAt: { gte: request.since } } : {}),
      ...(after
        ? {
            OR: [
              { createdAt: { lt: new Date(after.createdAt) } },
              { createdAt: new Date(after.createdAt), id: { lt: after.id } },
            ],
          }
        : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: size + 1,
  });
  const page = rows.slice(0, size);
  const last = page.at(-1);
  return {
    // Lists never read photo bytes; the size is shown on the single opening.
    accountOpenings: page.map((row) => openingView(row, 0)),
    nextPageToken:
      rows.length > size && last
        ? encodePageToken({ createdAt: last.createdAt.toISOString(), id: last.id }, filters)
        : "",
  };
}

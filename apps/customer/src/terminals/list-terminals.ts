import {
  TerminalKind,
  type ListTerminalsRequest,
  type ListTerminalsResponse,
} from "@omnihall/proto/omnihall/customer/v1/terminal";
import {
  assertPlaceInScope,
  decodePageToken,
  encodePageToken,
  pageSize,
  provinceScopeOf,
  type CallContext,
} from "@omnihall/service-kit";
import { z } from "zod";
import { provinceUnknown } from "../errors.js";
import type { Prisma } from "../generated/prisma/client.js";
import { normalizeProvinceCode } from "../subscribers/provinces.js";
import type { TerminalContext } from "./terminal-context.js";
import { storedKind, terminalView } from "./terminal-view.js";

const PAGE_LIMITS = { default: 50, max: 500 };
const position = z.object({ id: z.string().min(1) });

/**
 * ListTerminals for operations: an operator sees their province (none named means theirs), HQ everything.
 * "Unhealthy only" is decided in the query — faulty, silent or never heard from — with the silence threshold
 * applied to the clock now, so a terminal that stopped beating shows up without anyone writing anything.
 */
export async function listTerminals(
  context: TerminalContext,
  request: ListTerminalsRequest,
  ctx: Pick<CallContext, "party">,
): Promise<ListTerminalsResponse> {
  const size = pageSize(request.pageSize, PAGE_LIMITS);
  const named = request.provinceCode === "" ? undefined : normalizeProvinceCode(request.provinceCode);
  if (named === undefined && request.provinceCode !== "") throw provinceUnknown();
  const provinceCode = named ?? provinceScopeOf(ctx);
  assertPlaceInScope(ctx, { provinceCode: provinceCode ?? "*", city: request.city || undefined });

  const kind =
    request.kind === TerminalKind.TERMINAL_KIND_UNSPECIFIED || request.kind === TerminalKind.UNRECOGNIZED
      ? undefined
      : storedKind(request.kind);
  const filters = { provinceCode, city: request.city || undefined, kind, unhealthyOnly: request.unhealthyOnly };
  const after = decodePageToken(request.pageToken, position, filters);
  const now = context.now();
  const silentSince = new Date(now.getTime() - context.silentAfterMs);
  const unhealthy: Prisma.TerminalWhereInput = {
    OR: [{ faulty: true }, { lastHeartbeatAt: null }, { lastHeartbeatAt: { lt: silentSince } }],
  };
  const rows = await context.db.terminal.findMany({
    where: {
      provinceCode: filters.provinceCode,
      city: filters.city,
      kind: filters.kind,
      ...(filters.unhealthyOnly && unhealthy),
      ...(after && { id: { gt: after.id } }),
    },
    orderBy: { id: "asc" },
    take: size + 1,
  });
  const page = rows.slice(0, size);
  const last = page.at(-1);
  return {
    terminals: page.map((row) => terminalView(row, now, context.silentAfterMs)),
    nextPageToken: rows.length > size && last ? encodePageToken({ id: last.id }, filters) : "",
  };
}

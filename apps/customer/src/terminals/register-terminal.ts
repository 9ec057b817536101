import {
  TerminalKind,
  type RegisterTerminalRequest,
  type RegisterTerminalResponse,
} from "@omnihall/proto/omnihall/customer/v1/terminal";
import type { CallContext } from "@omnihall/service-kit";
import { provinceUnknown, requestIdRequired } from "../errors.js";
import { normalizeProvinceCode } from "../subscribers/provinces.js";
import type { TerminalContext } from "./terminal-context.js";
import {
  cityRequired,
  shopIdRequired,
  terminalIdMalformed,
  terminalKindChanged,
  terminalKindRequired,
  textTooLong,
} from "./terminal-errors.js";
import { assertTerminalInScope } from "./terminal-scope.js";
import { storedKind, terminalView } from "./terminal-view.js";

export const TERMINAL_ID = /^[A-Za-z0-9_.-]{3,64}$/;
const MAX_TEXT = 200;
const KINDS = new Set([TerminalKind.TERMINAL_KIND_KIOSK, TerminalKind.TERMINAL_KIND_HANDHELD]);

/**
 * RegisterTerminal: an upsert on the terminal's own id, so a terminal simply registers on every start. Replaying
 * a request changes nothing a second time (the same values are written again), which is what request_id promises.
 */
export async function registerTerminal(
  context: TerminalContext,
  request: RegisterTerminalRequest,
  ctx: Pick<CallContext, "party">,
): Promise<RegisterTerminalResponse> {
  if (request.requestId === "") throw requestIdRequired();
  if (!TERMINAL_ID.test(request.terminalId)) throw terminalIdMalformed();
  if (!KINDS.has(request.kind)) throw terminalKindRequired();
  const shopId = request.shopId.trim();
  if (shopId === "") throw shopIdRequired();
  const provinceCode = normalizeProvinceCode(request.provinceCode);
  if (!provinceCode) throw provinceUnknown();
  const city = request.city.trim();
  if (city === "") throw cityRequired();
  if (request.location.length > MAX_TEXT) throw textTooLong("location");
  if (request.softwareVersion.length > MAX_TEXT) throw textTooLong("software_version");

  assertTerminalInScope(ctx, { terminalId: request.terminalId, kind: request.kind, shopId, provinceCode, city });

  const kind = storedKind(request.kind);
  const now = context.now();
  const place = { shopId, provinceCode, city, location: request.location, softwareVersion: request.softwareVersion };
  const existing = await context.db.terminal.findUnique({ where: { id: request.terminalId } });
  if (existing && existing.kind !== kind) throw terminalKindChanged();
  const row = await context.db.terminal.upsert({
    where: { id: request.terminalId },
    create: { id: request.terminalId, kind, ...place, createdAt: now, updatedAt: now },
    update: { ...place, updatedAt: now },
  });
  return { terminal: terminalView(row, now, context.silentAfterMs) };
}

import type { GetTerminalRequest, GetTerminalResponse } from "@omnihall/proto/omnihall/customer/v1/terminal";
import { NATIONAL_SCOPE, type CallContext } from "@omnihall/service-kit";
import type { TerminalContext } from "./terminal-context.js";
import { terminalIdMalformed, terminalNotFound, terminalOutOfScope } from "./terminal-errors.js";
import { TERMINAL_ID } from "./register-terminal.js";
import { assertTerminalIdInScope, assertTerminalInScope } from "./terminal-scope.js";
import { kindOf, terminalView } from "./terminal-view.js";

/** GetTerminal: a terminal the party may see; for a party, an unknown one is refused like another's. */
export async function getTerminal(
  context: TerminalContext,
  request: GetTerminalRequest,
  ctx: Pick<CallContext, "party">,
): Promise<GetTerminalResponse> {
  if (!TERMINAL_ID.test(request.terminalId)) throw terminalIdMalformed();
  assertTerminalIdInScope(ctx, request.terminalId);
  const row = await context.db.terminal.findUnique({ where: { id: request.terminalId } });
  if (!row) {
    if (ctx.party?.kind === "operator" && ctx.party.provinceScope !== NATIONAL_SCOPE)
      throw terminalOutOfScope(ctx.party.kind);
    throw terminalNotFound();
  }
  assertTerminalInScope(ctx, { ...row, terminalId: row.id, kind: kindOf(row.kind) });
  return { terminal: terminalView(row, context.now(), context.silentAfterMs) };
}

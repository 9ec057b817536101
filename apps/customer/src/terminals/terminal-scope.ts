import { TerminalKind } from "@omnihall/proto/omnihall/customer/v1/terminal";
import { assertPlaceInScope, type CallContext } from "@omnihall/service-kit";
import { terminalOutOfScope } from "./terminal-errors.js";

type Scope = Pick<CallContext, "party">;

/** What the scope check needs to know about a terminal. */
export interface TerminalPlace {
  terminalId: string;
  kind: TerminalKind;
  shopId: string;
  provinceCode: string;
  city: string;
}

/**
 * May the acting party act on this terminal? A kiosk only on itself (its id, shop and province as its hall
 * vouches for them), a field agent only on their own handheld inside their territory, an operator inside their
 * province; services on any. A subscriber never.
 */
export function assertTerminalInScope(ctx: Scope, terminal: TerminalPlace): void {
  const { party } = ctx;
  if (!party) return;
  switch (party.kind) {
    case "device":
      if (
        terminal.terminalId === party.deviceId &&
        terminal.kind === TerminalKind.TERMINAL_KIND_KIOSK &&
        terminal.shopId === party.shopId &&
        terminal.provinceCode === party.provinceCode
      )
        return;
      break;
    case "agent":
      if (terminal.terminalId !== party.deviceId || terminal.kind !== TerminalKind.TERMINAL_KIND_HANDHELD) break;
      assertPlaceInScope(ctx, { provinceCode: terminal.provinceCode, city: terminal.city });
      return;
    case "operator":
      assertPlaceInScope(ctx, { provinceCode: terminal.provinceCode, city: terminal.city });
      return;
    case "subscriber":
      break;
  }
  throw terminalOutOfScope(party.kind);
}

/** Before a terminal is found, only an id the party may name at all: its own (device, agent) or any (staff). */
export function assertTerminalIdInScope(ctx: Scope, terminalId: string): void {
  const { party } = ctx;
  if (!party || party.kind === "operator") return;
  if ((party.kind === "device" || party.kind === "agent") && party.deviceId === terminalId) return;
  throw terminalOutOfScope(party.kind);
}

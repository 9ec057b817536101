import type { CustomerDb } from "../db.js";

/**
 * Whether a device is a registered handheld: the terminal registry (TerminalService) of this same database. An
 * agent logs in only there, so a PIN seen over someone's shoulder is useless on another phone, and a kiosk is no
 * handheld.
 */
export type HandheldRegistry = (deviceId: string) => Promise<boolean>;

export function terminalRegistry(db: CustomerDb): HandheldRegistry {
  return async (deviceId) => {
    const terminal = await db.terminal.findUnique({ where: { id: deviceId }, select: { kind: true } });
    return terminal?.kind === "HANDHELD";
  };
}

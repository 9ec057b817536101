import type {
  ReportTerminalHealthRequest,
  ReportTerminalHealthResponse,
} from "@omnihall/proto/omnihall/customer/v1/terminal";
import { DeviceKind, DeviceState } from "@omnihall/proto/omnihall/customer/v1/terminal";
import type { CallContext } from "@omnihall/service-kit";
import { requestIdRequired } from "../errors.js";
import type { TerminalContext } from "./terminal-context.js";
import {
  deviceKindRequired,
  deviceStateRequired,
  terminalIdMalformed,
  terminalNotFound,
  textTooLong,
} from "./terminal-errors.js";
import { TERMINAL_ID } from "./register-terminal.js";
import { assertTerminalIdInScope, assertTerminalInScope } from "./terminal-scope.js";
import { isWorking, kindOf, storedDevices, terminalView } from "./terminal-view.js";

const MAX_DETAIL = 200;

/**
 * ReportTerminalHealth: the last reading wins. The conditional update (report time not older than the stored
 * heartbeat) makes a delayed or replayed report harmless without any lock.
 */
export async function reportTerminalHealth(
  context: TerminalContext,
  request: ReportTerminalHealthRequest,
  ctx: Pick<CallContext, "party">,
): Promise<ReportTerminalHealthResponse> {
  if (request.requestId === "") throw requestIdRequired();
  if (!TERMINAL_ID.test(request.terminalId)) throw terminalIdMalformed();
  for (const device of request.devices) {
    if (device.device === DeviceKind.DEVICE_KIND_UNSPECIFIED || device.device === DeviceKind.UNRECOGNIZED)
      throw deviceKindRequired();
    if (device.state === DeviceState.DEVICE_STATE_UNSPECIFIED || device.state === DeviceState.UNRECOGNIZED)
      throw deviceStateRequired();
    if (device.detail.length > MAX_DETAIL) throw textTooLong("devices.detail");
  }
  if (request.softwareVersion.length > MAX_DETAIL) throw textTooLong("software_version");
  assertTerminalIdInScope(ctx, request.terminalId);

  const now = context.now();
  // A terminal's clock may run ahead: never record a heartbeat in the future.
  const readAt = request.reportTime && request.reportTime < now ? request.reportTime : now;
  const found = await context.db.terminal.findUnique({ where: { id: request.terminalId } });
  if (!found) throw terminalNotFound();
  assertTerminalInScope(ctx, { ...found, terminalId: found.id, kind: kindOf(found.kind) });

  await context.db.terminal.updateMany({
    where: { id: request.terminalId, OR: [{ lastHeartbeatAt: null }, { lastHeartbeatAt: { lte: readAt } }] },
    data: {
      devices: storedDevices(request.devices) as object[],
      faulty: request.devices.some((d) => !isWorking(d.state)),
      lastHeartbeatAt: readAt,
      ...(request.softwareVersion !== "" && { softwareVersion: request.softwareVersion }),
    },
  });
  const row = await context.db.terminal.findUniqueOrThrow({ where: { id: request.terminalId } });
  return { terminal: terminalView(row, now, context.silentAfterMs) };
}

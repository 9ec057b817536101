// The smpp package ships no types: its declaration must reach every program that imports it, including apps
// that compile this folder from outside.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./smpp.d.ts" />
import smpp from "smpp";

/** SMPP 3.4 command_status values that decide how a refusal is classified (§5.1.3). */
export const SMPP_STATUS = {
  ESME_ROK: 0x00,
  ESME_RINVCMDID: 0x03,
  ESME_RINVBNDSTS: 0x04,
  ESME_RSYSERR: 0x08,
  ESME_RINVSRCADR: 0x0a,
  ESME_RINVDSTADR: 0x0b,
  ESME_RBINDFAIL: 0x0d,
  ESME_RINVPASWD: 0x0e,
  ESME_RINVSYSID: 0x0f,
  ESME_RMSGQFUL: 0x14,
  ESME_RSUBMITFAIL: 0x45,
  ESME_RINVSRCTON: 0x48,
  ESME_RINVSRCNPI: 0x49,
  ESME_RINVDSTTON: 0x50,
  ESME_RINVDSTNPI: 0x51,
  ESME_RTHROTTLED: 0x58,
  ESME_RX_T_APPN: 0x64,
  ESME_RX_P_APPN: 0x65,
} as const;

const STATUS_NAMES = new Map(Object.entries(smpp.errors).map(([name, value]) => [value, name]));

/** "ESME_RTHROTTLED (0x58)" for logs and error details. */
export function describeSmppStatus(status: number): string {
  return `${STATUS_NAMES.get(status) ?? "unknown status"} (0x${status.toString(16).padStart(2, "0")})`;
}

/**
 * Whether a refused bind is worth another try later: a system error or a full SMSC may pass, credentials the SMSC
 * rejects stay rejected.
 */
export function isTemporaryBindRefusal(status: number): boolean {
  return (
    status === SMPP_STATUS.ESME_RSYSERR ||
    status === SMPP_STATUS.ESME_RMSGQFUL ||
    status === SMPP_STATUS.ESME_RTHROTTLED
  );
}

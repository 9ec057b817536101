// The smpp package ships no types: its declaration must reach every program that imports it, including apps
// (the platform) that compile this folder from outside.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./smpp.d.ts" />
import smpp from "smpp";
import { SmsProviderError, type SmsErrorReason } from "./provider.js";

/** SMPP 3.4 command_status values that decide how a refusal is classified (§5.1.3). */
export const SMPP_STATUS = {
  ESME_ROK: 0x00,
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

const S = SMPP_STATUS;

/**
 * Why a submit_sm was refused. Only what the SMSC may accept later is retryable: throttling, a full queue,
 * its own failures, and "not bound" (we are about to rebind). Anything about the message itself is final.
 */
const SUBMIT_REASONS = new Map<number, SmsErrorReason>([
  [S.ESME_RTHROTTLED, "THROTTLED"],
  [S.ESME_RMSGQFUL, "THROTTLED"],
  [S.ESME_RSYSERR, "PROVIDER_TEMPORARY"],
  [S.ESME_RSUBMITFAIL, "PROVIDER_TEMPORARY"],
  [S.ESME_RX_T_APPN, "PROVIDER_TEMPORARY"],
  [S.ESME_RINVBNDSTS, "CONNECTION_LOST"],
  [S.ESME_RINVDSTADR, "INVALID_DESTINATION"],
  [S.ESME_RINVDSTTON, "INVALID_DESTINATION"],
  [S.ESME_RINVDSTNPI, "INVALID_DESTINATION"],
  [S.ESME_RINVSRCADR, "INVALID_SOURCE"],
  [S.ESME_RINVSRCTON, "INVALID_SOURCE"],
  [S.ESME_RINVSRCNPI, "INVALID_SOURCE"],
]);

const STATUS_NAMES = new Map(Object.entries(smpp.errors).map(([name, value]) => [value, name]));

/** "ESME_RTHROTTLED (0x58)" for logs and error details. */
export function describeSmppStatus(status: number): string {
  return `${STATUS_NAMES.get(status) ?? "unknown status"} (0x${status.toString(16).padStart(2, "0")})`;
}

/** The error for a submit_sm_resp (or generic_nack) with a non-zero command_status. */
export function submitRefusal(status: number): SmsProviderError {
  return new SmsProviderError(
    SUBMIT_REASONS.get(status) ?? "REJECTED",
    `submit_sm refused: ${describeSmppStatus(status)}`,
    {
      providerCode: status,
    },
  );
}

/**
 * The error for a refused bind. Credentials the SMSC rejects stay rejected, so that is permanent; a system
 * error or a full SMSC is worth another bind later.
 */
export function bindRefusal(status: number): SmsProviderError {
  const temporary = status === S.ESME_RSYSERR || status === S.ESME_RMSGQFUL || status === S.ESME_RTHROTTLED;
  return new SmsProviderError(
    temporary ? "PROVIDER_TEMPORARY" : "BIND_REJECTED",
    `bind refused: ${describeSmppStatus(status)}`,
    {
      providerCode: status,
    },
  );
}

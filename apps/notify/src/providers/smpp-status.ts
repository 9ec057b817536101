// SMPP status codes and their names live with the link in @omnihall/sms-link; how a refused submit is classified
// for retrying is the notify service's own decision.
import { describeSmppStatus, SMPP_STATUS } from "@omnihall/sms-link";
import { SmsProviderError, type SmsErrorReason } from "./provider.js";

export { SMPP_STATUS };

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

// Links to operator SMS gateways (SMPP 3.4 SMSC, CMPP 3.0 ISMG) and the SMS text they carry; see README.md.
export { LinkError, linkError, type LinkErrorFactory, type LinkErrorOptions, type LinkFailure } from "./link-error.js";
export { SmppLink, type SmppBindMode, type SmppLinkHandlers, type SmppLinkOptions } from "./smpp/link.js";
export { SmppReceiver, inboundPartOf, type InboundPartHandler, type SmppReceiverConfig } from "./smpp/receiver.js";
export { CmppClient, type CmppClientConfig, type CmppHandlers } from "./cmpp/client.js";
export { describeSmppStatus, isTemporaryBindRefusal, SMPP_STATUS } from "./smpp/status.js";
export { ESM_CLASS_UDHI, isDeliveryReceipt } from "./smpp/esm-class.js";
export type { SmppPdu, SmppPduFields, DecodedShortMessage } from "./smpp/pdu-types.js";
export {
  DATA_CODING,
  ESM_CLASS_UDH_INDICATOR,
  MAX_PARTS,
  segmentSms,
  SmsTooLongError,
  type SegmentedSms,
  type SmsEncoding,
  type SmsPart,
} from "./text/segment.js";
export { gsm7Decode, gsm7Septets } from "./text/gsm7.js";
export {
  CODING,
  concatInfo,
  decodePayload,
  splitUserDataHeader,
  type ConcatInfo,
  type InboundMessage,
  type InboundPart,
} from "./text/inbound.js";
export { Concatenation, type ConcatenationOptions } from "./text/concatenation.js";

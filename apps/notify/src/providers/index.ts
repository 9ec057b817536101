// The SMS delivery layer as the rest of the notify service sees it; see README.md.
export {
  SmsProviderError,
  type DeliveryReport,
  type DeliveryReportListener,
  type DeliveryStatus,
  type OutboundSms,
  type SmsErrorReason,
  type SmsProvider,
  type SmsSendResult,
} from "./provider.js";
export { SmppSmsProvider, type SmppAddressing, type SmppProviderConfig } from "./smpp-provider.js";
export { CmppSmsProvider, type CmppProviderConfig } from "./cmpp-provider.js";
export {
  DeliveryReportRejectedError,
  parseDeliveryReportWebhook,
  SIGNATURE_HEADER,
  signWebhookBody,
  verifyWebhookSignature,
  WebhookSmsProvider,
  type WebhookProviderConfig,
} from "./webhook-provider.js";
export { segmentSms, SmsTooLongError, type SegmentedSms, type SmsEncoding, type SmsPart } from "@omnihall/sms-link";

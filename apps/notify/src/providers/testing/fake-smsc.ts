// The SMSC simulator moved to @omnihall/sms-link (the SMS hall's tests use it too); kept here so notify's tests and
// the platform import it where they always did.
export {
  FakeSmsc,
  type FakeSmscOptions,
  type MobileOriginated,
  type ReceiptOptions,
  type ReceivedSubmit,
} from "@omnihall/sms-link/testing";

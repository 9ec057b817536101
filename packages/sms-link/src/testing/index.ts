// Gateways that speak the real protocols, for tests, benchmarks and the development platform.
export {
  FakeSmsc,
  type FakeSmscOptions,
  type MobileOriginated,
  type ReceiptOptions,
  type ReceivedSubmit,
} from "./fake-smsc.js";
export { FakeIsmg, type CmppSubmitted } from "./fake-ismg.js";

import type { Logger } from "@omnihall/service-kit";
import type { BillingConfig } from "../config.js";
import type { BillingDb } from "../db.js";
import type { Gateways } from "./gateways/gateways.js";
import type { Acquirer } from "./pos/acquirer.js";

/** What the payment handlers, the notification endpoint and the sweep share. */
export interface PaymentsDeps {
  db: BillingDb;
  config: BillingConfig;
  gateways: Gateways;
  acquirer: Acquirer;
  logger: Logger;
  /** Where the gateways post notifications: `<base>/payments/notify/<gateway>`. */
  notifyBaseUrl: string;
  now?: () => Date;
}

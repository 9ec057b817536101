import type { ServiceClient } from "@omnihall/channel-client";
import type { CatalogServiceService } from "@omnihall/proto/omnihall/catalog/v1/catalog";
import type { SubscriberRegistrationServiceService } from "@omnihall/proto/omnihall/customer/v1/registration";
import type { OrdersDb } from "../db.js";

/** What opening an account needs: this service's database, the number pool and the subscriber registry. */
export interface OpeningContext {
  db: OrdersDb;
  catalog: Pick<ServiceClient<typeof CatalogServiceService>, "getOffering" | "reserveNumber" | "consumeReservation">;
  registration: Pick<ServiceClient<typeof SubscriberRegistrationServiceService>, "registerSubscriber">;
  dependencyDeadlineMs: number;
  now: () => Date;
}

import { SubscriberRegistrationServiceService } from "@omnihall/proto/omnihall/customer/v1/registration";
import type { ServiceRegistration } from "@omnihall/service-kit";
import type { CustomerDb } from "../db.js";
import { registerSubscriber } from "./register-subscriber.js";
import { registrationPolicy } from "./registration-policy.js";

/** omnihall.customer.v1.SubscriberRegistrationService: new subscribers from account openings. */
export function registrationServiceRegistration(
  db: CustomerDb,
): ServiceRegistration<typeof SubscriberRegistrationServiceService> {
  return {
    definition: SubscriberRegistrationServiceService,
    policy: registrationPolicy,
    handlers: { registerSubscriber: (request) => registerSubscriber(db, request) },
  };
}

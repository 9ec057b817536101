import type { SubscriberRegistrationServiceService } from "@omnihall/proto/omnihall/customer/v1/registration";
import type { CallPolicy } from "@omnihall/service-kit";

/** Only the order engine's account opening (after its real-name checks) and the platform's tools create subscribers. */
export const registrationPolicy: CallPolicy<typeof SubscriberRegistrationServiceService> = {
  registerSubscriber: { callers: ["orders", "platform"] },
};

import type { OperatorServiceService } from "@omnihall/proto/omnihall/customer/v1/operator";
import type { CallPolicy } from "@omnihall/service-kit";

/** Who may call OperatorService (deny by default). */
export const operatorPolicy: CallPolicy<typeof OperatorServiceService> = {
  // The ops console logs its staff in: nobody acts yet, the password is the proof.
  loginOperator: { callers: ["ops-console", "platform"], anonymous: true },
  // The console reads its operator (session refresh); HQ staff read anyone.
  getOperator: { callers: ["ops-console", "platform"] },
};

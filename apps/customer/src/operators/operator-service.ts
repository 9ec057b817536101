import { OperatorServiceService } from "@omnihall/proto/omnihall/customer/v1/operator";
import type { ServiceRegistration } from "@omnihall/service-kit";
import { getOperator, loginOperator, type OperatorContext } from "./login-operator.js";
import { operatorPolicy } from "./operator-policy.js";

/** omnihall.customer.v1.OperatorService: the ops console's operations staff. */
export function operatorServiceRegistration(ctx: OperatorContext): ServiceRegistration<typeof OperatorServiceService> {
  return {
    definition: OperatorServiceService,
    policy: operatorPolicy,
    handlers: {
      loginOperator: (request) => loginOperator(ctx, request),
      getOperator: (request, call) => getOperator(ctx, request, call),
    },
  };
}

import { AgentServiceService } from "@omnihall/proto/omnihall/customer/v1/agent";
import type { ServiceRegistration } from "@omnihall/service-kit";
import { agentPolicy } from "./agent-policy.js";
import { loginAgent, type AgentContext } from "./login-agent.js";
import { getAgent, unlockAgent } from "./manage-agents.js";

/** omnihall.customer.v1.AgentService: the mini hall's field agents. */
export function agentServiceRegistration(ctx: AgentContext): ServiceRegistration<typeof AgentServiceService> {
  return {
    definition: AgentServiceService,
    policy: agentPolicy,
    handlers: {
      loginAgent: (request) => loginAgent(ctx, request),
      unlockAgent: (request, call) => unlockAgent(ctx, request, call),
      getAgent: (request, call) => getAgent(ctx, request, call),
    },
  };
}

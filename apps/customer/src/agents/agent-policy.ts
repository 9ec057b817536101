import type { AgentServiceService } from "@omnihall/proto/omnihall/customer/v1/agent";
import type { CallPolicy } from "@omnihall/service-kit";

/** Who may call AgentService (deny by default). */
export const agentPolicy: CallPolicy<typeof AgentServiceService> = {
  // The mini hall logs its agents in: nobody acts yet, the PIN and the registered handheld are the proof.
  loginAgent: { callers: ["mini-hall", "platform"], anonymous: true },
  // Operations staff (approvers) of the agent's province lift a lock; the agent cannot unlock themselves.
  unlockAgent: { callers: ["ops-console", "platform"] },
  // The mini hall reads its agent (session refresh); operations staff their province's agents.
  getAgent: { callers: ["mini-hall", "ops-console", "platform"] },
};

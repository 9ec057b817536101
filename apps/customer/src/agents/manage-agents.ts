import { hasIdShape } from "@omnihall/ids";
import type {
  GetAgentRequest,
  GetAgentResponse,
  UnlockAgentRequest,
  UnlockAgentResponse,
} from "@omnihall/proto/omnihall/customer/v1/agent";
import { assertPlaceInScope, permissionDenied, type CallContext } from "@omnihall/service-kit";
import { requestIdRequired } from "../errors.js";
import { AgentErrors } from "./agent-errors.js";
import { agentView, territoryOf } from "./agent-view.js";
import type { AgentContext } from "./login-agent.js";

type Scope = Pick<CallContext, "party">;

async function agentInScope(ctx: AgentContext, call: Scope, agentId: string) {
  if (!hasIdShape(agentId, "agt")) throw AgentErrors.agentIdMalformed();
  const agent = await ctx.db.agent.findUnique({ where: { id: agentId } });
  const party = call.party;
  if (party?.kind === "agent") {
    // An agent sees only themselves; another agent's id looks unknown.
    if (party.agentId !== agentId || !agent) throw outsideScope();
    return agent;
  }
  if (!agent) {
    if (party) throw outsideScope();
    throw AgentErrors.notFound();
  }
  assertPlaceInScope(call, territoryOf(agent));
  return agent;
}

const outsideScope = () =>
  permissionDenied("OUTSIDE_PARTY_SCOPE", {
    "zh-CN": "无权操作该用户或该地区的业务。",
    en: "You may not act on this subscriber or outside your area.",
  });

export async function getAgent(ctx: AgentContext, request: GetAgentRequest, call: Scope): Promise<GetAgentResponse> {
  return { agent: agentView(await agentInScope(ctx, call, request.agentId)) };
}

/** UnlockAgent: operations staff lift a PIN lock; the counter starts again. Idempotent by nature. */
export async function unlockAgent(
  ctx: AgentContext,
  request: UnlockAgentRequest,
  call: Scope,
): Promise<UnlockAgentResponse> {
  if (request.requestId.trim() === "") throw requestIdRequired();
  const agent = await agentInScope(ctx, call, request.agentId);
  if (agent.status !== "LOCKED" && agent.failedPinAttempts === 0) return { agent: agentView(agent) };
  const unlocked = await ctx.db.agent.update({
    where: { id: agent.id },
    data: { status: agent.status === "LOCKED" ? "ACTIVE" : agent.status, failedPinAttempts: 0, updatedAt: ctx.now() },
  });
  return { agent: agentView(unlocked) };
}

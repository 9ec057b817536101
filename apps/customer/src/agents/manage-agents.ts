import { hasIdShape, newId } from "@omnihall/ids";
import type {
  GetAgentRequest,
  GetAgentResponse,
  UnlockAgentRequest,
  UnlockAgentResponse,
} from "@omnihall/proto/omnihall/customer/v1/agent";
import { assertOperatorRole, assertPlaceInScope, permissionDenied, type CallContext } from "@omnihall/service-kit";
import { inTransaction } from "../db.js";
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

/** The roles that may lift an agent's PIN lock: an approver vouches for who is asking (not support or authors). */
export const UNLOCK_ROLES = ["approver"] as const;

type AgentRow = NonNullable<Awaited<ReturnType<AgentContext["db"]["agent"]["findUnique"]>>>;
const loginState = (agent: Pick<AgentRow, "status" | "failedPinAttempts">) => ({
  status: agent.status,
  failedPinAttempts: agent.failedPinAttempts,
});

/**
 * UnlockAgent: an approver of the agent's province (or group HQ) lifts a PIN lock and the counter starts again. Every
 * call is audited (agent_audit_entry: who, under which scope and roles, the login state before and after) in the
 * transaction that changes the agent; the entry is keyed by the request id, so a retry neither unlocks nor records
 * twice and answers the agent as it is.
 */
export async function unlockAgent(
  ctx: AgentContext,
  request: UnlockAgentRequest,
  call: Pick<CallContext, "party" | "caller" | "log">,
): Promise<UnlockAgentResponse> {
  const requestId = request.requestId.trim();
  if (requestId === "" || requestId.length > 128) throw requestIdRequired();
  // A hall acts for an operator (an agent is refused here too); a platform tool acting for nobody holds every role.
  assertOperatorRole(call, ...UNLOCK_ROLES);
  const found = await agentInScope(ctx, call, request.agentId);
  const party = call.party;
  const actor = party?.kind === "operator" ? `operator:${party.operatorId}` : `service:${call.caller}`;
  const actorDetail =
    party?.kind === "operator" ? { provinceScope: party.provinceScope, roles: party.roles } : { caller: call.caller };

  const agent = await inTransaction(ctx.db, async (tx) => {
    await tx.$queryRaw`SELECT id FROM agent WHERE id = ${found.id} FOR UPDATE`;
    const current = await tx.agent.findUniqueOrThrow({ where: { id: found.id } });
    const key = { agentId: found.id, action: "UNLOCK", requestId };
    const earlier = await tx.agentAuditEntry.findUnique({ where: { agentId_action_requestId: key } });
    if (earlier) return current;
    const unlocked =
      current.status !== "LOCKED" && current.failedPinAttempts === 0
        ? current
        : await tx.agent.update({
            where: { id: current.id },
            data: {
              status: current.status === "LOCKED" ? "ACTIVE" : current.status,
              failedPinAttempts: 0,
              updatedAt: ctx.now(),
            },
          });
    await tx.agentAuditEntry.create({
      data: {
        id: newId("aud"),
        ...key,
        actor,
        actorDetail,
        before: loginState(current),
        after: loginState(unlocked),
        createTime: ctx.now(),
      },
    });
    return unlocked;
  });
  call.log.info({ agentId: agent.id, actor, requestId, status: agent.status }, "agent unlocked");
  return { agent: agentView(agent) };
}

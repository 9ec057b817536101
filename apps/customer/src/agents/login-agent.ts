import { hasIdShape } from "@omnihall/ids";
import type { LoginAgentRequest, LoginAgentResponse } from "@omnihall/proto/omnihall/customer/v1/agent";
import type { DomainError } from "@omnihall/service-kit";
import { inTransaction, type CustomerDb } from "../db.js";
import { requestIdRequired } from "../errors.js";
import type { Prisma } from "../generated/prisma/client.js";
import { AgentErrors } from "./agent-errors.js";
import { agentView } from "./agent-view.js";
import type { HandheldRegistry } from "./handheld-registry.js";
import { DECOY_PIN_HASH, PIN_FORMAT, pinMatches } from "./pin-hash.js";

export const MAX_PIN_ATTEMPTS = 5;

export interface AgentContext {
  db: CustomerDb;
  handhelds: HandheldRegistry;
  now: () => Date;
}

type Outcome = { agentId: string } | { refusal: "WRONG"; attemptsLeft: number } | { refusal: "LOCKED" | "INACTIVE" };

/**
 * LoginAgent. The PIN is checked (slowly, scrypt) before any transaction, then the answer is applied under a lock on
 * the agent's row: wrong PINs count one by one even when they race, and a retry with the same request id finds
 * the first answer instead of counting again.
 */
export async function loginAgent(ctx: AgentContext, request: LoginAgentRequest): Promise<LoginAgentResponse> {
  const requestId = request.requestId.trim();
  if (requestId === "" || requestId.length > 128) throw requestIdRequired();
  if (!hasIdShape(request.agentId, "agt")) throw AgentErrors.agentIdMalformed();
  if (!PIN_FORMAT.test(request.pin)) throw AgentErrors.pinMalformed();
  if (request.deviceId.trim() === "") throw AgentErrors.deviceIdRequired();
  if (!(await ctx.handhelds(request.deviceId.trim()))) throw AgentErrors.deviceNotRegistered();

  const stored = await ctx.db.agent.findUnique({ where: { id: request.agentId } });
  const pinRight = await pinMatches(request.pin, stored?.pinHash ?? DECOY_PIN_HASH);

  const outcome = await inTransaction(ctx.db, async (tx): Promise<Outcome> => {
    const key = { kind: "LoginAgent", agentId: request.agentId, requestId };
    const earlier = await tx.agentRequest.findUnique({ where: { kind_agentId_requestId: key } });
    if (earlier) return earlier.outcome as Outcome;
    const [agent] = await tx.$queryRaw<Array<{ status: string; failed_pin_attempts: number }>>`
      SELECT status, failed_pin_attempts FROM agent WHERE id = ${request.agentId} FOR UPDATE`;
    let answer: Outcome;
    if (!agent) {
      // Unknown ids answer like a wrong PIN with every attempt left: nothing to count, nothing learned.
      answer = { refusal: "WRONG", attemptsLeft: MAX_PIN_ATTEMPTS };
    } else if (agent.status === "LOCKED") {
      answer = { refusal: "LOCKED" };
    } else if (!pinRight) {
      const failed = agent.failed_pin_attempts + 1;
      const locks = failed >= MAX_PIN_ATTEMPTS;
      await tx.agent.update({
        where: { id: request.agentId },
        data: { failedPinAttempts: failed, status: locks ? "LOCKED" : agent.status, updatedAt: ctx.now() },
      });
      answer = locks ? { refusal: "LOCKED" } : { refusal: "WRONG", attemptsLeft: MAX_PIN_ATTEMPTS - failed };
    } else if (agent.status !== "ACTIVE") {
      // Said only for the right PIN: whoever guesses does not learn the account is closed.
      answer = { refusal: "INACTIVE" };
    } else {
      if (agent.failed_pin_attempts > 0) {
        await tx.agent.update({ where: { id: request.agentId }, data: { failedPinAttempts: 0, updatedAt: ctx.now() } });
      }
      answer = { agentId: request.agentId };
    }
    await tx.agentRequest.create({ data: { ...key, outcome: answer as Prisma.InputJsonObject } });
    return answer;
  });

  if ("refusal" in outcome) throw refusalError(outcome);
  const agent = await ctx.db.agent.findUniqueOrThrow({ where: { id: outcome.agentId } });
  return { agent: agentView(agent) };
}

function refusalError(outcome: Exclude<Outcome, { agentId: string }>): DomainError {
  switch (outcome.refusal) {
    case "WRONG":
      return AgentErrors.credentialsWrong(outcome.attemptsLeft);
    case "LOCKED":
      return AgentErrors.locked();
    case "INACTIVE":
      return AgentErrors.inactive();
  }
}

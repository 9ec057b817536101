import { hasIdShape } from "@omnihall/ids";
import type { LoginAgentRequest, LoginAgentResponse } from "@omnihall/proto/omnihall/customer/v1/agent";
import { requestIdReused, type DomainError } from "@omnihall/service-kit";
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

/** What agent_request keeps of an answer: the answer, and what a retry must match to be given it again. */
type Recorded = Outcome & { deviceId?: string; pinRight?: boolean };

/** Answers that were given only to the right PIN (older rows carry no `pinRight`). */
function answeredTheRightPin(recorded: Recorded): boolean {
  return recorded.pinRight ?? ("agentId" in recorded || recorded.refusal === "INACTIVE");
}

/**
 * LoginAgent. The PIN is checked (slowly, scrypt) before any transaction, then the answer is applied under a lock on
 * the agent's row: wrong PINs count one by one even when they race, and a retry with the same request id finds
 * the first answer instead of counting again.
 *
 * Request ids come from the handheld (its Idempotency-Key), so they are no secret: a retry is given the first answer
 * only when it is the same request. Another device is a reused id. A first answer that was given to the right PIN
 * (a session!) is never given to another PIN: that PIN is counted as a wrong one and refused as a reused id. A
 * refusal is given again whatever PIN comes with it, which tells a guesser nothing and counts nothing.
 */
export async function loginAgent(ctx: AgentContext, request: LoginAgentRequest): Promise<LoginAgentResponse> {
  const requestId = request.requestId.trim();
  if (requestId === "" || requestId.length > 128) throw requestIdRequired();
  if (!hasIdShape(request.agentId, "agt")) throw AgentErrors.agentIdMalformed();
  if (!PIN_FORMAT.test(request.pin)) throw AgentErrors.pinMalformed();
  const deviceId = request.deviceId.trim();
  if (deviceId === "") throw AgentErrors.deviceIdRequired();
  if (!(await ctx.handhelds(deviceId))) throw AgentErrors.deviceNotRegistered();

  const stored = await ctx.db.agent.findUnique({ where: { id: request.agentId } });
  const pinRight = await pinMatches(request.pin, stored?.pinHash ?? DECOY_PIN_HASH);

  const outcome = await inTransaction(ctx.db, async (tx): Promise<Outcome | "REUSED"> => {
    const key = { kind: "LoginAgent", agentId: request.agentId, requestId };
    const earlier = await tx.agentRequest.findUnique({ where: { kind_agentId_requestId: key } });
    const recorded = earlier?.outcome as Recorded | undefined;
    if (recorded && recorded.deviceId !== undefined && recorded.deviceId !== deviceId) return "REUSED";
    if (recorded && !(answeredTheRightPin(recorded) && !pinRight)) return recorded;
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
    // A wrong PIN under the id of an earlier right one was counted above; the first answer stays the recorded one.
    if (recorded) return "REUSED";
    const record: Recorded = { ...answer, deviceId, pinRight };
    await tx.agentRequest.create({ data: { ...key, outcome: record as Prisma.InputJsonObject } });
    return answer;
  });

  if (outcome === "REUSED") throw requestIdReused();
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

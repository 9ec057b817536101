import { AgentStatus, type Agent } from "@omnihall/proto/omnihall/customer/v1/agent";
import type { Agent as AgentRecord } from "../generated/prisma/client.js";

const STATUS: Record<string, AgentStatus> = {
  ACTIVE: AgentStatus.AGENT_STATUS_ACTIVE,
  LOCKED: AgentStatus.AGENT_STATUS_LOCKED,
  INACTIVE: AgentStatus.AGENT_STATUS_INACTIVE,
};

export function agentView(record: AgentRecord): Agent {
  return {
    agentId: record.id,
    name: record.name,
    territory: { provinceCode: record.provinceCode, city: record.city, area: record.area },
    status: STATUS[record.status] ?? AgentStatus.AGENT_STATUS_UNSPECIFIED,
    failedPinAttempts: record.failedPinAttempts,
    createTime: record.createdAt,
  };
}

/** An agent's territory as the acting-party scope rules read it (empty city/area: the whole province/city). */
export function territoryOf(record: Pick<AgentRecord, "provinceCode" | "city" | "area">) {
  return {
    provinceCode: record.provinceCode,
    ...(record.city ? { city: record.city } : {}),
    ...(record.area ? { area: record.area } : {}),
  };
}

import type { CustomerDb } from "../db.js";
import { hashPin } from "./pin-hash.js";

/**
 * The demo's field agents (PIN 123456 each): one for a whole province, one held to a city, one to an area. Seeding
 * again leaves existing agents (and their PINs, locks) as they are.
 */
export const DEMO_AGENTS = [
  { id: "agt_demo_gd_shenzhen", name: "李娜", provinceCode: "GD", city: "深圳", area: "" },
  { id: "agt_demo_gd_guangzhou", name: "王强", provinceCode: "GD", city: "广州", area: "" },
  { id: "agt_demo_zj", name: "陈杰", provinceCode: "ZJ", city: "", area: "" },
] as const;
export const DEMO_AGENT_PIN = "123456";

export async function seedAgents(db: CustomerDb): Promise<void> {
  for (const agent of DEMO_AGENTS) {
    const exists = await db.agent.findUnique({ where: { id: agent.id }, select: { id: true } });
    if (exists) continue;
    await db.agent.create({ data: { ...agent, pinHash: await hashPin(DEMO_AGENT_PIN) } });
  }
}

import { createCustomerDb } from "../db.js";
import { hashPin } from "./pin-hash.js";

/**
 * The demo's field agents (PIN 123456 each): two held to a city, one to a whole province, and a registered
 * handheld for each to log in on. Seeding again leaves existing agents (their PINs, their locks) and terminals as
 * they are.
 */
export const DEMO_AGENTS = [
  { id: "agt_demo_gd_shenzhen", name: "李娜", provinceCode: "GD", city: "深圳", handheldId: "hh-demo-gd-sz-01" },
  { id: "agt_demo_gd_guangzhou", name: "王强", provinceCode: "GD", city: "广州", handheldId: "hh-demo-gd-gz-01" },
  { id: "agt_demo_zj", name: "陈杰", provinceCode: "ZJ", city: "", handheldId: "hh-demo-zj-01" },
] as const;
export const DEMO_AGENT_PIN = "123456";

export async function seedAgents(databaseUrl: string): Promise<{ agents: number }> {
  const db = createCustomerDb(databaseUrl, 2);
  try {
    const pinHash = await hashPin(DEMO_AGENT_PIN);
    const { count } = await db.agent.createMany({
      data: DEMO_AGENTS.map(({ id, name, provinceCode, city }) => ({ id, name, provinceCode, city, pinHash })),
      skipDuplicates: true,
    });
    await db.terminal.createMany({
      data: DEMO_AGENTS.map((agent) => ({
        id: agent.handheldId,
        kind: "HANDHELD",
        shopId: `outlet-${agent.provinceCode.toLowerCase()}-demo`,
        provinceCode: agent.provinceCode,
        city: agent.city || "杭州",
        location: "demo handheld",
        softwareVersion: "demo",
      })),
      skipDuplicates: true,
    });
    return { agents: count };
  } finally {
    await db.$disconnect();
  }
}

import { createCustomerDb } from "../db.js";
import { hashPin } from "../agents/pin-hash.js";

/**
 * The demo's operations staff (one password for all, DEMO_OPERATOR_PASSWORD): an HQ author and an HQ approver, a
 * Guangdong operator who both writes and approves (so the author-cannot-approve rule shows), a second Guangdong
 * approver, and an HQ viewer, so the ops console's four-eyes flow and the province scope can be
 * tried. Seeding again leaves existing operators (their passwords, their locks) as they are.
 */
export const DEMO_OPERATORS = [
  { id: "opr_demo_hq_author", name: "赵敏", roles: ["author"], provinceScope: "*" },
  { id: "opr_demo_hq_approver", name: "钱伟", roles: ["approver"], provinceScope: "*" },
  { id: "opr_demo_gd_author", name: "孙丽", roles: ["author", "approver"], provinceScope: "GD" },
  { id: "opr_demo_gd_approver", name: "周强", roles: ["approver"], provinceScope: "GD" },
  { id: "opr_demo_viewer", name: "吴芳", roles: ["viewer"], provinceScope: "*" },
] as const;
export const DEMO_OPERATOR_PASSWORD = "omnihall-ops";

export async function seedOperators(databaseUrl: string): Promise<{ operators: number }> {
  const db = createCustomerDb(databaseUrl, 2);
  try {
    const passwordHash = await hashPin(DEMO_OPERATOR_PASSWORD);
    const { count } = await db.operator.createMany({
      data: DEMO_OPERATORS.map(({ id, name, roles, provinceScope }) => ({
        id,
        name,
        roles: [...roles],
        provinceScope,
        passwordHash,
      })),
      skipDuplicates: true,
    });
    return { operators: count };
  } finally {
    await db.$disconnect();
  }
}

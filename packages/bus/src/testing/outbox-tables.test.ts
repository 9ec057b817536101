import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { OUTBOX_TABLES_SQL } from "./outbox-tables.js";

type Columns = Record<string, string>;

/** table → column → `TYPE NOT NULL?`, from the models in the README's prisma block. */
function tablesFromPrisma(schema: string): Record<string, Columns> {
  const typeOf: Record<string, string> = { String: "TEXT", Bytes: "BYTEA", Json: "JSONB", DateTime: "TIMESTAMP(3)" };
  const tables: Record<string, Columns> = {};
  for (const [, body] of schema.matchAll(/^model \w+ \{\n([\s\S]*?)^\}/gm)) {
    const table = /@@map\("(\w+)"\)/.exec(body!)![1]!;
    tables[table] = {};
    for (const [, field, type, optional, rest] of body!.matchAll(/^\s+(\w+)\s+(\w+)(\?)?(.*)$/gm)) {
      const column = /@map\("(\w+)"\)/.exec(rest!)?.[1] ?? field!;
      const sqlType = /@db\.Timestamptz\(3\)/.test(rest!) ? "TIMESTAMPTZ(3)" : typeOf[type!];
      tables[table]![column] = `${sqlType}${optional ? "" : " NOT NULL"}`;
    }
  }
  return tables;
}

function tablesFromSql(sql: string): Record<string, Columns> {
  const tables: Record<string, Columns> = {};
  for (const [, table, body] of sql.matchAll(/CREATE TABLE "(\w+)" \(([^;]*)\);/g)) {
    tables[table!] = {};
    for (const [, column, type, notNull] of body!.matchAll(/^\s+"(\w+)" ([A-Z(0-9)]+)( NOT NULL)?/gm)) {
      tables[table!]![column!] = `${type}${notNull ?? ""}`;
    }
  }
  return tables;
}

describe("the outbox tables", () => {
  it("that tests create are the ones the README's Prisma models describe", async () => {
    const readme = await readFile(new URL("../../README.md", import.meta.url), "utf8");
    const prismaBlock = /```prisma\n([\s\S]*?)```/.exec(readme)![1]!;
    const fromPrisma = tablesFromPrisma(prismaBlock);
    expect(Object.keys(fromPrisma)).toEqual(["outbox_message", "processed_message"]);
    expect(fromPrisma).toEqual(tablesFromSql(OUTBOX_TABLES_SQL));
  });
});

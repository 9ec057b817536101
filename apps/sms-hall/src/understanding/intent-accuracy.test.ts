import { describe, expect, it } from "vitest";
import examples from "../../data/intent-examples.json" with { type: "json" };
import { commandTableFor } from "./commands.js";
import { IntentModel } from "./intent-model.js";
import { interpret } from "./interpret.js";

/** Accuracy the model must keep on the labelled set; lower it only with a reason in the commit. */
const REQUIRED_ACCURACY = 0.9;

describe("intent accuracy on data/intent-examples.json", () => {
  it(`understands at least ${REQUIRED_ACCURACY * 100}% of the labelled messages, and reports per intent`, () => {
    const table = commandTableFor(undefined);
    const model = new IntentModel();
    const perIntent = new Map<string, { right: number; total: number; misses: string[] }>();
    for (const { text, intent } of examples.examples) {
      const request = interpret(text, table, model);
      const got = request.kind === "NOT_UNDERSTOOD" ? "UNKNOWN" : request.kind === "CONFIRM" ? "CONFIRM" : request.kind;
      const row = perIntent.get(intent) ?? { right: 0, total: 0, misses: [] };
      row.total++;
      if (got === intent) row.right++;
      else row.misses.push(`${text} → ${got}`);
      perIntent.set(intent, row);
    }
    const right = [...perIntent.values()].reduce((sum, row) => sum + row.right, 0);
    const accuracy = right / examples.examples.length;
    const report = [...perIntent.entries()].map(
      ([intent, row]) =>
        `${intent.padEnd(19)} ${row.right}/${row.total}${row.misses.length ? `  misses: ${row.misses.join("; ")}` : ""}`,
    );
    console.info(
      `intent accuracy ${(accuracy * 100).toFixed(1)}% (${right}/${examples.examples.length})\n${report.join("\n")}`,
    );
    expect(examples.examples.length).toBeGreaterThanOrEqual(300);
    expect(accuracy).toBeGreaterThanOrEqual(REQUIRED_ACCURACY);
  });
});

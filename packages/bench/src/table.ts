/** One line of the result table: a path of the issue, what this run measured, and the target beside it. */
export interface ResultRow {
  path: string;
  figure: string;
  target: string;
  /** Whether the figure meets the target; undefined when the row could not run. */
  met?: boolean;
  /** CPU each process spent per call (or per order, message, record) during the measurement. */
  cpu?: string;
  settings: string;
}

const COLUMNS = ["path", "measured", "target", "", "CPU per call", "settings"] as const;

/** The one table the bench prints at the end (also as GitHub markdown, for the README). */
export function formatTable(rows: readonly ResultRow[], markdown = false): string {
  const cells = rows.map((row) => [
    row.path,
    row.figure,
    row.target,
    row.met === undefined ? "—" : row.met ? "met" : "missed",
    row.cpu ?? "",
    row.settings,
  ]);
  if (markdown) {
    const line = (values: readonly string[]) => `| ${values.join(" | ")} |`;
    return [line(COLUMNS), line(COLUMNS.map(() => "---")), ...cells.map(line)].join("\n");
  }
  const widths = COLUMNS.map((title, i) => Math.max(title.length, ...cells.map((row) => row[i]!.length)));
  const line = (values: readonly string[]) => values.map((value, i) => value.padEnd(widths[i]!)).join("  ");
  return [line(COLUMNS), line(widths.map((width) => "-".repeat(width))), ...cells.map(line)].join("\n");
}

export const perSecond = (value: number) => `${Math.round(value).toLocaleString("en")}/s`;
export const ms = (value: number) => `${value < 10 ? value.toFixed(2) : value.toFixed(0)} ms`;

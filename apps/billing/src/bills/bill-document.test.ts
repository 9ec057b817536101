import { BillLineKind, BillStatus, type Bill } from "@omnihall/proto/omnihall/billing/v1/billing";
import { describe, expect, it } from "vitest";
import { renderBillPdf } from "./bill-document.js";

const hex = (text: string) => Buffer.from(text, "utf16le").swap16().toString("hex").toUpperCase();

function bill(lines: number): Bill {
  return {
    billId: "bill_test",
    subscriberId: "sub_test",
    billingMonth: "2026-05",
    totalFen: BigInt(lines) * 1234n - 500n,
    status: BillStatus.BILL_STATUS_SETTLED,
    issueTime: new Date("2026-06-01T02:00:00Z"),
    lines: Array.from({ length: lines }, (_, i) => ({
      kind: BillLineKind.BILL_LINE_KIND_PLAN_FEE,
      description: { zhCn: `第 ${i + 1} 项`, en: `Item ${i + 1}` },
      amountFen: i === 0 ? -500n : 1234n,
    })),
  };
}

/** Every xref entry must point at the start of its object, or readers call the file damaged. */
function checkXref(pdf: string) {
  const start = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(pdf)![1]);
  expect(pdf.slice(start, start + 4)).toBe("xref");
  const [, count] = /^xref\n0 (\d+)\n/.exec(pdf.slice(start))!;
  const entries = pdf
    .slice(start)
    .split("\n")
    .slice(3, 2 + Number(count));
  entries.forEach((entry, i) => {
    const offset = Number(entry.slice(0, 10));
    expect(pdf.slice(offset, offset + `${i + 1} 0 obj`.length)).toBe(`${i + 1} 0 obj`);
  });
  // Each stream's /Length is its exact length.
  for (const match of pdf.matchAll(/<< \/Length (\d+) >>\nstream\n/g)) {
    const body = match.index! + match[0].length;
    expect(pdf.slice(body + Number(match[1]), body + Number(match[1]) + 10)).toBe("\nendstream");
  }
}

describe("renderBillPdf", () => {
  it("writes a valid PDF with the bill's month, lines and total in Chinese and English", () => {
    const pdf = renderBillPdf(bill(3)).toString("latin1");
    expect(pdf.startsWith("%PDF-1.4\n")).toBe(true);
    checkXref(pdf);
    expect(pdf).toContain("/Count 1");
    expect(pdf).toContain(hex("月度账单 Monthly bill  2026年5月"));
    expect(pdf).toContain(hex("第 2 项  Item 2"));
    expect(pdf).toContain(hex("-￥5.00"));
    expect(pdf).toContain(hex("￥12.34"));
    expect(pdf).toContain(hex("￥32.02")); // total 3 × 12.34 − 5.00
    expect(pdf).toContain(hex("已结清 Paid"));
  });

  it("continues long bills on further pages", () => {
    const pdf = renderBillPdf(bill(60)).toString("latin1");
    checkXref(pdf);
    expect(pdf).toContain("/Count 3");
    expect(pdf).toContain(hex("第 60 项  Item 60"));
  });
});

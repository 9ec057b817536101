import { BillStatus, type Bill, type GetBillDocumentRequest } from "@omnihall/proto/omnihall/billing/v1/billing";
import type { GetBillDocumentResponse } from "@omnihall/proto/omnihall/billing/v1/billing";
import type { BillingDb } from "../db.js";
import { fenToYuan } from "../payments/gateways/signing.js";
import { getBill } from "./get-bill.js";

/** GetBillDocument: the bill (same lookup and refusals as GetBill) as a PDF. */
export async function getBillDocument(
  db: BillingDb,
  request: GetBillDocumentRequest,
): Promise<GetBillDocumentResponse> {
  const { bill } = await getBill(db, request);
  return {
    contentType: "application/pdf",
    fileName: `bill-${bill!.billingMonth}.pdf`,
    content: renderBillPdf(bill!),
  };
}

const PAGE = { width: 595, height: 842 }; // A4 in points
const MARGIN = 50;
const LINES_PER_PAGE = 28;

interface TextRun {
  text: string;
  x: number;
  y: number;
  size: number;
  /** Right-aligned at x instead of starting there. */
  right?: boolean;
}

/**
 * A bill as a PDF 1.4 written by hand: Chinese text needs no embedded font file, because PDF readers carry the
 * Adobe-GB1 CID font STSong-Light (UniGB-UCS2-H encoding) or substitute a system CJK font for it. Text is written
 * as UTF-16BE hex strings, so the file itself is plain ASCII and its xref offsets are character offsets.
 */
export function renderBillPdf(bill: Bill): Buffer {
  // The full-width ￥ (GB 2312) rather than ¥ U+00A5, which the GB1 CMap may not map.
  const money = (fen: bigint) => `${fen < 0n ? "-" : ""}￥${fenToYuan(fen < 0n ? -fen : fen)}`;
  const [year, month] = bill.billingMonth.split("-");
  const status = bill.status === BillStatus.BILL_STATUS_SETTLED ? "已结清 Paid" : "待缴 Due";
  const issued = bill.issueTime
    ? new Intl.DateTimeFormat("zh-CN", { dateStyle: "long", timeZone: "Asia/Shanghai" }).format(bill.issueTime)
    : "";
  const header: TextRun[] = [
    { text: `月度账单 Monthly bill  ${year}年${Number(month)}月`, x: MARGIN, y: 780, size: 18 },
    { text: `账单编号 Bill: ${bill.billId}`, x: MARGIN, y: 750, size: 10 },
    { text: `用户编号 Subscriber: ${bill.subscriberId}`, x: MARGIN, y: 735, size: 10 },
    { text: `出账日期 Issued: ${issued}    状态 Status: ${status}`, x: MARGIN, y: 720, size: 10 },
    { text: "项目 Item", x: MARGIN, y: 690, size: 11 },
    { text: "金额 Amount (CNY)", x: PAGE.width - MARGIN, y: 690, size: 11, right: true },
  ];
  const pages: TextRun[][] = [];
  bill.lines.forEach((line, i) => {
    const slot = i % LINES_PER_PAGE;
    if (slot === 0) pages.push(pages.length === 0 ? [...header] : []);
    const y = (pages.length === 1 ? 665 : 780) - slot * 22;
    const description = [line.description?.zhCn, line.description?.en].filter(Boolean).join("  ");
    pages
      .at(-1)!
      .push(
        { text: description, x: MARGIN, y, size: 10 },
        { text: money(line.amountFen), x: PAGE.width - MARGIN, y, size: 10, right: true },
      );
  });
  if (pages.length === 0) pages.push([...header]);
  const lastY = Math.min(...pages.at(-1)!.map((r) => r.y)) - 30;
  pages
    .at(-1)!
    .push(
      { text: "合计 Total", x: MARGIN, y: lastY, size: 12 },
      { text: money(bill.totalFen), x: PAGE.width - MARGIN, y: lastY, size: 12, right: true },
    );
  return writePdf(pages);
}

/** Width in em of text in STSong-Light as declared below: half-width for ASCII (CIDs 1–95), full for the rest. */
function emWidth(text: string): number {
  let width = 0;
  for (const char of text) width += char.codePointAt(0)! < 0x7f ? 0.5 : 1;
  return width;
}

function utf16Hex(text: string): string {
  return Buffer.from(text, "utf16le").swap16().toString("hex").toUpperCase();
}

function contentStream(runs: TextRun[]): string {
  return runs
    .map(({ text, x, y, size, right }) => {
      const left = right ? x - emWidth(text) * size : x;
      return `BT /F1 ${size} Tf ${left.toFixed(2)} ${y} Td <${utf16Hex(text)}> Tj ET`;
    })
    .join("\n");
}

function writePdf(pages: TextRun[][]): Buffer {
  // Objects: 1 catalog, 2 page tree, 3 font, 4 CID font, 5 font descriptor, then a page and its content each.
  const pageIds = pages.map((_, i) => 6 + i * 2);
  const objects: string[] = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(" ")}] /Count ${pages.length} >>`,
    "<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [4 0 R] >>",
    "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light " +
      "/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor 5 0 R " +
      "/DW 1000 /W [1 95 500] >>",
    "<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] " +
      "/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
  ];
  pages.forEach((runs, i) => {
    const content = contentStream(runs);
    objects.push(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${PAGE.width} ${PAGE.height}] ` +
        `/Resources << /Font << /F1 3 0 R >> >> /Contents ${pageIds[i]! + 1} 0 R >>`,
      `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    );
  });
  let pdf = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(pdf.length);
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  pdf += offsets.map((offset) => `${String(offset).padStart(10, "0")} 00000 n \n`).join("");
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, "latin1");
}

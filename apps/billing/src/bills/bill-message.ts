import { BillLineKind, BillStatus, type Bill } from "@omnihall/proto/omnihall/billing/v1/billing";
import type { Bill as BillRow, BillLine as BillLineRow } from "../generated/prisma/client.js";

export function billMessage(row: BillRow, lines: BillLineRow[] = []): Bill {
  return {
    billId: row.id,
    subscriberId: row.subscriberId,
    billingMonth: row.billingMonth,
    totalFen: row.totalFen,
    status: row.status === "SETTLED" ? BillStatus.BILL_STATUS_SETTLED : BillStatus.BILL_STATUS_OUTSTANDING,
    issueTime: row.issuedAt,
    lines: lines.map((line) => ({
      kind:
        BillLineKind[`BILL_LINE_KIND_${line.kind}` as keyof typeof BillLineKind] ??
        BillLineKind.BILL_LINE_KIND_UNSPECIFIED,
      description: { zhCn: line.descriptionZh, en: line.descriptionEn },
      amountFen: line.amountFen,
    })),
  };
}

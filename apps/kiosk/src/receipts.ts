import { encodeReceipt, type ReceiptLine } from "./devices/escpos.js";
import type { KioskConfig } from "./config.js";

const yuan = (fen: number) => `¥${Math.trunc(fen / 100)}.${String(Math.abs(fen) % 100).padStart(2, "0")}`;
const masked = (msisdn: string) => `${msisdn.slice(0, 3)}****${msisdn.slice(-4)}`;
const shanghaiTime = (at: Date) =>
  at.toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false }).replaceAll("/", "-");

/** The receipt of a cash top-up, both languages (a shop's customers read either), as ESC/POS bytes. */
export function cashTopUpReceipt(
  config: KioskConfig,
  topUp: { paymentId: string; msisdn: string; creditedFen: number; notes: number; at: Date },
): Uint8Array {
  const lines: ReceiptLine[] = [
    { text: "自助缴费凭条 Top-up receipt", center: true, bold: true },
    { rule: true },
    { text: `号码 Number: ${masked(topUp.msisdn)}` },
    { text: `现金 Cash notes: ${topUp.notes}` },
    { text: `到账 Credited: ${yuan(topUp.creditedFen)}`, bold: true, large: true },
    { text: `流水号 Payment: ${topUp.paymentId}` },
    { text: `时间 Time: ${shanghaiTime(topUp.at)}` },
    { text: `终端 Kiosk: ${config.KIOSK_TERMINAL_ID}` },
    { text: `地点 Shop: ${config.KIOSK_LOCATION}` },
    { rule: true },
    { text: "请妥善保管 Please keep this receipt", center: true },
  ];
  return encodeReceipt(lines);
}

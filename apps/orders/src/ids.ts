import { randomBytes } from "node:crypto";

/** A new prefixed id ("ord_…", "prd_…"): time first so ids sort roughly by creation, then 80 random bits. */
export function newId(prefix: "ord" | "prd"): string {
  return `${prefix}_${Date.now().toString(36)}${randomBytes(10).toString("hex")}`;
}

export const ORDER_ID = /^ord_[a-z0-9]{8,40}$/;
export const PRODUCT_ID = /^prd_[a-z0-9_]{8,60}$/;
export const SUBSCRIBER_ID = /^sub_[A-Za-z0-9]{1,40}$/;

/** The payment methods a page offers: the contract's gateway methods; which are taken is billing's rule. */
export const PAYMENT_METHODS = ["ALIPAY", "WECHAT_PAY", "UNIONPAY"] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

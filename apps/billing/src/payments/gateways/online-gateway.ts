/** An online payment gateway as billing uses it; Alipay-, WeChat-Pay- and UnionPay-style protocols behind it. */
export type GatewayName = "ALIPAY" | "WECHAT_PAY" | "UNIONPAY";
export const GATEWAY_NAMES: readonly GatewayName[] = ["ALIPAY", "WECHAT_PAY", "UNIONPAY"];

export interface CreatedTrade {
  payUrl: string;
  qrPayload: string;
}

/** What the gateway says about one trade. */
export interface TradeState {
  state: "PAID" | "WAITING" | "CLOSED" | "NOT_FOUND";
  amountFen?: bigint;
  tradeNo?: string;
}

/** A notification whose signature checked out: what the gateway claims happened to the trade. */
export interface GatewayNotification {
  paymentId: string;
  amountFen: bigint;
  tradeNo: string;
  paid: boolean;
  /** The gateway's own status word, for the log. */
  status: string;
}

export interface StatementLine {
  kind: "PAYMENT" | "REFUND";
  /** Billing's id as the merchant reference: "pay_…" or "rfd_…". */
  reference: string;
  providerReference: string;
  amountFen: bigint;
}

/** The gateway could not be reached or answered nonsense: nothing is known to have happened. */
export class GatewayUnavailable extends Error {}
/** A notification that is not the gateway's: bad signature, wrong merchant, malformed. */
export class NotificationRejected extends Error {}
/** The gateway refused (e.g. a refund): `code` is its own reason. */
export class GatewayRefused extends Error {
  constructor(readonly code: string) {
    super(`gateway refused: ${code}`);
  }
}

export interface OnlineGateway {
  readonly name: GatewayName;
  create(trade: {
    paymentId: string;
    amountFen: bigint;
    subject: string;
    expiresAt: Date;
    notifyUrl: string;
    returnUrl: string;
  }): Promise<CreatedTrade>;
  query(paymentId: string): Promise<TradeState>;
  close(paymentId: string): Promise<void>;
  refund(refund: { paymentId: string; refundId: string; amountFen: bigint; totalFen: bigint }): Promise<string>;
  /** Checks the signature and reads a notification's body; throws NotificationRejected. */
  readNotification(body: string): GatewayNotification;
  /** What the gateway expects back: "accepted" stops its retries, "retry" asks it to send again later. */
  answer(outcome: "accepted" | "retry"): { status: number; contentType: string; body: string };
  statement(businessDate: string): Promise<StatementLine[]>;
}

/** POSTs a body and returns the response text; any network failure or 5xx is GatewayUnavailable. */
export async function post(url: string, body: string, contentType: string, timeoutMs: number): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": contentType },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new GatewayUnavailable(`${url}: ${(error as Error).message}`);
  }
  const text = await response.text();
  if (response.status >= 500) throw new GatewayUnavailable(`${url}: HTTP ${response.status}`);
  return text;
}

export async function getText(url: string, timeoutMs: number): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new GatewayUnavailable(`${url}: ${(error as Error).message}`);
  }
  if (!response.ok) throw new GatewayUnavailable(`${url}: HTTP ${response.status}`);
  return response.text();
}

/** The statement file every simulated gateway serves: CSV `kind,reference,provider_reference,amount_fen`. */
export function parseStatement(csv: string): StatementLine[] {
  return csv
    .split("\n")
    .slice(1)
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .map((line) => {
      const [kind, reference, providerReference, amount] = line.split(",");
      if ((kind !== "PAYMENT" && kind !== "REFUND") || !reference || !/^\d+$/.test(amount ?? "")) {
        throw new GatewayUnavailable(`malformed statement line: ${line}`);
      }
      return { kind, reference, providerReference: providerReference ?? "", amountFen: BigInt(amount!) };
    });
}

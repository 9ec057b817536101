import type { BillingConfig } from "../../config.js";
import { alipayGateway } from "./alipay.js";
import type { GatewayName, OnlineGateway } from "./online-gateway.js";
import { unionpayGateway } from "./unionpay.js";
import { wechatPayGateway } from "./wechat-pay.js";

export type Gateways = ReadonlyMap<GatewayName, OnlineGateway>;

/** Each online gateway with its own keys and its own base URL under PAYMENT_GATEWAY_URL. */
export function createGateways(config: BillingConfig): Gateways {
  const base = config.PAYMENT_GATEWAY_URL.replace(/\/$/, "");
  const timeoutMs = config.GATEWAY_TIMEOUT_MS;
  return new Map<GatewayName, OnlineGateway>([
    [
      "ALIPAY",
      alipayGateway({
        url: `${base}/alipay`,
        appId: config.ALIPAY_APP_ID,
        merchantPrivateKey: config.ALIPAY_MERCHANT_PRIVATE_KEY,
        gatewayPublicKey: config.ALIPAY_GATEWAY_PUBLIC_KEY,
        timeoutMs,
      }),
    ],
    [
      "WECHAT_PAY",
      wechatPayGateway({
        url: `${base}/wechat`,
        appId: config.WECHAT_PAY_APP_ID,
        merchantId: config.WECHAT_PAY_MERCHANT_ID,
        apiKey: config.WECHAT_PAY_API_KEY,
        timeoutMs,
      }),
    ],
    [
      "UNIONPAY",
      unionpayGateway({
        url: `${base}/unionpay`,
        merchantId: config.UNIONPAY_MERCHANT_ID,
        merchantPrivateKey: config.UNIONPAY_MERCHANT_PRIVATE_KEY,
        gatewayPublicKey: config.UNIONPAY_GATEWAY_PUBLIC_KEY,
        timeoutMs,
      }),
    ],
  ]);
}

/** The gateway of a stored payment method name ("PAYMENT_METHOD_ALIPAY"), if it is an online one. */
export function gatewayOf(gateways: Gateways, paymentMethod: string): OnlineGateway | undefined {
  return gateways.get(paymentMethod.replace(/^PAYMENT_METHOD_/, "") as GatewayName);
}

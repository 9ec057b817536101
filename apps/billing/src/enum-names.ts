import { PaymentMethod } from "@omnihall/proto/omnihall/billing/v1/billing";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";

/**
 * Enums are stored by name (readable in the database, stable if numbers were ever reassigned) and turned back
 * into proto numbers on the way out.
 */
export function channelName(channel: Channel): string | undefined {
  return channel > Channel.CHANNEL_UNSPECIFIED && Channel[channel] ? Channel[channel] : undefined;
}

export function channelOf(name: string): Channel {
  return Channel[name as keyof typeof Channel] ?? Channel.CHANNEL_UNSPECIFIED;
}

export function paymentMethodName(method: PaymentMethod): string | undefined {
  return method > PaymentMethod.PAYMENT_METHOD_UNSPECIFIED && PaymentMethod[method] ? PaymentMethod[method] : undefined;
}

export function paymentMethodOf(name: string): PaymentMethod {
  return PaymentMethod[name as keyof typeof PaymentMethod] ?? PaymentMethod.PAYMENT_METHOD_UNSPECIFIED;
}

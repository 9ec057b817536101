import { createHash } from "node:crypto";
import type { Logger } from "pino";
import { CmppClient, SmsTooLongError } from "@omnihall/sms-link";
import {
  DeliveryReportListeners,
  SmsProviderError,
  type DeliveryReportListener,
  type DeliveryStatus,
  type OutboundSms,
  type SmsProvider,
  type SmsSendResult,
} from "./provider.js";

export interface CmppProviderConfig {
  host: string;
  port: number;
  /** SP enterprise code (6 characters). */
  sourceAddr: string;
  sharedSecret: string;
  serviceId: string;
  /** Submits awaiting their response at once. Default 16. */
  windowSize?: number;
  logger: Logger;
}

/** CMPP status report Stat values (7 characters) → our final delivery status; others are intermediate. */
const REPORT_STATUS: Record<string, DeliveryStatus> = {
  DELIVRD: "DELIVERED",
  EXPIRED: "EXPIRED",
  UNDELIV: "UNDELIVERABLE",
  REJECTD: "REJECTED",
  DELETED: "UNDELIVERABLE",
  UNKNOWN: "UNDELIVERABLE",
  MA: "UNDELIVERABLE",
  MB: "UNDELIVERABLE",
};

/**
 * Sends SMS over a CMPP 3.0 gateway (China Mobile's ISMG), the link SPs in mainland China are given. Each message's
 * sender is its `from` (the service or marketing number); parts are UCS-2 with a UDH. Reports arrive as
 * DELIVER with Registered_Delivery 1 and are matched by the Msg_Id SUBMIT_RESP gave.
 */
export class CmppSmsProvider implements SmsProvider {
  private constructor(
    private readonly client: CmppClient<SmsProviderError>,
    private readonly listeners: DeliveryReportListeners,
  ) {}

  static async connect(config: CmppProviderConfig): Promise<CmppSmsProvider> {
    // Reports can arrive as soon as the link is bound, so the listeners exist before the provider does.
    const listeners = new DeliveryReportListeners();
    const client = await CmppClient.connect<SmsProviderError>(
      { ...config, srcId: "", logger: config.logger },
      {
        makeError: (reason, detail, options) => new SmsProviderError(reason, detail, options),
        onReport: async (report) => {
          const status = REPORT_STATUS[report.stat.slice(0, 7).trim()] ?? REPORT_STATUS[report.stat.slice(0, 2)];
          if (!status) return;
          await listeners.emit({
            providerMessageId: report.msgId,
            status,
            ...(status !== "DELIVERED" && { errorCode: report.stat }),
          });
        },
      },
    );
    return new CmppSmsProvider(client, listeners);
  }

  async send(message: OutboundSms): Promise<SmsSendResult> {
    try {
      const providerMessageIds = await this.client.submit({
        to: message.to,
        from: message.from,
        text: message.text,
        reference: createHash("sha256").update(message.messageId).digest()[0]!,
      });
      return { providerMessageIds, parts: providerMessageIds.length };
    } catch (error) {
      if (error instanceof SmsTooLongError) throw new SmsProviderError("MESSAGE_TOO_LONG", error.message);
      throw error;
    }
  }

  onDeliveryReport(listener: DeliveryReportListener): () => void {
    return this.listeners.add(listener);
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import type { NotifyConfig } from "./config.js";
import {
  DeliveryReportRejectedError,
  SIGNATURE_HEADER,
  CmppSmsProvider,
  SmppSmsProvider,
  WebhookSmsProvider,
  type SmsProvider,
} from "./providers/index.js";

export interface SmsChannel {
  provider: SmsProvider;
  /** Where the webhook gateway posts delivery reports (webhook provider only). */
  deliveryReportUrl: string | undefined;
  close(): Promise<void>;
}

/** Connects the configured SMS provider; with the webhook one, also serves the route its receipts arrive on. */
export async function openSmsChannel(config: NotifyConfig, logger: Logger): Promise<SmsChannel> {
  if (config.SMS_PROVIDER === "smpp") {
    const provider = await SmppSmsProvider.connect({
      host: config.SMPP_HOST,
      port: config.SMPP_PORT,
      systemId: config.SMPP_SYSTEM_ID,
      password: config.SMPP_PASSWORD,
      systemType: config.SMPP_SYSTEM_TYPE,
      windowSize: config.SMPP_WINDOW,
      messagesPerSecond: config.SMPP_RATE,
      logger,
    });
    return { provider, deliveryReportUrl: undefined, close: () => provider.close() };
  }
  if (config.SMS_PROVIDER === "cmpp") {
    const provider = await CmppSmsProvider.connect({
      host: config.CMPP_HOST,
      port: config.CMPP_PORT,
      sourceAddr: config.CMPP_SOURCE_ADDR,
      sharedSecret: config.CMPP_SHARED_SECRET,
      serviceId: config.CMPP_SERVICE_ID,
      windowSize: config.SMPP_WINDOW,
      logger,
    });
    return { provider, deliveryReportUrl: undefined, close: () => provider.close() };
  }
  const provider = new WebhookSmsProvider({ url: config.SMS_WEBHOOK_URL, secret: config.SMS_WEBHOOK_SECRET, logger });
  const server = await serveDeliveryReports(provider, config, logger);
  const { port } = server.address() as AddressInfo;
  return {
    provider,
    deliveryReportUrl: `http://${config.HOST}:${port}/delivery-reports`,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await provider.close();
    },
  };
}

/** POST /delivery-reports: the raw body goes to the provider, which checks the signature the bytes carry. */
async function serveDeliveryReports(provider: WebhookSmsProvider, config: NotifyConfig, logger: Logger) {
  const server: Server = createServer((request, response) => {
    if (request.method !== "POST" || request.url !== "/delivery-reports") {
      response.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const signature = request.headers[SIGNATURE_HEADER];
      provider
        .acceptDeliveryReport(
          Buffer.concat(chunks).toString("utf8"),
          Array.isArray(signature) ? signature[0] : signature,
        )
        .then(() => response.writeHead(204).end())
        .catch((error: unknown) => {
          if (error instanceof DeliveryReportRejectedError) {
            response.writeHead(error.httpStatus).end();
          } else {
            // Not stored: a 5xx makes the gateway send it again.
            logger.error({ err: error }, "delivery report not recorded");
            response.writeHead(503).end();
          }
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(config.DELIVERY_REPORT_PORT, config.HOST, resolve));
  return server;
}

import Fastify from "fastify";
import { counter, fastifyTelemetry, startAppTelemetry } from "@omnihall/telemetry";
import { CmppClient, Concatenation, SmppReceiver, type InboundMessage, type InboundPart } from "@omnihall/sms-link";
import type { Logger } from "pino";
import { closeSmsHallClients, createSmsHallClients } from "./clients.js";
import type { SmsHallConfig } from "./config.js";
import { SmsHall } from "./conversation/sms-hall.js";
import { registerMoWebhook } from "./gateway/webhook.js";

/** Every text handled, by how it ended (RED for the SMS channel; its domain calls count in the RPC series). */
const messagesHandled = counter({
  name: "omnihall_sms_hall_messages_total",
  help: "Texts to the service number handled, by outcome (replied, silent: rate-limited or empty, failed).",
  labelNames: ["outcome"],
});

export interface RunningSmsHall {
  /** Where the signed webhook listens. */
  url: string;
  /** Where Prometheus scrapes it. */
  metricsUrl: string;
  hall: SmsHall;
  stop(): Promise<void>;
}

/**
 * Starts the SMS hall: the domain clients, the SMPP receiver bound to the SMSC (when configured) and the signed
 * webhook for aggregator gateways, all feeding one SmsHall.
 */
export async function startSmsHall(options: {
  config: SmsHallConfig;
  logger: Logger;
  onHandled?: ConstructorParameters<typeof SmsHall>[0]["onHandled"];
}): Promise<RunningSmsHall> {
  const { config, logger } = options;
  const clients = createSmsHallClients(config);
  const hall = new SmsHall({
    clients,
    logger,
    messagesPerMinute: config.SMS_HALL_MESSAGES_PER_MINUTE,
    maxQueuedPerNumber: config.SMS_HALL_MAX_QUEUED_PER_NUMBER,
    maxConcurrent: config.SMS_HALL_CONCURRENCY,
    promptTtlMs: config.SMS_HALL_PROMPT_TTL_MS,
    onHandled: (message, outcome) => {
      messagesHandled.inc({ outcome });
      options.onHandled?.(message, outcome);
    },
  });
  const accept = (message: InboundMessage) => hall.accept(message);
  // A long text whose last parts never came is still answered: a part of it is better than silence.
  const joiner = new Concatenation({ timeoutMs: config.SMS_HALL_CONCAT_TIMEOUT_MS, onIncomplete: accept });

  const onPart = async (part: InboundPart) => {
    const message = joiner.add(part);
    if (message) accept(message);
  };
  // One interface, whichever protocol the operator's gateway speaks: parts in, the hall answers through notify.
  const gateway: { close(): Promise<void> } | undefined =
    config.SMS_HALL_GATEWAY === "smpp"
      ? await SmppReceiver.connect(
          {
            host: config.SMS_HALL_SMPP_HOST,
            port: config.SMS_HALL_SMPP_PORT,
            systemId: config.SMS_HALL_SMPP_SYSTEM_ID,
            password: config.SMS_HALL_SMPP_PASSWORD,
            logger,
          },
          onPart,
        )
      : config.SMS_HALL_GATEWAY === "cmpp"
        ? await CmppClient.connect(
            {
              host: config.SMS_HALL_CMPP_HOST,
              port: config.SMS_HALL_CMPP_PORT,
              sourceAddr: config.SMS_HALL_CMPP_SOURCE_ADDR,
              sharedSecret: config.SMS_HALL_CMPP_SHARED_SECRET,
              serviceId: "",
              srcId: "",
              logger,
            },
            { onMo: onPart },
          )
        : undefined;

  const app = Fastify({ logger: false, bodyLimit: 64 * 1024 });
  await app.register(fastifyTelemetry, { accessLog: false });
  registerMoWebhook(app, config.SMS_HALL_WEBHOOK_SECRET, accept);
  app.get("/healthz", async () => ({ status: "ok" }));
  const url = await app.listen({ host: config.HOST, port: config.PORT });
  const telemetry = await startAppTelemetry({
    name: "sms-hall",
    host: config.HOST,
    port: config.PORT,
    settings: config,
  });

  return {
    url,
    metricsUrl: telemetry.metrics.url,
    hall,
    async stop() {
      await gateway?.close();
      await app.close();
      joiner.flush();
      await hall.drain();
      closeSmsHallClients(clients);
      await telemetry.stop();
    },
  };
}

/**
 * `npm start`: the whole platform on this machine. Finds or starts PostgreSQL and an event bus, migrates every
 * service's database, seeds the demo once, starts every domain service and hall, checks their health, prints
 * where they listen, and stops everything cleanly on Ctrl-C.
 */
import { migrateDeploy, serviceDatabaseUrl } from "@omnihall/db";
import { startGatewaySimulator, type GatewaySimulator } from "@omnihall/payment-gateway-sim";
import { installSignalHandlers, type RunningService } from "@omnihall/service-kit";
import { loadWebHallConfig, startWebHall, type RunningWebHall } from "@omnihall/web-hall";
import { loadSmsHallConfig, startSmsHall, type RunningSmsHall } from "@omnihall/sms-hall";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadKioskConfig, startKiosk, startKioskDeviceSimulator } from "@omnihall/kiosk";
import { loadMiniHallConfig, startMiniHall } from "@omnihall/mini-hall";
import { loadOpsConsoleConfig, startOpsConsole } from "@omnihall/ops-console";
import { DEMO_AGENT_PIN, DEMO_AGENTS, DEMO_OPERATOR_PASSWORD, DEMO_OPERATORS } from "@omnihall/customer";
import pino from "pino";
import { checkHealth } from "./health-check.js";
import { startInfrastructure } from "./infrastructure.js";
import { inProcessLiveOffers, PLATFORM_SERVICES } from "./services.js";

const logger = pino({
  name: "platform",
  level: process.env.LOG_LEVEL ?? "info",
  transport: process.stdout.isTTY ? { target: "pino-pretty", options: { ignore: "pid,hostname" } } : undefined,
});

const started = Date.now();

/** `CUSTOMER_ADDRESS=127.0.0.1:50051` and so on: how every app finds the services started before it. */
function addressVariables(addresses: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(addresses).map(([name, address]) => [`${name.toUpperCase()}_ADDRESS`, address]),
  );
}
const running: Array<{ name: string; stop(): Promise<void> }> = [];
let stopping = false;
// Ctrl-C is handled from the first moment: one during start-up waits for PostgreSQL and NATS to be up, then
// stops them cleanly (embedded PostgreSQL also stops by itself should this process die: see devstack).
const starting = startInfrastructure(process.env, logger);

async function stopAll(): Promise<void> {
  stopping = true;
  for (let service = running.pop(); service; service = running.pop()) {
    await service.stop().catch((error: unknown) => logger.error({ err: error, service: service.name }, "stop failed"));
  }
  const started = await starting.catch(() => undefined);
  await started?.stop();
  logger.info("everything stopped");
}
installSignalHandlers(stopAll, logger);

/** Migrates, seeds and starts every service, then the hall, and prints the banner; stops starting at a Ctrl-C. */
async function startAll(): Promise<void> {
  const infrastructure = await starting;
  const addresses: Record<string, string> = {};
  // The payment gateways and card acquirer billing talks to, unless real ones are configured.
  const payments: GatewaySimulator = await startGatewaySimulator({
    port: Number(process.env.PAYMENT_GATEWAY_SIM_PORT ?? 8095),
  });
  running.push({ name: "payment-gateway-sim", stop: () => payments.stop() });
  const paymentEnv = { PAYMENT_GATEWAY_URL: payments.url, ACQUIRER_URL: `${payments.url}/acquirer` };
  for (const service of PLATFORM_SERVICES) {
    if (stopping) return;
    const databaseUrl = serviceDatabaseUrl(infrastructure.postgresUrl, service.name);
    const applied = await migrateDeploy({ ...service.migrations, databaseUrl });
    if (applied.length) logger.info({ service: service.name, applied }, "migrations applied");
    if (service.seed && (await service.seed(databaseUrl))) logger.info({ service: service.name }, "demo data seeded");
    if (stopping) return;
    const env = {
      ...paymentEnv,
      ...process.env,
      ...infrastructure.smsEnv,
      ...addressVariables(addresses),
      // The NATS the platform found or started, for services that use more of it than the bus (campaign's KV).
      ...(infrastructure.natsUrl ? { NATS_URL: infrastructure.natsUrl } : {}),
      DATABASE_URL: databaseUrl,
      PORT: process.env[`${service.name.toUpperCase()}_PORT`] ?? String(service.defaultPort),
    };
    const instance: RunningService = await service.start(
      env,
      infrastructure.bus,
      logger.child({ service: service.name }),
    );
    running.push({ name: service.name, stop: () => instance.stop() });
    addresses[service.name] = instance.address;
  }
  // Stopping began during start-up: stopAll has what was started; starting more would outlive it.
  if (stopping) return;

  // The web hall, kiosk and mini hall show the campaign service's live offers: they watch its KV bucket at the
  // platform's NATS, or (in-process bus) share the very set it writes.
  const liveOffersEnv = infrastructure.natsUrl ? { NATS_URL: infrastructure.natsUrl } : {};
  const liveOffers = infrastructure.natsUrl ? undefined : inProcessLiveOffers;
  const hall: RunningWebHall = await startWebHall({
    config: loadWebHallConfig({
      ...process.env,
      ...liveOffersEnv,
      ...addressVariables(addresses),
      PORT: process.env.WEB_HALL_PORT ?? "8080",
    }),
    logger: logger.child({ service: "web-hall" }),
    liveOffers,
  });
  running.push({ name: "web-hall", stop: () => hall.stop() });

  // The SMS hall takes texts to the service number from the development SMSC notify sends through (its own
  // receiver bind); with an operator's gateway it is configured by SMS_HALL_GATEWAY and SMS_HALL_SMPP_*/CMPP_*.
  const devSmsc = infrastructure.smsEnv.SMPP_HOST !== undefined;
  const smsHall: RunningSmsHall = await startSmsHall({
    config: loadSmsHallConfig({
      ...(devSmsc
        ? {
            SMS_HALL_SMPP_HOST: infrastructure.smsEnv.SMPP_HOST,
            SMS_HALL_SMPP_PORT: infrastructure.smsEnv.SMPP_PORT,
            SMS_HALL_SMPP_SYSTEM_ID: "omnihall",
          }
        : { SMS_HALL_GATEWAY: "none" }),
      ...process.env,
      ...addressVariables(addresses),
      PORT: process.env.SMS_HALL_PORT ?? "8090",
    }),
    logger: logger.child({ service: "sms-hall" }),
  });
  running.push({ name: "sms-hall", stop: () => smsHall.stop() });

  // One demo kiosk, its devices simulated behind the same socket protocol as a real device board; receipts are
  // ESC/POS bytes appended to a file (decode with decodeReceiptText from @omnihall/kiosk).
  const kioskDevices = await startKioskDeviceSimulator({
    port: Number(process.env.KIOSK_DEVICES_PORT ?? 8190),
    controlPort: Number(process.env.KIOSK_DEVICES_CONTROL_PORT ?? 8191),
    printerFile: join(
      process.env.OMNIHALL_STATE_DIR || fileURLToPath(new URL("../../../.omnihall", import.meta.url)),
      "kiosk-printer.escpos",
    ),
  });
  running.push({ name: "kiosk-devices", stop: () => kioskDevices.stop() });
  const kiosk = await startKiosk({
    config: loadKioskConfig({
      ...process.env,
      ...liveOffersEnv,
      ...addressVariables(addresses),
      KIOSK_DEVICES_ADDRESS: kioskDevices.address,
      PORT: process.env.KIOSK_PORT ?? "8081",
    }),
    logger: logger.child({ service: "kiosk" }),
    liveOffers,
  });
  running.push({ name: "kiosk", stop: () => kiosk.stop() });

  // The field agents' handheld app (PWA) and its API.
  const miniHall = await startMiniHall({
    config: loadMiniHallConfig({
      ...process.env,
      ...liveOffersEnv,
      ...addressVariables(addresses),
      PORT: process.env.MINI_HALL_PORT ?? "8082",
    }),
    logger: logger.child({ service: "mini-hall" }),
    liveOffers,
  });
  running.push({ name: "mini-hall", stop: () => miniHall.stop() });
  const demoAgent = DEMO_AGENTS[0];

  // Operations staff's campaign console (pages and API).
  const opsConsole = await startOpsConsole({
    config: loadOpsConsoleConfig({
      ...process.env,
      ...addressVariables(addresses),
      PORT: process.env.OPS_CONSOLE_PORT ?? "8083",
    }),
    logger: logger.child({ service: "ops-console" }),
  });
  running.push({ name: "ops-console", stop: () => opsConsole.stop() });

  const health = await Promise.all(
    Object.entries(addresses).map(async ([name, address]) => [name, address, await checkHealth(address)] as const),
  );
  const lines = [
    "",
    `Omnihall is up in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    `  PostgreSQL: ${infrastructure.postgresSource}`,
    `  Events:     ${infrastructure.busSource}`,
    `  SMS:        ${infrastructure.smsSource}`,
    "",
    "  Halls",
    `    web hall      ${hall.url}   (OpenAPI: ${hall.url}/openapi.json)`,
    `    SMS hall      service number ${process.env.SERVICE_SENDER ?? "10086"} via ${devSmsc ? "the development SMSC" : (process.env.SMS_HALL_GATEWAY ?? "its gateway")}; signed webhook ${smsHall.url}/v1/mo`,
    `    kiosk         ${kiosk.url}   (touch screen; devices: simulator control ${kioskDevices.controlUrl}, receipts in ${kioskDevices.printerFile})`,
    `    mini hall     ${miniHall.url}   (handheld PWA; demo agent ${demoAgent.id}, PIN ${DEMO_AGENT_PIN}, device ${demoAgent.handheldId})`,
    `    ops console   ${opsConsole.url}   (campaigns; demo operators ${DEMO_OPERATORS.map((o) => o.id).join(", ")}, password ${DEMO_OPERATOR_PASSWORD})`,
    "",
    `  Payments     gateway simulator ${payments.url} (pay pages, statements, acquirer); gateways notify billing at http://127.0.0.1:${process.env.PAYMENT_NOTIFY_PORT ?? "50062"}/payments/notify/<gateway>`,
    "",
    "  Domain services (gRPC, health + reflection)",
    ...health.map(([name, address, status]) => `    ${name.padEnd(12)}  grpc://${address}   ${status}`),
    "",
    '  Demo login: POST /v1/login/codes {"msisdn":"13800138000"} — the code arrives as an SMS in this log.',
    "  Stop with Ctrl-C.",
    "",
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}

try {
  await startAll();
} catch (error) {
  logger.fatal({ err: error }, "the platform could not start");
  await stopAll();
  process.exit(1);
}

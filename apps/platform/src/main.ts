/**
 * `npm start`: the whole platform on this machine. Finds or starts PostgreSQL and an event bus, migrates every
 * service's database, seeds the demo once, starts every domain service and hall, checks their health, prints
 * where they listen, and stops everything cleanly on Ctrl-C.
 */
import { migrateDeploy, serviceDatabaseUrl } from "@omnihall/db";
import { startGatewaySimulator, type GatewaySimulator } from "@omnihall/payment-gateway-sim";
import { installSignalHandlers } from "@omnihall/service-kit";
import { loadWebHallConfig, startWebHall } from "@omnihall/web-hall";
import { loadSmsHallConfig, startSmsHall } from "@omnihall/sms-hall";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadKioskConfig, startKiosk } from "@omnihall/kiosk";
import { startKioskDeviceSimulator } from "@omnihall/kiosk/simulator";
import { loadMiniHallConfig, startMiniHall } from "@omnihall/mini-hall";
import { loadOpsConsoleConfig, startOpsConsole } from "@omnihall/ops-console";
import { DEMO_AGENT_PIN, DEMO_AGENTS, DEMO_OPERATOR_PASSWORD, DEMO_OPERATORS } from "@omnihall/customer";
import pino from "pino";
import { freePort } from "@omnihall/devstack";
import { checkHealth } from "./health-check.js";
import { startInfrastructure } from "./infrastructure.js";
import { inProcessLiveOffers, PLATFORM_SERVICES } from "./services.js";
import { superviseApp, type SupervisedApp } from "./supervisor.js";

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
/**
 * What was started, in order. `wave` says when it stops: the halls first (together: they call the services),
 * then the services (together), then the simulators one by one in reverse.
 */
const running: Array<{ name: string; stop(): Promise<void>; wave?: "halls" | "services" }> = [];
let stopping = false;
// Ctrl-C is handled from the first moment: one during start-up waits for PostgreSQL and NATS to be up, then
// stops them cleanly (embedded PostgreSQL also stops by itself should this process die: see devstack).
const starting = startInfrastructure(process.env, logger);

async function stopAll(): Promise<void> {
  stopping = true;
  const stopOne = (app: (typeof running)[number]) =>
    app.stop().catch((error: unknown) => logger.error({ err: error, service: app.name }, "stop failed"));
  for (const wave of ["halls", "services"] as const) {
    const apps = running.filter((app) => app.wave === wave);
    running.splice(0, running.length, ...running.filter((app) => app.wave !== wave));
    await Promise.all(apps.map(stopOne));
  }
  for (let app = running.pop(); app; app = running.pop()) await stopOne(app);
  const started = await starting.catch(() => undefined);
  await started?.stop();
  logger.info("everything stopped");
}
installSignalHandlers(stopAll, logger);

/** `<NAME>_PORT` of an app, as npm start reads it (names like "web-hall" become WEB_HALL_PORT). */
const portVariable = (name: string) => `${name.toUpperCase().replaceAll("-", "_")}_PORT`;

/**
 * With NATS, every service and hall runs as its own process (its src/main.ts, the entry its deployment bundle is
 * built from), supervised: restarted with backoff when it dies, its output prefixed with its name. Without NATS
 * (no nats-server on PATH) processes could not share events, so everything runs in this process on the in-process
 * bus, as before.
 */
interface AppLaunch {
  name: string;
  /** The variables the app runs with (its config is read from them, in process or in its own process). */
  env: Record<string, string | undefined>;
  /** For processes: is it serving yet? */
  ready(port: number): Promise<boolean>;
  /** For this process: start it here and say where it listens. */
  inProcess(env: Record<string, string | undefined>): Promise<{ url: string; stop(): Promise<void> }>;
}

const appEntry = (name: string) => fileURLToPath(new URL(`../../${name}/src/main.ts`, import.meta.url));
const httpReady = async (port: number) =>
  (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.ok === true;
const grpcReady = async (port: number) => (await checkHealth(`127.0.0.1:${port}`, 1_000)) === "SERVING";

/** Starts one app (in its own process when `asProcess`), records how to stop it, and returns its URL and pid. */
async function launch(app: AppLaunch, asProcess: boolean, defaultPort: number) {
  const wave = app.ready === grpcReady ? "services" : "halls";
  const asked = Number(process.env[portVariable(app.name)] ?? defaultPort);
  if (!asProcess) {
    const instance = await app.inProcess({ ...app.env, PORT: String(asked) });
    running.push({ name: app.name, stop: () => instance.stop(), wave });
    return {
      url: instance.url,
      port: Number(new URL(instance.url.includes("://") ? instance.url : `grpc://${instance.url}`).port),
    };
  }
  // A process's port must be known before it starts (readiness, the addresses given to later apps): "0" (tests)
  // becomes a free port chosen here, and so does its metrics port.
  const port = asked === 0 ? await freePort() : asked;
  const metrics = asked === 0 ? { METRICS_PORT: String(await freePort()) } : {};
  const supervised = await superviseApp({
    name: app.name,
    entry: appEntry(app.name),
    env: { ...app.env, ...metrics, PORT: String(port) },
    ready: () => app.ready(port),
    logger,
  });
  running.push({ name: app.name, stop: () => supervised.stop(), wave });
  processes.push(supervised);
  return { url: `http://127.0.0.1:${port}`, port };
}
const processes: SupervisedApp[] = [];

/** Migrates, seeds and starts every service, then the halls, and prints the banner; stops starting at a Ctrl-C. */
async function startAll(): Promise<void> {
  const infrastructure = await starting;
  const asProcesses = infrastructure.natsUrl !== undefined;
  const addresses: Record<string, string> = {};
  // The payment gateways and card acquirer billing talks to, unless real ones are configured.
  const payments: GatewaySimulator = await startGatewaySimulator({
    port: Number(process.env.PAYMENT_GATEWAY_SIM_PORT ?? 8095),
  });
  running.push({ name: "payment-gateway-sim", stop: () => payments.stop() });
  const paymentEnv = { PAYMENT_GATEWAY_URL: payments.url, ACQUIRER_URL: `${payments.url}/acquirer` };
  // The NATS the platform found or started, for every app (the bus; campaign's and the halls' KV buckets).
  const natsEnv = infrastructure.natsUrl ? { NATS_URL: infrastructure.natsUrl } : {};
  for (const service of PLATFORM_SERVICES) {
    if (stopping) return;
    const databaseUrl = serviceDatabaseUrl(infrastructure.postgresUrl, service.name);
    const applied = await migrateDeploy({ ...service.migrations, databaseUrl });
    if (applied.length) logger.info({ service: service.name, applied }, "migrations applied");
    if (service.seed && (await service.seed(databaseUrl))) logger.info({ service: service.name }, "demo data seeded");
    if (stopping) return;
    const { port } = await launch(
      {
        name: service.name,
        env: {
          ...paymentEnv,
          ...process.env,
          ...infrastructure.smsEnv,
          ...addressVariables(addresses),
          ...natsEnv,
          DATABASE_URL: databaseUrl,
        },
        ready: grpcReady,
        inProcess: async (env) => {
          const instance = await service.start(env, infrastructure.bus, logger.child({ service: service.name }));
          return { url: instance.address, stop: () => instance.stop() };
        },
      },
      asProcesses,
      service.defaultPort,
    );
    addresses[service.name] = `127.0.0.1:${port}`;
  }
  // Stopping began during start-up: stopAll has what was started; starting more would outlive it.
  if (stopping) return;

  // The web hall, kiosk and mini hall show the campaign service's live offers: they watch its KV bucket at the
  // platform's NATS, or (in-process bus) share the very set it writes.
  const liveOffers = infrastructure.natsUrl ? undefined : inProcessLiveOffers;
  const hallEnv = { ...process.env, ...natsEnv, ...addressVariables(addresses) };
  const hall = await launch(
    {
      name: "web-hall",
      env: hallEnv,
      ready: httpReady,
      inProcess: (env) =>
        startWebHall({ config: loadWebHallConfig(env), logger: logger.child({ service: "web-hall" }), liveOffers }),
    },
    asProcesses,
    8080,
  );

  // The SMS hall takes texts to the service number from the development SMSC notify sends through (its own
  // receiver bind); with an operator's gateway it is configured by SMS_HALL_GATEWAY and SMS_HALL_SMPP_*/CMPP_*.
  const devSmsc = infrastructure.smsEnv.SMPP_HOST !== undefined;
  const smsHall = await launch(
    {
      name: "sms-hall",
      env: {
        ...(devSmsc
          ? {
              SMS_HALL_SMPP_HOST: infrastructure.smsEnv.SMPP_HOST,
              SMS_HALL_SMPP_PORT: infrastructure.smsEnv.SMPP_PORT,
              SMS_HALL_SMPP_SYSTEM_ID: "omnihall",
            }
          : { SMS_HALL_GATEWAY: "none" }),
        ...hallEnv,
      },
      ready: httpReady,
      inProcess: (env) =>
        startSmsHall({ config: loadSmsHallConfig(env), logger: logger.child({ service: "sms-hall" }) }),
    },
    asProcesses,
    8090,
  );

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
  const kiosk = await launch(
    {
      name: "kiosk",
      env: { ...hallEnv, KIOSK_DEVICES_ADDRESS: kioskDevices.address },
      ready: httpReady,
      inProcess: (env) =>
        startKiosk({ config: loadKioskConfig(env), logger: logger.child({ service: "kiosk" }), liveOffers }),
    },
    asProcesses,
    8081,
  );

  // The field agents' handheld app (PWA) and its API.
  const miniHall = await launch(
    {
      name: "mini-hall",
      env: hallEnv,
      ready: httpReady,
      inProcess: (env) =>
        startMiniHall({ config: loadMiniHallConfig(env), logger: logger.child({ service: "mini-hall" }), liveOffers }),
    },
    asProcesses,
    8082,
  );
  const demoAgent = DEMO_AGENTS[0];

  // Operations staff's campaign console (pages and API).
  const opsConsole = await launch(
    {
      name: "ops-console",
      env: hallEnv,
      ready: httpReady,
      inProcess: (env) =>
        startOpsConsole({ config: loadOpsConsoleConfig(env), logger: logger.child({ service: "ops-console" }) }),
    },
    asProcesses,
    8083,
  );

  const health = await Promise.all(
    Object.entries(addresses).map(async ([name, address]) => [name, address, await checkHealth(address)] as const),
  );
  const pidOf = (name: string) => {
    const pid = processes.find((app) => app.name === name)?.pid();
    return pid === undefined ? "" : `   pid ${pid}`;
  };
  const lines = [
    "",
    `Omnihall is up in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    `  PostgreSQL: ${infrastructure.postgresSource}`,
    `  Events:     ${infrastructure.busSource}`,
    `  SMS:        ${infrastructure.smsSource}`,
    `  Processes:  ${
      asProcesses
        ? `one per app (${processes.length}), restarted when one dies; their lines are prefixed with the app's name`
        : "everything in this one process (no NATS to share events between processes)"
    }`,
    "",
    "  Halls",
    `    web hall      ${hall.url}   (OpenAPI: ${hall.url}/openapi.json)${pidOf("web-hall")}`,
    `    SMS hall      service number ${process.env.SERVICE_SENDER ?? "10086"} via ${devSmsc ? "the development SMSC" : (process.env.SMS_HALL_GATEWAY ?? "its gateway")}; signed webhook ${smsHall.url}/v1/mo${pidOf("sms-hall")}`,
    `    kiosk         ${kiosk.url}   (touch screen; devices: simulator control ${kioskDevices.controlUrl}, receipts in ${kioskDevices.printerFile})${pidOf("kiosk")}`,
    `    mini hall     ${miniHall.url}   (handheld PWA; demo agent ${demoAgent.id}, PIN ${DEMO_AGENT_PIN}, device ${demoAgent.handheldId})${pidOf("mini-hall")}`,
    `    ops console   ${opsConsole.url}   (campaigns; demo operators ${DEMO_OPERATORS.map((o) => o.id).join(", ")}, password ${DEMO_OPERATOR_PASSWORD})${pidOf("ops-console")}`,
    "",
    `  Payments     gateway simulator ${payments.url} (pay pages, statements, acquirer); gateways notify billing at http://127.0.0.1:${process.env.PAYMENT_NOTIFY_PORT ?? "50062"}/payments/notify/<gateway>`,
    "",
    "  Domain services (gRPC, health + reflection)",
    ...health.map(([name, address, status]) => `    ${name.padEnd(12)}  grpc://${address}   ${status}${pidOf(name)}`),
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
  // A Ctrl-C during start-up also stops the apps being started (it reaches their processes too): stopAll, already
  // running from the signal handler, finishes the job.
  if (!stopping) {
    logger.fatal({ err: error }, "the platform could not start");
    await stopAll();
    process.exit(1);
  }
}

import pino from "pino";
import { onTestFinished } from "vitest";
import { migratedTestDatabase } from "@omnihall/db/testing";
import { createPrismaClient } from "@omnihall/db";
import { PrismaClient, type NotifyDb } from "../db.js";
import { SmppSmsProvider } from "../providers/index.js";
import { FakeSmsc, type FakeSmscOptions } from "../providers/testing/fake-smsc.js";

export const SMSC_CREDENTIALS = { systemId: "omnihall", password: "secret12" };

/** A fresh migrated notify database for one test, with a client closed when the test ends. */
export async function notifyTestDatabase(poolSize = 10): Promise<{ url: string; db: NotifyDb }> {
  const database = await migratedTestDatabase(new URL("../..", import.meta.url));
  const db = createPrismaClient(PrismaClient, database.url, { poolSize });
  onTestFinished(() => db.$disconnect());
  return { url: database.url, db };
}

/** A real SMSC (the smpp library's server side) on a free port, closed when the test ends. */
export async function startFakeSmsc(options: FakeSmscOptions = {}): Promise<FakeSmsc> {
  const smsc = await FakeSmsc.start(SMSC_CREDENTIALS, options);
  onTestFinished(() => smsc.close());
  return smsc;
}

/** An SMPP provider bound to the fake SMSC, fast enough for tests, closed when the test ends. */
export async function connectSmpp(smsc: FakeSmsc): Promise<SmppSmsProvider> {
  const provider = await SmppSmsProvider.connect({
    host: "127.0.0.1",
    port: smsc.port,
    ...SMSC_CREDENTIALS,
    messagesPerSecond: 1000,
    windowSize: 20,
    reconnectDelay: { initialMs: 50, maxMs: 500 },
    logger: pino({ level: "silent" }),
  });
  onTestFinished(() => provider.close());
  return provider;
}

export const silentLogger = pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });

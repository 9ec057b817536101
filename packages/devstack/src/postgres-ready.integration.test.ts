import net from "node:net";
import pg from "pg";
import { describe, expect, inject, it, onTestFinished } from "vitest";
import { waitForPort } from "./ports.js";
import { waitForPostgres } from "./postgres-ready.js";

/**
 * What PostgreSQL answers a client while it is still starting up: after reading the startup packet, an
 * ErrorResponse (FATAL, SQLSTATE 57P03) on an open port, then it closes the connection.
 */
function startingUpResponse(): Buffer {
  const fields = Buffer.concat([
    ...[
      ["S", "FATAL"],
      ["V", "FATAL"],
      ["C", "57P03"],
      ["M", "the database system is starting up"],
    ].map(([code, value]) => Buffer.from(`${code}${value}\0`)),
    Buffer.from([0]),
  ]);
  const header = Buffer.alloc(5);
  header.write("E", 0);
  header.writeInt32BE(fields.length + 4, 1);
  return Buffer.concat([header, fields]);
}

/**
 * A PostgreSQL server that takes a while to start: the port is open at once, the first `startingUpFor`
 * connections are refused the way a starting server refuses them, later ones reach the real test server.
 */
async function slowStartingPostgres(startingUpFor: number): Promise<{ url: string; refused: () => number }> {
  const target = new URL(inject("postgresUrl"));
  let refused = 0;
  const server = net.createServer((client) => {
    client.on("error", () => {});
    if (refused < startingUpFor) {
      client.once("data", () => {
        refused += 1;
        client.end(startingUpResponse());
      });
      return;
    }
    const upstream = net.connect({ host: target.hostname, port: Number(target.port || 5432) });
    upstream.on("error", () => client.destroy());
    client.on("close", () => upstream.destroy());
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const url = new URL(target);
  url.host = `127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  return { url: url.toString(), refused: () => refused };
}

async function selectOne(url: string): Promise<unknown> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => {});
  try {
    await client.connect();
    return (await client.query("SELECT 1 AS one")).rows[0];
  } finally {
    await client.end().catch(() => {});
  }
}

describe("PostgreSQL readiness", () => {
  it("is a query that succeeds, not an open port", async () => {
    const postgres = await slowStartingPostgres(5);
    // The open port is what readiness used to be: a query right after it meets a server still starting up.
    await waitForPort("127.0.0.1", Number(new URL(postgres.url).port), 5_000);
    await expect(selectOne(postgres.url)).rejects.toThrow("the database system is starting up");

    await waitForPostgres(postgres.url, 30_000);
    expect(postgres.refused()).toBe(5);
    expect(await selectOne(postgres.url)).toEqual({ one: 1 });
  });

  it("gives up after its bound, saying why", async () => {
    const postgres = await slowStartingPostgres(Number.POSITIVE_INFINITY);
    const started = Date.now();
    const waiting = waitForPostgres(postgres.url, 1_000);
    await expect(waiting).rejects.toThrow(/answered no query within 1000 ms: the database system is starting up/);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(postgres.refused()).toBeGreaterThan(1);
  });
});

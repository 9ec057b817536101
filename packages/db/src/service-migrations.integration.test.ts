import "@omnihall/testkit";
import { fileURLToPath } from "node:url";
import { describe, expect, inject, it } from "vitest";
import { checkMigrations } from "./migrations/check.js";
import { discoverServices } from "./services.js";

const appsDir = fileURLToPath(new URL("../../../apps", import.meta.url));
const services = await discoverServices(appsDir);

// Every service's committed migrations replay cleanly and capture its whole schema: a schema.prisma change
// without `npm run migrate -- create <service> <name>` fails here, in every run of the test suite.
describe.each(services.map((service) => [service.name, service] as const))("%s migrations", (_name, service) => {
  it("replay on an empty database and match schema.prisma", { timeout: 120_000 }, async () => {
    const problems = await checkMigrations({ ...service, adminUrl: inject("postgresUrl") });
    expect(problems.map((problem) => `${problem.kind}: ${problem.message}`)).toEqual([]);
  });
});

it("finds every domain service's database", () => {
  expect(services.map((service) => service.name)).toEqual(
    expect.arrayContaining(["billing", "catalog", "customer", "notify", "orders", "usage"]),
  );
});

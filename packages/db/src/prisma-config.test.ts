import { accessSync, constants } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { servicePrismaConfig } from "./prisma-config.js";

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("servicePrismaConfig", () => {
  it("takes the service from the config file's folder: its schema, migrations and database", () => {
    vi.stubEnv("DATABASE_URL", "postgresql://app:pw@db.internal:5432/postgres?sslmode=require");

    expect(servicePrismaConfig("file:///repo/apps/web-hall/prisma.config.ts")).toEqual({
      schema: "/repo/apps/web-hall/prisma/schema.prisma",
      migrations: { path: "/repo/apps/web-hall/prisma/migrations" },
      datasource: { url: "postgresql://app:pw@db.internal:5432/omnihall_web_hall?sslmode=require" },
    });
  });

  it("defaults to the local server", () => {
    vi.stubEnv("DATABASE_URL", undefined);

    expect(servicePrismaConfig("file:///repo/apps/billing/prisma.config.ts").datasource.url).toBe(
      "postgresql://postgres@127.0.0.1:5432/omnihall_billing",
    );
  });

  it("points Prisma at an executable stand-in for its native schema engine, unless one is set", () => {
    vi.stubEnv("PRISMA_SCHEMA_ENGINE_BINARY", undefined);
    servicePrismaConfig("file:///repo/apps/billing/prisma.config.ts");
    const stub = process.env.PRISMA_SCHEMA_ENGINE_BINARY!;
    expect(stub).toMatch(/packages\/db\/bin\/schema-engine-stub$/);
    expect(() => accessSync(stub, constants.X_OK)).not.toThrow();

    vi.stubEnv("PRISMA_SCHEMA_ENGINE_BINARY", "/opt/prisma/schema-engine");
    servicePrismaConfig("file:///repo/apps/billing/prisma.config.ts");
    expect(process.env.PRISMA_SCHEMA_ENGINE_BINARY).toBe("/opt/prisma/schema-engine");
  });
});

import { describe, expect, it } from "vitest";
import { databaseNameOf, redactPassword, serviceDatabaseName, serviceDatabaseUrl } from "./database-urls.js";

describe("serviceDatabaseUrl", () => {
  it("points at omnihall_<service> on the same server, keeping credentials and parameters", () => {
    expect(serviceDatabaseUrl("postgresql://app:s3cret@db.internal:6432/postgres?sslmode=require", "billing")).toBe(
      "postgresql://app:s3cret@db.internal:6432/omnihall_billing?sslmode=require",
    );
  });

  it("replaces whatever database the base URL names, so a service's own URL maps to itself", () => {
    const own = serviceDatabaseUrl("postgresql://postgres@127.0.0.1:5432/postgres", "customer");
    expect(serviceDatabaseUrl(own, "customer")).toBe(own);
  });

  it("turns dashes into underscores and refuses names that are not kebab-case", () => {
    expect(serviceDatabaseName("web-hall")).toBe("omnihall_web_hall");
    expect(() => serviceDatabaseName("Billing")).toThrow(/Not a service name/);
    expect(() => serviceDatabaseName("a; DROP DATABASE x")).toThrow(/Not a service name/);
  });
});

describe("databaseNameOf", () => {
  it("reads the database from the path and refuses a URL without one", () => {
    expect(databaseNameOf("postgresql://postgres@127.0.0.1/omnihall_usage")).toBe("omnihall_usage");
    expect(() => databaseNameOf("postgresql://postgres:pw@127.0.0.1")).toThrow(/names no database.*\*\*\*/);
  });
});

describe("redactPassword", () => {
  it("hides the password only", () => {
    expect(redactPassword("postgresql://app:s3cret@h/db")).toBe("postgresql://app:***@h/db");
    expect(redactPassword("postgresql://app@h/db")).toBe("postgresql://app@h/db");
  });
});

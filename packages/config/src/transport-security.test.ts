import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "./load-config.js";
import { loadTransportSecurity } from "./transport-security.js";

describe("loadTransportSecurity", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "omnihall-tls-config-"));
  for (const name of ["ca.crt", "app.crt", "app.key"]) writeFileSync(path.join(dir, name), `pem of ${name}`);
  const all = {
    OMNIHALL_TLS_CA: path.join(dir, "ca.crt"),
    OMNIHALL_TLS_CERT: path.join(dir, "app.crt"),
    OMNIHALL_TLS_KEY: path.join(dir, "app.key"),
  };

  it("is plaintext (undefined) when nothing is set, and reads the three files when all are", () => {
    expect(loadTransportSecurity({})).toBeUndefined();
    const security = loadTransportSecurity(all)!;
    expect([security.ca, security.cert, security.key].map(String)).toEqual([
      "pem of ca.crt",
      "pem of app.crt",
      "pem of app.key",
    ]);
  });

  it("refuses a partial set and files it cannot read, naming each variable", () => {
    const partial = () => loadTransportSecurity({ OMNIHALL_TLS_CA: all.OMNIHALL_TLS_CA });
    expect(partial).toThrow(ConfigError);
    expect(partial).toThrow(/OMNIHALL_TLS_CERT[\s\S]*OMNIHALL_TLS_KEY/);
    expect(() => loadTransportSecurity({ ...all, OMNIHALL_TLS_KEY: path.join(dir, "missing.key") })).toThrow(
      /OMNIHALL_TLS_KEY: cannot be read/,
    );
  });
});

import { describe, expect, it } from "vitest";
import { ConfigError } from "@omnihall/config";
import { loadOrdersConfig } from "./config.js";

describe("orders configuration", () => {
  it("runs on one machine with no environment", () => {
    const config = loadOrdersConfig({});
    expect(config).toMatchObject({
      PORT: 50054,
      CATALOG_ADDRESS: "127.0.0.1:50053",
      BILLING_ADDRESS: "127.0.0.1:50052",
      CUSTOMER_ADDRESS: "127.0.0.1:50051",
      CONFIRMATION_TTL_SECONDS: 900,
      PROVISIONING_FAILURE_RATE: 0,
    });
    expect(config.DATABASE_URL).toMatch(/\/omnihall_orders$/);
  });

  it("refuses a failure rate outside 0..1 and a zero worker count", () => {
    expect(() => loadOrdersConfig({ PROVISIONING_FAILURE_RATE: "1.5", SAGA_WORKERS: "0" })).toThrow(ConfigError);
  });
});

import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  callerEnv,
  ConfigError,
  databaseUrl,
  developmentCallerKey,
  loadConfig,
  LOCAL_DATABASE_URL,
  natsUrl,
  serviceEnv,
} from "./index.js";

const customerSchema = z.object({ ...serviceEnv(50051), DATABASE_URL: databaseUrl(), NATS_URL: natsUrl() });
const productionKeys = "web-hall=0123456789abcdef0123,billing=fedcba9876543210fedc";

function problemsOf(run: () => unknown) {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig", () => {
  it("runs on one machine with no environment at all", () => {
    const config = loadConfig(customerSchema, {});
    expect(config).toMatchObject({
      NODE_ENV: "development",
      LOG_LEVEL: "info",
      HOST: "127.0.0.1",
      PORT: 50051,
      DATABASE_URL: LOCAL_DATABASE_URL,
      NATS_URL: ["nats://127.0.0.1:4222"],
    });
    expect(config.OMNIHALL_CALLER_KEYS.get("web-hall")).toBe(developmentCallerKey("web-hall"));
    expect(config.OMNIHALL_CALLER_KEYS.get("billing")).toBe(developmentCallerKey("billing"));
  });

  it("reads and converts the variables that are set, treating empty ones as unset", () => {
    const config = loadConfig(customerSchema, {
      PORT: "6000",
      LOG_LEVEL: "debug",
      HOST: "",
      NATS_URL: "nats://a:4222, nats://b:4222",
      OMNIHALL_CALLER_KEYS: productionKeys,
    });
    expect(config.PORT).toBe(6000);
    expect(config.HOST).toBe("127.0.0.1");
    expect(config.NATS_URL).toEqual(["nats://a:4222", "nats://b:4222"]);
    expect([...config.OMNIHALL_CALLER_KEYS.keys()]).toEqual(["web-hall", "billing"]);
  });

  it("lists every bad variable in one error", () => {
    const problems = problemsOf(() =>
      loadConfig(customerSchema, {
        PORT: "eighty",
        LOG_LEVEL: "loud",
        DATABASE_URL: "mysql://localhost/x",
        NATS_URL: "http://nats:4222",
      }),
    );
    expect(problems.map((problem) => problem.variable).sort()).toEqual([
      "DATABASE_URL",
      "LOG_LEVEL",
      "NATS_URL",
      "PORT",
    ]);
    expect(problems.find((problem) => problem.variable === "PORT")?.message).toBe(
      "must be a whole number from 0 to 65535",
    );
  });

  it("says which variable is required when one without a default is missing", () => {
    const problems = problemsOf(() => loadConfig(z.object({ SMSC_HOST: z.string() }), {}));
    expect(problems).toEqual([{ variable: "SMSC_HOST", message: "is required" }]);
  });

  it("rejects malformed, duplicated, short and shared caller keys", () => {
    const bad = (keys: string) =>
      problemsOf(() => loadConfig(customerSchema, { OMNIHALL_CALLER_KEYS: keys })).map((problem) => problem.message);
    expect(bad("web-hall")[0]).toMatch(/name=key/);
    expect(bad("web-hall=short")[0]).toMatch(/shorter than 16/);
    expect(bad("web-hall=0123456789abcdef0123,web-hall=fedcba9876543210fedc")[0]).toMatch(/listed twice/);
    expect(bad("web-hall=0123456789abcdef0123,kiosk=0123456789abcdef0123")[0]).toMatch(/its own/);
    expect(bad(",")[0]).toMatch(/no callers/);
  });

  it("refuses development credentials in production, whether defaulted or copied", () => {
    const schema = z.object({ ...customerSchema.shape, ...callerEnv("customer") });
    const defaulted = problemsOf(() => loadConfig(schema, { NODE_ENV: "production" }));
    expect(defaulted.map((problem) => problem.variable).sort()).toEqual([
      "OMNIHALL_CALLER_KEY",
      "OMNIHALL_CALLER_KEYS",
    ]);
    expect(defaulted[0]?.message).toMatch(/must be set in production/);

    const copied = problemsOf(() =>
      loadConfig(schema, {
        NODE_ENV: "production",
        OMNIHALL_CALLER_KEYS: `${productionKeys},kiosk=${developmentCallerKey("kiosk")}`,
        OMNIHALL_CALLER_KEY: developmentCallerKey("customer"),
      }),
    );
    expect(copied).toHaveLength(2);
    expect(copied.every((problem) => /development key/.test(problem.message))).toBe(true);

    const config = loadConfig(schema, {
      NODE_ENV: "production",
      OMNIHALL_CALLER_KEYS: productionKeys,
      OMNIHALL_CALLER_KEY: "a-real-secret-of-enough-length",
    });
    expect(config.OMNIHALL_CALLER_KEY).toBe("a-real-secret-of-enough-length");
  });

  it("renders a readable message naming each variable", () => {
    expect(() => loadConfig(customerSchema, { PORT: "-1", LOG_LEVEL: "x" })).toThrow(
      /Invalid configuration \(2 problems\):\n {2}LOG_LEVEL: must be one of .*\n {2}PORT: must be a whole number/,
    );
  });

  it("leaves telemetry to its defaults unless a metrics port or an OTLP collector is given", () => {
    const quiet = loadConfig(customerSchema, {});
    expect(quiet.METRICS_PORT).toBeUndefined();
    expect(quiet.OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
    expect(
      loadConfig(customerSchema, { METRICS_PORT: "9464", OTEL_EXPORTER_OTLP_ENDPOINT: "http://otel:4318" }),
    ).toMatchObject({ METRICS_PORT: 9464, OTEL_EXPORTER_OTLP_ENDPOINT: "http://otel:4318" });
    expect(() => loadConfig(customerSchema, { OTEL_EXPORTER_OTLP_ENDPOINT: "otel:4317" })).toThrow(
      /OTEL_EXPORTER_OTLP_ENDPOINT: must be an http\(s\):\/\/ URL/,
    );
  });
});

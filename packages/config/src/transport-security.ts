import { readFileSync } from "node:fs";
import { ConfigError } from "./load-config.js";

/** This app's identity for mutual TLS between halls and services: PEM files, as read. */
export interface TransportSecurity {
  /** The CA every party's certificate is signed by (the only one trusted). */
  ca: Buffer;
  /** This app's certificate (CN = its caller name, SANs = the names it is dialled by). */
  cert: Buffer;
  key: Buffer;
}

const VARIABLES = ["OMNIHALL_TLS_CA", "OMNIHALL_TLS_CERT", "OMNIHALL_TLS_KEY"] as const;

/**
 * Mutual TLS for every gRPC server and client of this process when OMNIHALL_TLS_CA, OMNIHALL_TLS_CERT and
 * OMNIHALL_TLS_KEY name PEM files (infra/tls/make-dev-ca.sh makes a development set); plaintext when none is set.
 * Read by the service kit and the channel client themselves, so every app gets it without wiring. Some but not all
 * set, or a file that cannot be read, is a configuration error.
 */
export function loadTransportSecurity(env: NodeJS.ProcessEnv = process.env): TransportSecurity | undefined {
  const set = VARIABLES.filter((name) => env[name]);
  if (set.length === 0) return undefined;
  if (set.length < VARIABLES.length) {
    throw new ConfigError(
      VARIABLES.filter((name) => !env[name]).map((variable) => ({
        variable,
        message: `must be set with ${set.join(", ")} (mutual TLS needs the CA, the certificate and its key)`,
      })),
    );
  }
  const problems: { variable: string; message: string }[] = [];
  const read = (variable: (typeof VARIABLES)[number]) => {
    try {
      return readFileSync(env[variable]!);
    } catch (error) {
      problems.push({ variable, message: `cannot be read: ${(error as Error).message}` });
      return Buffer.alloc(0);
    }
  };
  const security = { ca: read("OMNIHALL_TLS_CA"), cert: read("OMNIHALL_TLS_CERT"), key: read("OMNIHALL_TLS_KEY") };
  if (problems.length > 0) throw new ConfigError(problems);
  return security;
}

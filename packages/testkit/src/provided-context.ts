// What the global setup hands every test (vitest `provide`/`inject`). Imported wherever `inject` is used, so the
// names type-check in every package that uses the testkit.
declare module "vitest" {
  export interface ProvidedContext {
    /** Admin URL of the PostgreSQL server tests create their databases on. */
    postgresUrl: string;
    /** URL of the NATS JetStream server tests use. */
    natsUrl: string;
  }
}

export {};

import { z } from "zod";

/**
 * Marks the schema pieces whose development default is a credential. `loadConfig` refuses them in production
 * unless the variable is set explicitly to a key that is not a development key.
 */
export const developmentCredentials = z.registry<{ isDevelopmentValue: (raw: string) => boolean }>();

/** One bad environment variable. */
export interface ConfigProblem {
  variable: string;
  message: string;
}

/** Thrown by `loadConfig` with every bad variable at once, so an operator fixes them in one go. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((problem) => `  ${problem.variable}: ${problem.message}`).join("\n"),
    );
    this.name = "ConfigError";
  }
}

/**
 * Reads and validates configuration from environment variables once, at start-up. Empty variables count as
 * unset (so `PORT=` in an .env file falls back to the default). With NODE_ENV=production, every credential
 * piece (see `developmentCredentials`) must be set explicitly and must not be a development key.
 */
export function loadConfig<Schema extends z.ZodObject>(
  schema: Schema,
  env: Record<string, string | undefined> = process.env,
): z.output<Schema> {
  const values = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ""));
  const problems: ConfigProblem[] = [];

  const result = schema.safeParse(values);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const variable = String(issue.path[0] ?? "(environment)");
      problems.push({ variable, message: values[variable] === undefined ? "is required" : issue.message });
    }
  }

  if (values.NODE_ENV === "production") {
    for (const [variable, piece] of Object.entries(schema.shape)) {
      const credential = developmentCredentials.get(piece as z.ZodType);
      if (!credential) continue;
      const raw = values[variable];
      if (raw === undefined) {
        problems.push({ variable, message: "must be set in production (the development default is refused)" });
      } else if (credential.isDevelopmentValue(raw)) {
        problems.push({ variable, message: "holds a development key, which is refused in production" });
      }
    }
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return result.data!;
}

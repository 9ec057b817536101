/** The local development server's admin URL, used when DATABASE_URL is not set. */
export const DEFAULT_BASE_URL = "postgresql://postgres@127.0.0.1:5432/postgres";

/** The same server and credentials as `url` (query parameters such as sslmode kept), another database. */
export function databaseUrlFor(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

/** The same server's `postgres` maintenance database, from which databases are created and dropped. */
export function maintenanceUrl(url: string): string {
  return databaseUrlFor(url, "postgres");
}

/** The database a service owns: `omnihall_<service>` (dashes become underscores) on baseUrl's server. */
export function serviceDatabaseUrl(baseUrl: string, service: string): string {
  return databaseUrlFor(baseUrl, serviceDatabaseName(service));
}

export function serviceDatabaseName(service: string): string {
  if (!/^[a-z][a-z0-9-]*$/.test(service)) throw new Error(`Not a service name: "${service}" (want lower-case kebab)`);
  return `omnihall_${service.replaceAll("-", "_")}`;
}

/** The name of the database a URL points at. */
export function databaseNameOf(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!name) throw new Error(`The database URL names no database: ${redactPassword(url)}`);
  return name;
}

/** The URL without its password, for messages and logs. */
export function redactPassword(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = "***";
  return parsed.toString();
}

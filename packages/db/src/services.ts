import { readdir, stat } from "node:fs/promises";
import path from "node:path";

/** A domain service that owns a database: apps/<name>/prisma/schema.prisma. */
export interface DatabaseService {
  name: string;
  schemaPath: string;
  migrationsDir: string;
}

/** Every apps/* folder with a prisma/schema.prisma, by name. */
export async function discoverServices(appsDir: string): Promise<DatabaseService[]> {
  const services: DatabaseService[] = [];
  for (const name of (await readdir(appsDir)).sort()) {
    const schemaPath = path.join(appsDir, name, "prisma", "schema.prisma");
    const isService = await stat(schemaPath).then(
      (found) => found.isFile(),
      () => false,
    );
    if (isService) services.push({ name, schemaPath, migrationsDir: path.join(appsDir, name, "prisma", "migrations") });
  }
  return services;
}

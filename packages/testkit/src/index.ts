import "./provided-context.js";
export { createTestDatabase, adminQuery, databaseUrl, uniqueSuffix } from "./database.js";

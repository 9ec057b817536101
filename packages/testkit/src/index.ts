export { createTestDatabase, adminQuery, databaseUrl, uniqueSuffix } from "./database.js";

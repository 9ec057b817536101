import "./provided-context.js";
export { createTestDatabase, adminQuery, databaseUrl, uniqueSuffix } from "./database.js";
export { waitFor, type WaitOptions } from "./wait-for.js";
export { jsonCaller, type JsonAnswer } from "./json-call.js";

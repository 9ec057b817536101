// A tiny app for supervisor.integration.test.ts: answers GET / with its pid on PORT, stops on signals as every app
// does (installSignalHandlers, also when its supervisor goes), exits with code 3 on GET /crash.
import { createServer } from "node:http";
import { createLogger, installSignalHandlers } from "@omnihall/service-kit";

const logger = createLogger("tiny-app");
const server = createServer((request, response) => {
  if (request.url === "/crash") process.exit(3);
  response.end(String(process.pid));
});
server.listen(Number(process.env.PORT), "127.0.0.1", () => logger.info("ready"));
installSignalHandlers(() => new Promise<void>((resolve) => server.close(() => resolve())), logger);

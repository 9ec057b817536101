import { Server, ServerCredentials } from "@grpc/grpc-js";
import { connect, type Socket } from "node:net";
import { once } from "node:events";
import { afterEach, expect, it } from "vitest";
import { sendWithoutDelay } from "./server.js";

const servers: Server[] = [];
afterEach(() => servers.splice(0).forEach((server) => server.forceShutdown()));

it("turns Nagle's algorithm off on the connections a gRPC server accepts", async () => {
  const server = new Server();
  servers.push(server);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  // grpc-js keeps its listeners private: if an upgrade moves them, this is where we learn it.
  expect(sendWithoutDelay(server)).toBe(1);

  const listener = [
    ...(server as unknown as { http2Servers: Map<import("node:net").Server, unknown> }).http2Servers.keys(),
  ][0]!;
  const accepted = once(listener, "connection") as Promise<[Socket]>;
  const client = connect(port, "127.0.0.1");
  const [socket] = await accepted;
  const noDelay = Object.getOwnPropertySymbols(socket).find((symbol) => symbol.description === "kSetNoDelay");
  expect(noDelay && (socket as unknown as Record<symbol, unknown>)[noDelay]).toBe(true);
  client.destroy();
});

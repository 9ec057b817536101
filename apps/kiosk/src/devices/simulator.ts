import { appendFileSync, mkdirSync } from "node:fs";
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer, type Socket } from "node:net";
import { dirname } from "node:path";
import { lineReader, type DeviceEvent, type DeviceStates, type Reply, type Request } from "./protocol.js";

/** Notes a Chinese acceptor takes, in fen. */
export const NOTE_DENOMINATIONS_FEN = [100, 500, 1000, 2000, 5000, 10000] as const;

export interface KioskDeviceSimulatorOptions {
  /** KDP/1 port the kiosk hall connects to (0: a free one). */
  port?: number;
  /** HTTP port of the control API a person or a test drives the devices with (0: a free one). */
  controlPort?: number;
  host?: string;
  /** The file-backed printer: every receipt's ESC/POS bytes are appended here. */
  printerFile: string;
  /** Notes the cash box holds before it reports full. */
  cashBoxCapacity?: number;
}

export interface RunningKioskDeviceSimulator {
  /** host:port of the KDP/1 socket. */
  address: string;
  /** Base URL of the control API. */
  controlUrl: string;
  printerFile: string;
  stop(): Promise<void>;
}

/**
 * Simulated peripherals of one kiosk behind a real socket: a note acceptor with a cash box, an ID card reader and
 * a receipt printer that writes ESC/POS bytes to a file. The kiosk hall talks to it exactly as to the real board
 * (KDP/1 over TCP); people and tests act on the devices through a small HTTP control API:
 *
 *   POST /cash/notes { denominationFen }   insert a note (refused while the acceptor is not enabled or full)
 *   POST /id-card { number, name }         place an ID card on the reader
 *   PUT  /devices { printer?, cashAcceptor?, idCardReader? }   set a state (PAPER_OUT, CASH_BOX_FULL, OK…)
 *   GET  /devices                          the states, whether cash is enabled and the box's note count
 */
export async function startKioskDeviceSimulator(
  options: KioskDeviceSimulatorOptions,
): Promise<RunningKioskDeviceSimulator> {
  const host = options.host ?? "127.0.0.1";
  const capacity = options.cashBoxCapacity ?? 1000;
  mkdirSync(dirname(options.printerFile), { recursive: true });
  const states: DeviceStates = { printer: "OK", cashAcceptor: "OK", idCardReader: "OK" };
  let cashEnabled = false;
  let sequence = 0;
  let notesInBox = 0;
  const sockets = new Set<Socket>();

  const broadcast = (event: DeviceEvent) => {
    const line = JSON.stringify(event) + "\n";
    for (const socket of sockets) socket.write(line);
  };
  const setStates = (changes: Partial<DeviceStates>) => {
    Object.assign(states, changes);
    if (states.cashAcceptor !== "OK") cashEnabled = false;
    broadcast({ event: "status", devices: { ...states } });
  };

  function answer(request: Request): Reply {
    switch (request.cmd) {
      case "status":
        return { id: request.id, ok: true, devices: { ...states } };
      case "cash.enable":
        if (states.cashAcceptor !== "OK") return { id: request.id, ok: false, error: states.cashAcceptor };
        // Each enable is one cash session: the acceptor numbers its notes from 1 again.
        cashEnabled = true;
        sequence = 0;
        return { id: request.id, ok: true };
      case "cash.disable":
        cashEnabled = false;
        return { id: request.id, ok: true };
      case "print": {
        if (states.printer !== "OK") return { id: request.id, ok: false, error: states.printer };
        appendFileSync(options.printerFile, Buffer.from(request.data ?? "", "base64"));
        return { id: request.id, ok: true };
      }
      default:
        return { id: request.id, ok: false, error: "UNKNOWN_COMMAND" };
    }
  }

  const kdp = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => sockets.delete(socket));
    socket.on(
      "data",
      lineReader(
        (message) => socket.write(JSON.stringify(answer(message as Request)) + "\n"),
        () => socket.write(JSON.stringify({ id: 0, ok: false, error: "MALFORMED" }) + "\n"),
      ),
    );
  });

  async function control(request: IncomingMessage, response: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>) : {};
    const send = (status: number, payload: unknown) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(payload));
    };
    const route = `${request.method} ${request.url}`;
    if (route === "POST /cash/notes") {
      const denominationFen = Number(body.denominationFen);
      if (!(NOTE_DENOMINATIONS_FEN as readonly number[]).includes(denominationFen))
        return send(400, { accepted: false, reason: "NOTE_NOT_RECOGNISED" });
      if (states.cashAcceptor !== "OK") return send(409, { accepted: false, reason: states.cashAcceptor });
      if (!cashEnabled) return send(409, { accepted: false, reason: "ACCEPTOR_DISABLED" });
      notesInBox += 1;
      sequence += 1;
      broadcast({ event: "cash.note", sequence, denominationFen });
      if (notesInBox >= capacity) setStates({ cashAcceptor: "CASH_BOX_FULL" });
      return send(200, { accepted: true, sequence });
    }
    if (route === "POST /id-card") {
      if (states.idCardReader !== "OK") return send(409, { read: false, reason: states.idCardReader });
      broadcast({ event: "idcard", number: String(body.number ?? ""), name: String(body.name ?? "") });
      return send(200, { read: true });
    }
    if (route === "PUT /devices") {
      const changes: Partial<DeviceStates> = {};
      if (typeof body.printer === "string") changes.printer = body.printer as DeviceStates["printer"];
      if (typeof body.cashAcceptor === "string")
        changes.cashAcceptor = body.cashAcceptor as DeviceStates["cashAcceptor"];
      if (typeof body.idCardReader === "string")
        changes.idCardReader = body.idCardReader as DeviceStates["idCardReader"];
      // Emptying the cash box (a technician's visit) makes room again.
      if (changes.cashAcceptor === "OK") notesInBox = 0;
      setStates(changes);
      return send(200, { devices: states });
    }
    if (route === "GET /devices") return send(200, { devices: states, cashEnabled, notesInBox });
    return send(404, { error: "NOT_FOUND" });
  }
  const http = createHttpServer((request, response) => {
    control(request, response).catch(() => {
      response.writeHead(400).end();
    });
  });

  const listen = (server: ReturnType<typeof createServer> | ReturnType<typeof createHttpServer>, port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => resolve((server.address() as { port: number }).port));
    });
  const kdpPort = await listen(kdp, options.port ?? 0);
  const controlPort = await listen(http, options.controlPort ?? 0);
  return {
    address: `${host}:${kdpPort}`,
    controlUrl: `http://${host}:${controlPort}`,
    printerFile: options.printerFile,
    async stop() {
      for (const socket of sockets) socket.destroy();
      http.closeAllConnections();
      await Promise.all([
        new Promise<void>((resolve) => kdp.close(() => resolve())),
        new Promise<void>((resolve) => http.close(() => resolve())),
      ]);
    },
  };
}

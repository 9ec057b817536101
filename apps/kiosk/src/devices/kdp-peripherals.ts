import { connect, type Socket } from "node:net";
import type { Logger } from "@omnihall/service-kit";
import { DeviceError, type AcceptedNote, type IdCardRead, type Peripherals } from "./peripherals.js";
import { lineReader, type Command, type DeviceEvent, type DeviceStates, type Reply } from "./protocol.js";

const OFFLINE: DeviceStates = { printer: "OFFLINE", cashAcceptor: "OFFLINE", idCardReader: "OFFLINE" };
const COMMAND_TIMEOUT_MS = 5_000;
const RECONNECT_MS = 1_000;

class Listeners<T> {
  #set = new Set<(value: T) => void>();
  add(listener: (value: T) => void) {
    this.#set.add(listener);
    return () => void this.#set.delete(listener);
  }
  emit(value: T) {
    for (const listener of this.#set) listener(value);
  }
}

/**
 * The kiosk's peripherals over KDP/1 (protocol.ts): one TCP connection to the device board, reconnected when it
 * drops (every device OFFLINE meanwhile, so the screen disables what needs them).
 */
export function connectKdpPeripherals(address: string, logger: Logger): Peripherals {
  const [host, port] = [
    address.slice(0, address.lastIndexOf(":")),
    Number(address.slice(address.lastIndexOf(":") + 1)),
  ];
  let states: DeviceStates = OFFLINE;
  let socket: Socket | undefined;
  let connected = false;
  let closed = false;
  let nextId = 1;
  let reconnectTimer: NodeJS.Timeout | undefined;
  const pending = new Map<
    number,
    { resolve: (reply: Reply) => void; reject: (error: Error) => void; timer: NodeJS.Timeout }
  >();
  const stateListeners = new Listeners<DeviceStates>();
  const noteListeners = new Listeners<AcceptedNote>();
  const cardListeners = new Listeners<IdCardRead>();

  const setStates = (next: DeviceStates) => {
    const changed = JSON.stringify(next) !== JSON.stringify(states);
    states = next;
    if (changed) stateListeners.emit(states);
  };

  function onMessage(message: unknown) {
    const m = message as Partial<Reply> & Partial<DeviceEvent>;
    if (typeof m.id === "number" && m.id > 0) {
      const waiting = pending.get(m.id);
      if (!waiting) return;
      pending.delete(m.id);
      clearTimeout(waiting.timer);
      waiting.resolve(m as Reply);
      return;
    }
    const event = m as DeviceEvent;
    switch (event.event) {
      case "status":
        setStates(event.devices);
        break;
      case "cash.note":
        noteListeners.emit({ sequence: event.sequence, denominationFen: event.denominationFen });
        break;
      case "idcard":
        cardListeners.emit({ number: event.number, name: event.name });
        break;
    }
  }

  function open() {
    if (closed) return;
    const s = connect({ host, port });
    socket = s;
    s.on(
      "data",
      lineReader(onMessage, (line) => logger.warn({ line: line.slice(0, 200) }, "device board sent a malformed line")),
    );
    s.on("connect", () => {
      connected = true;
      logger.info({ address }, "device board connected");
      command("status").then(
        (reply) => reply.devices && setStates(reply.devices),
        () => undefined,
      );
    });
    s.on("error", () => undefined);
    s.on("close", () => {
      if (connected) logger.warn({ address }, "device board connection lost");
      connected = false;
      for (const [id, waiting] of pending) {
        clearTimeout(waiting.timer);
        waiting.reject(new Error("device board connection lost"));
        pending.delete(id);
      }
      setStates(OFFLINE);
      if (!closed) reconnectTimer = setTimeout(open, RECONNECT_MS);
    });
  }

  function command(cmd: Command, data?: string): Promise<Reply> {
    if (!connected || !socket) return Promise.reject(new Error("device board not connected"));
    const id = nextId++;
    const s = socket;
    return new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`device board did not answer ${cmd}`));
      }, COMMAND_TIMEOUT_MS);
      pending.set(id, { resolve, reject, timer });
      s.write(JSON.stringify({ id, cmd, ...(data !== undefined && { data }) }) + "\n");
    });
  }

  async function expectOk(device: keyof DeviceStates, cmd: Command, data?: string) {
    let reply: Reply;
    try {
      reply = await command(cmd, data);
    } catch {
      throw new DeviceError(device, "OFFLINE");
    }
    if (!reply.ok) throw new DeviceError(device, reply.error ?? "FAULT");
  }

  open();
  return {
    cash: {
      enable: () => expectOk("cashAcceptor", "cash.enable"),
      disable: () => expectOk("cashAcceptor", "cash.disable"),
      onNote: (listener) => noteListeners.add(listener),
    },
    idCards: { onCard: (listener) => cardListeners.add(listener) },
    printer: { print: (escPos) => expectOk("printer", "print", Buffer.from(escPos).toString("base64")) },
    states: () => states,
    onStates: (listener) => stateListeners.add(listener),
    async close() {
      closed = true;
      clearTimeout(reconnectTimer);
      socket?.destroy();
    },
  };
}

import { Writable } from "node:stream";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import type { Logger } from "./logger.js";

describe("Logger", () => {
  it("is what a service's pino logger already is", () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger: Logger = pino({ level: "debug" }, destination);
    logger.child({ durable: "notify--receipts" }).error({ messageId: "evt_1" }, "event handler failed; will retry");
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 50,
      durable: "notify--receipts",
      messageId: "evt_1",
      msg: "event handler failed; will retry",
    });
  });
});

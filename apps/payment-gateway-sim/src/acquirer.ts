import { createHmac, timingSafeEqual } from "node:crypto";
import type { FastifyInstance } from "fastify";

interface IsoMessage {
  mti: string;
  fields: Record<string, string>;
}

/** A card sale the acquirer approved, and what became of it. */
export interface CardTransaction {
  stan: string;
  terminalId: string;
  pan: string;
  amountFen: bigint;
  rrn: string;
  authCode: string;
  state: "APPROVED" | "REVERSED" | "VOIDED";
  refundedFen: bigint;
}

function mac(message: IsoMessage, key: string): string {
  const elements = Object.keys(message.fields)
    .map(Number)
    .sort((a, b) => a - b)
    .map((n) => `${n}=${message.fields[String(n)]}`);
  return createHmac("sha256", key)
    .update([message.mti, ...elements].join("|"))
    .digest("hex")
    .slice(0, 16)
    .toUpperCase();
}

/**
 * A simulated acquirer host speaking ISO 8583 as JSON with a MAC (see README). Cards decline by the last two
 * digits of their number when those are a decline code (…0051 → 51 insufficient funds, …0055 wrong PIN, …0054
 * expired, …0005 do not honour, …0061 over limit, …0091 issuer down); any other card is approved. `loseAnswers(n)`
 * makes the next n sales be processed (approved and booked) but never answered: the terminal's lost answer.
 */
export class AcquirerSimulator {
  readonly transactions: CardTransaction[] = [];
  #lose = 0;
  #hold: Array<() => void> = [];

  constructor(private readonly macKey: string) {}

  loseAnswers(count: number): void {
    this.#lose = count;
  }

  /** Net fen taken from cards: approved sales less reversals, voids and refunds. */
  charged(): bigint {
    return this.transactions.reduce((sum, t) => sum + (t.state === "APPROVED" ? t.amountFen - t.refundedFen : 0n), 0n);
  }

  release(): void {
    for (const answer of this.#hold.splice(0)) answer();
  }

  register(server: FastifyInstance): void {
    server.post("/acquirer/iso8583", async (request, reply) => {
      const { mac: presented, ...message } = request.body as IsoMessage & { mac?: string };
      const answer = (fields: Record<string, string>) => {
        const out = {
          mti: String(Number(message.mti) + 10).padStart(4, "0"),
          fields: { ...message.fields, ...fields },
        };
        delete out.fields["2"];
        delete out.fields["52"];
        return { ...out, mac: mac(out, this.macKey) };
      };
      const expected = Buffer.from(mac(message, this.macKey));
      if (!presented || expected.length !== presented.length || !timingSafeEqual(expected, Buffer.from(presented))) {
        return answer({ "39": "A0" }); // MAC failure
      }
      const f = message.fields;
      const amountFen = BigInt(f["4"] ?? "0");
      if (message.mti === "0400") {
        const original = this.transactions.find((t) => t.stan === (f["90"] ?? "").slice(4) && t.terminalId === f["41"]);
        if (!original) return answer({ "39": "25" });
        original.state = "REVERSED";
        return answer({ "39": "00" });
      }
      if (message.mti !== "0200") return answer({ "39": "12" });
      if (f["3"] === "020000" || f["3"] === "200000") {
        const original = this.transactions.find((t) => t.rrn === f["37"] && t.state === "APPROVED");
        if (!original || original.refundedFen + amountFen > original.amountFen) return answer({ "39": "25" });
        if (f["3"] === "020000") original.state = "VOIDED";
        else original.refundedFen += amountFen;
        return answer({ "39": "00", "37": `${original.rrn}` });
      }
      const code = (f["2"] ?? "").slice(-4);
      const decline = { "0051": "51", "0055": "55", "0054": "54", "0005": "05", "0061": "61", "0091": "91" }[code];
      if (decline) return answer({ "39": decline });
      const rrn = String(Date.now()).slice(-12);
      const authCode = String(Math.floor(100_000 + Math.random() * 900_000));
      this.transactions.push({
        stan: f["11"] ?? "",
        terminalId: f["41"] ?? "",
        pan: f["2"] ?? "",
        amountFen,
        rrn,
        authCode,
        state: "APPROVED",
        refundedFen: 0n,
      });
      if (this.#lose > 0) {
        this.#lose -= 1;
        // Booked, but the answer never leaves: the terminal times out. Held until release() or shutdown.
        await new Promise<void>((resolve) => this.#hold.push(resolve));
        return reply.code(504).send();
      }
      return answer({ "39": "00", "37": rrn, "38": authCode });
    });
  }
}

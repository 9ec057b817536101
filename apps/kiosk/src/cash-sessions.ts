import { randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { PaymentMethod, PaymentPurpose, PaymentStatus } from "@omnihall/proto/omnihall/billing/v1/billing";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import type { Logger, SubscriberParty } from "@omnihall/service-kit";
import type { KioskClients } from "./clients.js";
import type { KioskConfig } from "./config.js";
import type { AcceptedNote, Peripherals } from "./devices/peripherals.js";
import { cashTopUpReceipt } from "./receipts.js";

export interface CashSessionView {
  paymentId: string;
  countedFen: number;
  notes: number;
  /** A note the acceptor took that billing has not confirmed yet (counting). */
  counting: boolean;
}

export interface ClosedCashSession {
  paymentId: string;
  status: "SUCCEEDED" | "CANCELLED";
  creditedFen: number;
  balanceAfterFen: number;
  notes: number;
  /** PRINTED, or why not (PAPER_OUT, OFFLINE…). */
  receipt: string;
}

const NOTE_ATTEMPTS = 8;

interface OpenSession {
  paymentId: string;
  party: SubscriberParty;
  countedFen: number;
  notes: number;
  inFlight: number;
  /** Notes are counted one after another, in the acceptor's order (billing checks the sequence). */
  chain: Promise<void>;
  failure?: unknown;
}

/**
 * The kiosk's one note acceptor serves one cash session at a time. A session is a billing CASH payment: opened
 * before the acceptor is enabled, every stacked note recorded by its sequence (a replay counts nothing), closed —
 * and so credited, once — when the subscriber finishes. Billing closes a session this hall never closes (a
 * restart) after its idle time, with what was counted.
 */
export class CashSessions {
  #open: OpenSession | undefined;
  readonly #stopListening: () => void;

  constructor(
    private readonly config: KioskConfig,
    private readonly clients: KioskClients,
    private readonly peripherals: Peripherals,
    private readonly logger: Logger,
  ) {
    this.#stopListening = peripherals.cash.onNote((note) => this.#onNote(note));
  }

  /**
   * After a restart: a session the journal says was open is closed now, with what billing counted, so the
   * subscriber's money is credited at once rather than after billing's idle sweep — and never twice (closing a
   * closed session answers it unchanged).
   */
  async recover(): Promise<void> {
    const journal = this.config.KIOSK_CASH_JOURNAL;
    let open: { paymentId: string; party: SubscriberParty } | undefined;
    try {
      open = JSON.parse(readFileSync(journal, "utf8")) as { paymentId: string; party: SubscriberParty };
    } catch {
      return; // nothing was open
    }
    const { payment } = await this.clients.billing.closeCashSession(
      { requestId: `close-${open.paymentId}`, paymentId: open.paymentId, subscriberId: "" },
      { party: open.party },
    );
    this.logger.warn(
      { paymentId: open.paymentId, countedFen: Number(payment!.cashCountedFen) },
      "cash session left open by a restart closed",
    );
    rmSync(journal, { force: true });
  }

  #journal(open: OpenSession | undefined) {
    const journal = this.config.KIOSK_CASH_JOURNAL;
    if (!open) return rmSync(journal, { force: true });
    mkdirSync(dirname(journal), { recursive: true });
    writeFileSync(journal, JSON.stringify({ paymentId: open.paymentId, party: open.party }));
  }

  current(party: SubscriberParty): CashSessionView | undefined {
    const open = this.#open;
    if (!open || open.party.subscriberId !== party.subscriberId) return undefined;
    return { paymentId: open.paymentId, countedFen: open.countedFen, notes: open.notes, counting: open.inFlight > 0 };
  }

  /** Opens a session for the subscriber (or answers the one already open for them). */
  async open(party: SubscriberParty, requestId: string): Promise<CashSessionView> {
    const existing = this.current(party);
    if (existing) return existing;
    if (this.#open) await this.#abandon(this.#open);
    const { payment } = await this.clients.billing.createPayment(
      {
        requestId,
        subscriberId: "",
        amountFen: BigInt(this.config.KIOSK_CASH_MAX_FEN),
        purpose: PaymentPurpose.PAYMENT_PURPOSE_TOP_UP,
        orderId: "",
        paymentMethod: PaymentMethod.PAYMENT_METHOD_CASH,
        channel: Channel.CHANNEL_UNSPECIFIED,
        card: undefined,
        returnUrl: "",
      },
      { party, requestId },
    );
    const session: OpenSession = {
      paymentId: payment!.paymentId,
      party,
      countedFen: Number(payment!.cashCountedFen),
      notes: payment!.cashLastSequence,
      inFlight: 0,
      chain: Promise.resolve(),
    };
    try {
      await this.peripherals.cash.enable();
    } catch (error) {
      // Nothing was counted: end the session at once rather than leave it for billing's sweep.
      await this.clients.billing
        .cancelPayment(
          { requestId: `cancel-${session.paymentId}`, paymentId: session.paymentId, subscriberId: "" },
          { party },
        )
        .catch((cancelError: unknown) => this.logger.warn({ err: cancelError }, "cash session not cancelled"));
      throw error;
    }
    this.#open = session;
    this.#journal(session);
    return this.current(party)!;
  }

  /** Stops the acceptor, waits for the notes already taken to be counted, closes (credits) and prints. */
  async close(party: SubscriberParty): Promise<ClosedCashSession | undefined> {
    const open = this.#open;
    if (!open || open.party.subscriberId !== party.subscriberId) return undefined;
    await this.peripherals.cash
      .disable()
      .catch((error: unknown) => this.logger.warn({ err: error }, "acceptor not disabled"));
    await open.chain;
    this.#open = undefined;
    const { payment } = await this.clients.billing.closeCashSession(
      { requestId: `close-${open.paymentId}`, paymentId: open.paymentId, subscriberId: "" },
      { party },
    );
    this.#journal(undefined);
    const succeeded = payment!.status === PaymentStatus.PAYMENT_STATUS_SUCCEEDED;
    let receipt = "NOT_NEEDED";
    if (succeeded) {
      try {
        await this.peripherals.printer.print(
          cashTopUpReceipt(this.config, {
            paymentId: payment!.paymentId,
            msisdn: party.msisdn,
            creditedFen: Number(payment!.amountFen),
            notes: payment!.cashLastSequence,
            at: payment!.successTime ?? new Date(),
          }),
        );
        receipt = "PRINTED";
      } catch (error) {
        receipt = (error as { reason?: string }).reason ?? "FAULT";
      }
    }
    return {
      paymentId: payment!.paymentId,
      status: succeeded ? "SUCCEEDED" : "CANCELLED",
      creditedFen: succeeded ? Number(payment!.amountFen) : 0,
      balanceAfterFen: Number(payment!.balanceAfterFen),
      notes: payment!.cashLastSequence,
      receipt,
    };
  }

  /** The screen was left (idle timeout, log-out): whatever was inserted is still credited. */
  async closeFor(party: SubscriberParty): Promise<void> {
    if (this.#open?.party.subscriberId === party.subscriberId) await this.close(party);
  }

  stop() {
    this.#stopListening();
  }

  #onNote(note: AcceptedNote) {
    const open = this.#open;
    if (!open) {
      this.logger.error({ note }, "a note was stacked with no cash session open");
      return;
    }
    open.inFlight += 1;
    open.chain = open.chain.then(async () => {
      // The note is in the box: keep trying (a repeated sequence counts nothing twice) so it is never lost.
      for (let attempt = 1; ; attempt++) {
        try {
          const { payment } = await this.clients.billing.recordCashNote(
            {
              paymentId: open.paymentId,
              sequence: note.sequence,
              denominationFen: BigInt(note.denominationFen),
              subscriberId: "",
            },
            { party: open.party, requestId: `${open.paymentId}-note-${note.sequence}` },
          );
          open.countedFen = Number(payment!.cashCountedFen);
          open.notes = payment!.cashLastSequence;
          break;
        } catch (error) {
          this.logger.error({ err: error, paymentId: open.paymentId, note, attempt }, "cash note not recorded");
          if (attempt >= NOTE_ATTEMPTS) {
            open.failure = error;
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
        }
      }
      open.inFlight -= 1;
    });
  }

  async #abandon(open: OpenSession) {
    await this.close(open.party).catch((error: unknown) =>
      this.logger.warn({ err: error }, "previous cash session not closed"),
    );
  }
}

export const newRequestId = () => randomUUID();

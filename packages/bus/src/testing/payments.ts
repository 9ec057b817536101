import { PaymentCompletedEvent } from "@omnihall/proto/omnihall/billing/v1/events";
import { uniqueSuffix } from "@omnihall/testkit";
import { defineEvent } from "../event.js";
import { REQUEST_ID_HEADER } from "../event-bus.js";
import type { EventContext } from "../consume.js";
import { enqueue } from "../outbox.js";
import { outboxTestDatabase } from "./outbox-tables.js";
import { pgTransactionRunner, type PgSqlClient } from "./pg-transactions.js";

/**
 * A billing-like publisher and a ledger-like consumer sharing one fresh database: payments are enqueued in
 * the outbox, and the consumer's side effect is one `credit` row per application, so duplicates show up as
 * extra rows. Each fixture has its own event domain (`t<random>`), so its stream is its own.
 */
export async function paymentsFixture() {
  const domain = `t${uniqueSuffix()}`;
  const PaymentCompleted = defineEvent(`${domain}.payment.completed`, PaymentCompletedEvent);
  const database = await outboxTestDatabase(
    `CREATE TABLE credit (message_id TEXT NOT NULL, payment_id TEXT NOT NULL, amount_fen BIGINT NOT NULL);`,
  );
  const db = pgTransactionRunner(database.pool);

  /** Enqueues one payment the way a service does: inside its own transaction. Returns the event id. */
  function pay(paymentId: string, amountFen: bigint, requestId = `req-${paymentId}`): Promise<string> {
    return db.$transaction((tx) =>
      enqueue(
        tx,
        PaymentCompleted,
        PaymentCompletedEvent.fromPartial({ payment: { paymentId, subscriberId: "sub_1", amountFen } }),
        { headers: { [REQUEST_ID_HEADER]: requestId } },
      ),
    );
  }

  /** The consumer's side effect: credit the payment, in the consume transaction. */
  async function credit(
    { message }: { message: PaymentCompletedEvent },
    { tx, messageId }: EventContext<PgSqlClient, unknown>,
  ): Promise<void> {
    await tx.$executeRaw`INSERT INTO credit (message_id, payment_id, amount_fen)
      VALUES (${messageId}, ${message.payment!.paymentId}, ${message.payment!.amountFen})`;
  }

  async function counts(): Promise<{ credits: number; processed: number; unpublished: number; outbox: number }> {
    const { rows } = await database.pool.query(`SELECT
      (SELECT count(*) FROM credit)::int AS credits,
      (SELECT count(*) FROM processed_message)::int AS processed,
      (SELECT count(*) FROM outbox_message WHERE published_at IS NULL)::int AS unpublished,
      (SELECT count(*) FROM outbox_message)::int AS outbox`);
    return rows[0];
  }

  return { domain, PaymentCompleted, database, db, pay, credit, counts };
}

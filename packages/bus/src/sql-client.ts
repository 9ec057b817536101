/**
 * What the bus needs from a database transaction: one tagged-template statement. A Prisma interactive
 * transaction client (`prisma.$transaction(async (tx) => …)`) fits as it is, whatever the service's schema.
 */
export interface SqlClient {
  $executeRaw(query: TemplateStringsArray, ...values: unknown[]): PromiseLike<number>;
}

/** Runs a function in one database transaction, as `PrismaClient.$transaction(fn)` does. */
export interface TransactionRunner<Tx extends SqlClient> {
  $transaction<R>(fn: (tx: Tx) => Promise<R>): Promise<R>;
}

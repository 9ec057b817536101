/**
 * The baseline the web hall is measured against: the least a balance endpoint can be on this stack — a bare
 * fastify route running billing's balance SQL on a pg pool of the size billing uses, in its own process.
 *
 *     DATABASE_URL=… PORT=… node dist/baseline.js
 */
import Fastify from "fastify";
import pg from "pg";

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL_SIZE ?? 10) });
const app = Fastify();
app.get<{ Params: { id: string } }>("/balance/:id", async (request, reply) => {
  const { rows } = await pool.query<{ balance_fen: string; updated_at: Date }>(
    "SELECT balance_fen, updated_at FROM account WHERE subscriber_id = $1",
    [request.params.id],
  );
  const row = rows[0];
  if (!row) return reply.code(404).send({ error: "no such account" });
  return { balanceFen: Number(row.balance_fen), updateTime: row.updated_at.toISOString() };
});
await app.listen({ host: "127.0.0.1", port: Number(process.env.PORT) });

process.once("SIGTERM", () => {
  void app
    .close()
    .then(() => pool.end())
    .then(() => process.exit(0));
});

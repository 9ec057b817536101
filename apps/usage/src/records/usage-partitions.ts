import { WorkLoop, type Logger } from "@omnihall/bus";
import type { UsageDb, UsageTx } from "../database.js";

/**
 * usage_record is partitioned by calendar month of usage_time in UTC (migration
 * 20261203070000_usage_record_monthly_partitions): one table `usage_record_pYYYYMM` per month, and
 * `usage_record_default` for a record of a month without one. UTC, not the subscribers' zones: a partition is
 * storage, and one boundary for everyone keeps a month in one table.
 */
export interface MonthPartition {
  /** usage_record_pYYYYMM */
  name: string;
  start: Date;
  /** Exclusive: the next month's start. */
  end: Date;
}

export const DEFAULT_PARTITION = "usage_record_default";
const MONTH_PARTITION_NAME = /^usage_record_p(\d{4})(\d{2})$/;

/** The partition for the month (UTC) that `time` falls in. */
export function monthPartitionOf(time: Date): MonthPartition {
  const year = time.getUTCFullYear();
  const month = time.getUTCMonth();
  return {
    name: `usage_record_p${year}${String(month + 1).padStart(2, "0")}`,
    start: new Date(Date.UTC(year, month, 1)),
    end: new Date(Date.UTC(year, month + 1, 1)),
  };
}

/** The month a partition name stands for; undefined for any other table (the DEFAULT partition, a table by hand). */
export function monthPartitionNamed(name: string): MonthPartition | undefined {
  const match = MONTH_PARTITION_NAME.exec(name);
  if (!match) return undefined;
  const month = Number(match[2]);
  if (month < 1 || month > 12) return undefined;
  return monthPartitionOf(new Date(Date.UTC(Number(match[1]), month - 1, 1)));
}

export interface PartitionPlan {
  /** How old a record may be and still count (USAGE_MAX_RECORD_AGE_DAYS): its month needs a partition too. */
  maxRecordAgeMs: number;
  /** Months after the current one made ready ahead (a service down over a month's end loses nothing either way). */
  monthsAhead: number;
  /** Records are kept at least this long (RETENTION_USAGE_RECORD_DAYS); a month goes once all of it is older. */
  retentionMs: number;
}

/**
 * Every month a record can still be accepted for: from the month of the oldest acceptable usage time to
 * `monthsAhead` months after now. Retention is longer than the oldest acceptable age (config), so none of these
 * is a month retention drops.
 */
export function monthsToHold(now: Date, plan: PartitionPlan): MonthPartition[] {
  const months: MonthPartition[] = [];
  const last = monthPartitionOf(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + plan.monthsAhead, 1)));
  for (let month = monthPartitionOf(new Date(now.getTime() - plan.maxRecordAgeMs)); ;) {
    months.push(month);
    if (month.name === last.name) return months;
    month = monthPartitionOf(month.end);
  }
}

/**
 * Taken, for its transaction, by whatever adds or drops usage_record partitions, so that two instances doing so
 * at once take turns and the second finds the first one's work done.
 */
const PARTITION_LOCK_SQL = `SELECT pg_advisory_xact_lock(hashtext('omnihall.usage.usage_record_partitions'))`;

/**
 * How long a partition change waits for its table locks before giving up until the next round (backoff): both
 * making and dropping a partition lock usage_record outright, and a change waiting behind a long transaction
 * would otherwise queue every later ingest and read behind itself.
 */
const LOCK_TIMEOUT = "5s";

/**
 * Makes the month's partition unless it exists; returns whether it made it. Rows the DEFAULT partition already
 * holds for that month (written while the month had no partition) move into it: PostgreSQL refuses a new
 * partition whose range the DEFAULT partition holds rows of. Built beside the table and then attached.
 *
 * usage_record is locked outright while this runs (a few milliseconds when the month is still empty, as it is
 * when made ahead). ATTACH alone takes a weaker lock, so a statement planned just before it keeps the old list of
 * partitions: an ingest then routes a row of the month to DEFAULT, which PostgreSQL refuses ("violates partition
 * constraint"), and a read misses the rows moved out of DEFAULT — both seen in this project's tests when ingest
 * and reads ran during the first round. Locked first (parent, then DEFAULT: the order writers lock in), every
 * statement either ran before or plans after, with the new partition.
 */
export async function createMonthPartition(db: UsageDb, month: MonthPartition): Promise<boolean> {
  return db.$transaction(async (tx) => {
    await tx.query(PARTITION_LOCK_SQL);
    if (await tableExists(tx, month.name)) return false;
    await tx.query(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`);
    await tx.query(`LOCK TABLE usage_record IN ACCESS EXCLUSIVE MODE`);
    await tx.query(`LOCK TABLE ${DEFAULT_PARTITION} IN ACCESS EXCLUSIVE MODE`);
    await tx.query(`CREATE TABLE ${month.name} (LIKE usage_record INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
    await tx.query(
      `WITH moved AS (
         DELETE FROM ${DEFAULT_PARTITION} WHERE usage_time >= $1 AND usage_time < $2 RETURNING *
       )
       INSERT INTO ${month.name} SELECT * FROM moved`,
      [month.start, month.end],
    );
    // Bounds are literals in ATTACH; they come from Date, never from input. The primary key's and the indexes'
    // partitions are built here, after the rows are in.
    await tx.query(
      `ALTER TABLE usage_record ATTACH PARTITION ${month.name}
         FOR VALUES FROM ('${month.start.toISOString()}') TO ('${month.end.toISOString()}')`,
    );
    return true;
  });
}

/**
 * Drops each month partition whose whole month is older than `cutoff`: retention by the month instead of by
 * DELETE (no dead rows, no vacuum, no WAL for the rows). A month partly younger than the cut-off stays whole.
 * Returns the names dropped.
 */
export async function dropMonthsBefore(db: UsageDb, cutoff: Date): Promise<string[]> {
  const partitions = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'usage_record'::regclass`,
  );
  const expired = partitions
    .map((p) => monthPartitionNamed(p.name))
    .filter((month): month is MonthPartition => month !== undefined && month.end.getTime() <= cutoff.getTime())
    .sort((a, b) => a.start.getTime() - b.start.getTime());
  const dropped: string[] = [];
  for (const month of expired) {
    const done = await db.$transaction(async (tx) => {
      await tx.query(PARTITION_LOCK_SQL);
      // Another instance may have dropped it while this one waited for the lock.
      if (!(await tableExists(tx, month.name))) return false;
      await tx.query(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`);
      await tx.query(`DROP TABLE ${month.name}`);
      return true;
    });
    if (done) dropped.push(month.name);
  }
  return dropped;
}

async function tableExists(tx: UsageTx, name: string): Promise<boolean> {
  const [row] = await tx.query<{ exists: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS exists`, [name]);
  return row!.exists;
}

/** One round: the months records can land in get their partitions, months past retention go. */
export async function maintainUsagePartitions(
  db: UsageDb,
  plan: PartitionPlan,
  now: Date,
): Promise<{ created: string[]; dropped: string[] }> {
  const created: string[] = [];
  for (const month of monthsToHold(now, plan)) {
    if (await createMonthPartition(db, month)) created.push(month.name);
  }
  const dropped = await dropMonthsBefore(db, new Date(now.getTime() - plan.retentionMs));
  return { created, dropped };
}

/** Months change slowly; a day between rounds still makes every month ready weeks ahead (monthsAhead ≥ 1). */
const ROUND_INTERVAL_MS = 24 * 3_600_000;

/**
 * Keeps usage_record's partitions on the platform's WorkLoop: a round on start, then daily; a failed round (the
 * database down, a lock timeout) is tried again with backoff.
 */
export function keepUsagePartitions(db: UsageDb, plan: PartitionPlan, logger: Logger): WorkLoop {
  const log = logger.child({ component: "usage-partitions" });
  const loop = new WorkLoop({
    round: async () => {
      const { created, dropped } = await maintainUsagePartitions(db, plan, new Date());
      if (created.length > 0 || dropped.length > 0) log.info({ created, dropped }, "usage record partitions changed");
      return false;
    },
    pollIntervalMs: ROUND_INTERVAL_MS,
    backoff: { initialMs: 1_000, maxMs: 5 * 60_000 },
    logger: log,
    failureMessage: "usage record partitions could not be kept; trying again",
  });
  loop.start();
  return loop;
}

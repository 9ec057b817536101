/**
 * Recognising the Prisma errors services act on (an idempotent retry hitting its own first write, a row gone, a
 * serialization conflict worth retrying) by Prisma's stable error codes. Duck-typed rather than `instanceof`:
 * each service's generated client carries its own copy of the error classes.
 */
interface PrismaKnownError {
  code: string;
  meta?: Record<string, unknown>;
}

function prismaErrorCode(error: unknown): string | undefined {
  if (!(error instanceof Error) || error.name !== "PrismaClientKnownRequestError") return undefined;
  const code = (error as Partial<PrismaKnownError>).code;
  return typeof code === "string" ? code : undefined;
}

/**
 * P2002: a unique constraint refused the write. Name the constraint (Prisma names them `<table>_<columns>_key`)
 * to ask about one in particular, e.g. `isUniqueViolation(error, "entries_account_id_request_id_key")` for an
 * idempotent retry that met its own first write.
 */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (prismaErrorCode(error) !== "P2002") return false;
  return constraint === undefined || violatedConstraint(error as PrismaKnownError) === constraint;
}

/** P2025: the record an update, delete or `…OrThrow` needed does not exist. */
export function isRecordNotFound(error: unknown): boolean {
  return prismaErrorCode(error) === "P2025";
}

/** P2034: a write conflict or deadlock aborted the transaction; running it again may succeed. */
export function isTransactionConflict(error: unknown): boolean {
  return prismaErrorCode(error) === "P2034";
}

/** Through a driver adapter Prisma passes on PostgreSQL's constraint name, under meta.driverAdapterError. */
function violatedConstraint(error: PrismaKnownError): string | undefined {
  const adapterError = error.meta?.driverAdapterError as { cause?: { constraint?: { index?: unknown } } } | undefined;
  const index = adapterError?.cause?.constraint?.index;
  return typeof index === "string" ? index : undefined;
}

import { decodePageToken, encodePageToken, pageSize } from "@omnihall/service-kit";
import { z } from "zod";

/**
 * Keyset paging over one string sort key, newest first (ids are time-ordered ULIDs; bills sort by month): fetch
 * one row more than the page to know whether another page follows.
 */
export async function keysetPage<Row>(
  request: { pageSize: number; pageToken: string },
  limits: { default: number; max: number },
  filters: Record<string, unknown>,
  fetch: (after: string | undefined, take: number) => Promise<Row[]>,
  keyOf: (row: Row) => string,
): Promise<{ rows: Row[]; nextPageToken: string }> {
  const size = pageSize(request.pageSize, limits);
  const after = decodePageToken(request.pageToken, z.string().max(80), filters);
  const rows = await fetch(after, size + 1);
  const page = rows.slice(0, size);
  return {
    rows: page,
    nextPageToken: rows.length > size ? encodePageToken(keyOf(page[page.length - 1]!), filters) : "",
  };
}

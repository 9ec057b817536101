import { createHash } from "node:crypto";
import type { z } from "zod";
import { invalidArgument } from "./domain-error.js";

/**
 * AIP-158 page tokens: opaque to callers, base64url JSON inside. Each token carries a short hash of the filters
 * of the request that produced it, so a token replayed with different filters is refused instead of silently
 * returning a page of some other list. Not a secret: a caller who forges a position only pages oddly through
 * data it may list anyway, and the position is validated by the caller's schema.
 */

type Filters = Record<string, unknown>;

/** JSON with sorted keys (so equal filters hash equally), bigints as strings and undefined left out. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item === "bigint") return item.toString();
    if (item && typeof item === "object" && !Array.isArray(item) && !(item instanceof Date)) {
      return Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return item;
  });
}

function filtersHash(filters: Filters): string {
  return createHash("sha256").update(canonicalJson(filters)).digest("base64url").slice(0, 11);
}

function pageTokenInvalid() {
  return invalidArgument(
    "PAGE_TOKEN_INVALID",
    {
      "zh-CN": "分页令牌无效，或与本次查询条件不符，请从第一页重新查询。",
      en: "The page token is invalid or belongs to a query with other filters. Start again from the first page.",
    },
    {
      fieldViolations: [
        {
          field: "page_token",
          reason: "PAGE_TOKEN_INVALID",
          messages: { "zh-CN": "分页令牌无效。", en: "The page token is invalid." },
        },
      ],
    },
  );
}

/** A token for the page after `position` (e.g. the last row's sort key) of a list filtered by `filters`. */
export function encodePageToken(position: unknown, filters: Filters): string {
  return Buffer.from(canonicalJson({ p: position, f: filtersHash(filters) })).toString("base64url");
}

/**
 * The position inside a page token, or undefined for an empty token (the first page). Throws INVALID_ARGUMENT
 * PAGE_TOKEN_INVALID when the token is garbled, made for other filters, or its position doesn't fit `schema`.
 */
export function decodePageToken<Schema extends z.ZodType>(
  token: string,
  schema: Schema,
  filters: Filters,
): z.output<Schema> | undefined {
  if (token === "") return undefined;
  let content: unknown;
  try {
    content = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw pageTokenInvalid();
  }
  if (!content || typeof content !== "object" || (content as { f?: unknown }).f !== filtersHash(filters)) {
    throw pageTokenInvalid();
  }
  const position = schema.safeParse((content as { p?: unknown }).p);
  if (!position.success) throw pageTokenInvalid();
  return position.data;
}

/**
 * The page size to use for a request's `page_size`: 0 means the default, above the maximum is lowered to it
 * (AIP-158), and negative is INVALID_ARGUMENT PAGE_SIZE_INVALID.
 */
export function pageSize(requested: number, limits: { default: number; max: number }): number {
  if (!Number.isInteger(requested) || requested < 0) {
    throw invalidArgument(
      "PAGE_SIZE_INVALID",
      { "zh-CN": "每页条数不能为负数。", en: "The page size must not be negative." },
      {
        fieldViolations: [
          {
            field: "page_size",
            reason: "PAGE_SIZE_INVALID",
            messages: { "zh-CN": "每页条数不能为负数。", en: "The page size must not be negative." },
          },
        ],
      },
    );
  }
  if (requested === 0) return limits.default;
  return Math.min(requested, limits.max);
}

import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

export interface FrontEndOptions {
  /** The built front-end (e.g. apps/web-hall/web/dist): index.html plus hashed files under assets/. */
  root: string;
  /**
   * Paths that belong to the API, never to the page: an unknown one is a JSON 404, not index.html. Default
   * ["/v1/", "/openapi.json", "/healthz"].
   */
  apiPrefixes?: string[];
}

const HASHED_ASSET = /\/assets\//;

/**
 * Serves a built single-page front-end: its files as they are (hashed assets cached for a year, everything
 * else revalidated), and index.html for any other GET a browser makes for a page, so client-side routes
 * (`/bills/2024-05`) load the app.
 */
export async function serveFrontEnd(app: FastifyInstance, options: FrontEndOptions): Promise<void> {
  await app.register(fastifyStatic, {
    root: options.root,
    wildcard: true,
    index: "index.html",
    schemaHide: true,
    cacheControl: false,
    setHeaders: (reply, path) => {
      reply.header("cache-control", HASHED_ASSET.test(path) ? "public, max-age=31536000, immutable" : "no-cache");
    },
  });
}

/** Whether a request that matched no route should get the front-end's index.html. */
export function wantsPage(request: FastifyRequest, apiPrefixes: readonly string[]): boolean {
  if (request.method !== "GET" && request.method !== "HEAD") return false;
  const path = request.url.split("?", 1)[0]!;
  if (apiPrefixes.some((prefix) => path === prefix || path.startsWith(prefix))) return false;
  // A missing file (a .js or .png) is a 404, not a page: only extension-less paths are client-side routes.
  if (/\.[A-Za-z0-9]+$/.test(path)) return false;
  return (request.headers.accept ?? "").includes("text/html");
}

export const DEFAULT_API_PREFIXES = ["/v1/", "/openapi.json", "/healthz"];

/** Sends index.html, never cached (it names the current hashed assets). */
export function sendIndex(reply: FastifyReply) {
  return reply.header("cache-control", "no-cache").sendFile("index.html");
}

/* The handheld's service worker: keeps the app shell (the page, its scripts and styles, manifest, icon) so the
 * app opens with no signal at all. API answers are never cached here — the page keeps what it needs (catalog,
 * number slice, the queue) in IndexedDB, where it decides what is stale. */
const SHELL = "mini-hall-shell-v1";

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL);
      // The page's own asset URLs carry content hashes; read them from index.html so one deploy caches one set.
      const page = await fetch("/", { cache: "no-store" });
      const html = await page.clone().text();
      const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((match) => match[1]);
      await cache.put("/", page);
      await cache.addAll(["/manifest.webmanifest", "/icon.svg", ...assets]);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name !== SHELL) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || url.pathname.startsWith("/v1/")) return;
  if (request.mode === "navigate") {
    // The page: fresh when the network answers, the cached shell when it does not.
    event.respondWith(fetch(request).catch(async () => (await caches.match("/")) ?? Response.error()));
    return;
  }
  // Hashed assets never change: the cache first.
  event.respondWith((async () => (await caches.match(request)) ?? fetch(request))());
});

#!/usr/bin/env node
// `build` of a deployable app: src/main.ts and every @omnihall workspace package it imports, bundled into
// dist/main.js; npm dependencies stay external (installed in the image), so native and WASM files load as usual.
import { build } from "esbuild";

await build({
  entryPoints: ["src/main.ts"],
  outfile: "dist/main.js",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: true,
  logLevel: "warning",
  // Some npm dependencies are CommonJS and call require(): give the ESM bundle one.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  plugins: [
    {
      name: "external-npm-packages",
      setup(builder) {
        const appDir = process.cwd();
        builder.onResolve({ filter: /^[^./]/ }, async (args) => {
          if (args.path.startsWith("@omnihall/") || args.pluginData?.probing) return undefined;
          // An npm dependency stays external when the app, running from dist/, would load the same copy the
          // importing file gets. A workspace package may have its own nested version (hall-kit's ajv 8 beside the
          // root's ajv 6): that one is bundled, or the app would run against the wrong major version.
          const probe = (resolveDir) =>
            builder.resolve(args.path, { kind: args.kind, resolveDir, pluginData: { probing: true } });
          const [fromImporter, fromApp] = await Promise.all([probe(args.resolveDir), probe(appDir)]);
          const sameCopy = fromImporter.errors.length === 0 && fromImporter.path === fromApp.path;
          return sameCopy || fromImporter.path.startsWith("node:") || fromImporter.external
            ? { path: args.path, external: true }
            : undefined;
        });
      },
    },
  ],
});

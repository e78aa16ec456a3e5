import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules", "dist", "data", "src/db/generated", "public/build", "public/*.js"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      "no-console": "error",
    },
  },
  {
    // Game rules are pure: no transport, HTTP, database or cache imports.
    files: ["src/game/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["colyseus", "@colyseus/*"], message: "src/game is pure: no Colyseus." },
            {
              group: ["express", "@prisma/*", "ioredis", "nats", "pg"],
              message: "src/game is pure: no I/O.",
            },
            { group: ["**/db/**", "**/http/**", "../../rooms/**"], message: "src/game is pure." },
          ],
        },
      ],
    },
  },
  {
    files: ["**/*.mjs"],
    languageOptions: { globals: { process: "readonly", console: "readonly" } },
  },
  {
    files: ["loadtest/**", "bench/**", "scripts/**", "src/**/*-cli.ts"],
    rules: { "no-console": "off" },
  },
);

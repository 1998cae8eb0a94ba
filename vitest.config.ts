import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", "data/**"],
    testTimeout: 30_000,
    // A throwaway PostgreSQL server for the run (the PostgreSQL store's tests and the replica tests).
    globalSetup: ["bot/store/testing/postgres-setup.ts"],
  },
});

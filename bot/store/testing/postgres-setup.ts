/**
 * Vitest global setup: one throwaway PostgreSQL server for the whole run (see postgres-server.ts). Test
 * files get its address with `inject("postgresUrl")`, or a database of their own with testDatabase().
 */
import type { TestProject } from "vitest/node";
import { startPostgres } from "./postgres-server.ts";

declare module "vitest" {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startPostgres();
  project.provide("postgresUrl", server.url);
  return () => server.stop();
}

/** PostgreSQL for tests: a fresh, empty database on the run's server (bot/store/testing/postgres-setup.ts). */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";

export type TestDatabase = {
  /** postgres://…/t_<random>: empty, owned by the test. */
  url: string;
  /** Ends the database's connections and drops it. */
  drop(): Promise<void>;
};

/** The run's server (its `postgres` database). */
export function postgresServerUrl(): string {
  return inject("postgresUrl");
}

/** Creates an empty database of its own for a test or a test file. */
export async function testDatabase(): Promise<TestDatabase> {
  const serverUrl = postgresServerUrl();
  const name = `t_${randomBytes(6).toString("hex")}`;
  await admin(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => admin(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function admin(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

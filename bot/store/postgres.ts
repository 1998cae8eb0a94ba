/**
 * PostgreSQL, shared by every store when DATABASE_URL is set: a pool (node-postgres), versioned migrations
 * run by one replica at a time under an advisory lock, and named locks across replicas.
 */
import pg from "pg";
import { AppError } from "../../indexer/index.ts";

export type PostgresOptions = {
  /** Connections at most (default 10). */
  max?: number;
  /** Shown in pg_stat_activity. */
  applicationName?: string;
  /** Called with an error of an idle connection (a restarted server); the pool replaces the connection. */
  onIdleError?: (err: Error) => void;
};

/** A pool on DATABASE_URL. Connecting is lazy; migratePostgres() is the first query. */
export function openPostgresPool(url: string, options: PostgresOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    application_name: options.applicationName ?? "chau-doc-assistant",
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
  });
  // Without a listener an idle connection's error (the server restarting) would end the process.
  pool.on("error", (err) => options.onIdleError?.(err));
  return pool;
}

/** Every component's migrations share one lock: replicas starting together migrate one after another. */
const MIGRATION_LOCK = "chau-doc:migrations";

/**
 * Brings `component`'s tables to the last of `migrations` (append, never edit): the ones not yet applied
 * run in one transaction, holding an advisory lock, so that of several replicas starting at once one
 * migrates and the others wait, then find nothing left to do. `<code>_too_new` when the database has more
 * migrations than this code knows (an older replica after a newer one migrated).
 */
export async function migratePostgres(
  pool: pg.Pool,
  component: string,
  migrations: readonly string[],
  role: { label: string; code: string } = { label: component, code: component },
): Promise<void> {
  const client = await connect(pool, role);
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      component TEXT NOT NULL,
      version INTEGER NOT NULL,
      applied_at TIMESTAMPTZ NOT NULL DEFAULT now(),
      PRIMARY KEY (component, version)
    )`);
    const { rows } = await client.query<{ version: number | null }>(
      "SELECT max(version) AS version FROM schema_migrations WHERE component = $1",
      [component],
    );
    const version = rows[0]?.version ?? 0;
    if (version > migrations.length) {
      throw new AppError(
        `${role.code}_too_new`,
        `the ${role.label} in PostgreSQL has schema version ${version}; this code knows up to ${migrations.length}`,
      );
    }
    for (let i = version; i < migrations.length; i++) {
      await client.query(migrations[i]!);
      await client.query("INSERT INTO schema_migrations (component, version) VALUES ($1, $2)", [
        component,
        i + 1,
      ]);
    }
    await client.query("COMMIT");
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    if (err instanceof AppError) throw err;
    throw new AppError(
      `${role.code}_open_failed`,
      `cannot migrate the ${role.label} in PostgreSQL: ${(err as Error).message}`,
      { cause: err },
    );
  } finally {
    client.release();
  }
}

/** The schema version of a component (0 when it has none). */
export async function postgresSchemaVersion(pool: pg.Pool, component: string): Promise<number> {
  const { rows } = await pool.query<{ version: number | null }>(
    "SELECT max(version) AS version FROM schema_migrations WHERE component = $1",
    [component],
  );
  return rows[0]?.version ?? 0;
}

/**
 * Runs `work` holding a named lock across every replica on the database (a session advisory lock on a
 * connection of its own). A replica that dies holding it loses its connection, and with it the lock, so
 * the next replica goes on.
 */
export async function withPostgresLock<T>(pool: pg.Pool, name: string, work: () => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let locked = false;
  try {
    await client.query("SELECT pg_advisory_lock(hashtextextended($1, 0))", [name]);
    locked = true;
    return await work();
  } finally {
    if (locked)
      await client.query("SELECT pg_advisory_unlock(hashtextextended($1, 0))", [name]).catch(() => {});
    client.release();
  }
}

async function connect(pool: pg.Pool, role: { label: string; code: string }): Promise<pg.PoolClient> {
  try {
    return await pool.connect();
  } catch (err) {
    throw new AppError(
      `${role.code}_open_failed`,
      `cannot connect to the ${role.label}'s PostgreSQL: ${(err as Error).message}`,
      { cause: err },
    );
  }
}

/** True for a unique-constraint violation (SQLSTATE 23505). */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: unknown }).code === "23505";
}

/**
 * Runs `work` in one transaction on a connection of its own: BEGIN, work, COMMIT; ROLLBACK when work (or
 * the commit) throws. The connection goes back to the pool either way.
 */
export async function inTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

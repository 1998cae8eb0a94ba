import type pg from "pg";
import { inTransaction as transaction, migratePostgres } from "../../bot/store/postgres.ts";
import {
  auditOf,
  sessionOf,
  userOf,
  type AdminDb,
  type AuditDbRow,
  type SessionRow,
  type UserRow,
} from "./accounts.ts";

/**
 * The admin database in PostgreSQL, shared by every replica: a login on one is valid on the others,
 * failed logins count (and lock) across them, and there is one audit log. Same tables and semantics as
 * the SQLite one (accounts.ts), prefixed `admin_` as they share the database with the other components.
 * Every read-then-write is one statement, or one transaction holding a lock, since another replica may
 * run the same operation at the same moment.
 */

/** Migration i brings the admin tables to version i + 1 (schema_migrations, component "admin"). Append, never edit. */
const MIGRATIONS_PG: readonly string[] = [
  `
  CREATE TABLE admin_users (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('editor', 'viewer')),
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE admin_sessions (
    id_hash TEXT PRIMARY KEY,
    user_name TEXT NOT NULL REFERENCES admin_users (name) ON DELETE CASCADE ON UPDATE CASCADE,
    csrf_token TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    expires_ms BIGINT NOT NULL,
    last_seen_ms BIGINT NOT NULL
  );
  CREATE INDEX admin_sessions_user ON admin_sessions (user_name);
  CREATE TABLE admin_login_failures (
    kind TEXT NOT NULL CHECK (kind IN ('pair', 'ip', 'account')),
    key_hash TEXT NOT NULL,
    count INTEGER NOT NULL,
    window_start_ms BIGINT NOT NULL,
    locked_until_ms BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (kind, key_hash)
  );
  CREATE TABLE admin_audit (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at TEXT NOT NULL,
    at_ms BIGINT NOT NULL,
    user_name TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT,
    detail TEXT
  );
  CREATE INDEX admin_audit_at ON admin_audit (at_ms);
  CREATE TABLE admin_secrets (
    name TEXT PRIMARY KEY,
    value BYTEA NOT NULL
  );
  `,
];

/** The schema version (schema_migrations) of fully migrated admin tables. */
export const ADMIN_PG_SCHEMA_VERSION = MIGRATIONS_PG.length;

/**
 * One failure counted in one statement, so that failures recorded at once from several replicas all count
 * (the row is locked by ON CONFLICT's update). The same rule as the SQLite version's transaction: a window
 * over starts again at 1; reaching `max` ($5, NULL for no maximum) locks until now + `lockMs` and starts
 * the count again at 0. $1 kind, $2 key hash, $3 now, $4 windowMs, $6 lockMs.
 */
const NEXT_COUNT = "CASE WHEN $3::bigint - f.window_start_ms >= $4::bigint THEN 1 ELSE f.count + 1 END";
const REACHED = `${NEXT_COUNT} >= $5::float8`;
const RECORD_FAILURE = `
  INSERT INTO admin_login_failures AS f (kind, key_hash, count, window_start_ms, locked_until_ms)
  VALUES ($1, $2, CASE WHEN 1 >= $5::float8 THEN 0 ELSE 1 END, $3::bigint,
          CASE WHEN 1 >= $5::float8 THEN $3::bigint + $6::bigint ELSE 0 END)
  ON CONFLICT (kind, key_hash) DO UPDATE SET
    count = CASE WHEN ${REACHED} THEN 0 ELSE ${NEXT_COUNT} END,
    window_start_ms = CASE WHEN ${REACHED} OR $3::bigint - f.window_start_ms >= $4::bigint
                           THEN $3::bigint ELSE f.window_start_ms END,
    locked_until_ms = CASE WHEN ${REACHED} THEN $3::bigint + $6::bigint
                           WHEN f.locked_until_ms > $3::bigint THEN f.locked_until_ms ELSE 0 END
  RETURNING count, locked_until_ms`;

/**
 * Migrates the admin tables (once, when several replicas start together) and returns the AdminDb on
 * `pool`. The pool stays the caller's: close() does not end it.
 */
export async function openPostgresAdminDb(pool: pg.Pool): Promise<AdminDb> {
  await migratePostgres(pool, "admin", MIGRATIONS_PG, { label: "admin database", code: "admin_db" });

  async function rows<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
    return (await pool.query<R>(sql, params)).rows;
  }
  async function changes(sql: string, params: unknown[]): Promise<number> {
    return (await pool.query(sql, params)).rowCount ?? 0;
  }
  async function failure(kind: string, keyHash: string) {
    const [row] = await rows<{ count: number; window_start_ms: string; locked_until_ms: string }>(
      "SELECT count, window_start_ms, locked_until_ms FROM admin_login_failures WHERE kind = $1 AND key_hash = $2",
      [kind, keyHash],
    );
    return row
      ? { count: row.count, startMs: Number(row.window_start_ms), lockedUntilMs: Number(row.locked_until_ms) }
      : undefined;
  }

  return {
    label: "PostgreSQL",
    async getUser(name) {
      const [row] = await rows<UserRow>(
        "SELECT name, role, password_hash, created_at FROM admin_users WHERE name = $1",
        [name],
      );
      return row ? userOf(row) : undefined;
    },
    async listUsers() {
      // COLLATE "C": the byte order SQLite uses, whatever the database's locale.
      const found = await rows<Omit<UserRow, "password_hash">>(
        'SELECT name, role, created_at FROM admin_users ORDER BY name COLLATE "C"',
      );
      return found.map((r) => ({ name: r.name, role: r.role, createdAt: r.created_at }));
    },
    async countUsers() {
      const [row] = await rows<{ n: number }>("SELECT count(*)::int AS n FROM admin_users");
      return row?.n ?? 0;
    },
    async upsertUser(user) {
      // xmax is 0 on a row version this statement inserted, not on one it updated.
      const [row] = await rows<{ created: boolean }>(
        `INSERT INTO admin_users (name, role, password_hash, created_at, updated_at)
         VALUES ($1, COALESCE($2::text, 'editor'), $3, $4, $4)
         ON CONFLICT (name) DO UPDATE SET password_hash = EXCLUDED.password_hash,
           updated_at = EXCLUDED.updated_at, role = COALESCE($2::text, admin_users.role)
         RETURNING (xmax = 0) AS created`,
        [user.name, user.role ?? null, user.passwordHash, user.at],
      );
      return row?.created ? "created" : "updated";
    },
    async createFirstUser(user) {
      // Two replicas starting with ADMIN_PASSWORD at once: the lock makes the second see the first's user.
      return transaction(pool, async (client) => {
        await client.query("LOCK TABLE admin_users IN EXCLUSIVE MODE");
        const inserted = await client.query(
          `INSERT INTO admin_users (name, role, password_hash, created_at, updated_at)
           SELECT $1, $2, $3, $4, $4 WHERE NOT EXISTS (SELECT 1 FROM admin_users)`,
          [user.name, user.role, user.passwordHash, user.at],
        );
        return inserted.rowCount === 1;
      });
    },
    async setPasswordHash(name, passwordHash, at) {
      await pool.query("UPDATE admin_users SET password_hash = $2, updated_at = $3 WHERE name = $1", [
        name,
        passwordHash,
        at,
      ]);
    },

    async insertSession(s) {
      await pool.query(
        `INSERT INTO admin_sessions (id_hash, user_name, csrf_token, created_ms, expires_ms, last_seen_ms)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [s.idHash, s.user, s.csrfToken, s.createdMs, s.expiresMs, s.lastSeenMs],
      );
    },
    async getSession(idHash) {
      const [row] = await rows<SessionRow>(
        `SELECT s.id_hash, s.user_name, u.role, s.csrf_token, s.created_ms, s.expires_ms, s.last_seen_ms
         FROM admin_sessions s JOIN admin_users u ON u.name = s.user_name WHERE s.id_hash = $1`,
        [idHash],
      );
      return row ? sessionOf(row) : undefined;
    },
    async touchSession(idHash, lastSeenMs) {
      await pool.query(
        "UPDATE admin_sessions SET last_seen_ms = $2 WHERE id_hash = $1 AND last_seen_ms < $2",
        [idHash, lastSeenMs],
      );
    },
    async deleteSession(idHash) {
      await pool.query("DELETE FROM admin_sessions WHERE id_hash = $1", [idHash]);
    },
    deleteSessionsOf: (user) => changes("DELETE FROM admin_sessions WHERE user_name = $1", [user]),
    purgeSessions: (nowMs, idleMs) =>
      changes("DELETE FROM admin_sessions WHERE expires_ms <= $1 OR last_seen_ms <= $2", [
        nowMs,
        nowMs - idleMs,
      ]),

    async lockedUntil(kind, keyHash, nowMs) {
      const until = (await failure(kind, keyHash))?.lockedUntilMs ?? 0;
      return until > nowMs ? until : 0;
    },
    async recordFailure(kind, keyHash, nowMs, policy) {
      // Rows whose window and lock are both over say nothing any more; dropping them keeps the table small.
      await pool.query(
        "DELETE FROM admin_login_failures WHERE window_start_ms <= $1 AND locked_until_ms <= $2",
        [nowMs - policy.windowMs, nowMs],
      );
      const [row] = await rows<{ count: number; locked_until_ms: string }>(RECORD_FAILURE, [
        kind,
        keyHash,
        nowMs,
        policy.windowMs,
        Number.isFinite(policy.max) ? policy.max : null,
        policy.lockMs,
      ]);
      return { count: row?.count ?? 0, lockedUntilMs: Number(row?.locked_until_ms ?? 0) };
    },
    async clearFailures(kind, keyHash) {
      await pool.query("DELETE FROM admin_login_failures WHERE kind = $1 AND key_hash = $2", [kind, keyHash]);
    },
    async failureCount(kind, keyHash, nowMs, windowMs) {
      const row = await failure(kind, keyHash);
      return row && nowMs - row.startMs < windowMs ? row.count : 0;
    },

    async insertAudit(row) {
      await pool.query(
        "INSERT INTO admin_audit (at, at_ms, user_name, action, target, detail) VALUES ($1, $2, $3, $4, $5, $6)",
        [row.at, row.atMs, row.user, row.action, row.target ?? null, row.detail ?? null],
      );
    },
    async listAudit(limit) {
      const found = await rows<AuditDbRow>(
        `SELECT at, user_name AS "user", action, target, detail FROM admin_audit
         ORDER BY at_ms DESC, id DESC LIMIT $1`,
        [limit],
      );
      return found.map(auditOf);
    },

    async secret(name, make) {
      const select = () => rows<{ value: Buffer }>("SELECT value FROM admin_secrets WHERE name = $1", [name]);
      const [existing] = await select();
      if (existing) return existing.value;
      // Two replicas making it at once: the first insert wins, and both read that one.
      await pool.query(
        "INSERT INTO admin_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
        [name, make()],
      );
      const [stored] = await select();
      return (stored as { value: Buffer }).value;
    },
    async close() {
      // The pool is the caller's (it serves the other components too).
    },
  };
}

import path from "node:path";
import { openMigratedDatabase } from "../../bot/store/sqlite.ts";
import type { AdminRole } from "./types.ts";

/**
 * The admin database (`$DATA_DIR/admin.sqlite`, apart from the assistant's store, or PostgreSQL when
 * replicas share it: accounts-postgres.ts): accounts, sessions, failed-login counters and the audit log.
 * Only these two files write SQL; auth.ts, the audit log and the add-user command go through the AdminDb
 * they return.
 *
 * What is stored: password hashes (never passwords), sha256 hashes of session ids (a copy of the database
 * does not give working cookies), and sha256 hashes of the user names and IPs of failed logins (someone
 * who types a password into the name field does not leave it in the database).
 */

/**
 * Migration i brings the database to `PRAGMA user_version` i + 1. Append, never edit. Times are epoch
 * milliseconds (`*_ms`) for comparisons; the audit also keeps the ISO text it shows.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE users (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('editor', 'viewer')),
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_name TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE ON UPDATE CASCADE,
    csrf_token TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    expires_ms INTEGER NOT NULL,
    last_seen_ms INTEGER NOT NULL
  );
  CREATE INDEX sessions_user ON sessions (user_name);
  CREATE TABLE login_failures (
    kind TEXT NOT NULL CHECK (kind IN ('user', 'ip')),
    key_hash TEXT NOT NULL,
    count INTEGER NOT NULL,
    window_start_ms INTEGER NOT NULL,
    locked_until_ms INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (kind, key_hash)
  );
  CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    at_ms INTEGER NOT NULL,
    user TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT,
    detail TEXT
  );
  CREATE INDEX audit_at ON audit (at_ms);
  CREATE TABLE secrets (
    name TEXT PRIMARY KEY,
    value BLOB NOT NULL
  );
  `,
  // Failures are counted per (name, address) pair, per address and per account (issue 12): the old
  // per-name counters go; they are 15-minute counters, so nothing of lasting value is lost.
  `
  DROP TABLE login_failures;
  CREATE TABLE login_failures (
    kind TEXT NOT NULL CHECK (kind IN ('pair', 'ip', 'account')),
    key_hash TEXT NOT NULL,
    count INTEGER NOT NULL,
    window_start_ms INTEGER NOT NULL,
    locked_until_ms INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (kind, key_hash)
  );
  `,
];

/** The `PRAGMA user_version` of a fully migrated admin database. */
export const ADMIN_SCHEMA_VERSION = MIGRATIONS.length;

/** The default file of the admin database: `$DATA_DIR/admin.sqlite`. */
export function adminDbFile(dataDir = "data"): string {
  return path.resolve(dataDir, "admin.sqlite");
}

/** A user as stored, with the password hash (never leaves the server side). */
export type UserRecord = { name: string; role: AdminRole; passwordHash: string; createdAt: string };

/** A session row; `idHash` is the sha256 of the cookie value, never the value itself. */
export type SessionRecord = {
  idHash: string;
  user: string;
  role: AdminRole;
  csrfToken: string;
  createdMs: number;
  expiresMs: number;
  lastSeenMs: number;
};

/**
 * Failed logins counted for one (user name, address) pair, one address, or one account (user name) across
 * all addresses; the keys are kept as hashes. Pairs and addresses get locked; accounts only slowed down.
 */
export type FailureKind = "pair" | "ip" | "account";
/** `max` failures within `windowMs` lock the key for `lockMs`; an unreachable `max` (Infinity) only counts. */
export type FailurePolicy = { max: number; windowMs: number; lockMs: number };

export type AuditRow = { at: string; user: string; action: string; target?: string; detail?: string };

/**
 * The admin database's operations. Asynchronous, so that one interface serves SQLite (one machine, the
 * default) and PostgreSQL (replicas sharing logins, lockouts and the audit log). Every method that reads
 * and then writes is atomic in the database (one statement or one transaction), never across awaits.
 */
export interface AdminDb {
  /** Which database, for messages: the SQLite file, or "PostgreSQL". */
  readonly label: string;
  getUser(name: string): Promise<UserRecord | undefined>;
  listUsers(): Promise<{ name: string; role: AdminRole; createdAt: string }[]>;
  countUsers(): Promise<number>;
  /** Creates the user, or updates its password (and its role when given); says which. */
  upsertUser(user: {
    name: string;
    role?: AdminRole;
    passwordHash: string;
    at: string;
  }): Promise<"created" | "updated">;
  /** Creates the user only when the table is empty (atomically, even from two replicas); true when it did. */
  createFirstUser(user: {
    name: string;
    role: AdminRole;
    passwordHash: string;
    at: string;
  }): Promise<boolean>;
  setPasswordHash(name: string, passwordHash: string, at: string): Promise<void>;

  insertSession(session: Omit<SessionRecord, "role">): Promise<void>;
  getSession(idHash: string): Promise<SessionRecord | undefined>;
  /** Moves last_seen forward to `lastSeenMs` (never back: a late touch does not undo a later one). */
  touchSession(idHash: string, lastSeenMs: number): Promise<void>;
  deleteSession(idHash: string): Promise<void>;
  /** Signs a user out everywhere (after a password change); returns how many sessions ended. */
  deleteSessionsOf(user: string): Promise<number>;
  /** Removes sessions past their absolute expiry or idle longer than `idleMs`. */
  purgeSessions(nowMs: number, idleMs: number): Promise<number>;

  /** Until when (epoch ms) the key is locked; 0 when it is not. */
  lockedUntil(kind: FailureKind, keyHash: string, nowMs: number): Promise<number>;
  /**
   * Counts one failure; when it reaches the policy's maximum within the window, locks the key. Atomic:
   * failures recorded at the same time (from several replicas) all count.
   */
  recordFailure(
    kind: FailureKind,
    keyHash: string,
    nowMs: number,
    policy: FailurePolicy,
  ): Promise<{ count: number; lockedUntilMs: number }>;
  clearFailures(kind: FailureKind, keyHash: string): Promise<void>;
  /** The failures counted for the key in its current window (0 once `windowMs` has passed since it began). */
  failureCount(kind: FailureKind, keyHash: string, nowMs: number, windowMs: number): Promise<number>;

  insertAudit(row: AuditRow & { atMs: number }): Promise<void>;
  listAudit(limit: number): Promise<AuditRow[]>;

  /**
   * A random secret kept in the database (made on first use), e.g. the key that signs login-form tokens.
   * The first one stored wins: every caller, on every replica, gets the same bytes.
   */
  secret(name: string, make: () => Buffer): Promise<Buffer>;
  close(): Promise<void>;
}

/** Rows as SQLite and PostgreSQL return them (PostgreSQL gives BIGINT as text), and what they become. */
export type UserRow = { name: string; role: AdminRole; password_hash: string; created_at: string };
export type SessionRow = {
  id_hash: string;
  user_name: string;
  role: AdminRole;
  csrf_token: string;
  created_ms: number | string;
  expires_ms: number | string;
  last_seen_ms: number | string;
};
export type AuditDbRow = {
  at: string;
  user: string;
  action: string;
  target: string | null;
  detail: string | null;
};
type FailureRow = { count: number; window_start_ms: number; locked_until_ms: number };

export function userOf(row: UserRow): UserRecord {
  return { name: row.name, role: row.role, passwordHash: row.password_hash, createdAt: row.created_at };
}

export function sessionOf(row: SessionRow): SessionRecord {
  return {
    idHash: row.id_hash,
    user: row.user_name,
    role: row.role,
    csrfToken: row.csrf_token,
    createdMs: Number(row.created_ms),
    expiresMs: Number(row.expires_ms),
    lastSeenMs: Number(row.last_seen_ms),
  };
}

export function auditOf(row: AuditDbRow): AuditRow {
  const out: AuditRow = { at: row.at, user: row.user, action: row.action };
  if (row.target !== null) out.target = row.target;
  if (row.detail !== null) out.detail = row.detail;
  return out;
}

/** Opens (creating when missing, with its directory, readable by the owner only) and migrates the admin database. */
export function openAdminDb(file: string = adminDbFile()): AdminDb {
  const db = openMigratedDatabase(file, {
    migrations: MIGRATIONS,
    role: { label: "admin database", code: "admin_db" },
    // The server and `npm run admin:add-user` may write at the same time.
    busyTimeoutMs: 5000,
    // Password hashes are inside: owner only.
    ownerOnly: true,
  });

  const selectUser = db.prepare<[string], UserRow>(
    "SELECT name, role, password_hash, created_at FROM users WHERE name = ?",
  );
  const selectUsers = db.prepare<[], Omit<UserRow, "password_hash">>(
    "SELECT name, role, created_at FROM users ORDER BY name",
  );
  const countUsers = db.prepare<[], number>("SELECT count(*) FROM users").pluck();
  const insertUser = db.prepare<[{ name: string; role: AdminRole; hash: string; at: string }]>(
    "INSERT INTO users (name, role, password_hash, created_at, updated_at) VALUES (:name, :role, :hash, :at, :at)",
  );
  const insertFirstUser = db.prepare<[{ name: string; role: AdminRole; hash: string; at: string }]>(
    `INSERT INTO users (name, role, password_hash, created_at, updated_at)
     SELECT :name, :role, :hash, :at, :at WHERE NOT EXISTS (SELECT 1 FROM users)`,
  );
  const updatePassword = db.prepare<[{ name: string; hash: string; at: string }]>(
    "UPDATE users SET password_hash = :hash, updated_at = :at WHERE name = :name",
  );
  const updateRole = db.prepare<[{ name: string; role: AdminRole }]>(
    "UPDATE users SET role = :role WHERE name = :name",
  );

  const insertSession = db.prepare<[Omit<SessionRow, "role">]>(
    `INSERT INTO sessions (id_hash, user_name, csrf_token, created_ms, expires_ms, last_seen_ms)
     VALUES (:id_hash, :user_name, :csrf_token, :created_ms, :expires_ms, :last_seen_ms)`,
  );
  const selectSession = db.prepare<[string], SessionRow>(
    `SELECT s.id_hash, s.user_name, u.role, s.csrf_token, s.created_ms, s.expires_ms, s.last_seen_ms
     FROM sessions s JOIN users u ON u.name = s.user_name WHERE s.id_hash = ?`,
  );
  const touchSession = db.prepare<[number, string, number]>(
    "UPDATE sessions SET last_seen_ms = ? WHERE id_hash = ? AND last_seen_ms < ?",
  );
  const deleteSession = db.prepare<[string]>("DELETE FROM sessions WHERE id_hash = ?");
  const deleteSessionsOf = db.prepare<[string]>("DELETE FROM sessions WHERE user_name = ?");
  const purgeSessions = db.prepare<[number, number]>(
    "DELETE FROM sessions WHERE expires_ms <= ? OR last_seen_ms <= ?",
  );

  const selectFailure = db.prepare<[FailureKind, string], FailureRow>(
    "SELECT count, window_start_ms, locked_until_ms FROM login_failures WHERE kind = ? AND key_hash = ?",
  );
  const upsertFailure = db.prepare<
    [{ kind: FailureKind; key: string; count: number; start: number; locked: number }]
  >(
    `INSERT INTO login_failures (kind, key_hash, count, window_start_ms, locked_until_ms)
     VALUES (:kind, :key, :count, :start, :locked)
     ON CONFLICT (kind, key_hash) DO UPDATE SET count = excluded.count,
       window_start_ms = excluded.window_start_ms, locked_until_ms = excluded.locked_until_ms`,
  );
  const deleteFailure = db.prepare<[FailureKind, string]>(
    "DELETE FROM login_failures WHERE kind = ? AND key_hash = ?",
  );
  // Rows whose window and lock are both over say nothing any more; dropping them keeps the table small.
  const purgeFailures = db.prepare<[number, number]>(
    "DELETE FROM login_failures WHERE window_start_ms <= ? AND locked_until_ms <= ?",
  );

  const insertAudit = db.prepare<
    [
      {
        at: string;
        at_ms: number;
        user: string;
        action: string;
        target: string | null;
        detail: string | null;
      },
    ]
  >(
    "INSERT INTO audit (at, at_ms, user, action, target, detail) VALUES (:at, :at_ms, :user, :action, :target, :detail)",
  );
  const selectAudit = db.prepare<[number], AuditDbRow>(
    "SELECT at, user, action, target, detail FROM audit ORDER BY at_ms DESC, id DESC LIMIT ?",
  );
  const selectSecret = db.prepare<[string], Buffer>("SELECT value FROM secrets WHERE name = ?").pluck();
  const insertSecret = db.prepare<[string, Buffer]>(
    "INSERT INTO secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
  );

  const upsertUser = db.transaction(
    (user: { name: string; role?: AdminRole; passwordHash: string; at: string }) => {
      if (selectUser.get(user.name)) {
        updatePassword.run({ name: user.name, hash: user.passwordHash, at: user.at });
        if (user.role) updateRole.run({ name: user.name, role: user.role });
        return "updated" as const;
      }
      insertUser.run({ name: user.name, role: user.role ?? "editor", hash: user.passwordHash, at: user.at });
      return "created" as const;
    },
  );

  const recordFailure = db.transaction(
    (kind: FailureKind, key: string, nowMs: number, policy: FailurePolicy) => {
      purgeFailures.run(nowMs - policy.windowMs, nowMs);
      const row = selectFailure.get(kind, key);
      const fresh = !row || nowMs - row.window_start_ms >= policy.windowMs;
      let count = fresh ? 1 : row.count + 1;
      let start = fresh ? nowMs : row.window_start_ms;
      let locked = row && row.locked_until_ms > nowMs ? row.locked_until_ms : 0;
      if (count >= policy.max) {
        locked = nowMs + policy.lockMs;
        // The count starts again once the lock is over.
        count = 0;
        start = nowMs;
      }
      upsertFailure.run({ kind, key, count, start, locked });
      return { count, lockedUntilMs: locked };
    },
  );

  const secret = db.transaction((name: string, make: () => Buffer) => {
    const existing = selectSecret.get(name);
    if (existing) return existing;
    insertSecret.run(name, make());
    return selectSecret.get(name) as Buffer;
  });

  return {
    label: file,
    async getUser(name) {
      const row = selectUser.get(name);
      return row ? userOf(row) : undefined;
    },
    listUsers: async () =>
      selectUsers.all().map((r) => ({ name: r.name, role: r.role, createdAt: r.created_at })),
    countUsers: async () => countUsers.get() ?? 0,
    upsertUser: async (user) => upsertUser(user),
    createFirstUser: async (user) =>
      insertFirstUser.run({ name: user.name, role: user.role, hash: user.passwordHash, at: user.at })
        .changes === 1,
    async setPasswordHash(name, passwordHash, at) {
      updatePassword.run({ name, hash: passwordHash, at });
    },

    async insertSession(s) {
      insertSession.run({
        id_hash: s.idHash,
        user_name: s.user,
        csrf_token: s.csrfToken,
        created_ms: s.createdMs,
        expires_ms: s.expiresMs,
        last_seen_ms: s.lastSeenMs,
      });
    },
    async getSession(idHash) {
      const row = selectSession.get(idHash);
      return row ? sessionOf(row) : undefined;
    },
    async touchSession(idHash, lastSeenMs) {
      touchSession.run(lastSeenMs, idHash, lastSeenMs);
    },
    async deleteSession(idHash) {
      deleteSession.run(idHash);
    },
    deleteSessionsOf: async (user) => deleteSessionsOf.run(user).changes,
    purgeSessions: async (nowMs, idleMs) => purgeSessions.run(nowMs, nowMs - idleMs).changes,

    async lockedUntil(kind, keyHash, nowMs) {
      const until = selectFailure.get(kind, keyHash)?.locked_until_ms ?? 0;
      return until > nowMs ? until : 0;
    },
    recordFailure: async (kind, keyHash, nowMs, policy) => recordFailure(kind, keyHash, nowMs, policy),
    async clearFailures(kind, keyHash) {
      deleteFailure.run(kind, keyHash);
    },
    async failureCount(kind, keyHash, nowMs, windowMs) {
      const row = selectFailure.get(kind, keyHash);
      return row && nowMs - row.window_start_ms < windowMs ? row.count : 0;
    },

    async insertAudit(row) {
      insertAudit.run({
        at: row.at,
        at_ms: row.atMs,
        user: row.user,
        action: row.action,
        target: row.target ?? null,
        detail: row.detail ?? null,
      });
    },
    listAudit: async (limit) => selectAudit.all(limit).map(auditOf),

    secret: async (name, make) => secret(name, make),
    async close() {
      if (db.open) db.close();
    },
  };
}

/** User names: lower-case letters, digits, ".", "_" and "-", 1 to 64 characters, starting with a letter or digit. */
export const USER_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** The stored form of a typed user name (trimmed, lower-case), or undefined when it cannot be a user name. */
export function normaliseUserName(raw: string): string | undefined {
  const name = raw.normalize("NFC").trim().toLowerCase();
  return USER_NAME_PATTERN.test(name) ? name : undefined;
}

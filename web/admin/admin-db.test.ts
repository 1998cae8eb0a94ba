import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openPostgresPool, postgresSchemaVersion } from "../../bot/store/postgres.ts";
import { postgresServerUrl, testDatabase, type TestDatabase } from "../../bot/store/testing/postgres.ts";
import { openAdminDb, type AdminDb, type FailurePolicy } from "./accounts.ts";
import { ADMIN_PG_SCHEMA_VERSION, openPostgresAdminDb } from "./accounts-postgres.ts";
import { adminDbContract } from "./admin-db.case.ts";

const AT = "2026-03-01T08:00:00.000Z";
const T = Date.parse(AT);

adminDbContract("SQLite", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "admin-db-"));
  const db = openAdminDb(path.join(dir, "admin.sqlite"));
  return {
    db,
    cleanup: async () => {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

adminDbContract("PostgreSQL", async () => {
  const database = await testDatabase();
  const pool = openPostgresPool(database.url, { max: 4 });
  const db = await openPostgresAdminDb(pool);
  return {
    db,
    cleanup: async () => {
      await db.close();
      await pool.end();
      await database.drop();
    },
  };
});

/** Two replicas: a pool and an AdminDb each, on one database, opened (and migrated) at the same time. */
describe("PostgreSQL admin database shared by two replicas", () => {
  let database: TestDatabase;
  let pools: pg.Pool[];
  let a: AdminDb;
  let b: AdminDb;

  beforeEach(async () => {
    database = await testDatabase();
    pools = [openPostgresPool(database.url, { max: 5 }), openPostgresPool(database.url, { max: 5 })];
    [a, b] = (await Promise.all(pools.map((p) => openPostgresAdminDb(p)))) as [AdminDb, AdminDb];
  });
  afterEach(async () => {
    await Promise.all(pools.map((p) => p.end()));
    await database.drop();
  });

  it("migrates once, to the current version", async () => {
    expect(await postgresSchemaVersion(pools[0] as pg.Pool, "admin")).toBe(ADMIN_PG_SCHEMA_VERSION);
    const { rows } = await (pools[1] as pg.Pool).query(
      "SELECT count(*)::int AS n FROM schema_migrations WHERE component = 'admin'",
    );
    expect(rows[0].n).toBe(ADMIN_PG_SCHEMA_VERSION);
  });

  it("reads on one replica the user and session written on the other, and their touches and deletions", async () => {
    await a.upsertUser({ name: "linh", role: "editor", passwordHash: "h", at: AT });
    const s = {
      idHash: "a".repeat(64),
      user: "linh",
      csrfToken: "t",
      createdMs: T,
      expiresMs: T + 1e6,
      lastSeenMs: T,
    };
    await a.insertSession(s);
    expect(await b.getSession(s.idHash)).toStrictEqual({ ...s, role: "editor" });
    await b.touchSession(s.idHash, T + 1000);
    expect((await a.getSession(s.idHash))?.lastSeenMs).toBe(T + 1000);
    await b.deleteSessionsOf("linh");
    expect(await a.getSession(s.idHash)).toBeUndefined();
  });

  it("counts every one of 20 failures recorded at once from both replicas", async () => {
    const countOnly: FailurePolicy = { max: Infinity, windowMs: 15 * 60_000, lockMs: 0 };
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).recordFailure("account", "k", T, countOnly)),
    );
    expect(results.map((r) => r.count).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    expect(await a.failureCount("account", "k", T, countOnly.windowMs)).toBe(20);
    expect(await b.failureCount("account", "k", T, countOnly.windowMs)).toBe(20);
  });

  it("locks exactly at every fifth of 20 failures recorded at once from both replicas", async () => {
    const policy: FailurePolicy = { max: 5, windowMs: 15 * 60_000, lockMs: 60_000 };
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).recordFailure("pair", "k", T, policy)),
    );
    // Each failure saw the one before it: four rounds of 1, 2, 3, 4 and a lock (the count back at 0).
    expect(results.map((r) => r.count).sort((x, y) => x - y)).toEqual(
      [0, 1, 2, 3, 4].flatMap((n) => [n, n, n, n]),
    );
    expect(results.filter((r) => r.count === 0).every((r) => r.lockedUntilMs === T + 60_000)).toBe(true);
    expect(await b.lockedUntil("pair", "k", T)).toBe(T + 60_000);
    expect(await a.lockedUntil("pair", "k", T)).toBe(T + 60_000);
  });

  it("creates one first user when both replicas try at once", async () => {
    // Connections open beforehand, so that the tries reach the server together.
    await Promise.all(
      pools.flatMap((p) => Array.from({ length: 5 }, () => p.query("SELECT pg_sleep(0.05)"))),
    );
    const tries = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        (i % 2 ? a : b).createFirstUser({ name: `admin${i}`, role: "editor", passwordHash: "h", at: AT }),
      ),
    );
    expect(tries.filter(Boolean)).toHaveLength(1);
    expect(await a.countUsers()).toBe(1);
    expect((await b.listUsers())[0]?.name).toBe(`admin${tries.indexOf(true)}`);
  });

  it("gives both replicas the same secret when they make it at once", async () => {
    const secrets = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).secret("login-csrf", () => randomBytes(32))),
    );
    for (const s of secrets) expect(s.equals(secrets[0] as Buffer)).toBe(true);
    expect((await b.secret("login-csrf", () => randomBytes(32))).equals(secrets[0] as Buffer)).toBe(true);
  });

  it("has one audit log, newest first whichever replica wrote", async () => {
    await a.insertAudit({ at: AT, atMs: T, user: "linh", action: "login" });
    await b.insertAudit({ at: AT, atMs: T + 1, user: "minh", action: "login" });
    await a.insertAudit({ at: AT, atMs: T + 2, user: "linh", action: "logout" });
    expect((await b.listAudit(10)).map((r) => `${r.user} ${r.action}`)).toEqual([
      "linh logout",
      "minh login",
      "linh login",
    ]);
  });

  it("leaves the pool it was given open when closed", async () => {
    await a.close();
    const { rows } = await (pools[0] as pg.Pool).query("SELECT 1 AS one");
    expect(rows[0].one).toBe(1);
  });
});

describe("openPostgresAdminDb", () => {
  it("fails with admin_db_open_failed when the server cannot be reached", async () => {
    const pool = openPostgresPool("postgres://postgres@127.0.0.1:1/none");
    await expect(openPostgresAdminDb(pool)).rejects.toMatchObject({ code: "admin_db_open_failed" });
    await pool.end();
  });

  it("lists users in byte order, as SQLite does, on a database whose locale sorts otherwise", async () => {
    const server = new pg.Client({ connectionString: postgresServerUrl() });
    await server.connect();
    const name = `t_icu_${randomBytes(6).toString("hex")}`;
    // en-US (ICU) puts "a_b" before "a-b", "a.b" and "a0".
    await server.query(
      `CREATE DATABASE ${name} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'`,
    );
    const url = new URL(postgresServerUrl());
    url.pathname = `/${name}`;
    const pool = openPostgresPool(url.toString());
    try {
      const db = await openPostgresAdminDb(pool);
      for (const n of ["ab", "a_b", "a0", "a.b", "a-b"])
        await db.upsertUser({ name: n, passwordHash: "h", at: AT });
      expect((await db.listUsers()).map((u) => u.name)).toEqual(["a-b", "a.b", "a0", "a_b", "ab"]);
    } finally {
      await pool.end();
      await server.query(`DROP DATABASE ${name} WITH (FORCE)`);
      await server.end();
    }
  });

  it("refuses admin tables migrated by newer code (admin_db_too_new)", async () => {
    const database = await testDatabase();
    const pool = openPostgresPool(database.url);
    try {
      await openPostgresAdminDb(pool);
      await pool.query("INSERT INTO schema_migrations (component, version) VALUES ('admin', $1)", [
        ADMIN_PG_SCHEMA_VERSION + 1,
      ]);
      await expect(openPostgresAdminDb(pool)).rejects.toMatchObject({ code: "admin_db_too_new" });
    } finally {
      await pool.end();
      await database.drop();
    }
  });
});

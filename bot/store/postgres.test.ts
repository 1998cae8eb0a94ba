import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migratePostgres, openPostgresPool, postgresSchemaVersion, withPostgresLock } from "./postgres.ts";
import { testDatabase, type TestDatabase } from "./testing/postgres.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await testDatabase();
});
afterAll(async () => {
  await db.drop();
});

describe("migratePostgres", () => {
  it("migrates once when several replicas start together, and each migration runs once", async () => {
    const pools = [0, 1, 2, 3].map(() => openPostgresPool(db.url, { max: 2 }));
    const migrations = [
      "CREATE TABLE m_things (id INTEGER PRIMARY KEY)",
      // Fails when run twice: the second replica must find it applied.
      "INSERT INTO m_things (id) VALUES (1)",
    ];
    await Promise.all(pools.map((pool) => migratePostgres(pool, "things", migrations)));
    const { rows } = await pools[0]!.query("SELECT count(*)::int AS n FROM m_things");
    expect(rows[0].n).toBe(1);
    expect(await postgresSchemaVersion(pools[0]!, "things")).toBe(2);
    // A third migration later applies only itself.
    await migratePostgres(pools[1]!, "things", [...migrations, "INSERT INTO m_things (id) VALUES (2)"]);
    expect(await postgresSchemaVersion(pools[2]!, "things")).toBe(3);
    await Promise.all(pools.map((pool) => pool.end()));
  });

  it("refuses a database migrated by newer code, and rolls back a failing migration whole", async () => {
    const pool = openPostgresPool(db.url);
    await migratePostgres(pool, "newer", ["CREATE TABLE m_a (x INT)", "CREATE TABLE m_b (x INT)"]);
    await expect(migratePostgres(pool, "newer", ["CREATE TABLE m_a (x INT)"])).rejects.toMatchObject({
      code: "newer_too_new",
    });
    await expect(
      migratePostgres(pool, "broken", ["CREATE TABLE m_c (x INT)", "CREATE TABLE m_c (x INT)"]),
    ).rejects.toMatchObject({ code: "broken_open_failed" });
    // Nothing of the broken component stayed: neither its table nor a version.
    const { rows } = await pool.query("SELECT to_regclass('m_c') AS t");
    expect(rows[0].t).toBeNull();
    expect(await postgresSchemaVersion(pool, "broken")).toBe(0);
    await pool.end();
  });

  it("fails with a clear error when the server cannot be reached", async () => {
    const pool = openPostgresPool("postgres://postgres@127.0.0.1:1/none");
    await expect(migratePostgres(pool, "store", [])).rejects.toMatchObject({ code: "store_open_failed" });
    await pool.end();
  });
});

describe("withPostgresLock", () => {
  it("runs one holder at a time across pools", async () => {
    const a = openPostgresPool(db.url);
    const b = openPostgresPool(db.url);
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const first = withPostgresLock(a, "lock-test", async () => {
      order.push("a-in");
      await held;
      order.push("a-out");
    });
    await new Promise((r) => setTimeout(r, 50));
    const second = withPostgresLock(b, "lock-test", async () => {
      order.push("b-in");
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(order).toEqual(["a-in"]);
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(["a-in", "a-out", "b-in"]);
    await Promise.all([a.end(), b.end()]);
  });

  it("is released when the holder's connection dies", async () => {
    const holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    holder.on("error", () => {});
    const { rows } = await holder.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
    await holder.query("SELECT pg_advisory_lock(hashtextextended($1, 0))", ["dies"]);
    const other = openPostgresPool(db.url);
    let ran = false;
    const waiting = withPostgresLock(other, "dies", async () => {
      ran = true;
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(ran).toBe(false);
    // The holder's process is gone: the server ends its session, and its locks with it.
    const killer = new pg.Client({ connectionString: db.url });
    await killer.connect();
    await killer.query("SELECT pg_terminate_backend($1)", [rows[0]!.pid]);
    await killer.end();
    await waiting;
    expect(ran).toBe(true);
    await other.end();
  });
});

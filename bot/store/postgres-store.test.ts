import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type pg from "pg";
import { openPostgresPool } from "./postgres.ts";
import { openPostgresStore } from "./postgres-store.ts";
import { expectLocksInTurn, storeContract } from "./store.case.ts";
import type { Store } from "./store.ts";
import { testDatabase, type TestDatabase } from "./testing/postgres.ts";

storeContract("PostgreSQL", async () => {
  const database = await testDatabase();
  const pool = openPostgresPool(database.url, { max: 4 });
  const store = await openPostgresStore(pool);
  return {
    store,
    cleanup: async () => {
      await store.close();
      await pool.end();
      await database.drop();
    },
  };
});

/** Two replicas: a pool and a Store each, on one database, opened (and migrated) at the same time. */
describe("PostgreSQL store shared by two replicas", () => {
  let database: TestDatabase;
  let pools: pg.Pool[];
  let a: Store;
  let b: Store;
  const AT = "2026-03-01T08:00:00.000Z";

  beforeEach(async () => {
    database = await testDatabase();
    pools = [openPostgresPool(database.url, { max: 5 }), openPostgresPool(database.url, { max: 5 })];
    [a, b] = (await Promise.all(pools.map((p) => openPostgresStore(p)))) as [Store, Store];
  });
  afterEach(async () => {
    await Promise.all(pools.map((p) => p.end()));
    await database.drop();
  });

  it("claims each of 50 updates exactly once across both", async () => {
    const ids = Array.from({ length: 50 }, (_, i) => String(i));
    const results = await Promise.all(
      ids.flatMap((id) => [a.claimUpdate("telegram", id, AT), b.claimUpdate("telegram", id, AT)]),
    );
    for (let i = 0; i < ids.length; i++) {
      expect([results[2 * i], results[2 * i + 1]].filter(Boolean)).toHaveLength(1);
    }
  });

  it("lets one of two replicas claim each delivery try", async () => {
    for (let i = 0; i < 20; i++)
      await a.insertDelivery({
        key: `k${i}`,
        channel: "web",
        conversationId: "c",
        message: "{}",
        status: "pending",
        attempts: 0,
        nextAttemptAt: 0,
        createdAt: 0,
      });
    const claims = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        [a, b].map((s) => s.updateDelivery(`k${i}`, { attempts: 1 }, "pending", 0)),
      ).flat(),
    );
    expect(claims.filter(Boolean)).toHaveLength(20);
    for (let i = 0; i < 20; i++) expect([claims[2 * i], claims[2 * i + 1]].filter(Boolean)).toHaveLength(1);
  });

  it("opens one handoff when both open it at once, and closes it once", async () => {
    const row = (id: string) => ({
      id,
      channel: "zalo-oa",
      conversationId: "u1",
      lang: "vi" as const,
      startedAt: 1,
    });
    const [x, y] = await Promise.all([a.openHandoff(row("h-a")), b.openHandoff(row("h-b"))]);
    expect([x?.created, y?.created].filter(Boolean)).toHaveLength(1);
    expect(x?.handoff.id).toBe(y?.handoff.id);
    expect(await a.listHandoffs({ status: "open" })).toHaveLength(1);
    const closes = await Promise.all([
      a.closeHandoff(x.handoff.id, 2, "user"),
      b.closeHandoff(x.handoff.id, 2, "quiet"),
    ]);
    expect(closes.filter(Boolean)).toHaveLength(1);
  });

  it("gives concurrently created cases distinct codes", async () => {
    const input = {
      createdAt: AT,
      tokenHash: "t",
      channel: "web",
      reporterHash: "r",
      lang: "vi" as const,
      category: "prices" as const,
      description: "d",
      dueAt: AT,
      transcript: [],
    };
    const cases = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).createCase(input)));
    const codes = new Set(cases.map((c) => c.code));
    expect(codes.size).toBe(30);
    expect([...codes].sort().at(-1)).toBe("CD-2026-000030");
  });

  it("runs lock calls with one name on two stores one after another", async () => {
    // b waits on the database's lock; a name of its own goes through meanwhile.
    await expectLocksInTurn(a, b);
  });
});

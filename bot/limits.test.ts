import type pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { memoryLimits, postgresLimits, type Limiter } from "./limits.ts";
import { openPostgresPool, postgresSchemaVersion } from "./store/postgres.ts";
import { testDatabase, type TestDatabase } from "./store/testing/postgres.ts";
import { tcpProxy, type TcpProxy } from "./store/testing/tcp-proxy.ts";

/** `n` requests of one key, in turn over `limiters` (replicas); their `allowed`. */
async function consumeAlternately(limiters: Limiter[], key: string, n: number): Promise<boolean[]> {
  const allowed: boolean[] = [];
  for (let i = 0; i < n; i++) allowed.push((await limiters[i % limiters.length]!.consume(key)).allowed);
  return allowed;
}

describe("memoryLimits", () => {
  it("allows `points` per window and key, with the points left and the seconds to the window's end", async () => {
    const limiter = memoryLimits().limiter("m", 3, 60);
    expect(await limiter.consume("a")).toEqual({ allowed: true, remaining: 2, resetSeconds: 60 });
    await limiter.consume("a");
    expect((await limiter.consume("a")).remaining).toBe(0);
    const limited = await limiter.consume("a");
    expect(limited.allowed).toBe(false);
    expect(limited.remaining).toBe(0);
    expect(limited.resetSeconds).toBeGreaterThan(0);
    // Another key, and another name, count apart.
    expect((await limiter.consume("b")).allowed).toBe(true);
    expect((await memoryLimits().limiter("n", 3, 60).consume("a")).allowed).toBe(true);
  });
});

describe("postgresLimits (several replicas on one PostgreSQL)", () => {
  let db: TestDatabase;
  const pools: pg.Pool[] = [];
  const proxies: TcpProxy[] = [];
  beforeAll(async () => {
    db = await testDatabase();
  });
  afterEach(async () => {
    // The proxies first: they end the connections a silenced query still holds.
    await Promise.all(proxies.splice(0).map((p) => p.close()));
    await Promise.all(pools.splice(0).map((p) => p.end()));
  });
  afterAll(async () => {
    await db.drop();
  });
  const pool = (url = db.url) => {
    const p = openPostgresPool(url, { max: 2 });
    pools.push(p);
    return p;
  };

  it("creates its table once when several replicas start together", async () => {
    const replicas = [pool(), pool(), pool(), pool()];
    await Promise.all(replicas.map((p) => postgresLimits(p)));
    expect(await postgresSchemaVersion(replicas[0]!, "rate-limits")).toBe(1);
    const { rows } = await replicas[0]!.query(
      "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'rate_limits'",
    );
    expect(rows[0].n).toBe(1);
  });

  it("counts a key's requests spread over two replicas as one", async () => {
    const a = (await postgresLimits(pool())).limiter("shared", 5, 60);
    const b = (await postgresLimits(pool())).limiter("shared", 5, 60);
    expect(await consumeAlternately([a, b], "client-1", 7)).toEqual([
      true,
      true,
      true,
      true,
      true,
      false,
      false,
    ]);
    const limited = await a.consume("client-1");
    expect(limited).toMatchObject({ allowed: false, remaining: 0 });
    expect(limited.resetSeconds).toBeGreaterThan(0);
    expect(limited.resetSeconds).toBeLessThanOrEqual(60);
    // The count is the database's: one row, under the limiter's name.
    const { rows } = await pools[0]!.query(
      "SELECT key, points FROM rate_limits WHERE key = 'shared:client-1'",
    );
    expect(rows).toEqual([{ key: "shared:client-1", points: 8 }]);
    // Another key is not limited.
    expect((await b.consume("client-2")).allowed).toBe(true);
  });

  it("limits in memory, without hanging, while the database is silent or down", async () => {
    for (const fault of ["silence", "cut"] as const) {
      const proxy = await tcpProxy(db.url);
      proxies.push(proxy);
      const limiter = (await postgresLimits(pool(proxy.url), { timeoutMs: 100 })).limiter(
        `f-${fault}`,
        5,
        60,
      );
      expect((await limiter.consume("k")).allowed).toBe(true);
      proxy[fault]();
      // The first request counted in the database; the insurance in memory starts from nothing.
      const allowed = await consumeAlternately([limiter], "k", 7);
      expect(allowed.slice(0, 5), fault).toEqual([true, true, true, true, true]);
      expect(allowed.slice(5), fault).toEqual([false, false]);
    }
  });
});

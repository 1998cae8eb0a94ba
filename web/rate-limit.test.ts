import express from "express";
import { createServer, type Server } from "node:http";
import type pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { memoryLimits, postgresLimits, type RateLimits } from "../bot/limits.ts";
import { openPostgresPool } from "../bot/store/postgres.ts";
import { testDatabase, type TestDatabase } from "../bot/store/testing/postgres.ts";
import { errorHandler } from "./errors.ts";
import { rateLimit, type RateLimitOptions } from "./rate-limit.ts";
import { tcpProxy, type TcpProxy } from "../bot/store/testing/tcp-proxy.ts";
import { closeServer, listenLocal } from "./testing/servers.ts";

const silent = { info() {}, warn() {}, error() {} };
const servers: Server[] = [];

afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(servers.splice(0).map(closeServer));
});

/** An app whose GET / is limited in memory; the clock (Date, which rate-limiter-flexible reads) is `clock.t` (ms). */
async function serve(options: Partial<RateLimitOptions> & { trustProxy?: boolean } = {}) {
  vi.useFakeTimers({ toFake: ["Date"], now: 1_000_000 });
  const clock = {
    get t() {
      return Date.now();
    },
    set t(at: number) {
      vi.setSystemTime(at);
    },
  };
  const limiter = rateLimit({
    name: "test",
    limit: 3,
    windowSeconds: 60,
    trustProxy: false,
    limits: memoryLimits(),
    ...options,
  });
  const app = express();
  app.set("trust proxy", options.trustProxy ?? false);
  app.get("/", limiter, (_req, res) => void res.json({ ok: true }));
  app.use(errorHandler(silent));
  const server = createServer(app);
  servers.push(server);
  const url = await listenLocal(server);
  const get = (headers: Record<string, string> = {}) => fetch(url, { headers });
  return { clock, limiter, get };
}

describe("rateLimit", () => {
  it("allows `limit` requests per window, then answers 429 with Retry-After, and counts afresh after the window", async () => {
    const { clock, get } = await serve();
    for (let i = 0; i < 3; i++) {
      const res = await get();
      expect(res.status, `request ${i + 1}`).toBe(200);
      expect(res.headers.get("ratelimit")).toBe(`"test"; r=${2 - i}; t=60`);
    }
    clock.t += 20_500;
    const limited = await get();
    expect(limited.status).toBe(429);
    expect(await limited.json()).toEqual({
      error: { code: "rate_limited", message: "too many requests: wait a minute and try again" },
    });
    // 39.5 s of the window are left: rounded up, as the draft asks.
    expect(limited.headers.get("ratelimit")).toBe(`"test"; r=0; t=40`);
    expect(limited.headers.get("retry-after")).toBe("40");

    clock.t += 39_499;
    expect((await get()).status).toBe(429);
    clock.t += 1;
    const fresh = await get();
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get("ratelimit")).toBe(`"test"; r=2; t=60`);
  });

  it("writes the policy with a partition key derived from the client, as express-rate-limit does", async () => {
    const { get } = await serve();
    const policy = (await get()).headers.get("ratelimit-policy");
    // base64 of the first 12 hex digits of SHA-256("127.0.0.1").
    expect(policy).toBe(`"test"; q=3; w=60; pk=:MTJjYTE3YjQ5YWYy:`);
  });

  it("counts each client apart, and trusts X-Forwarded-For only behind a trusted proxy", async () => {
    const direct = await serve({ limit: 1 });
    expect((await direct.get({ "x-forwarded-for": "203.0.113.1" })).status).toBe(200);
    // Another forwarded address is still the same socket address: limited.
    expect((await direct.get({ "x-forwarded-for": "203.0.113.2" })).status).toBe(429);

    const proxied = await serve({ limit: 1, trustProxy: true });
    expect((await proxied.get({ "x-forwarded-for": "203.0.113.1" })).status).toBe(200);
    expect((await proxied.get({ "x-forwarded-for": "203.0.113.2" })).status).toBe(200);
    expect((await proxied.get({ "x-forwarded-for": "203.0.113.1" })).status).toBe(429);
  });
});

describe("rateLimit over postgresLimits (PostgreSQL, several replicas)", () => {
  let db: TestDatabase;
  const pools: pg.Pool[] = [];
  const proxies: TcpProxy[] = [];
  beforeAll(async () => {
    db = await testDatabase();
  });
  afterAll(async () => {
    await Promise.all(proxies.splice(0).map((p) => p.close()));
    await Promise.all(pools.splice(0).map((p) => p.end()));
    await db.drop();
  });

  async function replica(url: string) {
    const pool = openPostgresPool(url, { max: 2 });
    pools.push(pool);
    const limits: RateLimits = await postgresLimits(pool, { timeoutMs: 100 });
    const limiter = rateLimit({ name: "ask", limit: 5, windowSeconds: 60, trustProxy: false, limits });
    const app = express();
    app.get("/", limiter, (_req, res) => void res.json({ ok: true }));
    app.use(errorHandler(silent));
    const server = createServer(app);
    servers.push(server);
    const base = await listenLocal(server);
    return () => fetch(base);
  }

  it("limits requests spread over two replicas as one client, with the same headers", async () => {
    const a = await replica(db.url);
    const b = await replica(db.url);
    const statuses: number[] = [];
    const remaining: string[] = [];
    for (const get of [a, b, a, b, a, b, a]) {
      const res = await get();
      statuses.push(res.status);
      remaining.push(res.headers.get("ratelimit") ?? "");
      if (res.status === 429) expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(res.headers.get("ratelimit-policy")).toMatch(/^"ask"; q=5; w=60; pk=:[A-Za-z0-9+/=]+:$/);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    expect(remaining[0]).toMatch(/^"ask"; r=4; t=\d+$/);
    expect(remaining[4]).toMatch(/^"ask"; r=0; t=\d+$/);
  });

  it("keeps limiting, in memory, when PostgreSQL stops answering or goes down: no 5xx, no hang", async () => {
    for (const fault of ["silence", "cut"] as const) {
      const proxy = await tcpProxy(db.url);
      proxies.push(proxy);
      const get = await replica(proxy.url);
      proxy[fault]();
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) {
        const res = await get();
        statuses.push(res.status);
        if (res.status === 429) expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
      }
      expect(statuses, fault).toEqual([200, 200, 200, 200, 200, 429, 429]);
    }
  });
});

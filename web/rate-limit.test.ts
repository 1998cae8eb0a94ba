import express from "express";
import { createServer, type Server } from "node:http";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { openPostgresPool } from "../bot/store/postgres.ts";
import { testDatabase, type TestDatabase } from "../bot/store/testing/postgres.ts";
import { errorHandler } from "./errors.ts";
import { rateLimit, sharedRateLimit, type RateLimiter, type RateLimitOptions } from "./rate-limit.ts";
import { closeServer, listenLocal } from "./testing/servers.ts";

const silent = { info() {}, warn() {}, error() {} };
const servers: Server[] = [];
const limiters: RateLimiter[] = [];

afterEach(async () => {
  for (const l of limiters.splice(0)) l.stop();
  await Promise.all(servers.splice(0).map(closeServer));
});

/** An app whose GET / is limited; the clock is `clock.t` (ms). */
async function serve(options: Partial<RateLimitOptions> & { trustProxy?: boolean } = {}) {
  const clock = { t: 1_000_000 };
  const limiter = rateLimit({
    name: "test",
    limit: 3,
    windowMs: 60_000,
    trustProxy: false,
    now: () => clock.t,
    ...options,
  });
  limiters.push(limiter);
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

  it("forgets clients that stayed quiet for two windows", async () => {
    const limiter = rateLimit({ name: "mem", limit: 1, windowMs: 40, trustProxy: false });
    limiters.push(limiter);
    const app = express();
    app.get("/", limiter, (_req, res) => void res.json({ ok: true }));
    app.use(errorHandler(silent));
    const server = createServer(app);
    servers.push(server);
    const url = await listenLocal(server);
    expect((await fetch(url)).status).toBe(200);
    expect(limiter.size).toBe(1);
    await new Promise((r) => setTimeout(r, 150));
    expect(limiter.size).toBe(0);
    expect((await fetch(url)).status).toBe(200);
  });
});

describe("sharedRateLimit (PostgreSQL, several replicas)", () => {
  let db: TestDatabase;
  const pools: pg.Pool[] = [];
  beforeAll(async () => {
    db = await testDatabase();
  });
  afterAll(async () => {
    await Promise.all(pools.splice(0).map((p) => p.end()));
    await db.drop();
  });

  async function replica(url: string, errors: unknown[] = []) {
    const pool = openPostgresPool(url, { max: 2 });
    pools.push(pool);
    const limiter = sharedRateLimit({
      name: "ask",
      limit: 5,
      windowMs: 60_000,
      trustProxy: false,
      pool,
      onError: (err) => errors.push(err),
    });
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
    // The library creates its table at start (the insurance limiter counts until then).
    await tableCreated(db.url);
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

  it("keeps limiting, in memory, when PostgreSQL cannot be reached: no 5xx", async () => {
    const errors: unknown[] = [];
    const get = await replica("postgres://postgres@127.0.0.1:1/none", errors);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await get()).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
  });
});

/** Resolves once rate-limiter-flexible has created its table. */
async function tableCreated(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (let i = 0; i < 100; i++) {
      const { rows } = await client.query("SELECT to_regclass('rate_limits') AS t");
      if (rows[0].t) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error("rate_limits was not created");
  } finally {
    await client.end();
  }
}

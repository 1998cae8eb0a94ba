/**
 * The cost per request of the API's rate limiter: the in-process one (one machine) against
 * rate-limiter-flexible's PostgreSQL back end (several replicas) on a throwaway local PostgreSQL. The
 * middleware is called directly (no HTTP), for 500 clients in turn, 20 requests in flight at a time, so
 * the figures are the limiter's own: µs of wall time per request and requests per second.
 */
import type { Request, Response } from "express";
import { openPostgresPool } from "../bot/store/postgres.ts";
import { startPostgres } from "../bot/store/testing/postgres-server.ts";
import { rateLimit, sharedRateLimit, type RateLimiter } from "../web/rate-limit.ts";

export type LimiterBench = {
  memory: { usPerRequest: number; perSecond: number };
  postgres: { usPerRequest: number; perSecond: number } | { skipped: string };
};

const REQUESTS = 20_000;
const IN_FLIGHT = 20;
const CLIENTS = 500;

async function drive(limiter: RateLimiter): Promise<{ usPerRequest: number; perSecond: number }> {
  const res = { setHeader() {} } as unknown as Response;
  const call = (i: number) =>
    new Promise<void>((resolve) => {
      const req = {
        socket: { remoteAddress: `10.0.${(i % CLIENTS) >> 8}.${i % 256}` },
      } as unknown as Request;
      limiter(req, res, () => resolve());
    });
  // Warm-up (the PostgreSQL limiter's table and prepared statements).
  for (let i = 0; i < 500; i++) await call(i);
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < REQUESTS) await call(next++);
    }),
  );
  const ms = performance.now() - started;
  return { usPerRequest: (ms * 1000) / REQUESTS, perSecond: REQUESTS / (ms / 1000) };
}

export async function runLimiterBench(): Promise<LimiterBench> {
  const options = { name: "ask", limit: 1_000_000, windowMs: 60_000, trustProxy: false };
  const memoryLimiter = rateLimit(options);
  const memory = await drive(memoryLimiter);
  memoryLimiter.stop();
  let server;
  try {
    server = await startPostgres();
  } catch (err) {
    return { memory, postgres: { skipped: (err as Error).message } };
  }
  const pool = openPostgresPool(server.url, { max: 10 });
  try {
    const shared = sharedRateLimit({ ...options, pool });
    // The library creates its table asynchronously at start.
    for (let i = 0; i < 100; i++) {
      const { rows } = await pool.query("SELECT to_regclass('rate_limits') AS t");
      if (rows[0].t) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    return { memory, postgres: await drive(shared) };
  } finally {
    await pool.end();
    await server.stop();
  }
}

/**
 * The cost per request of the API's rate limiter (web/rate-limit.ts over bot/limits.ts, on
 * rate-limiter-flexible): in memory (one machine) and in PostgreSQL (several replicas, on a throwaway
 * local PostgreSQL), against the hand-written in-process limiter it replaced (bench/hand-written-limiter.ts)
 * as the baseline. The
 * middleware is called directly (no HTTP), for 500 clients in turn, 20 requests in flight at a time, so
 * the figures are the limiter's own: µs of wall time per request and requests per second.
 */
import type { Request, Response } from "express";
import { openPostgresPool } from "../bot/store/postgres.ts";
import { startPostgres } from "../bot/store/testing/postgres-server.ts";
import type { RequestHandler } from "express";
import { memoryLimits, postgresLimits } from "../bot/limits.ts";
import { rateLimit } from "../web/rate-limit.ts";
import { rateLimit as handWrittenRateLimit } from "./hand-written-limiter.ts";

type Cost = { usPerRequest: number; perSecond: number };

export type LimiterBench = {
  /** The hand-written in-process limiter the API had before (the baseline). */
  handWritten: Cost;
  /** rate-limiter-flexible in memory (one machine). */
  memory: Cost;
  postgres: Cost | { skipped: string };
};

const REQUESTS = 20_000;
const IN_FLIGHT = 20;
const CLIENTS = 500;

async function drive(limiter: RequestHandler): Promise<Cost> {
  const res = { setHeader() {} } as unknown as Response;
  const call = (i: number) =>
    new Promise<void>((resolve) => {
      const req = {
        socket: { remoteAddress: `10.0.${(i % CLIENTS) >> 8}.${i % 256}` },
      } as unknown as Request;
      void limiter(req, res, () => resolve());
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
  const options = { name: "ask", limit: 1_000_000, trustProxy: false };
  const baseline = handWrittenRateLimit({ ...options, windowMs: 60_000 });
  const handWritten = await drive(baseline);
  baseline.stop();
  const memory = await drive(rateLimit({ ...options, windowSeconds: 60, limits: memoryLimits() }));
  let server;
  try {
    server = await startPostgres();
  } catch (err) {
    return { handWritten, memory, postgres: { skipped: (err as Error).message } };
  }
  const pool = openPostgresPool(server.url, { max: 10 });
  try {
    const limits = await postgresLimits(pool);
    return {
      handWritten,
      memory,
      postgres: await drive(rateLimit({ ...options, windowSeconds: 60, limits })),
    };
  } finally {
    await pool.end();
    await server.stop();
  }
}

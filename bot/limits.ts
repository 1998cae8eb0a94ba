/**
 * Rate limits, on rate-limiter-flexible: one factory of named fixed-window limiters, in memory on one
 * machine (memoryLimits) or in PostgreSQL when several replicas share DATABASE_URL (postgresLimits), so
 * that a client's requests spread over the replicas are counted as one. The API's middleware
 * (web/rate-limit.ts) and the channels' per-user limit (bot/channels/dispatch.ts) both take a RateLimits.
 */
import type pg from "pg";
import {
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRes,
  RLWrapperTimeouts,
} from "rate-limiter-flexible";
import { migratePostgres } from "./store/postgres.ts";

/** What one request learns from its limiter. */
export type LimitResult = {
  /** False once the key has used up its points in the current window. */
  allowed: boolean;
  /** Points left in the window (0 when limited). */
  remaining: number;
  /** Seconds until the window ends, rounded up (the draft's `t` and Retry-After). */
  resetSeconds: number;
};

export type Limiter = {
  /** Counts one request of `key`. Never rejects: a failing back end falls back to memory. */
  consume(key: string): Promise<LimitResult>;
};

export type RateLimits = {
  /**
   * A limiter of `points` requests per `durationSeconds` and key. `name` keeps limiters apart (it
   * prefixes the keys), so two limiters of one name share their counts, also across replicas.
   */
  limiter(name: string, points: number, durationSeconds: number): Limiter;
};

type Consumer = { consume(key: string): Promise<RateLimiterRes> };

function limiterOver(points: number, consumer: Consumer): Limiter {
  const result = (r: RateLimiterRes, allowed: boolean): LimitResult => ({
    allowed,
    remaining: Math.max(points - r.consumedPoints, 0),
    resetSeconds: Math.max(0, Math.ceil(r.msBeforeNext / 1000)),
  });
  return {
    consume: (key) =>
      consumer.consume(key).then(
        (r) => result(r, true),
        (r: unknown) => {
          // The library rejects with a RateLimiterRes when the key is limited, with an Error otherwise
          // (both back ends failed: cannot happen with an insurance in memory, but never throw a request).
          if (r instanceof RateLimiterRes) return result(r, false);
          throw r;
        },
      ),
  };
}

/** Limits counted in this process: one machine (the default). */
export function memoryLimits(): RateLimits {
  return {
    limiter: (name, points, duration) =>
      limiterOver(points, new RateLimiterMemory({ keyPrefix: name, points, duration })),
  };
}

export const RATE_LIMITS_TABLE = "rate_limits";

/**
 * The table rate-limiter-flexible's RateLimiterPostgres expects (its _getCreateTableStmt: key, points,
 * expire in epoch ms), created by a migration rather than by the library's constructor: a replica whose
 * own CREATE failed would have counted in memory until restarted.
 */
const MIGRATIONS = [
  `CREATE TABLE IF NOT EXISTS ${RATE_LIMITS_TABLE} (
    key VARCHAR(255) PRIMARY KEY,
    points INTEGER NOT NULL DEFAULT 0,
    expire BIGINT
  )`,
];

export type PostgresLimitsOptions = {
  /** A database call slower than this counts in memory instead (default 250 ms). */
  timeoutMs?: number;
};

/**
 * Limits shared by every replica on one PostgreSQL: each request is one atomic upsert on `rate_limits`
 * (migrated here, under the shared migration lock). While the database fails or is slower than
 * `timeoutMs`, each limiter's insurance in memory counts instead, per replica: an outage costs
 * precision, never an error or a request left waiting. Expired rows are purged by the library (rows
 * expired an hour ago, every five minutes, on an unref'd timer).
 */
export async function postgresLimits(
  pool: pg.Pool,
  options: PostgresLimitsOptions = {},
): Promise<RateLimits> {
  await migratePostgres(pool, "rate-limits", MIGRATIONS, { label: "rate limits", code: "rate_limits" });
  const timeoutMs = options.timeoutMs ?? 250;
  return {
    limiter(name, points, duration) {
      // The insurance is the wrapper's only: a query failing after its timeout must not count twice.
      const insuranceLimiter = new RateLimiterMemory({ keyPrefix: name, points, duration });
      const postgres = new RateLimiterPostgres({
        storeClient: pool,
        storeType: "pool",
        tableName: RATE_LIMITS_TABLE,
        tableCreated: true,
        clearExpiredByTimeout: true,
        keyPrefix: name,
        points,
        duration,
      });
      return limiterOver(points, new RLWrapperTimeouts({ limiter: postgres, timeoutMs, insuranceLimiter }));
    },
  };
}

import type { Request, RequestHandler, Response } from "express";
import { createHash } from "node:crypto";
import { AppError } from "../indexer/index.ts";
import type { RateLimits } from "../bot/limits.ts";

/**
 * A per-client, fixed-window request limiter for the API, over a RateLimits limiter (bot/limits.ts:
 * rate-limiter-flexible, in memory on one machine, in PostgreSQL shared by the replicas), with the
 * headers of the IETF RateLimit draft 8 (as express-rate-limit writes them with
 * `standardHeaders: "draft-8"`):
 *
 *     RateLimit: "ask"; r=29; t=60
 *     RateLimit-Policy: "ask"; q=30; w=60; pk=:ZmM4ZTY3YjQxNGIy:
 *
 * and `Retry-After` with the 429. Each client's window starts at its first request and lasts
 * `windowSeconds`. The client is the socket's address, or express's req.ip (from X-Forwarded-For) behind
 * a trusted proxy.
 */
export type RateLimitOptions = {
  /** Named in the headers ("ask", "api"), and the limiter's name in `limits`. */
  name: string;
  /** Requests allowed per window and client. */
  limit: number;
  windowSeconds: number;
  /** Whether the app trusts a proxy: then the client is express's req.ip (from X-Forwarded-For). */
  trustProxy: boolean;
  limits: RateLimits;
};

/** Partition keys remembered at most; then the cache starts afresh (hashing one again is cheap). */
const PARTITION_KEYS_MAX = 10_000;

export function rateLimit(options: RateLimitOptions): RequestHandler {
  const { name, limit, windowSeconds } = options;
  const limiter = options.limits.limiter(name, limit, windowSeconds);
  const policyPrefix = `"${name}"; q=${limit}; w=${windowSeconds}; pk=:`;
  const keys = new Map<string, string>();
  const partitionKeyOf = (ip: string) => {
    let pk = keys.get(ip);
    if (pk === undefined) {
      if (keys.size >= PARTITION_KEYS_MAX) keys.clear();
      pk = partitionKey(ip);
      keys.set(ip, pk);
    }
    return pk;
  };

  return (req: Request, res: Response, next: (err?: unknown) => void) => {
    // Without a trusted proxy req.ip is the socket's address; read it directly (req.ip would parse
    // X-Forwarded-For only to ignore it).
    const ip = (options.trustProxy ? req.ip : req.socket.remoteAddress) ?? "unknown";
    limiter.consume(ip).then((r) => {
      res.setHeader("RateLimit", `"${name}"; r=${r.remaining}; t=${r.resetSeconds}`);
      res.setHeader("RateLimit-Policy", `${policyPrefix}${partitionKeyOf(ip)}:`);
      if (r.allowed) return next();
      res.setHeader("Retry-After", String(r.resetSeconds));
      next(new AppError("rate_limited", "too many requests: wait a minute and try again", { expose: true }));
    }, next);
  };
}

/** The draft's partition key, as express-rate-limit derives it: base64 of a SHA-256 prefix of the key. */
function partitionKey(key: string): string {
  const hex = createHash("sha256").update(key).digest("hex").slice(0, 12);
  return Buffer.from(hex).toString("base64");
}

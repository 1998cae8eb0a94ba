import type { Request, RequestHandler, Response } from "express";
import { createHash } from "node:crypto";
import { AppError } from "../indexer/index.ts";

/**
 * The benchmark's baseline only (bench/limiter-bench.ts): the API's hand-written limiter as it was before
 * the API moved to rate-limiter-flexible (web/rate-limit.ts over bot/limits.ts), kept to measure what the
 * library costs per request. Not used by the product.
 *
 * A per-client, fixed-window request limiter for the API, with the headers of the IETF RateLimit draft 8
 * (as express-rate-limit writes them with `standardHeaders: "draft-8"`):
 *
 *     RateLimit: "ask"; r=29; t=60
 *     RateLimit-Policy: "ask"; q=30; w=60; pk=:ZmM4ZTY3YjQxNGIy:
 *
 * and `Retry-After` with the 429. It replaces express-rate-limit on the API, where that library was the
 * largest single cost of a request after Node's own HTTP (about a tenth of the CPU time of POST /api/ask:
 * five awaits, debug calls, validations and a SHA-256 of the client's key on every request). This one
 * does a Map lookup and builds two short strings; the partition key is hashed once per client remembered.
 *
 * Each client's window starts at its first request and lasts `windowMs`. Memory is bounded the way
 * express-rate-limit's MemoryStore bounds it: clients live in two generations, the current one and the
 * one before; every `windowMs` the older generation is dropped, so a client quiet for two windows costs
 * nothing.
 */
export type RateLimitOptions = {
  /** Named in the headers ("ask", "api"). */
  name: string;
  /** Requests allowed per window and client. */
  limit: number;
  windowMs: number;
  /** Whether the app trusts a proxy: then the client is express's req.ip (from X-Forwarded-For). */
  trustProxy: boolean;
  /** The clock, in epoch milliseconds (tests move it). */
  now?: () => number;
};

type Client = { hits: number; resetAt: number; partitionKey: string };

export type RateLimiter = RequestHandler & {
  /** Clients currently remembered (both generations). */
  readonly size: number;
  /** Stops the generation timer (it is unref'd, so it never holds the process open anyway). */
  stop(): void;
};

export function rateLimit(options: RateLimitOptions): RateLimiter {
  const { name, limit, windowMs } = options;
  const now = options.now ?? Date.now;
  const windowSeconds = Math.ceil(windowMs / 1000);
  const policyPrefix = `"${name}"; q=${limit}; w=${windowSeconds}; pk=:`;
  let current = new Map<string, Client>();
  let previous = new Map<string, Client>();
  const timer = setInterval(() => {
    previous = current;
    current = new Map();
  }, windowMs);
  timer.unref();

  const clientFor = (key: string, at: number): Client => {
    let client = current.get(key);
    if (client === undefined) {
      client = previous.get(key);
      if (client !== undefined) {
        previous.delete(key);
        current.set(key, client);
      }
    }
    if (client === undefined) {
      client = { hits: 0, resetAt: at + windowMs, partitionKey: partitionKey(key) };
      current.set(key, client);
    } else if (at >= client.resetAt) {
      client.hits = 0;
      client.resetAt = at + windowMs;
    }
    return client;
  };

  const middleware = ((req: Request, res: Response, next: (err?: unknown) => void) => {
    const at = now();
    // Without a trusted proxy req.ip is the socket's address; read it directly (req.ip would parse
    // X-Forwarded-For only to ignore it).
    const ip = options.trustProxy ? req.ip : req.socket.remoteAddress;
    const client = clientFor(ip ?? "unknown", at);
    client.hits++;
    const resetSeconds = Math.max(0, Math.ceil((client.resetAt - at) / 1000));
    res.setHeader("RateLimit", `"${name}"; r=${Math.max(limit - client.hits, 0)}; t=${resetSeconds}`);
    res.setHeader("RateLimit-Policy", `${policyPrefix}${client.partitionKey}:`);
    if (client.hits <= limit) return next();
    res.setHeader("Retry-After", String(resetSeconds));
    next(new AppError("rate_limited", "too many requests: wait a minute and try again", { expose: true }));
  }) as RateLimiter;
  Object.defineProperty(middleware, "size", { get: () => current.size + previous.size });
  middleware.stop = () => clearInterval(timer);
  return middleware;
}

/** The draft's partition key, as express-rate-limit derives it: base64 of a SHA-256 prefix of the key. */
function partitionKey(key: string): string {
  const hex = createHash("sha256").update(key).digest("hex").slice(0, 12);
  return Buffer.from(hex).toString("base64");
}

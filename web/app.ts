import express, { type RequestHandler } from "express";
import path from "node:path";
import type { Assistant, Clock, Logger, Store } from "../bot/index.ts";
import type { KnowledgeIndex } from "../indexer/index.ts";
import { errorHandler, notFound } from "./errors.ts";
import { API_SECURITY_HEADERS, PORTAL_SECURITY_HEADERS } from "./security-headers.ts";
import { mountApi } from "./routes/api.ts";
import { portalRouter } from "./routes/portal.ts";
import { adminRouter, type AdminDeps } from "./admin/index.ts";
import { webhooksRouter } from "./routes/webhooks.ts";
import { widgetRouter } from "./routes/widget.ts";
import type { ChannelAdapter } from "../bot/channels/index.ts";

/** The index and the assistant built on it, swapped together when the content is republished. */
export type Live = { index: KnowledgeIndex; assistant: Assistant };

/**
 * Express's "trust proxy" in its safe forms: off, the number of proxies in front of the server, or their
 * addresses and subnets ("loopback", "10.0.0.0/8"). Never `true` (the client writes X-Forwarded-For).
 */
export type TrustProxy = false | number | string[];

export type AppOptions = {
  /** Origins allowed to embed the widget and call the API from a browser; "*" allows any. */
  widgetOrigins: "*" | string[];
  /** Questions per minute per IP on /api/ask; other API routes allow four times as many. */
  rateLimitPerMinute: number;
  /** Public base URL for canonical and Open Graph links; without it pages have none (never the Host header). */
  publicUrl?: string;
  trustProxy: TrustProxy;
  /** Longest question accepted, in characters (413 above it). */
  maxMessageLength: number;
};

export type AppDeps = {
  /** The live knowledge: read on every request, so a republished index takes effect at once. */
  live: () => Live;
  store: Store;
  log: Logger;
  clock: Clock;
  options: AppOptions;
  /** Chat channels whose webhooks are mounted at /webhooks/<name>. */
  channels?: readonly ChannelAdapter[];
  /** The admin area at /admin (and uploaded images at /media), when configured. */
  admin?: AdminDeps;
};

export const DEFAULT_APP_OPTIONS: AppOptions = {
  widgetOrigins: "*",
  rateLimitPerMinute: 30,
  trustProxy: false,
  maxMessageLength: 1000,
};

const PUBLIC_DIR = path.join(import.meta.dirname, "public");

/** Builds the express app. It never listens: web/main.ts does, and tests call it in-process. */
export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", deps.options.trustProxy);
  // The API first: it takes most requests, and each layer passed on the way costs a little. It returns
  // JSON only, so it gets the headers that matter for an API (OWASP's REST Security Cheat Sheet) rather
  // than the portal's dozen for documents.
  const apiCors = cors(deps.options.widgetOrigins);
  mountApi(app, deps, (req, res, next) => {
    API_SECURITY_HEADERS(res);
    apiCors(req, res, next);
  });
  app.use((_req, res, next) => {
    PORTAL_SECURITY_HEADERS(res);
    next();
  });
  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/readyz", (_req, res) => {
    const { index } = deps.live();
    res.json({
      status: "ready",
      index: { version: index.manifest.version, entries: index.manifest.counts.entries },
    });
  });
  app.use("/static", express.static(PUBLIC_DIR, { maxAge: "1h", index: false }));
  app.use(widgetRouter(deps));
  app.use("/webhooks", webhooksRouter(deps.channels ?? []));
  if (deps.admin) {
    app.use("/media", express.static(deps.admin.uploadsDir, { maxAge: "1h", index: false }));
    app.use("/admin", adminRouter(deps.admin));
  }
  app.use(portalRouter(deps));
  app.use(notFound);
  app.use(errorHandler(deps.log));
  return app;
}

/**
 * CORS for the API, limited to WIDGET_ORIGINS. A browser request from an origin outside the list gets no
 * CORS headers (the browser blocks it) and, for anything but a simple GET, a 403.
 */
function cors(allowed: "*" | string[]): RequestHandler {
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (!origin) return next();
    const sameOrigin = safeHost(origin) === req.headers.host;
    if (sameOrigin) return next();
    const ok = allowed === "*" || allowed.includes(origin);
    if (ok) {
      res.setHeader("Access-Control-Allow-Origin", allowed === "*" ? "*" : origin);
      res.setHeader("Vary", "Origin");
      res.setHeader("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
      res.setHeader("Access-Control-Allow-Headers", "Content-Type, Accept");
      res.setHeader("Access-Control-Max-Age", "600");
      if (req.method === "OPTIONS") return void res.status(204).end();
      return next();
    }
    if (req.method === "GET") return next();
    res.status(403).json({ error: { code: "forbidden:origin", message: "this origin may not use the API" } });
  };
}

function safeHost(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

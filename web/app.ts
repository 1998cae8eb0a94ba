import express, { type RequestHandler } from "express";
import path from "node:path";
import type pg from "pg";
import type { RateLimits } from "../bot/limits.ts";
import type { Assistant, Clock, Logger, Store } from "../bot/index.ts";
import type { KnowledgeIndex } from "../indexer/index.ts";
import { errorHandler, notFound } from "./errors.ts";
import { createRequire } from "node:module";
import { API_SECURITY_HEADERS, portalSecurityHeaders } from "./security-headers.ts";
import { mountApi } from "./routes/api.ts";
import { portalRouter } from "./routes/portal.ts";
import { adminRouter, type AdminDeps } from "./admin/index.ts";
import { webhooksRouter } from "./routes/webhooks.ts";
import { widgetRouter } from "./routes/widget.ts";
import { reportPagesRouter, type ReportsWeb } from "./routes/reports.ts";
import type { ChannelAdapter } from "../bot/channels/index.ts";
import type { HandoffDesk } from "../bot/handoff/index.ts";

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
  /** The content folder's images/ (entry pictures), served at /content-images; none when unset. */
  contentImagesDir?: string;
  /** Map tiles: a URL template with {z}/{x}/{y} (and {s}), and the attribution its licence asks for. */
  map: MapOptions;
};

export type MapOptions = { tileUrl: string; attribution: string };

/** OpenStreetMap's standard tiles; their usage policy is in README (set MAP_TILE_URL for heavy use). */
export const DEFAULT_MAP: MapOptions = {
  tileUrl: "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
  attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
};

/** The origin a tile URL template loads from, for the CSP ("https://{s}.tile.x" → "https://*.tile.x"). */
export function tileOrigin(template: string): string | undefined {
  try {
    const u = new URL(template.replace(/\{s\}/g, "wildcard-subdomain"));
    return `${u.protocol}//${u.host.replace("wildcard-subdomain", "*")}`;
  } catch {
    return undefined;
  }
}

/** Whether PostgreSQL answers `SELECT 1` within 2 s. */
async function reachable(pool: pg.Pool): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), 2000);
  });
  try {
    return await Promise.race([
      pool.query("SELECT 1").then(
        () => true,
        () => false,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Leaflet's files in node_modules, served like Chart.js: nothing is fetched from a CDN. */
function leafletDir(): string {
  return path.join(path.dirname(createRequire(import.meta.url).resolve("leaflet")));
}

export type AppDeps = {
  /** The live knowledge: read on every request, so a republished index takes effect at once. */
  live: () => Live;
  /** PostgreSQL shared by the replicas (DATABASE_URL): /readyz checks it is reachable. */
  pool?: pg.Pool;
  /** Where the API's rate limits count: postgresLimits(pool) with replicas; in memory by default. */
  rateLimits?: RateLimits;
  store: Store;
  log: Logger;
  clock: Clock;
  options: AppOptions;
  /** Chat channels whose webhooks are mounted at /webhooks/<name>. */
  channels?: readonly ChannelAdapter[];
  /** The admin area at /admin (and uploaded images at /media), when configured. */
  admin?: AdminDeps;
  /** Tourist reports: the widget's photo upload, case status links, the figures page. */
  reports?: ReportsWeb;
  /** Talking to a person from the widget: asked before the assistant on /api/ask. */
  handoff?: Pick<HandoffDesk, "intercept">;
};

export const DEFAULT_APP_OPTIONS: AppOptions = {
  widgetOrigins: "*",
  rateLimitPerMinute: 30,
  trustProxy: false,
  maxMessageLength: 1000,
  map: DEFAULT_MAP,
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
  const tiles = tileOrigin(deps.options.map.tileUrl);
  const portalHeaders = portalSecurityHeaders(tiles ? [tiles] : []);
  app.use((_req, res, next) => {
    portalHeaders(res);
    next();
  });
  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/readyz", async (_req, res) => {
    const { index } = deps.live();
    const indexInfo = { version: index.manifest.version, entries: index.manifest.counts.entries };
    // With replicas the load balancer reads this: one that cannot reach the database is taken out.
    if (deps.pool && !(await reachable(deps.pool))) {
      return void res.status(503).json({ status: "unavailable", reason: "database", index: indexInfo });
    }
    res.json({ status: "ready", index: indexInfo });
  });
  app.use("/static", express.static(PUBLIC_DIR, { maxAge: "1h", index: false }));
  const leaflet = leafletDir();
  for (const file of ["leaflet.js", "leaflet.css"])
    app.get(`/static/leaflet/${file}`, (_req, res) =>
      res.sendFile(path.join(leaflet, file), { maxAge: "1d" }),
    );
  if (deps.options.contentImagesDir)
    app.use("/content-images", express.static(deps.options.contentImagesDir, { maxAge: "1h", index: false }));
  app.use(widgetRouter(deps));
  app.use("/webhooks", webhooksRouter(deps.channels ?? []));
  if (deps.admin) {
    app.use("/media", express.static(deps.admin.uploadsDir, { maxAge: "1h", index: false }));
    app.use("/admin", adminRouter(deps.admin));
  }
  app.use(reportPagesRouter(deps));
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

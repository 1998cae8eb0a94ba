import { isIP } from "node:net";
import path from "node:path";
import { z } from "zod";
import type { ChannelSettings } from "../bot/channels/index.ts";
import { readBotConfig, type BotConfig } from "../bot/config.ts";
import { DEFAULT_STAFF_HOURS, parseStaffHours, type StaffHours } from "../bot/handoff/index.ts";
import type { TrustProxy } from "./app.ts";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, passwordLength } from "./admin/passwords.ts";

/**
 * The one place that reads the environment for the running product (portal, API, widget; the bots join
 * in the channels issue). Validated once at start; a bad value stops the process with a message that
 * names the variable. README's configuration table lists every variable and its default.
 */
const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  /** Public base URL (https://du-lich.example.vn): canonical links and Open Graph URLs use it. */
  PUBLIC_URL: z.url().optional(),
  /** Origins allowed to embed the widget and call the API from the browser; "*" allows any. */
  WIDGET_ORIGINS: z.string().default("*"),
  /** Questions per minute per IP on /api/ask (other API routes get four times as many). */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(30),
  /** Behind a reverse proxy: which hops of X-Forwarded-For to trust for the client IP (see parseTrustProxy). */
  TRUST_PROXY: z.string().default("false"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  // Telegram (grammY): long polling without PUBLIC_URL, a webhook with it.
  TELEGRAM_BOT_TOKEN: z.string().min(1).optional(),
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,256}$/, "1-256 of A-Z a-z 0-9 _ -")
    .optional(),
  TELEGRAM_API_ROOT: z.url().default("https://api.telegram.org"),
  // The staff's Telegram group (new handoffs, failed deliveries); a chat id such as -1001234567890.
  // Talking to a person: minutes without a staff reply before the chat goes back to the bot, and the
  // office hours (Vietnam time) when staff answer.
  HANDOFF_QUIET_MINUTES: z.coerce.number().int().min(1).max(10_080).default(30),
  STAFF_HOURS: z.string().default(DEFAULT_STAFF_HOURS),
  TELEGRAM_STAFF_CHAT_ID: z
    .string()
    .regex(/^-?\d{1,20}$/, "a Telegram chat id (a whole number, negative for groups)")
    .optional(),
  // Zalo Official Account (API v3).
  ZALO_APP_ID: z.string().min(1).optional(),
  ZALO_APP_SECRET: z.string().min(1).optional(),
  ZALO_OA_SECRET_KEY: z.string().min(1).optional(),
  ZALO_OA_ACCESS_TOKEN: z.string().min(1).optional(),
  ZALO_OA_REFRESH_TOKEN: z.string().min(1).optional(),
  ZALO_OA_API_BASE: z.url().default("https://openapi.zalo.me"),
  ZALO_OAUTH_BASE: z.url().default("https://oauth.zaloapp.com"),
  /** Signed OA events further than this from now are refused (replays). */
  ZALO_OA_MAX_EVENT_AGE_SECONDS: z.coerce.number().int().min(10).max(86_400).default(300),
  // Zalo Bot Platform.
  ZALO_BOT_TOKEN: z.string().min(1).optional(),
  ZALO_BOT_WEBHOOK_SECRET: z.string().min(8, "8-256 characters").max(256, "8-256 characters").optional(),
  ZALO_BOT_API_BASE: z.url().default("https://bot-api.zaloplatforms.com"),
  // The admin area.
  DATA_DIR: z.string().min(1).default("data"),
  /** Creates the first account "admin" (editor) at start when there is no account yet. */
  ADMIN_PASSWORD: z.string().optional(),
  /**
   * postgres://user:password@host:5432/db: content revisions, uploads, report photos, the API's rate
   * limits and the admin database shared through PostgreSQL (the assistant's store follows in issue 17).
   * Unset: SQLite and memory.
   */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(?:ql)?:\/\/\S+$/, "a postgres:// or postgresql:// connection URL")
    .optional(),
  /** Connections per replica to PostgreSQL. */
  DATABASE_POOL_MAX: z.coerce.number().int().min(2).max(500).default(10),
  ADMIN_DB_FILE: z.string().min(1).optional(),
  UPLOADS_DIR: z.string().min(1).optional(),
  /** `Secure` on the admin cookies; "auto": when the request came over HTTPS. */
  COOKIE_SECURE: z.enum(["auto", "true", "false"]).default("auto"),
  /** Republish when content/ changes on disk (a git pull), not only from the admin. */
  WATCH_CONTENT: z.enum(["true", "false"]).default("true"),
  /** Map tiles for the portal's maps: a {z}/{x}/{y} URL template (OpenStreetMap's standard tiles by default). */
  MAP_TILE_URL: z
    .string()
    .regex(/^https?:\/\/[^\s]*\{z\}[^\s]*\{x\}[^\s]*\{y\}[^\s]*$/, "an http(s) URL with {z}, {x} and {y}")
    .optional(),
  /** The attribution the tiles' licence asks for, shown on every map (HTML allowed: it is configuration). */
  MAP_ATTRIBUTION: z.string().min(1).optional(),
  /** Stored questions and feedback older than this many days are deleted (daily). */
  RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(180),
  // Tourist reports.
  /** Reports one chat user may file in 24 hours. */
  REPORTS_PER_DAY: z.coerce.number().int().min(1).max(1000).default(5),
  /** Longest report description kept, in characters. */
  REPORTS_MAX_DESCRIPTION: z.coerce.number().int().min(50).max(4000).default(1000),
  /** Largest report photo, in megabytes. */
  REPORTS_MAX_PHOTO_MB: z.coerce.number().min(0.1).max(20).default(5),
  /** Days the office has per category, "category=days,...", "default" for the rest. */
  REPORTS_DEADLINES: z
    .string()
    .regex(
      /^\s*(?:prices|safety|cleanliness|infrastructure|lodging|lost|other|default)\s*=\s*\d+(?:\.\d+)?\s*(?:,\s*(?:prices|safety|cleanliness|infrastructure|lodging|lost|other|default)\s*=\s*\d+(?:\.\d+)?\s*)*$/,
      'a list such as "safety=1,lost=1,prices=3,default=5"',
    )
    .default("safety=1,lost=1,prices=3,default=5"),
  /** Report photos: a private folder, never served (default: <UPLOADS_DIR>/../report-photos). */
  REPORTS_PHOTO_DIR: z.string().min(1).optional(),
  /** The IOC's endpoint for new cases and status changes (POST JSON, retried from a queue). */
  REPORTS_WEBHOOK_URL: z.url().optional(),
  /** The HMAC-SHA256 key of the webhook's X-Signature-256 header. */
  REPORTS_WEBHOOK_SECRET: z.string().min(16, "at least 16 characters").optional(),
});

/** REPORTS_DEADLINES as days per category. */
function parseDeadlines(text: string): { default: number } & Record<string, number> {
  const out: { default: number } & Record<string, number> = { default: 5 };
  for (const part of text.split(",")) {
    const [k, v] = part.split("=").map((x) => x.trim());
    if (k && v) out[k] = Number(v);
  }
  return out;
}

export type ChannelsConfig = Omit<ChannelSettings, "publicUrl">;

export type WebConfig = BotConfig & {
  port: number;
  host: string;
  publicUrl?: string;
  widgetOrigins: "*" | string[];
  rateLimitPerMinute: number;
  trustProxy: TrustProxy;
  logLevel: string;
  /** The chat channels whose variables are set; the others are skipped with one log line. */
  channels: ChannelsConfig;
  /** Password of the first admin account, created when the admin database has none. */
  adminPassword?: string;
  adminDbFile: string;
  /** DATABASE_URL and DATABASE_POOL_MAX: PostgreSQL for several replicas; absent means SQLite. */
  database?: { url: string; poolMax: number };
  /** Uploaded images (served at /media). */
  uploadsDir: string;
  cookieSecure: "auto" | boolean;
  watchContent: boolean;
  retentionDays: number;
  /** Tile URL template and attribution of the portal's maps. */
  map: { tileUrl: string; attribution: string };
  /** TELEGRAM_STAFF_CHAT_ID: where staff notices go (through the Telegram bot). */
  staffChatId?: string;
  /** Tourist reports (bot/reports/). */
  reports: {
    perDay: number;
    maxDescription: number;
    maxPhotoBytes: number;
    deadlines: { default: number } & Record<string, number>;
    photoDir: string;
    webhook?: { url: string; secret?: string };
  };
  /** HANDOFF_QUIET_MINUTES: a handoff without a staff reply for this long goes back to the bot. */
  handoffQuietMinutes: number;
  /** STAFF_HOURS, parsed. */
  staffHours: StaffHours;
};

/** Reads and validates every variable; throws one error naming each bad one. */
export function readWebConfig(env: NodeJS.ProcessEnv = process.env): WebConfig {
  const clean = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === "" ? undefined : v]));
  const problems: string[] = [];
  const parsed = envSchema.safeParse(clean);
  if (!parsed.success)
    problems.push(...parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`));
  let bot: BotConfig | undefined;
  try {
    bot = readBotConfig(env);
  } catch (err) {
    problems.push(
      ...String((err as Error).message)
        .split("\n")
        .slice(1),
    );
  }
  // Checked even when other variables are bad, so that one message names every problem.
  const origins = parseOrigins(String(clean.WIDGET_ORIGINS ?? "*"), problems);
  const channels = parsed.success ? readChannels(parsed.data, problems) : {};
  const trustProxy = parseTrustProxy(String(clean.TRUST_PROXY ?? "false"), problems);
  let staffHours: StaffHours | undefined;
  try {
    staffHours = parseStaffHours(String(clean.STAFF_HOURS ?? DEFAULT_STAFF_HOURS));
  } catch (err) {
    problems.push(`  ${(err as Error).message}`);
  }
  const password = clean.ADMIN_PASSWORD;
  if (typeof password === "string") {
    const length = passwordLength(password);
    if (length < MIN_PASSWORD_LENGTH || length > MAX_PASSWORD_LENGTH)
      problems.push(`  ADMIN_PASSWORD: must be ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters`);
  }
  if (parsed.success) {
    // Report photos must never be reachable through /media (the public uploads).
    const uploads = path.resolve(parsed.data.UPLOADS_DIR ?? path.join(parsed.data.DATA_DIR, "uploads"));
    const photos = parsed.data.REPORTS_PHOTO_DIR ? path.resolve(parsed.data.REPORTS_PHOTO_DIR) : undefined;
    if (photos && (photos === uploads || photos.startsWith(uploads + path.sep)))
      problems.push(
        "  REPORTS_PHOTO_DIR: must not be inside UPLOADS_DIR (uploads are served publicly at /media)",
      );
  }
  if (problems.length || !parsed.success || !bot || !staffHours)
    throw new Error(`invalid configuration:\n${problems.join("\n")}`);
  const e = parsed.data;
  return {
    ...bot,
    port: e.PORT,
    host: e.HOST,
    ...(e.PUBLIC_URL ? { publicUrl: e.PUBLIC_URL.replace(/\/+$/, "") } : {}),
    widgetOrigins: origins,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    trustProxy,
    logLevel: e.LOG_LEVEL,
    channels,
    ...(e.ADMIN_PASSWORD ? { adminPassword: e.ADMIN_PASSWORD } : {}),
    adminDbFile: path.resolve(e.ADMIN_DB_FILE ?? path.join(e.DATA_DIR, "admin.sqlite")),
    ...(e.DATABASE_URL ? { database: { url: e.DATABASE_URL, poolMax: e.DATABASE_POOL_MAX } } : {}),
    uploadsDir: path.resolve(e.UPLOADS_DIR ?? path.join(e.DATA_DIR, "uploads")),
    cookieSecure: e.COOKIE_SECURE === "auto" ? "auto" : e.COOKIE_SECURE === "true",
    watchContent: e.WATCH_CONTENT === "true",
    retentionDays: e.RETENTION_DAYS,
    ...(e.TELEGRAM_STAFF_CHAT_ID ? { staffChatId: e.TELEGRAM_STAFF_CHAT_ID } : {}),
    reports: {
      perDay: e.REPORTS_PER_DAY,
      maxDescription: e.REPORTS_MAX_DESCRIPTION,
      maxPhotoBytes: Math.round(e.REPORTS_MAX_PHOTO_MB * 1024 * 1024),
      deadlines: parseDeadlines(e.REPORTS_DEADLINES),
      photoDir: path.resolve(
        e.REPORTS_PHOTO_DIR ??
          path.join(
            path.dirname(path.resolve(e.UPLOADS_DIR ?? path.join(e.DATA_DIR, "uploads"))),
            "report-photos",
          ),
      ),
      ...(e.REPORTS_WEBHOOK_URL
        ? {
            webhook: {
              url: e.REPORTS_WEBHOOK_URL,
              ...(e.REPORTS_WEBHOOK_SECRET ? { secret: e.REPORTS_WEBHOOK_SECRET } : {}),
            },
          }
        : {}),
    },
    handoffQuietMinutes: e.HANDOFF_QUIET_MINUTES,
    staffHours,
    map: {
      tileUrl: e.MAP_TILE_URL ?? "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
      attribution:
        e.MAP_ATTRIBUTION ??
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
    },
  };
}

/** Each channel is on when its token is set; a webhook needs its secret; Zalo OA needs all its keys. */
function readChannels(e: z.infer<typeof envSchema>, problems: string[]): ChannelsConfig {
  const out: ChannelsConfig = {};
  const webhooks = e.PUBLIC_URL !== undefined;
  if (e.TELEGRAM_BOT_TOKEN) {
    if (webhooks && !e.TELEGRAM_WEBHOOK_SECRET)
      problems.push(
        "  TELEGRAM_WEBHOOK_SECRET: required when PUBLIC_URL is set (the webhook is checked with it)",
      );
    out.telegram = {
      token: e.TELEGRAM_BOT_TOKEN,
      apiRoot: e.TELEGRAM_API_ROOT.replace(/\/+$/, ""),
      ...(e.TELEGRAM_WEBHOOK_SECRET ? { webhookSecret: e.TELEGRAM_WEBHOOK_SECRET } : {}),
    };
  }
  const oaKeys = {
    ZALO_APP_ID: e.ZALO_APP_ID,
    ZALO_APP_SECRET: e.ZALO_APP_SECRET,
    ZALO_OA_SECRET_KEY: e.ZALO_OA_SECRET_KEY,
  };
  const oaSet = Object.values(oaKeys).filter(Boolean).length;
  if (oaSet > 0 && oaSet < 3)
    for (const [name, value] of Object.entries(oaKeys))
      if (!value)
        problems.push(`  ${name}: required for Zalo OA (the other ZALO_APP_* / ZALO_OA_SECRET_KEY are set)`);
  if (oaSet === 3) {
    if (!e.ZALO_OA_REFRESH_TOKEN && !e.ZALO_OA_ACCESS_TOKEN)
      problems.push(
        "  ZALO_OA_ACCESS_TOKEN: Zalo OA needs a first access token and refresh token (see README)",
      );
    out.zaloOa = {
      appId: e.ZALO_APP_ID as string,
      appSecret: e.ZALO_APP_SECRET as string,
      oaSecretKey: e.ZALO_OA_SECRET_KEY as string,
      ...(e.ZALO_OA_ACCESS_TOKEN ? { accessToken: e.ZALO_OA_ACCESS_TOKEN } : {}),
      ...(e.ZALO_OA_REFRESH_TOKEN ? { refreshToken: e.ZALO_OA_REFRESH_TOKEN } : {}),
      apiBase: e.ZALO_OA_API_BASE.replace(/\/+$/, ""),
      oauthBase: e.ZALO_OAUTH_BASE.replace(/\/+$/, ""),
      maxEventAgeMs: e.ZALO_OA_MAX_EVENT_AGE_SECONDS * 1000,
    };
  }
  if (e.ZALO_BOT_TOKEN) {
    if (webhooks && !e.ZALO_BOT_WEBHOOK_SECRET)
      problems.push(
        "  ZALO_BOT_WEBHOOK_SECRET: required when PUBLIC_URL is set (the webhook is checked with it)",
      );
    out.zaloBot = {
      token: e.ZALO_BOT_TOKEN,
      apiBase: e.ZALO_BOT_API_BASE.replace(/\/+$/, ""),
      ...(e.ZALO_BOT_WEBHOOK_SECRET ? { webhookSecret: e.ZALO_BOT_WEBHOOK_SECRET } : {}),
    };
  }
  return out;
}

/** "*" or a comma-separated list of origins (scheme://host[:port]). */
function parseOrigins(value: string, problems: string[]): "*" | string[] {
  if (value.trim() === "*") return "*";
  const out: string[] = [];
  for (const raw of value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    try {
      const u = new URL(raw);
      if (u.origin === "null" || u.pathname !== "/" || u.search) throw new Error();
      out.push(u.origin);
    } catch {
      problems.push(`  WIDGET_ORIGINS: "${raw}" is not an origin like https://example.com`);
    }
  }
  return out;
}

/** The names express (proxy-addr) gives to address ranges. */
const PROXY_RANGES = new Set(["loopback", "linklocal", "uniquelocal"]);

/**
 * TRUST_PROXY in the forms of express's "trust proxy" that cannot be fooled by the client: off ("false",
 * "0", unset), the number of proxies in front of the server (the client address is that many hops from
 * the right of X-Forwarded-For), or the proxies' addresses and subnets, comma-separated ("loopback",
 * "10.0.0.0/8", "fd00::/8"). "true" is refused: it takes the left-most X-Forwarded-For, which the client
 * writes itself, so a changed header would get round the rate limits and the login lock.
 */
function parseTrustProxy(value: string, problems: string[]): TrustProxy {
  const text = value.trim().toLowerCase();
  if (text === "" || text === "false" || text === "0") return false;
  if (text === "true") {
    problems.push(
      "  TRUST_PROXY: true would take the client address from the left of X-Forwarded-For, which the client " +
        "writes itself (rate limits and the login lock could be dodged); give the number of proxies in " +
        "front of the server (1 behind one nginx or Caddy) or their addresses (loopback, 10.0.0.0/8)",
    );
    return false;
  }
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops <= 20) return hops;
    problems.push("  TRUST_PROXY: a hop count must be 0 to 20");
    return false;
  }
  const out: string[] = [];
  for (const item of text.split(",").map((s) => s.trim())) {
    if (PROXY_RANGES.has(item) || isIP(item) || isSubnet(item)) out.push(item);
    else
      problems.push(
        `  TRUST_PROXY: "${item}" is not a hop count, loopback, linklocal, uniquelocal, an address or a subnet`,
      );
  }
  return out;
}

/** An address with a prefix length its family allows: 10.0.0.0/8, fd00::/8. */
function isSubnet(text: string): boolean {
  const slash = text.lastIndexOf("/");
  if (slash < 0 || !/^\d{1,3}$/.test(text.slice(slash + 1))) return false;
  const family = isIP(text.slice(0, slash));
  const bits = Number(text.slice(slash + 1));
  return (family === 4 && bits <= 32) || (family === 6 && bits <= 128);
}

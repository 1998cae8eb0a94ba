import { z } from "zod";
import { readBotConfig, type BotConfig } from "../bot/config.ts";

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
  /** Behind a reverse proxy, trust X-Forwarded-For for the client IP (rate limits, logs). */
  TRUST_PROXY: z.enum(["true", "false"]).default("false"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type WebConfig = BotConfig & {
  port: number;
  host: string;
  publicUrl?: string;
  widgetOrigins: "*" | string[];
  rateLimitPerMinute: number;
  trustProxy: boolean;
  logLevel: string;
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
  const origins = parsed.success ? parseOrigins(parsed.data.WIDGET_ORIGINS, problems) : "*";
  if (problems.length || !parsed.success || !bot)
    throw new Error(`invalid configuration:\n${problems.join("\n")}`);
  const e = parsed.data;
  return {
    ...bot,
    port: e.PORT,
    host: e.HOST,
    ...(e.PUBLIC_URL ? { publicUrl: e.PUBLIC_URL.replace(/\/+$/, "") } : {}),
    widgetOrigins: origins,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    trustProxy: e.TRUST_PROXY === "true",
    logLevel: e.LOG_LEVEL,
  };
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

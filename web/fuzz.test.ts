import { cp, mkdtemp, rm } from "node:fs/promises";
import http, { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAssistant, createMemoryStore, type Logger, type Store } from "../bot/index.ts";
import { createChannels, createDispatcher, type ChannelAdapter } from "../bot/channels/index.ts";
import { signWebhookBody } from "../bot/channels/zalo-oa/fake-zalo-oa.ts";
import { buildFromEntries, loadContent } from "../indexer/index.ts";
import { mulberry32 } from "../indexer/util/random.ts";
import { openAdminDb, type AdminDb } from "./admin/accounts.ts";
import { createAdminAuth, createAuditLog } from "./admin/auth.ts";
import { hashPassword } from "./admin/passwords.ts";
import type { Publisher } from "./admin/types.ts";
import { createApp, DEFAULT_APP_OPTIONS, type Live } from "./app.ts";
import { closeServer, listenLocal } from "./testing/servers.ts";

/**
 * A bounded, seeded fuzz of the whole HTTP surface: the portal in both languages, the API, the widget,
 * the admin area (signed out, and signed in as a viewer) and the three webhooks, on the real content and
 * the real assistant, with the real auth on a temporary admin database. Each request is a route of the
 * app with its parameters drawn from pools of normal and hostile values, then mutated (method, path,
 * query, headers, body). Nothing may answer 5xx, the error sink may log nothing, and the server must
 * answer normally afterwards. The seed makes every run send the same requests.
 */

const SEED = 0x0c4a_d0c;
const REQUESTS = 3000;
const PARALLEL = 8;
const NOW = new Date("2026-12-01T09:00:00+07:00");
const ROOT = path.resolve(import.meta.dirname, "..");
const VIEWER = { name: "minh", password: "Minh-chi-xem-2026!" };
const TG_SECRET = "fuzz_secret-1";
const ZB_SECRET = "fuzz-zalo-bot-secret";
const OA = { appId: "3344556677", appSecret: "app-secret-fuzz", oaSecretKey: "oa-secret-fuzz" };

/** What the error sink logged as failures ("request failed"): must stay empty. */
const failures: unknown[] = [];
const quiet: Logger = {
  info() {},
  warn() {},
  error(obj, msg) {
    if (msg === "request failed") failures.push(obj);
  },
};

let tmp = "";
let base = "";
let app: Server;
let platform: Server;
let store: Store;
let adminDb: AdminDb;
let channels: ChannelAdapter[] = [];
let ids: string[] = [];
let session = { cookie: "", csrf: "" };
let published = 0;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), "chau-doc-fuzz-"));
  const contentDir = path.join(tmp, "content");
  await cp(path.join(ROOT, "content"), contentDir, { recursive: true });
  const { entries, problems } = await loadContent(contentDir);
  expect(problems).toEqual([]);
  ids = entries.map((e) => e.id);
  const { index } = await buildFromEntries(entries, "0".repeat(64));
  const clock = { now: () => NOW };
  store = createMemoryStore();
  const assistant = createAssistant({ index, store, clock });
  const live: Live = { index, assistant };

  // The chat platforms: one local server that refuses every call, so replies fail fast and offline.
  platform = createServer((_req, res) => {
    res.writeHead(400, { "content-type": "application/json" });
    res.end(JSON.stringify({ ok: false, error_code: 400, description: "fuzz", error: -1, message: "fuzz" }));
  });
  const platformUrl = await listenLocal(platform);
  const dispatcher = createDispatcher({ assistant, store, log: quiet, clock });
  channels = createChannels(
    {
      telegram: { token: "4242:fuzz-token", webhookSecret: TG_SECRET, apiRoot: platformUrl },
      zaloOa: { ...OA, accessToken: "a", refreshToken: "r", apiBase: platformUrl, oauthBase: platformUrl },
      zaloBot: { token: "77:fuzz", webhookSecret: ZB_SECRET, apiBase: platformUrl },
    },
    { dispatcher, store, log: quiet },
  );

  adminDb = openAdminDb(path.join(tmp, "admin.sqlite"));
  const cheap = { N: 2 ** 10, r: 8, p: 1 };
  await adminDb.upsertUser({
    ...VIEWER,
    role: "viewer",
    passwordHash: await hashPassword(VIEWER.password, cheap),
    at: NOW.toISOString(),
  });
  const audit = createAuditLog(adminDb, clock);
  const auth = createAdminAuth({
    db: adminDb,
    log: quiet,
    clock,
    secureCookies: false,
    audit,
    passwordParams: cheap,
    sleep: async () => {},
  });
  // A viewer never publishes; a call would show that a refused request got through.
  const publisher: Publisher = {
    publish: async () => {
      published++;
      return { ok: false, error: "not in the fuzz", problems: [], ms: 0 };
    },
    status: () => ({ running: false }),
  };
  app = createServer(
    createApp({
      live: () => live,
      store,
      log: quiet,
      clock,
      channels,
      admin: {
        contentDir,
        uploadsDir: path.join(tmp, "uploads"),
        live: () => live,
        store,
        auth,
        audit,
        publisher,
        log: quiet,
        clock,
      },
      options: {
        ...DEFAULT_APP_OPTIONS,
        rateLimitPerMinute: 100_000,
        widgetOrigins: ["https://khach-san.example"],
        trustProxy: ["loopback"],
      },
    }),
  );
  base = await listenLocal(app);
  session = await signIn();
}, 60_000);

afterAll(async () => {
  await Promise.all(channels.map((c) => c.stop()));
  await Promise.all([app, platform].filter(Boolean).map(closeServer));
  await adminDb?.close();
  await store?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------------------
// One raw request, exactly as generated (fetch would normalise paths and refuse some headers), on a
// connection of its own: Node's HTTP client hangs up a kept-alive socket after an OPTIONS with a body
// (a quirk of the client; the server answers the next request on it, as a raw socket shows).

type Sent = { method: string; path: string; headers: Record<string, string>; body?: Buffer };
type Got = { status: number; headers: http.IncomingHttpHeaders; body: string };

function send(r: Sent): Promise<Got> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: hostname, port, method: r.method, path: r.path, headers: r.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(r.body);
  });
}

function cookiesOf(headers: http.IncomingHttpHeaders): string {
  return (headers["set-cookie"] ?? []).map((c) => c.split(";")[0]).join("; ");
}

/** Signs the viewer in through the login form; the session cookie and its CSRF token. */
async function signIn(): Promise<{ cookie: string; csrf: string }> {
  const form = await send({ method: "GET", path: "/admin/login", headers: {} });
  const token = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? "";
  const body = new URLSearchParams({ _csrf: token, next: "/admin", ...VIEWER }).toString();
  const login = await send({
    method: "POST",
    path: "/admin/login",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookiesOf(form.headers) },
    body: Buffer.from(body),
  });
  expect(login.status).toBe(303);
  const cookie = cookiesOf(login.headers);
  const page = await send({ method: "GET", path: "/admin/publish", headers: { cookie } });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? "";
  expect(csrf).not.toBe("");
  return { cookie, csrf };
}

// ---------------------------------------------------------------------------------------------------------
// The generator

type Rng = () => number;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T;
const chance = (rng: Rng, p: number) => rng() < p;

const HOSTILE_TEXT = [
  "",
  "Miếu Bà Chúa Xứ ở đâu?",
  "where is Sam mountain",
  "<script>alert(1)</script>",
  "\"'><img src=x onerror=alert(1)>",
  "%",
  "%ZZ",
  "%E0%A4%A",
  "%00",
  "../../etc/passwd",
  "..%2F..%2Fpackage.json",
  "😀🙏🏽",
  "a\u0301\u0302\u0303\u0304",
  "ignore previous instructions",
  "x".repeat(3000),
  "{{7*7}}${7*7}",
  "null",
  "[object Object]",
  " ",
];
const DATES = [
  "2026-11-22",
  "2027-02-29",
  "2026-02-30",
  "9999-12-31",
  "0000-01-01",
  "1900-01-01",
  "2199-12-31",
  "x",
  "",
];
const TIMES = [
  "2026-11-22T23:30:00+07:00",
  "9999-12-31T23:59:00-14:00",
  "2026-11-22T24:00",
  "now",
  "",
  "2026-11-22T10:00Z",
];
const NUMBERS = ["0", "-1", "1", "5", "100", "1e309", "NaN", "99999999999999999999", "0x10", "", "abc"];
const LANGS = ["vi", "en", "fr", "", "VI", "vi-VN"];

/** A value for a placeholder: mostly plausible, often hostile. */
function valueFor(rng: Rng, kind: string): string {
  switch (kind) {
    case "id":
      return chance(rng, 0.6) ? pick(rng, ids) : pick(rng, [...HOSTILE_TEXT, "khong-co", "A-B", "-x-"]);
    case "text":
      return pick(rng, HOSTILE_TEXT);
    case "date":
      return pick(rng, DATES);
    case "time":
      return pick(rng, TIMES);
    case "num":
      return pick(rng, NUMBERS);
    case "lang":
      return pick(rng, LANGS);
    case "bool":
      return pick(rng, ["true", "false", "yes", ""]);
    case "guest":
      return pick(rng, ["vn", "foreign", "tourist", ""]);
    case "method":
      return pick(rng, ["paper", "electronic", "fax", ""]);
    case "type":
      return pick(rng, ["attraction", "event", "lodging-rule", "practical", "x", ""]);
    case "mode":
      return pick(rng, ["hybrid", "lexical", "vector", "x"]);
    case "stat":
      return pick(rng, ["questions", "feedback", "gaps", "entries", "x", "..%2F"]);
    default:
      return pick(rng, HOSTILE_TEXT);
  }
}

/** Query-string encoding, except that a raw "%" escape from the pools is sometimes left as it is. */
function enc(rng: Rng, value: string): string {
  return chance(rng, 0.15) && /^%/.test(value) ? value : encodeURIComponent(value);
}

/** The app's routes, with {placeholders}. */
const GETS = [
  "/",
  "/search?q={text}",
  "/attractions",
  "/attractions?tag={text}",
  "/attractions/{id}",
  "/events",
  "/events?month={num}&year={num}&from={date}",
  "/events/{id}",
  "/lodging",
  "/lodging?guest={guest}&time={text}&date={date}&remote={bool}&method={method}",
  "/lodging/{id}",
  "/practical",
  "/practical/{id}",
  "/healthz",
  "/readyz",
  "/widget.js",
  "/widget-demo?lang={lang}",
  "/static/portal.css",
  "/static/{text}",
  "/media/{text}",
  "/api/search?q={text}&k={num}&lang={lang}&type={type}&mode={mode}",
  "/api/entries/{id}",
  "/api/events?from={date}&to={date}",
  "/api/lodging/deadline?guest={guest}&arrival={time}&remote={bool}&method={method}",
  "/api/openapi.json",
  "/admin",
  "/admin?from={date}&to={date}&channel={text}",
  "/admin/login?next={text}",
  "/admin/entries?q={text}&type={type}&tag={text}&lang={lang}&sort={text}",
  "/admin/entries/new?from-question={text}&type={type}",
  "/admin/entries/{id}/edit",
  "/admin/entries/{id}/preview",
  "/admin/entries/{id}/delete",
  "/admin/publish",
  "/admin/publish.json",
  "/admin/audit?limit={num}",
  "/admin/stats/{stat}.csv?from={date}&to={date}",
  "/admin/static/{text}",
];
const POSTS = [
  "/api/ask",
  "/api/feedback",
  "/admin/login",
  "/admin/logout",
  "/admin/reindex",
  "/admin/entries",
  "/admin/entries/{id}",
  "/admin/entries/{id}/delete",
  "/admin/entries/{id}/images",
  "/webhooks/telegram",
  "/webhooks/zalo-oa",
  "/webhooks/zalo-bot",
];

function fill(rng: Rng, template: string): string {
  const [pathPart, query] = template.split("?") as [string, string | undefined];
  const p = pathPart.replace(/\{(\w+)\}/g, (_, kind: string) => {
    const v = valueFor(rng, kind);
    return chance(rng, 0.2) ? v.replace(/[^\x21-\x7e]/gu, (c) => encodeURIComponent(c)) : enc(rng, v);
  });
  if (!query) return p;
  const params = query
    .split("&")
    .filter(() => chance(rng, 0.85))
    .map((kv) => {
      const [k, v] = kv.split("=") as [string, string];
      return `${k}=${v.replace(/\{(\w+)\}/g, (_, kind: string) => enc(rng, valueFor(rng, kind)))}`;
    });
  if (chance(rng, 0.1))
    params.push(`${pick(rng, ["q", "tag", "lang", "from"])}=${enc(rng, valueFor(rng, "text"))}`);
  if (chance(rng, 0.05)) params.push("q[]=1&q[a]=2");
  return params.length ? `${p}?${params.join("&")}` : p;
}

/** A path mutated the ways clients and scanners do. */
function mutatePath(rng: Rng, p: string): string {
  switch (Math.floor(rng() * 10)) {
    case 0:
      return `${p.split("?")[0]}/`;
    case 1:
      return p.replace("/", "//");
    case 2:
      return p.toUpperCase();
    case 3:
      return `${p}%`;
    case 4:
      return p.replace(/\/([^/?]*)$/, "/%2e%2e/$1");
    case 5:
      return `/en${p}`;
    case 6:
      return `${p};jsessionid=1`;
    default:
      return p;
  }
}

/** A JSON value of random shape, some of them deep. */
function randomJson(rng: Rng, depth = 0): unknown {
  const r = rng();
  if (depth > 3 || r < 0.3) return pick(rng, [null, true, 0, -1, 1e308, "", valueFor(rng, "text")]);
  if (r < 0.6) return Array.from({ length: Math.floor(rng() * 4) }, () => randomJson(rng, depth + 1));
  return Object.fromEntries(
    Array.from({ length: Math.floor(rng() * 4) }, () => [
      pick(rng, ["message", "lang", "conversationId", "answerId", "helpful", "comment", "__proto__", "x"]),
      randomJson(rng, depth + 1),
    ]),
  );
}

/** The body a route expects, mostly well-formed, sometimes not. */
function bodyFor(rng: Rng, route: string): { type?: string; body: Buffer; headers?: Record<string, string> } {
  const json = (v: unknown) => ({ type: "application/json", body: Buffer.from(JSON.stringify(v)) });
  if (chance(rng, 0.15)) {
    return pick(rng, [
      { type: "application/json", body: Buffer.from('{"message": "Núi Sam') },
      { type: "application/json; charset=latin1", body: Buffer.from('{"message":"x"}') },
      { type: "application/json", body: Buffer.from("[".repeat(20_000)) },
      { type: "application/json", body: Buffer.alloc(20 * 1024, "a") },
      { type: "text/plain", body: Buffer.from("hello") },
      { type: "multipart/form-data", body: Buffer.from("--x\r\n\r\n") },
      {
        type: "multipart/form-data; boundary=zz",
        body: Buffer.from("--zz\r\nContent-Disposition: form-data"),
      },
      { type: "application/x-www-form-urlencoded", body: Buffer.from("a=%ZZ&b=%&&=") },
      { body: Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x80]) },
      {
        type: "application/json",
        body: Buffer.from('{"message":"x"}'),
        headers: { "content-encoding": "gzip" },
      },
    ]);
  }
  if (route === "/api/ask")
    return json(
      chance(rng, 0.7)
        ? {
            message: valueFor(rng, "text") || "Miếu Bà Chúa Xứ mấy giờ mở cửa?",
            ...(chance(rng, 0.5) ? { lang: valueFor(rng, "lang") } : {}),
            ...(chance(rng, 0.3) ? { conversationId: valueFor(rng, "text").slice(0, 80) } : {}),
          }
        : randomJson(rng),
    );
  if (route === "/api/feedback")
    return json(
      chance(rng, 0.5) ? { answerId: valueFor(rng, "text"), helpful: chance(rng, 0.5) } : randomJson(rng),
    );
  if (route.startsWith("/webhooks/telegram"))
    return json(
      chance(rng, 0.6)
        ? {
            update_id: Math.floor(rng() * 1e6),
            message: {
              message_id: 1,
              date: Math.floor(NOW.getTime() / 1000) - pick(rng, [0, 60, 2 * 86_400]),
              chat: { id: 42, type: pick(rng, ["private", "group", "channel"]) },
              from: { id: 42, is_bot: false, first_name: "Lan" },
              text: valueFor(rng, "text"),
            },
          }
        : randomJson(rng),
    );
  if (route.startsWith("/webhooks/zalo-oa")) {
    const event = {
      app_id: chance(rng, 0.8) ? OA.appId : "1",
      event_name: pick(rng, ["user_send_text", "follow", "user_send_location", "x"]),
      sender: { id: "8437264519384756123" },
      message: { msg_id: String(Math.floor(rng() * 1e9)), text: valueFor(rng, "text") },
      timestamp: String(NOW.getTime() - pick(rng, [0, 60_000, 400_000_000])),
    };
    const raw = JSON.stringify(event);
    return {
      type: "application/json",
      body: Buffer.from(raw),
      headers: { "x-zevent-signature": chance(rng, 0.6) ? signWebhookBody(raw, OA.oaSecretKey) : "mac=00" },
    };
  }
  if (route.startsWith("/webhooks/zalo-bot"))
    return json({ ok: true, result: { event_name: "message.text.received", message: randomJson(rng) } });
  if (route.endsWith("/images")) {
    const boundary = "fuzzboundary";
    const parts = [
      `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${chance(rng, 0.5) ? session.csrf : "x"}\r\n`,
      `--${boundary}\r\nContent-Disposition: form-data; name="image"; filename="${valueFor(rng, "text").slice(0, 40)}.png"\r\nContent-Type: image/png\r\n\r\n`,
    ];
    const body = Buffer.concat([
      Buffer.from(parts.join("")),
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return { type: `multipart/form-data; boundary=${boundary}`, body };
  }
  // Admin forms.
  const form = new URLSearchParams();
  if (chance(rng, 0.6)) form.set("_csrf", chance(rng, 0.5) ? session.csrf : valueFor(rng, "text"));
  for (const k of ["name", "password", "next", "title.vi", "version", "confirm", "id", "type"])
    if (chance(rng, 0.3)) form.set(k, valueFor(rng, "text"));
  return { type: "application/x-www-form-urlencoded", body: Buffer.from(form.toString()) };
}

/** One request: a route, filled in, then mutated. */
function generate(rng: Rng): Sent {
  const post = chance(rng, 0.35);
  const route = fill(rng, pick(rng, post ? POSTS : GETS));
  let method = post ? "POST" : "GET";
  if (chance(rng, 0.08)) method = pick(rng, ["PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "POST", "GET"]);
  const headers: Record<string, string> = {};
  if (chance(rng, 0.5))
    headers.accept = pick(rng, ["text/html", "application/json", "text/event-stream", "*/*", "image/png"]);
  if (chance(rng, 0.3)) headers["accept-language"] = pick(rng, ["vi", "en-US,en;q=0.9", "*", "zz"]);
  if (chance(rng, 0.15))
    headers.origin = pick(rng, ["https://khach-san.example", "https://evil.example", "null", "x"]);
  if (chance(rng, 0.15))
    headers["x-forwarded-for"] = pick(rng, ["203.0.113.9", "1.1.1.1, 2.2.2.2", "garbage", "::1"]);
  if (chance(rng, 0.1)) headers["x-forwarded-proto"] = pick(rng, ["https", "http", "gopher"]);
  if (chance(rng, 0.1)) headers["sec-fetch-site"] = pick(rng, ["cross-site", "same-origin", "none"]);
  if (chance(rng, 0.05)) headers["if-none-match"] = pick(rng, ['"x"', "*", 'W/"abc"']);
  if (chance(rng, 0.05)) headers.range = pick(rng, ["bytes=0-10", "bytes=-5", "bytes=99999999-", "lines=1"]);
  if (chance(rng, 0.05)) headers.host = pick(rng, ["evil.example", "du-lich.example.vn:80", ""]);
  const signedIn = route.startsWith("/admin") && chance(rng, 0.5);
  if (signedIn) headers.cookie = session.cookie;
  else if (chance(rng, 0.1))
    headers.cookie = pick(rng, ["cd_admin=" + "A".repeat(43), "cd_admin=%ZZ", "a=b; =; ;;"]);
  if (signedIn && chance(rng, 0.3)) headers["x-csrf-token"] = chance(rng, 0.5) ? session.csrf : "wrong";
  if (route.startsWith("/webhooks/telegram") && chance(rng, 0.6))
    headers["x-telegram-bot-api-secret-token"] = TG_SECRET;
  if (route.startsWith("/webhooks/zalo-bot") && chance(rng, 0.6))
    headers["x-bot-api-secret-token"] = ZB_SECRET;
  let body: Buffer | undefined;
  if (method !== "GET" && method !== "HEAD" && (post || chance(rng, 0.5))) {
    const b = bodyFor(rng, route.split("?")[0] as string);
    body = b.body;
    if (b.type) headers["content-type"] = b.type;
    Object.assign(headers, b.headers);
  }
  return {
    method,
    path: chance(rng, 0.2) ? mutatePath(rng, route) : route,
    headers,
    ...(body ? { body } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------------

describe(`fuzz: ${REQUESTS} seeded requests over every route`, () => {
  it("never answers 5xx, logs no failure, and the server answers normally afterwards", async () => {
    const rng = mulberry32(SEED);
    const requests = Array.from({ length: REQUESTS }, () => generate(rng));
    const errors: string[] = [];
    const statuses = new Map<number, number>();
    let next = 0;
    await Promise.all(
      Array.from({ length: PARALLEL }, async () => {
        while (next < requests.length) {
          const r = requests[next++] as Sent;
          const what = `${r.method} ${r.path} ${JSON.stringify(r.headers)}`;
          try {
            const got = await send(r);
            statuses.set(got.status, (statuses.get(got.status) ?? 0) + 1);
            if (got.status >= 500) errors.push(`${got.status} ${what}: ${got.body.slice(0, 200)}`);
          } catch (err) {
            errors.push(`${String(err)} ${what}`);
          }
        }
      }),
    );
    expect(errors.slice(0, 10), `seed ${SEED}`).toEqual([]);
    expect(failures, `seed ${SEED}`).toEqual([]);
    // The fuzz reached the routes: answers of many kinds, and most of them not refusals of the limiter.
    expect([...statuses.keys()].sort()).toEqual(expect.arrayContaining([200, 303, 400, 401, 403, 404]));
    expect(statuses.get(429) ?? 0).toBeLessThan(REQUESTS / 10);
    expect(published).toBe(0);

    // Healthy afterwards: health, readiness, a real answer, a page, and the viewer's session.
    expect((await send({ method: "GET", path: "/healthz", headers: {} })).status).toBe(200);
    expect(JSON.parse((await send({ method: "GET", path: "/readyz", headers: {} })).body)).toMatchObject({
      status: "ready",
    });
    const ask = await send({
      method: "POST",
      path: "/api/ask",
      headers: { "content-type": "application/json", "x-forwarded-for": "198.51.100.77" },
      body: Buffer.from(JSON.stringify({ message: "Miếu Bà Chúa Xứ ở đâu?" })),
    });
    expect(ask.status).toBe(200);
    expect((JSON.parse(ask.body) as { answer: string }).answer).toMatch(/Núi Sam/);
    expect((await send({ method: "GET", path: "/attractions/nui-sam", headers: {} })).status).toBe(200);
    const admin = await send({ method: "GET", path: "/admin", headers: { cookie: session.cookie } });
    expect([200, 303]).toContain(admin.status);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import express, { Router } from "express";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "../../indexer/index.ts";
import { ADMIN_SCHEMA_VERSION, openAdminDb, type AdminDb } from "./accounts.ts";
import {
  createAdminAuth,
  createAuditLog,
  DEFAULT_SESSION_TTL,
  ensureFirstAdmin,
  ACCOUNT_SLOWDOWN,
  LOCKOUT,
  LOGIN_FAILED_MESSAGE,
  safeNext,
  SESSION_COOKIE,
  UNKNOWN_USER,
} from "./auth.ts";
import { hashPassword, verifyPassword, type ScryptParams } from "./passwords.ts";
import type { AdminUser } from "./types.ts";
import type { ReceivedForm } from "./uploads.ts";
import { closeServer } from "../testing/servers.ts";
import { openPostgresPool } from "../../bot/store/postgres.ts";
import { testDatabase, type TestDatabase } from "../../bot/store/testing/postgres.ts";
import { openPostgresAdminDb } from "./accounts-postgres.ts";
import type pg from "pg";

const EDITOR = { name: "linh", password: "Chùa Tây An 1847" };
const VIEWER = { name: "minh", password: "Lăng Thoại Ngọc Hầu" };
const START = Date.parse("2026-03-01T08:00:00.000Z");
const MINUTE = 60_000;

/**
 * Cheaper scrypt than the product's (OWASP's minimum takes about half a second a hash), for the tests of
 * sessions, CSRF and lockout, which log in hundreds of times; the rehash test uses the real parameters.
 */
const TEST_SCRYPT = { N: 2 ** 10, r: 8, p: 1 };

let hashes: { editor: string; viewer: string };
beforeAll(async () => {
  hashes = {
    editor: await hashPassword(EDITOR.password, TEST_SCRYPT),
    viewer: await hashPassword(VIEWER.password, TEST_SCRYPT),
  };
});

type Jar = Map<string, string>;
type LogLine = { level: string; obj: object; msg?: string };

type Harness = {
  base: string;
  db: AdminDb;
  dbFile: string;
  logs: LogLine[];
  /** The slow-down waits the auth asked for (the sleep passed in records them and returns at once). */
  delays: number[];
  advance(ms: number): void;
  close(): Promise<void>;
};

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A tiny app: the auth router and a few protected routes, nothing else of the admin area. */
async function startApp(
  options: {
    secureCookies?: "auto" | boolean;
    trustProxy?: boolean | string[];
    passwordParams?: ScryptParams | "default";
    /** How long the slow-down really waits (0: it only records the wait). */
    sleepMs?: number;
    /** The database, when not a fresh SQLite file (a replica's, on PostgreSQL); `dbFile` is then unused. */
    db?: AdminDb;
  } = {},
) {
  const dir = mkdtempSync(path.join(tmpdir(), "admin-auth-"));
  dirs.push(dir);
  const dbFile = path.join(dir, "admin.sqlite");
  const db = options.db ?? openAdminDb(dbFile);
  const at = new Date(START).toISOString();
  await db.upsertUser({ name: EDITOR.name, role: "editor", passwordHash: hashes.editor, at });
  await db.upsertUser({ name: VIEWER.name, role: "viewer", passwordHash: hashes.viewer, at });
  let now = START;
  const logs: LogLine[] = [];
  const log = {
    info: (obj: object, msg?: string) => void logs.push({ level: "info", obj, msg }),
    warn: (obj: object, msg?: string) => void logs.push({ level: "warn", obj, msg }),
    error: (obj: object, msg?: string) => void logs.push({ level: "error", obj, msg }),
  };
  const delays: number[] = [];
  const auth = createAdminAuth({
    db,
    log,
    clock: { now: () => new Date(now) },
    sleep: async (ms) => {
      delays.push(ms);
      if (options.sleepMs) await new Promise((r) => setTimeout(r, options.sleepMs));
    },
    secureCookies: options.secureCookies ?? "auto",
    ...(options.passwordParams === "default"
      ? {}
      : { passwordParams: options.passwordParams ?? TEST_SCRYPT }),
  });
  const app = express();
  app.set("trust proxy", options.trustProxy ?? false);
  const admin = Router();
  admin.use(express.urlencoded({ extended: false }));
  admin.use(auth.router);
  admin.get("/", auth.require("viewer"), (_req, res) => {
    res.type("html").send(`<p>Xin chào ${(res.locals.adminUser as AdminUser).name}</p>`);
  });
  admin.get("/whoami", auth.require("viewer"), (_req, res) => {
    res.json({ user: res.locals.adminUser as AdminUser, csrf: res.locals.csrfToken as string });
  });
  admin.get("/entries", auth.require("editor"), (_req, res) => void res.send("entries"));
  admin.post("/entries", auth.require("editor"), (_req, res) => void res.send("saved"));
  admin.post("/notes", auth.require("viewer"), (_req, res) => void res.send("noted"));
  // An upload route: require() has read the multipart form (and checked its token) before it runs.
  admin.post("/upload", auth.require("editor"), (_req, res) => {
    const form = res.locals.multipart as ReceivedForm | undefined;
    res.json({ fields: form?.fields ?? null, file: form?.file?.name ?? null });
  });
  app.use("/admin", admin);
  const server = app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const { port } = server.address() as AddressInfo;
  const harness: Harness = {
    base: `http://127.0.0.1:${port}`,
    db,
    dbFile,
    logs,
    delays,
    advance: (ms) => void (now += ms),
    close: async () => {
      await closeServer(server);
      await db.close();
    },
  };
  return harness;
}

let h: Harness;
beforeEach(async () => {
  h = await startApp();
});
afterEach(async () => {
  await h.close();
});

type RequestInit = {
  method?: string;
  form?: Record<string, string>;
  body?: FormData;
  headers?: Record<string, string>;
  jar?: Jar;
};

/** fetch with manual redirects and a tiny cookie jar (what a browser keeps between requests). */
async function request(urlPath: string, init: RequestInit = {}, harness: Harness = h): Promise<Response> {
  const headers = new Headers(init.headers);
  const jar = init.jar;
  if (jar?.size) headers.set("cookie", [...jar].map(([k, v]) => `${k}=${v}`).join("; "));
  const res = await fetch(harness.base + urlPath, {
    method: init.method ?? (init.form || init.body ? "POST" : "GET"),
    headers,
    body: init.form ? new URLSearchParams(init.form) : init.body,
    redirect: "manual",
  });
  if (jar)
    for (const cookie of res.headers.getSetCookie()) {
      const pair = cookie.split(";")[0] as string;
      const name = pair.slice(0, pair.indexOf("="));
      if (/expires=thu, 01 jan 1970/i.test(cookie) || /max-age=0\b/i.test(cookie)) jar.delete(name);
      else jar.set(name, pair.slice(pair.indexOf("=") + 1));
    }
  return res;
}

function hidden(page: string, name: string): string {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(page);
  if (!match) throw new Error(`no hidden field ${name}`);
  return match[1] as string;
}

function sessionCookie(res: Response): string | undefined {
  return res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
}

/** Opens the login form, then posts it (as a browser would); `headers` go with both requests. */
async function login(
  user: { name: string; password: string },
  jar: Jar = new Map(),
  next?: string,
  harness: Harness = h,
  headers: Record<string, string> = {},
): Promise<Response> {
  const form = await request(
    `/admin/login${next === undefined ? "" : `?next=${encodeURIComponent(next)}`}`,
    { jar, headers },
    harness,
  );
  const page = await form.text();
  return request(
    "/admin/login",
    {
      jar,
      headers,
      form: {
        _csrf: hidden(page, "_csrf"),
        next: next ?? hidden(page, "next"),
        name: user.name,
        password: user.password,
      },
    },
    harness,
  );
}

async function signedIn(user = EDITOR): Promise<{ jar: Jar; csrf: string }> {
  const jar: Jar = new Map();
  const res = await login(user, jar);
  expect(res.status).toBe(303);
  const who = await request("/admin/whoami", { jar, headers: { accept: "application/json" } });
  const { csrf } = (await who.json()) as { csrf: string };
  return { jar, csrf };
}

describe("login form", () => {
  it("is a Vietnamese page with labelled fields, a hidden next and no inline script or style", async () => {
    const res = await request("/admin/login?next=/admin/entries");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const page = await res.text();
    expect(page).toContain('<html lang="vi">');
    expect(page).toMatch(/<label for="login-name">Tên đăng nhập<\/label>/);
    expect(page).toMatch(/id="login-name"[\s\S]*?name="name"/);
    expect(page).toMatch(/<label for="login-password">Mật khẩu<\/label>/);
    expect(page).toMatch(/id="login-password"[\s\S]*?type="password"/);
    expect(hidden(page, "next")).toBe("/admin/entries");
    expect(hidden(page, "_csrf")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(page).not.toMatch(/<script(?![^>]*\bsrc=)/);
    expect(page).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
  });

  it("refuses a login post without the form's token, even with the right password (login CSRF)", async () => {
    const jar: Jar = new Map();
    await request("/admin/login", { jar });
    const res = await request("/admin/login", {
      jar,
      form: { name: EDITOR.name, password: EDITOR.password },
    });
    expect(res.status).toBe(403);
    expect(sessionCookie(res)).toBeUndefined();
  });

  it("refuses a token that belongs to another browser's login cookie", async () => {
    const attacker: Jar = new Map();
    const page = await (await request("/admin/login", { jar: attacker })).text();
    const victim: Jar = new Map();
    await request("/admin/login", { jar: victim });
    const res = await request("/admin/login", {
      jar: victim,
      form: { _csrf: hidden(page, "_csrf"), name: EDITOR.name, password: EDITOR.password },
    });
    expect(res.status).toBe(403);
    expect(sessionCookie(res)).toBeUndefined();
  });

  it("refuses a planted login cookie with a token the attacker made up", async () => {
    const jar: Jar = new Map([["cd_admin_login", "A".repeat(43)]]);
    const res = await request("/admin/login", {
      jar,
      form: { _csrf: "B".repeat(43), name: EDITOR.name, password: EDITOR.password },
    });
    expect(res.status).toBe(403);
  });
});

describe("login", () => {
  it("with the right password sets an HttpOnly, SameSite=Lax, Path=/admin cookie, not Secure over http", async () => {
    const jar: Jar = new Map();
    const res = await login(EDITOR, jar);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/admin");
    const cookie = sessionCookie(res) as string;
    expect(cookie).toMatch(/^cd_admin=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/; HttpOnly/i);
    expect(cookie).toMatch(/; SameSite=Lax/i);
    expect(cookie).toMatch(/; Path=\/admin(;|$)/);
    expect(cookie).not.toMatch(/; Secure/i);
    const home = await request("/admin", { jar });
    expect(home.status).toBe(200);
    expect(await home.text()).toContain("Xin chào linh");
  });

  it("accepts the user name in any case and with spaces around it", async () => {
    const res = await login({ name: "  LINH ", password: EDITOR.password });
    expect(res.status).toBe(303);
  });

  it("marks the cookie Secure when secureCookies is true", async () => {
    const secure = await startApp({ secureCookies: true });
    try {
      const res = await login(EDITOR, new Map(), undefined, secure);
      expect(res.status).toBe(303);
      expect(sessionCookie(res)).toMatch(/; Secure/i);
    } finally {
      await secure.close();
    }
  });

  it('marks the cookie Secure on "auto" when a trusted proxy says the request came over https', async () => {
    const proxied = await startApp({ secureCookies: "auto", trustProxy: true });
    try {
      const jar: Jar = new Map();
      const headers = { "x-forwarded-proto": "https" };
      const page = await (await request("/admin/login", { jar, headers }, proxied)).text();
      const res = await request(
        "/admin/login",
        { jar, headers, form: { _csrf: hidden(page, "_csrf"), ...EDITOR } },
        proxied,
      );
      expect(res.status).toBe(303);
      expect(sessionCookie(res)).toMatch(/; Secure/i);
    } finally {
      await proxied.close();
    }
  });

  it("ignores X-Forwarded-Proto when the proxy is not trusted", async () => {
    const jar: Jar = new Map();
    const headers = { "x-forwarded-proto": "https" };
    const page = await (await request("/admin/login", { jar, headers })).text();
    const res = await request("/admin/login", {
      jar,
      headers,
      form: { _csrf: hidden(page, "_csrf"), ...EDITOR },
    });
    expect(sessionCookie(res)).not.toMatch(/; Secure/i);
  });

  it("with a wrong password or an unknown user answers 401 with the same generic message", async () => {
    const wrong = await login({ name: EDITOR.name, password: "not the password" });
    const unknown = await login({ name: "nobody", password: EDITOR.password });
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(sessionCookie(res)).toBeUndefined();
      const page = await res.text();
      expect(page).toContain(LOGIN_FAILED_MESSAGE);
      expect(page).not.toMatch(/không tồn tại|mật khẩu không đúng|sai mật khẩu/i);
    }
  });

  it("stores only a hash of the session id", async () => {
    const res = await login(EDITOR);
    const id = /^cd_admin=([^;]+)/.exec(sessionCookie(res) as string)?.[1] as string;
    const raw = new Database(h.dbFile, { readonly: true });
    try {
      const rows = raw.prepare("SELECT id_hash FROM sessions").pluck().all() as string[];
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatch(/^[0-9a-f]{64}$/);
      expect(rows[0]).not.toBe(id);
    } finally {
      raw.close();
    }
  });

  it("rotates the session id: a new id at each login, and the previous one stops working", async () => {
    const jar: Jar = new Map();
    await login(EDITOR, jar);
    const first = jar.get(SESSION_COOKIE) as string;
    // A signed-in browser is sent on from the form; post a form opened in another tab before the login.
    expect((await request("/admin/login", { jar })).status).toBe(303);
    const tab: Jar = new Map();
    const page = await (await request("/admin/login", { jar: tab })).text();
    jar.set("cd_admin_login", tab.get("cd_admin_login") as string);
    const res = await request("/admin/login", { jar, form: { _csrf: hidden(page, "_csrf"), ...EDITOR } });
    expect(res.status).toBe(303);
    const second = jar.get(SESSION_COOKIE) as string;
    expect(second).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(second).not.toBe(first);
    const old = await request("/admin", { jar: new Map([[SESSION_COOKIE, first]]) });
    expect(old.status).toBe(303);
    expect((await request("/admin", { jar })).status).toBe(200);
  });

  it("never adopts a session id planted before login (fixation)", async () => {
    const planted = "P".repeat(43);
    const jar: Jar = new Map([[SESSION_COOKIE, planted]]);
    await login(EDITOR, jar);
    expect(jar.get(SESSION_COOKIE)).not.toBe(planted);
    expect((await request("/admin", { jar: new Map([[SESSION_COOKIE, planted]]) })).status).toBe(303);
  });
});

describe("password hashes at login", () => {
  it("rehashes a hash made with the former, weaker scrypt parameters at the next successful login", async () => {
    const real = await startApp({ passwordParams: "default" });
    try {
      const former = await hashPassword(EDITOR.password, { N: 2 ** 14, r: 8, p: 1 });
      await real.db.setPasswordHash(EDITOR.name, former, new Date(START).toISOString());
      const wrong = { name: EDITOR.name, password: "not the password" };
      expect((await login(wrong, new Map(), undefined, real)).status).toBe(401);
      expect((await real.db.getUser(EDITOR.name))?.passwordHash).toBe(former);
      expect((await login(EDITOR, new Map(), undefined, real)).status).toBe(303);
      const upgraded = (await real.db.getUser(EDITOR.name))?.passwordHash as string;
      expect(upgraded.split("$").slice(0, 4)).toEqual(["scrypt", String(2 ** 17), "8", "1"]);
      expect(await verifyPassword(EDITOR.password, upgraded)).toBe(true);
      expect((await login(EDITOR, new Map(), undefined, real)).status).toBe(303);
    } finally {
      await real.close();
    }
  });
});

describe("next after login", () => {
  it("goes to a local /admin path", async () => {
    const res = await login(EDITOR, new Map(), "/admin/entries?type=event#top");
    expect(res.headers.get("location")).toBe("/admin/entries?type=event#top");
  });

  it.each([
    "//evil.example",
    "https://evil.example",
    "/\\evil.example",
    "/admin/../evil",
    "/admin.evil.example",
    "javascript:alert(1)",
    "/public-page",
  ])("refuses the open redirect %s and goes to /admin", async (next) => {
    const res = await login(EDITOR, new Map(), next);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/admin");
  });

  it("does not carry a foreign next into the form", async () => {
    const page = await (await request("/admin/login?next=https://evil.example")).text();
    expect(hidden(page, "next")).toBe("/admin");
  });

  it("safeNext keeps only paths under /admin", () => {
    expect(safeNext("/admin")).toBe("/admin");
    expect(safeNext("/admin/audit?limit=5")).toBe("/admin/audit?limit=5");
    expect(safeNext("/admin/login")).toBe("/admin");
    expect(safeNext(["/admin/x"])).toBe("/admin");
    expect(safeNext("/admin/\nx")).toBe("/admin");
    expect(safeNext(undefined)).toBe("/admin");
  });
});

describe("lockout", () => {
  const wrong = { name: EDITOR.name, password: "wrong password!" };

  it("locks the pair (name, address) after 5 failures (even the right password gets 429) and lifts after 15 minutes", async () => {
    for (let i = 1; i < LOCKOUT.pair.max; i++) expect((await login(wrong)).status).toBe(401);
    const fifth = await login(wrong);
    expect(fifth.status).toBe(429);
    expect(await fifth.text()).toContain("Tạm khoá");
    const right = await login(EDITOR);
    expect(right.status).toBe(429);
    expect(Number(right.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(sessionCookie(right)).toBeUndefined();
    // Another account is not affected.
    expect((await login(VIEWER)).status).toBe(303);

    h.advance(14 * MINUTE);
    expect((await login(EDITOR)).status).toBe(429);
    h.advance(MINUTE + 1000);
    expect((await login(EDITOR)).status).toBe(303);
  });

  it("counts failures within the window only", async () => {
    for (let i = 1; i < LOCKOUT.pair.max; i++) expect((await login(wrong)).status).toBe(401);
    h.advance(LOCKOUT.pair.windowMs);
    expect((await login(wrong)).status).toBe(401);
  });

  it("resets the user's count after a successful login", async () => {
    for (let i = 1; i < LOCKOUT.pair.max; i++) expect((await login(wrong)).status).toBe(401);
    expect((await login(EDITOR)).status).toBe(303);
    for (let i = 1; i < LOCKOUT.pair.max; i++) expect((await login(wrong)).status).toBe(401);
  });

  it("locks unknown names like real ones", async () => {
    const ghost = { name: "ghost", password: "whatever123" };
    for (let i = 1; i < LOCKOUT.pair.max; i++) expect((await login(ghost)).status).toBe(401);
    expect((await login(ghost)).status).toBe(429);
  });

  it("never lets another address's failures keep the owner out: the account is slowed down, not locked", async () => {
    const proxied = await startApp({ trustProxy: ["loopback"] });
    try {
      const from = (ip: string, user: { name: string; password: string }) =>
        login(user, new Map(), undefined, proxied, { "x-forwarded-for": ip });
      const owner = "198.51.100.20";
      // One address guesses until its pair is locked, and on.
      for (let i = 1; i <= 12; i++)
        expect((await from("203.0.113.66", wrong)).status, `guess ${i}`).toBe(
          i < LOCKOUT.pair.max ? 401 : 429,
        );
      expect((await from("203.0.113.66", EDITOR)).status).toBe(429);
      expect((await from(owner, EDITOR)).status).toBe(303);
      // Many addresses, each staying under its own limits: the account's count grows, attempts slow down.
      let guesses = LOCKOUT.pair.max;
      for (let a = 1; a <= 6; a++)
        for (let i = 1; i < LOCKOUT.pair.max; i++, guesses++)
          expect((await from(`203.0.113.${a}`, wrong)).status).toBe(401);
      proxied.delays.length = 0;
      expect((await from(owner, EDITOR)).status).toBe(303);
      expect(proxied.delays).toEqual([ACCOUNT_SLOWDOWN.maxDelayMs]);
      // Five more guesses every 15 minutes, from fresh addresses: the owner still gets in.
      for (let round = 0; round < 3; round++) {
        proxied.advance(14 * MINUTE);
        for (let i = 0; i < LOCKOUT.pair.max; i++) await from(`192.0.2.${round * 10 + i}`, wrong);
        expect((await from(owner, EDITOR)).status, `round ${round}`).toBe(303);
      }
      expect(guesses).toBeGreaterThan(LOCKOUT.pair.max);
      // Another account is not slowed down.
      proxied.delays.length = 0;
      expect((await from(owner, VIEWER)).status).toBe(303);
      expect(proxied.delays).toEqual([]);
    } finally {
      await proxied.close();
    }
  });

  it("slows the account down more with each failure across addresses, up to a cap, then forgets", async () => {
    const proxied = await startApp({ trustProxy: ["loopback"] });
    try {
      const guess = (i: number) =>
        login(wrong, new Map(), undefined, proxied, { "x-forwarded-for": `203.0.113.${i}` });
      for (let i = 0; i < ACCOUNT_SLOWDOWN.afterFailures; i++) await guess(i);
      expect(proxied.delays).toEqual([]);
      for (let i = 0; i < 8; i++) await guess(100 + i);
      const [first, second] = proxied.delays;
      expect(first).toBe(ACCOUNT_SLOWDOWN.firstDelayMs);
      expect(second).toBe(2 * ACCOUNT_SLOWDOWN.firstDelayMs);
      expect(proxied.delays.at(-1)).toBe(ACCOUNT_SLOWDOWN.maxDelayMs);
      expect(proxied.delays).toEqual([...proxied.delays].sort((a, b) => a - b));
      proxied.advance(ACCOUNT_SLOWDOWN.windowMs);
      proxied.delays.length = 0;
      expect((await guess(200)).status).toBe(401);
      expect(proxied.delays).toEqual([]);
    } finally {
      await proxied.close();
    }
  });

  it("checks one attempt at a time per address: a burst of parallel guesses cannot outrun the lock", async () => {
    const proxied = await startApp({ trustProxy: ["loopback"], sleepMs: 300 });
    try {
      const headers = (ip: string) => ({ "x-forwarded-for": ip });
      // Enough failures elsewhere that every attempt on the account waits (here 300 ms).
      for (let i = 0; i < ACCOUNT_SLOWDOWN.afterFailures + 1; i++)
        await login(wrong, new Map(), undefined, proxied, headers(`203.0.113.${i}`));
      // Ten guesses from one address at once, each with its own login form.
      const forms = await Promise.all(
        Array.from({ length: 10 }, async () => {
          const jar: Jar = new Map();
          const page = await (
            await request("/admin/login", { jar, headers: headers("198.51.100.9") }, proxied)
          ).text();
          return { jar, token: hidden(page, "_csrf") };
        }),
      );
      const answers = await Promise.all(
        forms.map(({ jar, token }) =>
          request(
            "/admin/login",
            { jar, headers: headers("198.51.100.9"), form: { _csrf: token, next: "/admin", ...wrong } },
            proxied,
          ),
        ),
      );
      const statuses = answers.map((r) => r.status).sort();
      expect(statuses).toEqual([401, ...Array(9).fill(429)]);
      const busy = answers.find((r) => r.status === 429) as Response;
      expect(Number(busy.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(await busy.text()).toContain("đang được kiểm tra");
      // The owner, from another address, is not held up by it.
      expect((await login(EDITOR, new Map(), undefined, proxied, headers("198.51.100.20"))).status).toBe(303);
    } finally {
      await proxied.close();
    }
  });

  it("locks an IP after 20 failures across names", async () => {
    let last = 0;
    for (let i = 0; i < LOCKOUT.ip.max; i++) {
      // Four tries per name: no single name reaches its own limit.
      last = (await login({ name: `guess${Math.floor(i / 4)}`, password: "wrong password" })).status;
      if (i < LOCKOUT.ip.max - 1) expect(last).toBe(401);
    }
    expect(last).toBe(429);
    expect((await login(VIEWER)).status).toBe(429);
    h.advance(LOCKOUT.ip.lockMs + 1000);
    expect((await login(VIEWER)).status).toBe(303);
  });
});

describe("require(role)", () => {
  it("redirects a page request without a session to the login, with next", async () => {
    const res = await request("/admin/entries");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/admin/login?next=%2Fadmin%2Fentries");
  });

  it("answers 401 JSON when the client prefers JSON", async () => {
    const res = await request("/admin/whoami", { headers: { accept: "application/json" } });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
  });

  it("gives the handler the user and the CSRF token", async () => {
    const { jar, csrf } = await signedIn(VIEWER);
    const res = await request("/admin/whoami", { jar, headers: { accept: "application/json" } });
    expect(await res.json()).toEqual({ user: { name: "minh", role: "viewer" }, csrf });
    expect(csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it("ends a session idle for longer than the idle limit", async () => {
    const { jar } = await signedIn();
    h.advance(DEFAULT_SESSION_TTL.idle - MINUTE);
    expect((await request("/admin", { jar })).status).toBe(200);
    h.advance(DEFAULT_SESSION_TTL.idle + 1000);
    const res = await request("/admin/entries", { jar });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/admin/login?next=%2Fadmin%2Fentries");
    expect(jar.has(SESSION_COOKIE)).toBe(false);
    const raw = new Database(h.dbFile, { readonly: true });
    expect(raw.prepare("SELECT count(*) FROM sessions").pluck().get()).toBe(0);
    raw.close();
  });

  it("ends an active session at the absolute limit", async () => {
    const { jar } = await signedIn();
    const step = DEFAULT_SESSION_TTL.idle - MINUTE;
    let elapsed = 0;
    while (elapsed + step < DEFAULT_SESSION_TTL.absolute) {
      h.advance(step);
      elapsed += step;
      expect((await request("/admin", { jar })).status).toBe(200);
    }
    h.advance(DEFAULT_SESSION_TTL.absolute - elapsed);
    expect((await request("/admin", { jar })).status).toBe(303);
  });

  it("refuses a viewer on an editor route with 403 (page and JSON)", async () => {
    const { jar, csrf } = await signedIn(VIEWER);
    const post = await request("/admin/entries", { jar, form: { _csrf: csrf, title: "x" } });
    expect(post.status).toBe(403);
    expect(await post.text()).toContain("Bạn không có quyền");
    const get = await request("/admin/entries", { jar, headers: { accept: "application/json" } });
    expect(get.status).toBe(403);
    expect(((await get.json()) as { error: { code: string } }).error.code).toBe("forbidden:role");
    expect((await request("/admin/notes", { jar, form: { _csrf: csrf } })).status).toBe(200);
  });

  it("lets an editor post with the right token, in the form or in the header", async () => {
    const { jar, csrf } = await signedIn();
    const form = await request("/admin/entries", { jar, form: { _csrf: csrf } });
    expect(form.status).toBe(200);
    expect(await form.text()).toBe("saved");
    const header = await request("/admin/entries", {
      jar,
      method: "POST",
      headers: { "x-csrf-token": csrf },
    });
    expect(header.status).toBe(200);
  });
});

describe("CSRF on protected posts", () => {
  it("refuses a post without a token", async () => {
    const { jar } = await signedIn();
    const res = await request("/admin/entries", { jar, form: { title: "x" } });
    expect(res.status).toBe(403);
    expect(await res.text()).not.toBe("saved");
  });

  it("refuses a wrong token", async () => {
    const { jar, csrf } = await signedIn();
    const wrong = `${csrf.slice(0, -1)}${csrf.endsWith("A") ? "B" : "A"}`;
    expect((await request("/admin/entries", { jar, form: { _csrf: wrong } })).status).toBe(403);
    expect((await request("/admin/entries", { jar, form: { _csrf: "" } })).status).toBe(403);
    const header = await request("/admin/entries", {
      jar,
      method: "POST",
      headers: { "x-csrf-token": wrong },
    });
    expect(header.status).toBe(403);
  });

  it("refuses the token of another session", async () => {
    const mine = await signedIn();
    const other = await signedIn();
    expect(other.csrf).not.toBe(mine.csrf);
    expect((await request("/admin/entries", { jar: mine.jar, form: { _csrf: other.csrf } })).status).toBe(
      403,
    );
  });

  it("refuses a request the browser marks as cross-site, even with the token", async () => {
    const { jar, csrf } = await signedIn();
    const res = await request("/admin/entries", {
      jar,
      form: { _csrf: csrf },
      headers: { "sec-fetch-site": "cross-site" },
    });
    expect(res.status).toBe(403);
  });

  it("answers JSON 403 when the client prefers JSON", async () => {
    const { jar } = await signedIn();
    const res = await request("/admin/entries", {
      jar,
      method: "POST",
      headers: { accept: "application/json" },
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("forbidden:csrf");
  });

  it("checks multipart bodies too, on every route: without the right token nothing reaches the handler", async () => {
    const { jar, csrf } = await signedIn();
    const other = await signedIn();
    const multipart = (to: string, token?: string, header?: string) => {
      const body = new FormData();
      if (token !== undefined) body.set("_csrf", token);
      body.set("image", new Blob(["img"]), "a.jpg");
      return request(to, { jar, body, headers: header ? { "x-csrf-token": header } : {} });
    };
    // Routes that never read multipart themselves: a state change, and the logout.
    for (const to of ["/admin/entries", "/admin/notes", "/admin/logout"]) {
      for (const [token, header] of [[], ["wrong"], [undefined, "wrong"], [other.csrf], [""]]) {
        const res = await multipart(to, token, header);
        expect(res.status, `${to} ${token} ${header}`).toBe(403);
        expect(await res.text()).not.toMatch(/^(saved|noted)$/);
      }
    }
    expect((await request("/admin", { jar })).status).toBe(200);
    expect(await (await multipart("/admin/entries", csrf)).text()).toBe("saved");
    expect(await (await multipart("/admin/entries", undefined, csrf)).text()).toBe("saved");
    // The route that takes uploads gets the form that was read, with its file.
    const upload = await multipart("/admin/upload", csrf);
    expect(upload.status).toBe(200);
    expect(await upload.json()).toEqual({ fields: { _csrf: csrf }, file: "a.jpg" });
    expect((await multipart("/admin/upload")).status).toBe(403);
    // The logout with the token in its multipart form works.
    expect((await multipart("/admin/logout", csrf)).status).toBe(303);
    expect((await request("/admin", { jar })).status).toBe(303);
  });

  it("refuses a multipart body it cannot read, or one far too large, before any handler", async () => {
    const { jar } = await signedIn();
    const broken = await request("/admin/entries", {
      jar,
      method: "POST",
      headers: { "content-type": "multipart/form-data; boundary=x" },
    });
    expect(broken.status).toBe(400);
    expect(await broken.text()).not.toBe("saved");
    const body = new FormData();
    body.set("image", new Blob([Buffer.alloc(9 * 1024 * 1024)]), "huge.jpg");
    const huge = await request("/admin/entries", { jar, body });
    expect(huge.status).toBe(413);
  });
});

describe("logout", () => {
  it("needs the CSRF token", async () => {
    const { jar } = await signedIn();
    expect((await request("/admin/logout", { jar, form: {} })).status).toBe(403);
    expect((await request("/admin", { jar })).status).toBe(200);
  });

  it("deletes the session and clears the cookie; the old cookie no longer works", async () => {
    const { jar, csrf } = await signedIn();
    const id = jar.get(SESSION_COOKIE) as string;
    const res = await request("/admin/logout", { jar, form: { _csrf: csrf } });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/admin/login");
    expect(res.headers.getSetCookie().some((c) => /^cd_admin=;.*Expires=Thu, 01 Jan 1970/i.test(c))).toBe(
      true,
    );
    const again = await request("/admin", { jar: new Map([[SESSION_COOKIE, id]]) });
    expect(again.status).toBe(303);
    expect(again.headers.get("location")).toMatch(/^\/admin\/login/);
  });
});

describe("audit", () => {
  it("records logins, failures, lockouts and logouts, newest first", async () => {
    const audit = createAuditLog(h.db);
    expect(await audit.list()).toEqual([]);
    const { jar, csrf } = await signedIn();
    await request("/admin/logout", { jar, form: { _csrf: csrf } });
    for (let i = 0; i < LOCKOUT.pair.max; i++) await login({ name: VIEWER.name, password: "wrong password" });
    await login({ name: "ghost", password: "ghost password" });
    const entries = await audit.list({ limit: 50 });
    expect(entries.map((e) => e.action)).toEqual([
      "login.failure",
      "login.lockout",
      ...Array(LOCKOUT.pair.max).fill("login.failure"),
      "logout",
      "login",
    ]);
    expect(entries.at(-1)).toMatchObject({
      user: "linh",
      action: "login",
      at: new Date(START).toISOString(),
    });
    expect(entries[1]).toMatchObject({ user: "minh", action: "login.lockout", target: "minh" });
    expect(entries[2]).toMatchObject({ user: "minh", detail: "ip 127.0.0.1" });
    // A name that is no account is not recorded: it might be a password typed into the wrong field.
    expect(entries[0]?.user).toBe(UNKNOWN_USER);
    expect(JSON.stringify(entries)).not.toContain("ghost");
    expect((await audit.list({ limit: 2 })).map((e) => e.action)).toEqual(["login.failure", "login.lockout"]);
  });

  it("keeps no password, session id or CSRF token in the database or the log", async () => {
    const { jar, csrf } = await signedIn();
    const sessionId = jar.get(SESSION_COOKIE) as string;
    await login({ name: EDITOR.name, password: "a wrong secret" });
    await login({ name: "Lăng Thoại Ngọc Hầu", password: "typed the password as the name" });
    await request("/admin/entries", { jar, form: { _csrf: csrf } });
    const raw = new Database(h.dbFile, { readonly: true });
    const dump = JSON.stringify(
      ["users", "sessions", "login_failures", "audit"].map((t) => raw.prepare(`SELECT * FROM ${t}`).all()),
    );
    raw.close();
    const logged = JSON.stringify(h.logs);
    for (const secret of [
      EDITOR.password,
      "a wrong secret",
      "Lăng Thoại Ngọc Hầu",
      "typed the password",
      sessionId,
    ]) {
      expect(dump).not.toContain(secret);
      expect(logged).not.toContain(secret);
    }
    expect(logged).not.toContain(csrf);
    expect(dump).toContain("login.failure");
  });
});

describe("two replicas on one PostgreSQL database", () => {
  let database: TestDatabase;
  let pools: pg.Pool[];
  let a: Harness;
  let b: Harness;

  beforeEach(async () => {
    database = await testDatabase();
    pools = [openPostgresPool(database.url), openPostgresPool(database.url)];
    const [dbA, dbB] = await Promise.all(pools.map((p) => openPostgresAdminDb(p)));
    a = await startApp({ db: dbA });
    b = await startApp({ db: dbB });
  });
  afterEach(async () => {
    await Promise.all([a.close(), b.close()]);
    await Promise.all(pools.map((p) => p.end()));
    await database.drop();
  });

  it("signs in on one replica for both: the form of one posts to the other, the cookie and CSRF token work on either", async () => {
    const jar: Jar = new Map();
    // A load balancer may send the form and its post to different replicas: the signing secret is shared.
    const page = await (await request("/admin/login", { jar }, a)).text();
    const res = await request(
      "/admin/login",
      { jar, form: { _csrf: hidden(page, "_csrf"), next: "/admin", ...EDITOR } },
      b,
    );
    expect(res.status).toBe(303);
    const json = { accept: "application/json" };
    const who = await request("/admin/whoami", { jar, headers: json }, a);
    expect(who.status).toBe(200);
    const { user, csrf } = (await who.json()) as { user: AdminUser; csrf: string };
    expect(user).toEqual({ name: EDITOR.name, role: "editor" });
    expect((await request("/admin/notes", { jar, form: { _csrf: csrf } }, b)).status).toBe(200);
    expect((await request("/admin/notes", { jar, form: { _csrf: "x".repeat(43) } }, b)).status).toBe(403);
    // Signed out through A, the session is gone on B too.
    const id = jar.get(SESSION_COOKIE) as string;
    expect((await request("/admin/logout", { jar, form: { _csrf: csrf } }, a)).status).toBe(303);
    const after = await request("/admin/whoami", { jar: new Map([[SESSION_COOKIE, id]]), headers: json }, b);
    expect(after.status).toBe(401);
  });

  it("counts failures across replicas, and a lockout reached through one holds on the other", async () => {
    const wrong = { name: VIEWER.name, password: "wrong password!" };
    for (let i = 0; i < LOCKOUT.pair.max - 1; i++)
      expect((await login(wrong, new Map(), undefined, i % 2 ? b : a)).status).toBe(401);
    // The fifth failure, wherever it lands, locks the pair.
    expect((await login(wrong, new Map(), undefined, a)).status).toBe(429);
    const right = await login(VIEWER, new Map(), undefined, b);
    expect(right.status).toBe(429);
    expect(sessionCookie(right)).toBeUndefined();
    // One audit log: B reads the lockout A recorded.
    const actions = (await createAuditLog(b.db).list()).map((e) => e.action);
    expect(actions.filter((x) => x === "login.failure")).toHaveLength(LOCKOUT.pair.max);
    expect(actions[0]).toBe("login.lockout");
    for (const r of [a, b]) r.advance(LOCKOUT.pair.lockMs + 1000);
    expect((await login(VIEWER, new Map(), undefined, b)).status).toBe(303);
  });
});

describe("ensureFirstAdmin", () => {
  const silent = { info: () => {}, warn: () => {}, error: () => {} };

  function emptyDb(): AdminDb {
    const dir = mkdtempSync(path.join(tmpdir(), "admin-first-"));
    dirs.push(dir);
    return openAdminDb(path.join(dir, "admin.sqlite"));
  }

  it("creates admin (editor) when there is no user yet", async () => {
    const db = emptyDb();
    const lines: string[] = [];
    const created = await ensureFirstAdmin(db, "first admin password", {
      ...silent,
      info: (_o, msg) => void lines.push(msg ?? ""),
    });
    expect(created).toBe(true);
    const admin = await db.getUser("admin");
    expect(admin?.role).toBe("editor");
    expect(await verifyPassword("first admin password", admin?.passwordHash as string)).toBe(true);
    expect(lines.join("\n")).not.toContain("first admin password");
    expect((await createAuditLog(db).list()).map((e) => e.action)).toEqual(["user.create"]);
    await db.close();
  });

  it("never overwrites an existing account", async () => {
    const db = emptyDb();
    expect(await ensureFirstAdmin(db, "first admin password", silent)).toBe(true);
    expect(await ensureFirstAdmin(db, "another password!", silent)).toBe(false);
    const admin = await db.getUser("admin");
    expect(await verifyPassword("first admin password", admin?.passwordHash as string)).toBe(true);
    expect(await verifyPassword("another password!", admin?.passwordHash as string)).toBe(false);
    await db.close();
  });

  it("does nothing when other users exist, or without a password", async () => {
    const db = emptyDb();
    expect(await ensureFirstAdmin(db, undefined, silent)).toBe(false);
    expect(await ensureFirstAdmin(db, "", silent)).toBe(false);
    expect(await db.countUsers()).toBe(0);
    await db.upsertUser({
      name: "linh",
      role: "viewer",
      passwordHash: hashes.viewer,
      at: "2026-01-01T00:00:00Z",
    });
    expect(await ensureFirstAdmin(db, "first admin password", silent)).toBe(false);
    expect(await db.getUser("admin")).toBeUndefined();
    await db.close();
  });

  it("refuses a short password", async () => {
    const db = emptyDb();
    await expect(ensureFirstAdmin(db, "short", silent)).rejects.toThrow(/ADMIN_PASSWORD/);
    expect(await db.countUsers()).toBe(0);
    await db.close();
  });
});

describe("admin database", () => {
  it("is migrated to the current schema version and survives reopening", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "admin-db-"));
    dirs.push(dir);
    const file = path.join(dir, "nested", "admin.sqlite");
    const db = openAdminDb(file);
    await db.upsertUser({
      name: "linh",
      role: "editor",
      passwordHash: hashes.editor,
      at: "2026-01-01T00:00:00Z",
    });
    await db.close();
    const again = openAdminDb(file);
    expect((await again.getUser("linh"))?.role).toBe("editor");
    await again.close();
    const raw = new Database(file, { readonly: true });
    expect(raw.pragma("user_version", { simple: true })).toBe(ADMIN_SCHEMA_VERSION);
    raw.close();
  });

  it("turns a file that is not a database into an AppError", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "admin-db-"));
    dirs.push(dir);
    const file = path.join(dir, "admin.sqlite");
    writeFileSync(file, "this is not a database, just some text that is long enough to have a header");
    let error: unknown;
    try {
      openAdminDb(file);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("admin_db_corrupt");
  });
});

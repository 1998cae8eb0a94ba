import { createHash, createHmac, randomBytes } from "node:crypto";
import { sameSecret } from "../../indexer/util/same-secret.ts";
import express, { Router, type Request, type RequestHandler, type Response } from "express";
import type { Clock, Logger } from "../../bot/index.ts";
import { AppError } from "../../indexer/index.ts";
import { errorBody } from "../errors.ts";
import { html, type SafeHtml } from "../views/html.ts";
import { normaliseUserName, type AdminDb, type FailureKind, type FailurePolicy } from "./accounts.ts";
import { adminLayout } from "./layout.ts";
import {
  hashPassword,
  needsRehash,
  passwordProblem,
  verifyPassword,
  type ScryptParams,
} from "./passwords.ts";
import type { AdminAuth, AdminRole, AdminUser, AuditLog } from "./types.ts";
import { receiveImageForm } from "./uploads.ts";

/**
 * Accounts, sessions, CSRF and lockout of the admin area.
 *
 * - Session: cookie `cd_admin` = 32 random bytes (base64url); the database keeps only its sha256. A new id
 *   at every login (the old session, if any, is deleted). 8 h idle / 24 h absolute by default.
 * - CSRF after login: a random token per session (`res.locals.csrfToken`), checked here, in one place, on
 *   every request but GET/HEAD whatever its content type: from the `x-csrf-token` header, else the `_csrf`
 *   field of the form, in constant time. A multipart form is read here for that (with the upload limits)
 *   and handed to the route as `res.locals.multipart`, so no route parses a body the check has not seen.
 *   Requests a browser marks `Sec-Fetch-Site: cross-site` are refused outright.
 * - CSRF of the login form (login CSRF: signing a victim into the attacker's account): a signed
 *   double-submit. GET /admin/login sets `cd_admin_login` (random nonce, HttpOnly, SameSite=Strict) and
 *   puts HMAC-SHA256(secret, nonce) in the form; POST needs both to match. The secret is random, kept in
 *   the admin database, so an attacker who can plant a cookie (a sibling subdomain, plain HTTP) still
 *   cannot make a matching token, and tokens survive restarts.
 * - Lockout (OWASP's Authentication Cheat Sheet: lock out the attacker, not the owner): 5 failures for
 *   a (user name, client address) pair, or 20 from one address across names, within 15 minutes lock that
 *   pair or address for 15 minutes (429). An account is never locked as such: its failures from all
 *   addresses slow every attempt on it down (ACCOUNT_SLOWDOWN, up to 4 s), so a right password from an
 *   address that has not failed always gets in. One attempt per address is checked at a time (a burst of
 *   parallel guesses would otherwise all pass the lock before the first failure counts); the others get
 *   429 with Retry-After: 1. With replicas that is one at a time per replica; the counts and locks are
 *   in the shared database, so failures through every replica add up. Unknown names count, slow down
 *   and lock like real ones, and are checked against a dummy hash, so neither the answer nor its timing
 *   tells whether an account exists.
 * - Nothing here logs or records passwords, session ids or tokens.
 */

export const SESSION_COOKIE = "cd_admin";
export const LOGIN_CSRF_COOKIE = "cd_admin_login";
const COOKIE_PATH = "/admin";
const LOGIN_PATH = "/admin/login";
const LOGIN_CSRF_MAX_AGE_MS = 2 * 60 * 60 * 1000;
/** last_seen is written at most this often per session (one write per click is not needed for an 8 h idle limit). */
const TOUCH_INTERVAL_MS = 60 * 1000;

export const DEFAULT_SESSION_TTL = { idle: 8 * 60 * 60 * 1000, absolute: 24 * 60 * 60 * 1000 } as const;
const FAILURE_WINDOW_MS = 15 * 60 * 1000;
/** What locks: a (name, address) pair, and an address trying many names. Never an account as such. */
export const LOCKOUT: Record<Exclude<FailureKind, "account">, FailurePolicy> = {
  pair: { max: 5, windowMs: FAILURE_WINDOW_MS, lockMs: 15 * 60 * 1000 },
  ip: { max: 20, windowMs: FAILURE_WINDOW_MS, lockMs: 15 * 60 * 1000 },
};
/**
 * An account's failures from all addresses within the window slow every attempt on it down: none for
 * the first `afterFailures`, then `firstDelayMs`, doubling with each failure up to `maxDelayMs`. The
 * attempt is answered after the wait, a right password included: slowed, never refused.
 */
export const ACCOUNT_SLOWDOWN = {
  afterFailures: 5,
  firstDelayMs: 250,
  maxDelayMs: 4000,
  windowMs: FAILURE_WINDOW_MS,
} as const;
const ACCOUNT_COUNT: FailurePolicy = { max: Infinity, windowMs: FAILURE_WINDOW_MS, lockMs: 0 };

/** How long an attempt on an account with `failures` recent failures waits before it is checked. */
function slowdownMs(failures: number): number {
  const over = failures - ACCOUNT_SLOWDOWN.afterFailures;
  if (over < 0) return 0;
  return Math.min(ACCOUNT_SLOWDOWN.firstDelayMs * 2 ** Math.min(over, 20), ACCOUNT_SLOWDOWN.maxDelayMs);
}

/** Shown for every failed login: never which of the two was wrong. */
export const LOGIN_FAILED_MESSAGE = "Sai tên đăng nhập hoặc mật khẩu.";
/** Recorded as the audit's user when a failed login names no existing account (the text may be a password). */
export const UNKNOWN_USER = "(không rõ)";

export type AdminAuthDeps = {
  db: AdminDb;
  log: Logger;
  clock: Clock;
  /** `Secure` on the cookies: always, never, or ("auto") when the request came over HTTPS (`req.secure`). */
  secureCookies: "auto" | boolean;
  /** Idle and absolute lifetimes of a session; 8 h and 24 h by default. */
  sessionTtlMs?: { idle?: number; absolute?: number };
  /** Where logins, failures, lockouts and logouts are recorded; the database's audit table by default. */
  audit?: AuditLog;
  /** scrypt parameters of new hashes (rehashes at login); OWASP's minimum by default. Tests pass cheaper ones. */
  passwordParams?: ScryptParams;
  /** How the account slow-down waits; a timer by default (tests record the waits instead). */
  sleep?: (ms: number) => Promise<void>;
};

/** The audit log on the admin database's `audit` table. */
export function createAuditLog(db: AdminDb, clock: Clock = { now: () => new Date() }): AuditLog {
  return {
    async record(entry) {
      const now = clock.now();
      await db.insertAudit({
        at: now.toISOString(),
        atMs: now.getTime(),
        user: entry.user,
        action: entry.action,
        ...(entry.target !== undefined ? { target: entry.target } : {}),
        ...(entry.detail !== undefined ? { detail: entry.detail.slice(0, 2000) } : {}),
      });
    },
    async list(options = {}) {
      const limit = Math.min(Math.max(Math.trunc(options.limit ?? 100), 1), 1000);
      return db.listAudit(limit);
    },
  };
}

/**
 * Creates the first account, "admin" (editor), from ADMIN_PASSWORD when the database has no user yet.
 * Never touches an existing account. Returns true when it created one; throws when the password is too short.
 */
export async function ensureFirstAdmin(
  db: AdminDb,
  password: string | undefined,
  log: Logger,
  clock: Clock = { now: () => new Date() },
): Promise<boolean> {
  if (!password) return false;
  if ((await db.countUsers()) > 0) {
    log.info({}, "ADMIN_PASSWORD is set but admin accounts exist; it is ignored (it can be unset)");
    return false;
  }
  const problem = passwordProblem(password);
  if (problem) throw new Error(`ADMIN_PASSWORD: ${problem}`);
  const at = clock.now().toISOString();
  const created = await db.createFirstUser({
    name: "admin",
    role: "editor",
    passwordHash: await hashPassword(password),
    at,
  });
  if (created) {
    await createAuditLog(db, clock).record({ user: "system", action: "user.create", target: "admin" });
    log.info({ user: "admin" }, 'created the first admin account "admin" from ADMIN_PASSWORD');
  }
  return created;
}

/** The hashed keys one login attempt is counted under. */
type LoginKeys = Record<FailureKind, string>;

/** Builds the admin area's authentication: the login/logout router and the `require(role)` guard. */
export function createAdminAuth(deps: AdminAuthDeps): AdminAuth {
  const { db, log, clock } = deps;
  const audit = deps.audit ?? createAuditLog(db, clock);
  const idleMs = deps.sessionTtlMs?.idle ?? DEFAULT_SESSION_TTL.idle;
  const absoluteMs = deps.sessionTtlMs?.absolute ?? DEFAULT_SESSION_TTL.absolute;
  let loginSecret: Promise<Buffer> | undefined;
  let dummyHash: Promise<string> | undefined;
  const now = () => clock.now().getTime();
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  /** The hashed addresses whose login attempt is being checked now. */
  const checking = new Set<string>();

  const secure = (req: Request) => (deps.secureCookies === "auto" ? req.secure : deps.secureCookies);
  const parseForm = express.urlencoded({ extended: false, limit: "16kb" });

  /** The signed double-submit token of a login-form nonce. */
  async function loginToken(nonce: string): Promise<string> {
    loginSecret ??= db
      .secret("login-csrf", () => randomBytes(32))
      .catch((err: unknown) => {
        // A database that failed once (a restarting server) is asked again on the next login form.
        loginSecret = undefined;
        throw err;
      });
    return createHmac("sha256", await loginSecret)
      .update(`login-csrf:${nonce}`)
      .digest("base64url");
  }

  /** The session named by the cookie, when it exists and has not expired (an expired one is deleted). */
  async function currentSession(req: Request, res: Response) {
    const id = readCookie(req, SESSION_COOKIE);
    if (!id) return undefined;
    const idHash = sha256(id);
    const session = await db.getSession(idHash);
    const t = now();
    if (session && t < session.expiresMs && t - session.lastSeenMs < idleMs) {
      if (t - session.lastSeenMs >= TOUCH_INTERVAL_MS) await db.touchSession(idHash, t);
      return session;
    }
    if (session) await db.deleteSession(idHash);
    res.clearCookie(SESSION_COOKIE, {
      path: COOKIE_PATH,
      httpOnly: true,
      sameSite: "lax",
      secure: secure(req),
    });
    return undefined;
  }

  /** Sets a fresh login-form nonce cookie (or keeps a well-formed one) and returns the form's token. */
  async function loginFormToken(req: Request, res: Response): Promise<string> {
    const existing = readCookie(req, LOGIN_CSRF_COOKIE);
    const nonce = existing && /^[A-Za-z0-9_-]{43}$/.test(existing) ? existing : randomId();
    res.cookie(LOGIN_CSRF_COOKIE, nonce, {
      httpOnly: true,
      sameSite: "strict",
      path: COOKIE_PATH,
      secure: secure(req),
      maxAge: LOGIN_CSRF_MAX_AGE_MS,
    });
    return loginToken(nonce);
  }

  async function renderLogin(
    req: Request,
    res: Response,
    status: number,
    form: { next: string; name?: string; message?: string },
  ): Promise<void> {
    const token = await loginFormToken(req, res);
    res
      .status(status)
      .set("Cache-Control", "no-store")
      .type("html")
      .send(loginPage({ ...form, token }));
  }

  async function failLogin(
    req: Request,
    res: Response,
    form: { name: string; next: string },
    keys: LoginKeys,
    existing: boolean,
  ): Promise<void> {
    const t = now();
    const ip = clientIp(req);
    const [byPair, byIp] = await Promise.all([
      db.recordFailure("pair", keys.pair, t, LOCKOUT.pair),
      db.recordFailure("ip", keys.ip, t, LOCKOUT.ip),
      db.recordFailure("account", keys.account, t, ACCOUNT_COUNT),
    ]);
    const user = existing ? form.name : UNKNOWN_USER;
    await audit.record({ user, action: "login.failure", detail: `ip ${ip}` });
    const lockedUntil = Math.max(byPair.lockedUntilMs, byIp.lockedUntilMs);
    if (lockedUntil > t) {
      const what = byIp.lockedUntilMs > t ? "ip" : "pair";
      await audit.record({
        user,
        action: "login.lockout",
        ...(what === "ip" ? { target: `ip ${ip}` } : existing ? { target: form.name } : {}),
        detail: `${LOCKOUT[what].max} failures${what === "pair" ? ` from ip ${ip}` : ""}; locked until ${new Date(lockedUntil).toISOString()}`,
      });
      log.warn({ lockout: what, ...(existing ? { user: form.name } : {}) }, "admin login locked");
      return locked(req, res, form, lockedUntil - t);
    }
    await renderLogin(req, res, 401, { ...form, message: LOGIN_FAILED_MESSAGE });
  }

  /** Another attempt from this address is being checked (a second tab, or a burst of guesses). */
  async function busy(req: Request, res: Response, form: { name: string; next: string }): Promise<void> {
    res.set("Retry-After", "1");
    await renderLogin(req, res, 429, {
      ...form,
      message: "Một lần đăng nhập khác từ địa chỉ này đang được kiểm tra. Vui lòng thử lại sau giây lát.",
    });
  }

  async function locked(
    req: Request,
    res: Response,
    form: { name: string; next: string },
    waitMs: number,
  ): Promise<void> {
    const minutes = Math.max(1, Math.ceil(waitMs / 60_000));
    res.set("Retry-After", String(Math.ceil(waitMs / 1000)));
    await renderLogin(req, res, 429, {
      ...form,
      message: `Tạm khoá đăng nhập vì nhập sai quá nhiều lần. Vui lòng thử lại sau khoảng ${minutes} phút.`,
    });
  }

  const router = Router();

  router.get("/login", async (req, res) => {
    const next = safeNext(req.query.next);
    if (await currentSession(req, res)) return void res.redirect(303, next);
    await renderLogin(req, res, 200, { next });
  });

  router.post("/login", parseForm, async (req, res) => {
    const next = safeNext(formField(req, "next"));
    const rawName = (formField(req, "name") ?? "").slice(0, 200);
    const password = formField(req, "password") ?? "";
    const nonce = readCookie(req, LOGIN_CSRF_COOKIE);
    const token = formField(req, "_csrf");
    if (!nonce || !token || !sameSecret(token, await loginToken(nonce))) {
      return renderLogin(req, res, 403, {
        next,
        name: rawName,
        message: "Biểu mẫu đăng nhập đã hết hạn. Vui lòng nhập lại và đăng nhập.",
      });
    }
    const name = normaliseUserName(rawName);
    const form = { name: name ?? rawName.trim(), next };
    // Hashed so that a password typed into the name field never lands in the database.
    const account = name ?? rawName.trim().toLowerCase();
    const ip = clientIp(req);
    const keys: LoginKeys = {
      pair: sha256(`pair:${account}\n${ip}`),
      ip: sha256(`ip:${ip}`),
      account: sha256(`user:${account}`),
    };
    // One attempt at a time per address: parallel guesses would all pass the lock check below before
    // the first failure is counted. Taken before that check, which awaits the database: an attempt that
    // ends meanwhile must not leave the next one with a lock read before its failure counted.
    if (checking.has(keys.ip)) return busy(req, res, form);
    checking.add(keys.ip);
    try {
      const t = now();
      // Only an address that has failed is ever locked out, for this name or for many.
      const lockedUntil = Math.max(
        ...(await Promise.all([db.lockedUntil("ip", keys.ip, t), db.lockedUntil("pair", keys.pair, t)])),
      );
      if (lockedUntil) return await locked(req, res, form, lockedUntil - t);
      await attempt(req, res, { name, password, form, keys, t });
    } finally {
      checking.delete(keys.ip);
    }
  });

  /** The slow-down, the password check and what follows from it: a session, or a counted failure. */
  async function attempt(
    req: Request,
    res: Response,
    a: {
      name: string | undefined;
      password: string;
      form: { name: string; next: string };
      keys: LoginKeys;
      t: number;
    },
  ): Promise<void> {
    const { name, password, form, keys, t } = a;
    const next = form.next;
    const wait = slowdownMs(await db.failureCount("account", keys.account, t, ACCOUNT_SLOWDOWN.windowMs));
    if (wait > 0) await sleep(wait);

    const user = name ? await db.getUser(name) : undefined;
    dummyHash ??= hashPassword(randomBytes(16).toString("base64"), deps.passwordParams);
    const matches = (await verifyPassword(password, user?.passwordHash ?? (await dummyHash))) && !!user;
    if (!user || !matches) return failLogin(req, res, form, keys, !!user);

    // The account's count stays: another address's guessing is not over because the owner got in.
    await db.clearFailures("pair", keys.pair);
    // Rotation: whatever session this browser had ends; the new one gets a new id.
    const oldId = readCookie(req, SESSION_COOKIE);
    if (oldId) await db.deleteSession(sha256(oldId));
    const t2 = now();
    await db.purgeSessions(t2, idleMs);
    const id = randomId();
    await db.insertSession({
      idHash: sha256(id),
      user: user.name,
      csrfToken: randomId(),
      createdMs: t2,
      expiresMs: t2 + absoluteMs,
      lastSeenMs: t2,
    });
    if (needsRehash(user.passwordHash, deps.passwordParams))
      await db.setPasswordHash(
        user.name,
        await hashPassword(password, deps.passwordParams),
        clock.now().toISOString(),
      );
    res.cookie(SESSION_COOKIE, id, {
      httpOnly: true,
      sameSite: "lax",
      path: COOKIE_PATH,
      secure: secure(req),
      maxAge: absoluteMs,
    });
    res.clearCookie(LOGIN_CSRF_COOKIE, {
      path: COOKIE_PATH,
      httpOnly: true,
      sameSite: "strict",
      secure: secure(req),
    });
    await audit.record({ user: user.name, action: "login", detail: `ip ${clientIp(req)}` });
    log.info({ user: user.name }, "admin login");
    res.redirect(303, next);
  }

  /**
   * The CSRF token a state-changing request carries: the `x-csrf-token` header, else the `_csrf` field of
   * its form. A multipart form is read here (once, with the upload limits) and kept in
   * `res.locals.multipart` for the route; undefined when the request has no token, or no readable form.
   */
  async function givenCsrfToken(req: Request, res: Response): Promise<string | undefined> {
    const header = headerValue(req, "x-csrf-token");
    if (!req.is("multipart/form-data")) return header ?? formField(req, "_csrf");
    const form = await receiveImageForm(req);
    res.locals.multipart = form;
    return header ?? form.fields._csrf;
  }

  function requireRole(role: AdminRole): RequestHandler {
    return async (req, res, next) => {
      const session = await currentSession(req, res);
      if (!session) {
        if (prefersJson(req))
          return void res.status(401).json(errorBody("unauthorized", "sign in at /admin/login first"));
        const back = req.method === "GET" || req.method === "HEAD" ? safeNext(req.originalUrl) : "/admin";
        const query = back === "/admin" ? "" : `?next=${encodeURIComponent(back)}`;
        return void res.redirect(303, `${LOGIN_PATH}${query}`);
      }
      const user: AdminUser = { name: session.user, role: session.role };
      res.locals.adminUser = user;
      res.locals.csrfToken = session.csrfToken;
      res.set("Cache-Control", "no-store");
      if (req.method !== "GET" && req.method !== "HEAD") {
        const crossSite = headerValue(req, "sec-fetch-site") === "cross-site";
        let given: string | undefined;
        if (!crossSite) {
          try {
            given = await givenCsrfToken(req, res);
          } catch (err) {
            if (!(err instanceof AppError)) throw err;
            const tooLarge = err.code.startsWith("payload_too_large");
            // The rest of the body is not read: the connection cannot carry another request.
            if (tooLarge) res.set("Connection", "close");
            return refuse(req, res, user, {
              status: tooLarge ? 413 : 400,
              code: err.code,
              message: tooLarge
                ? "Dữ liệu gửi lên quá lớn: ảnh tối đa 2 MB."
                : "Không đọc được biểu mẫu gửi lên. Vui lòng tải lại trang rồi thử lại.",
            });
          }
        }
        if (given === undefined || !sameSecret(given, session.csrfToken)) {
          log.warn({ user: user.name, path: req.path }, "admin request refused: bad CSRF token");
          return forbidden(
            req,
            res,
            user,
            "csrf",
            "Phiên làm việc không hợp lệ hoặc biểu mẫu đã cũ. Vui lòng tải lại trang rồi thử lại.",
          );
        }
      }
      if (role === "editor" && user.role !== "editor")
        return forbidden(req, res, user, "role", "Bạn không có quyền thực hiện thao tác này.");
      next();
    };
  }

  router.post("/logout", parseForm, requireRole("viewer"), async (req, res) => {
    const id = readCookie(req, SESSION_COOKIE);
    if (id) await db.deleteSession(sha256(id));
    res.clearCookie(SESSION_COOKIE, {
      path: COOKIE_PATH,
      httpOnly: true,
      sameSite: "lax",
      secure: secure(req),
    });
    const user = res.locals.adminUser as AdminUser;
    await audit.record({ user: user.name, action: "logout" });
    res.redirect(303, LOGIN_PATH);
  });

  return { router, require: requireRole };
}

/** 403 as a page (with the admin layout) or JSON. */
function forbidden(
  req: Request,
  res: Response,
  user: AdminUser,
  why: "csrf" | "role",
  message: string,
): void {
  refuse(req, res, user, { status: 403, code: `forbidden:${why}`, message, title: "Không được phép" });
}

/** A refused request as a page (with the admin layout) or JSON. */
function refuse(
  req: Request,
  res: Response,
  user: AdminUser,
  refusal: { status: number; code: string; message: string; title?: string },
): void {
  res.status(refusal.status);
  if (prefersJson(req)) return void res.json(errorBody(refusal.code, refusal.message));
  const title = refusal.title ?? "Không thực hiện được";
  res.type("html").send(
    adminLayout(
      { title, section: "dashboard", user, csrfToken: res.locals.csrfToken as string },
      html`<h1>${title}</h1>
        <p>${refusal.message}</p>
        <p><a href="/admin">Về trang quản trị</a></p>`,
    ),
  );
}

function loginPage(form: { token: string; next: string; name?: string; message?: string }): string {
  const error: SafeHtml | undefined = form.message
    ? html`<p class="form-error" id="login-error" role="alert">${form.message}</p>`
    : undefined;
  const described = form.message ? html`aria-describedby="login-error"` : "";
  return adminLayout(
    { title: "Đăng nhập", section: "dashboard" },
    html`<h1>Đăng nhập</h1>
      ${error}
      <form class="login" method="post" action="${LOGIN_PATH}">
        <input type="hidden" name="_csrf" value="${form.token}" />
        <input type="hidden" name="next" value="${form.next}" />
        <p>
          <label for="login-name">Tên đăng nhập</label>
          <input
            id="login-name"
            name="name"
            type="text"
            value="${form.name ?? ""}"
            autocomplete="username"
            autocapitalize="none"
            spellcheck="false"
            maxlength="64"
            required
            autofocus
            ${described}
          />
        </p>
        <p>
          <label for="login-password">Mật khẩu</label>
          <input
            id="login-password"
            name="password"
            type="password"
            autocomplete="current-password"
            required
            ${described}
          />
        </p>
        <p><button type="submit">Đăng nhập</button></p>
      </form>`,
  );
}

/**
 * Where to go after login: a local path under /admin, else /admin. Refuses `//host`, `https://host`,
 * backslashes and anything that resolves outside /admin (`/admin/../x`).
 */
export function safeNext(value: unknown): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.length > 2000) return "/admin";
  if (value.startsWith("//") || /[\\\p{Cc}]/u.test(value)) return "/admin";
  let url: URL;
  try {
    url = new URL(value, "http://admin.invalid");
  } catch {
    return "/admin";
  }
  if (url.origin !== "http://admin.invalid") return "/admin";
  if (url.pathname !== "/admin" && !url.pathname.startsWith("/admin/")) return "/admin";
  if (url.pathname === LOGIN_PATH || url.pathname === "/admin/logout") return "/admin";
  return url.pathname + url.search + url.hash;
}

function prefersJson(req: Request): boolean {
  return req.accepts(["html", "json"]) === "json";
}

function formField(req: Request, name: string): string | undefined {
  const body: unknown = req.body;
  if (!body || typeof body !== "object") return undefined;
  const value = (body as Record<string, unknown>)[name];
  return typeof value === "string" ? value : undefined;
}

function headerValue(req: Request, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === "string" ? value : undefined;
}

/** One cookie's value from the Cookie header (the project has no cookie parser, and needs only this). */
function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    try {
      return decodeURIComponent(value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function clientIp(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? "unknown";
}

function randomId(): string {
  return randomBytes(32).toString("base64url");
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { createAssistant, openSqliteStore, type Store } from "../../bot/index.ts";
import { createOutbox, type Outbox } from "../../bot/channels/index.ts";
import {
  createOffice,
  createReports,
  folderPhotoStore,
  placeFinder,
  type Office,
  type Reports,
} from "../../bot/reports/index.ts";
import { buildFromEntries, loadContent, type KnowledgeIndex } from "../../indexer/index.ts";
import type { AdminDb } from "../admin/accounts.ts";
import { createAdminAuth, createAuditLog, createPublisher, openAdminDb } from "../admin/index.ts";
import { hashPassword } from "../admin/passwords.ts";
import { createApp, DEFAULT_APP_OPTIONS, type Live } from "../app.ts";
import { closeServer, listenLocal } from "./servers.ts";

/**
 * For tests: the app wired as web/main.ts wires it for reports, in-process on 127.0.0.1: the real index
 * of content/, a real SQLite store, the real admin database (an editor and a viewer), audit log, the
 * assistant with the reports hook, photos in a private folder, the office over the outbox (the widget's
 * mailbox; no chat platform), and a clock the test moves.
 */

export const EDITOR = { name: "lan", password: "Lan-bien-tap-2026!" };
export const VIEWER = { name: "minh", password: "Minh-chi-xem-2026!" };
const SILENT = { info() {}, warn() {}, error() {} };

export type ReportsApp = {
  origin: string;
  store: Store;
  adminDb: AdminDb;
  reports: Reports;
  office: Office;
  outbox: Outbox;
  photoDir: string;
  uploadsDir: string;
  clock: { now(): Date; advance(ms: number): void };
  close(): Promise<void>;
};

let cachedIndex: KnowledgeIndex | undefined;

/** Starts the app; `now` is the clock's start. */
export async function startReportsApp(options: { now: string; maxPhotoBytes?: number }): Promise<ReportsApp> {
  let t = Date.parse(options.now);
  const clock = { now: () => new Date(t), advance: (ms: number) => void (t += ms) };
  const tmp = await mkdtemp(path.join(tmpdir(), "chau-doc-reports-app-"));
  if (!cachedIndex) {
    const { entries } = await loadContent(path.resolve(import.meta.dirname, "../../content"));
    ({ index: cachedIndex } = await buildFromEntries(entries, "0".repeat(64)));
  }
  const index = cachedIndex;
  const store = openSqliteStore(path.join(tmp, "store.db"), { writer: "here" });
  const photoDir = path.join(tmp, "report-photos");
  const uploadsDir = path.join(tmp, "uploads");
  await mkdir(uploadsDir, { recursive: true });
  const photos = folderPhotoStore(photoDir);
  const maxPhotoBytes = options.maxPhotoBytes ?? 1024 * 1024;
  const outbox = createOutbox({ store, channels: () => [], log: SILENT, clock, retryBaseMs: 20 });
  const reports = createReports({
    store,
    photos,
    clock,
    log: SILENT,
    findPlace: placeFinder(index),
    options: { maxPhotoBytes, perDay: 50 },
  });
  const office = createOffice({ store, clock, log: SILENT, delivery: outbox });
  const makeAssistant = (i: KnowledgeIndex) =>
    createAssistant({ index: i, store, clock, beforeAnswer: reports.hook });
  const live: { current: Live } = { current: { index, assistant: makeAssistant(index) } };
  const adminDb = openAdminDb(path.join(tmp, "admin.sqlite"));
  const at = clock.now().toISOString();
  await adminDb.upsertUser({
    ...EDITOR,
    role: "editor",
    passwordHash: await hashPassword(EDITOR.password),
    at,
  });
  await adminDb.upsertUser({
    ...VIEWER,
    role: "viewer",
    passwordHash: await hashPassword(VIEWER.password),
    at,
  });
  const audit = createAuditLog(adminDb, clock);
  const auth = createAdminAuth({ db: adminDb, log: SILENT, clock, secureCookies: false, audit });
  const contentDir = path.join(tmp, "content");
  const publisher = createPublisher({
    contentDir,
    indexDir: path.join(tmp, "index"),
    live,
    makeAssistant,
    log: SILENT,
    clock,
  });
  const web = { reports, office, photos, maxPhotoBytes, audit };
  const app = createApp({
    live: () => live.current,
    store,
    log: SILENT,
    clock,
    reports: web,
    admin: {
      contentDir,
      uploadsDir,
      live: () => live.current,
      store,
      auth,
      audit,
      publisher,
      log: SILENT,
      clock,
      reports: {
        web,
        staff: async () => (await adminDb.listUsers()).map((u) => u.name),
        map: { tileUrl: "http://127.0.0.1:9/{z}/{x}/{y}.png", attribution: "test tiles" },
      },
    },
    options: {
      ...DEFAULT_APP_OPTIONS,
      widgetOrigins: "*",
      rateLimitPerMinute: 10_000,
      map: { tileUrl: "http://127.0.0.1:9/{z}/{x}/{y}.png", attribution: "test tiles" },
    },
  });
  const server: Server = createServer(app);
  const origin = await listenLocal(server);
  return {
    origin,
    store,
    adminDb,
    reports,
    office,
    outbox,
    photoDir,
    uploadsDir,
    clock,
    async close() {
      await closeServer(server);
      await outbox.stop();
      await store.close();
      await adminDb.close();
      await rm(tmp, { recursive: true, force: true });
    },
  };
}

type Jar = Map<string, string>;

/** fetch with a cookie jar, no redirects followed. */
export async function request(
  origin: string,
  urlPath: string,
  init: RequestInit & { jar?: Jar; form?: Record<string, string> } = {},
): Promise<Response> {
  const headers = new Headers(init.headers);
  const jar = init.jar;
  if (jar?.size) headers.set("cookie", [...jar].map(([k, v]) => `${k}=${v}`).join("; "));
  const res = await fetch(origin + urlPath, {
    method: init.method ?? (init.form || init.body ? "POST" : "GET"),
    headers,
    ...(init.form ? { body: new URLSearchParams(init.form) } : init.body ? { body: init.body } : {}),
    redirect: "manual",
  });
  if (jar)
    for (const cookie of res.headers.getSetCookie()) {
      const pair = cookie.split(";")[0] as string;
      const name = pair.slice(0, pair.indexOf("="));
      if (/max-age=0\b/i.test(cookie) || /expires=thu, 01 jan 1970/i.test(cookie)) jar.delete(name);
      else jar.set(name, pair.slice(pair.indexOf("=") + 1));
    }
  return res;
}

/** A hidden field's value in a page. */
export function hidden(page: string, name: string): string {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(page);
  if (!match) throw new Error(`no hidden field ${name}`);
  return match[1] as string;
}

/** Logs in through the form; returns the jar with the session. */
export async function login(origin: string, user: { name: string; password: string }): Promise<Jar> {
  const jar: Jar = new Map();
  const form = await (await request(origin, "/admin/login", { jar })).text();
  const res = await request(origin, "/admin/login", {
    jar,
    form: { _csrf: hidden(form, "_csrf"), next: "/admin", name: user.name, password: user.password },
  });
  if (res.status !== 303) throw new Error(`login answered ${res.status}`);
  return jar;
}

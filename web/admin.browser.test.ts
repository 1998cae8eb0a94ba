/**
 * The admin area in a real browser (Debian's chromium through playwright-core), wired as web/main.ts wires
 * it: the real index built from a temporary copy of content/, the real admin database, sessions, CSRF,
 * audit log and publisher. An editor logs in through the form, changes an attraction's opening hours and
 * the widget on a third-party page answers with them once the publish has finished; an invalid edit is
 * refused beside its field; the question shows on the dashboard; a viewer cannot save; logout ends the
 * session; axe-core finds no serious or critical violation on the admin's main pages.
 */
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createAssistant, createMemoryStore, type Store } from "../bot/index.ts";
import { buildIndex, type KnowledgeIndex } from "../indexer/index.ts";
import type { AdminDb } from "./admin/accounts.ts";
import { createAdminAuth, createAuditLog, createPublisher, openAdminDb } from "./admin/index.ts";
import { hashPassword } from "./admin/passwords.ts";
import type { PublishStatus } from "./admin/publish-page.ts";
import { AXE, launchChromium, screenshotOnFailure } from "./testing/chromium.ts";
import { createApp, DEFAULT_APP_OPTIONS, type Live } from "./app.ts";
import { closeServer, listenLocal } from "./testing/servers.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const NOW = new Date("2026-12-01T09:00:00+07:00");
const SILENT = { info() {}, warn() {}, error() {} };

const EDITOR = { name: "lan", password: "Lan-bien-tap-2026!" };
const VIEWER = { name: "minh", password: "Minh-chi-xem-2026!" };
const MIEU = "attractions/mieu-ba-chua-xu.md";
const HOURS = { vi: "5:00–22:00 hằng ngày (thử nghiệm)", en: "5:00–22:00 daily (test)" };
const QUESTION = "Miếu Bà Chúa Xứ mấy giờ mở cửa?";
/** The question as the dashboard counts it (lower case, no punctuation). */
const QUESTION_SHOWN = "miếu bà chúa xứ mấy giờ mở cửa";

/** The widget's host element; Playwright's CSS selectors pierce its open shadow root. */
const W = "#chau-doc-widget";

function hostPage(appOrigin: string): string {
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Khách sạn Sông Hậu</title></head>
<body><h1>Khách sạn Sông Hậu</h1>
<script src="${appOrigin}/widget.js" data-lang="vi" async></script></body></html>`;
}

describe.sequential("the admin area in chromium", () => {
  let browser: Browser;
  let store: Store;
  let adminDb: AdminDb;
  let publisher: ReturnType<typeof createPublisher>;
  let live: { current: Live };
  let app: Server;
  let site: Server;
  let tmp = "";
  let contentDir = "";
  let appOrigin = "";
  let hostOrigin = "";
  /** The file as copied, before any edit. */
  let original = "";
  /** How many times the widget was asked QUESTION (the dashboard must count as many). */
  let asked = 0;
  const contexts: BrowserContext[] = [];
  let page: Page | undefined;

  beforeAll(async () => {
    const launching = launchChromium();
    tmp = await mkdtemp(path.join(tmpdir(), "chau-doc-admin-browser-"));
    contentDir = path.join(tmp, "content");
    const indexDir = path.join(tmp, "index");
    await cp(path.join(ROOT, "content"), contentDir, { recursive: true });
    original = await readFile(path.join(contentDir, MIEU), "utf8");

    const clock = { now: () => NOW };
    store = createMemoryStore();
    const makeAssistant = (index: KnowledgeIndex) => createAssistant({ index, store, clock });
    const { index } = await buildIndex(contentDir, indexDir);
    live = { current: { index, assistant: makeAssistant(index) } };
    publisher = createPublisher({ contentDir, indexDir, live, makeAssistant, log: SILENT, clock });

    adminDb = openAdminDb(path.join(tmp, "data", "admin.sqlite"));
    const at = NOW.toISOString();
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
    const uploadsDir = path.join(tmp, "uploads");
    await mkdir(uploadsDir, { recursive: true });

    const express = createApp({
      live: () => live.current,
      store,
      log: SILENT,
      clock,
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
      },
      options: { ...DEFAULT_APP_OPTIONS, widgetOrigins: "*", rateLimitPerMinute: 1000 },
    });
    app = createServer(express);
    appOrigin = await listenLocal(app);
    site = createServer((req, res) => {
      if (req.url !== "/") return void res.writeHead(404).end();
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(hostPage(appOrigin));
    });
    hostOrigin = await listenLocal(site);
    browser = await launching;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([app, site].filter(Boolean).map((s) => closeServer(s)));
    await publisher?.idle();
    await store?.close();
    await adminDb?.close();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  beforeEach(() => {
    page = undefined;
  });

  // Runs before the contexts close (onTestFailed hooks run too late for a screenshot).
  afterEach(async (ctx) => {
    await screenshotOnFailure(ctx, page);
  });

  /** A fresh browser context (no cookies, empty localStorage) with one page; closed when the file ends. */
  async function newPage(options: { bypassCSP?: boolean } = {}): Promise<Page> {
    const context = await browser.newContext({ locale: "vi-VN", ...options });
    contexts.push(context);
    // Shorter than the test's own timeout, so a failure names the step that waited.
    context.setDefaultTimeout(10_000);
    page = await context.newPage();
    return page;
  }

  /** Logs in through the login form; returns the page on the dashboard. */
  async function logIn(who: { name: string; password: string }, p?: Page): Promise<Page> {
    const q = p ?? (await newPage());
    await q.goto(`${appOrigin}/admin/login`);
    await q.getByLabel("Tên đăng nhập").fill(who.name);
    await q.getByLabel("Mật khẩu").fill(who.password);
    await q.getByRole("button", { name: "Đăng nhập" }).click();
    await q.waitForURL(`${appOrigin}/admin`);
    return q;
  }

  /** The editor's session, kept from the first test to the logout. */
  let editor: Page;

  async function fileText(): Promise<string> {
    return readFile(path.join(contentDir, MIEU), "utf8");
  }

  /** Opens the widget on the host page (in its own context) and asks QUESTION; returns the answer text. */
  async function askWidget(): Promise<string> {
    const p = await newPage();
    await p.goto(`${hostOrigin}/`);
    await p.locator(`${W} .launcher`).click();
    await p.locator(`${W} textarea`).fill(QUESTION);
    await p.locator(`${W} textarea`).press("Enter");
    asked++;
    await p.waitForFunction(
      `(() => { const r = document.querySelector("${W}")?.shadowRoot; return !!r && !r.querySelector(".log[aria-busy]") ` +
        `&& r.querySelectorAll(".msg.bot:not(.pending):not(.welcome)").length >= 1; })()`,
      undefined,
      { timeout: 15_000 },
    );
    return (await p.locator(`${W} .msg.bot:not(.pending):not(.welcome) .text`).last().textContent()) ?? "";
  }

  async function publishStatus(p: Page): Promise<PublishStatus> {
    const res = await p.request.get(`${appOrigin}/admin/publish.json`, {
      headers: { Accept: "application/json" },
    });
    expect(res.status()).toBe(200);
    return (await res.json()) as PublishStatus;
  }

  /** Opens the edit form of Miếu Bà Chúa Xứ from the entries list, as a user would find it. */
  async function openEditForm(p: Page, link: "Sửa" | "Xem"): Promise<void> {
    await p.goto(`${appOrigin}/admin/entries`);
    await p.getByRole("searchbox", { name: "Tìm" }).fill("Miếu Bà Chúa Xứ");
    await p.getByRole("button", { name: "Lọc" }).click();
    await p.waitForURL(/\/admin\/entries\?/);
    const row = p.locator("table.entries tbody tr", { hasText: "Miếu Bà Chúa Xứ" });
    expect(await row.count()).toBe(1);
    await row.getByRole("link", { name: link, exact: true }).click();
    await p.waitForURL(`${appOrigin}/admin/entries/mieu-ba-chua-xu/edit`);
    expect(await p.locator("h1").textContent()).toContain("Miếu Bà Chúa Xứ Núi Sam");
  }

  it("logs an editor in through the login form and lands on the dashboard with the user's name", async () => {
    const p = await newPage();
    await p.goto(`${appOrigin}/admin`);
    // Without a session the dashboard sends the browser to the login form.
    expect(new URL(p.url()).pathname).toBe("/admin/login");
    await p.getByLabel("Tên đăng nhập").fill(EDITOR.name);
    await p.getByLabel("Mật khẩu").fill(EDITOR.password);
    await p.getByRole("button", { name: "Đăng nhập" }).click();
    await p.waitForURL(`${appOrigin}/admin`);
    expect(await p.locator("h1").textContent()).toBe("Câu hỏi của du khách");
    expect(await p.locator("header form.logout").textContent()).toContain("lan (biên tập)");
    editor = p;
  });

  it("changes an attraction's opening hours: after publishing, the widget on another site answers them", async () => {
    expect(original).toMatch(/^ {2}openingHours: null$/m);
    const p = editor;
    page = p;
    const before = await publishStatus(p);
    await openEditForm(p, "Sửa");
    await p.getByLabel("Giờ mở cửa – Tiếng Việt").fill(HOURS.vi);
    await p.getByLabel("Giờ mở cửa – English").fill(HOURS.en);
    await p.getByRole("button", { name: "Lưu", exact: true }).click();
    await p.waitForURL(/\/admin\/entries\/mieu-ba-chua-xu\/edit\?notice=saved$/);
    expect(await p.locator(".notice").textContent()).toBe("Đã lưu; đang xuất bản…");
    expect(await p.getByLabel("Giờ mở cửa – Tiếng Việt").inputValue()).toBe(HOURS.vi);

    // Publishing runs in the background: wait for the build this save started.
    await expect
      .poll(
        async () => {
          const s = await publishStatus(p);
          return !s.running && s.last?.reason.includes("edit mieu-ba-chua-xu") ? s : undefined;
        },
        { timeout: 30_000, interval: 250 },
      )
      .toBeTruthy();
    const after = await publishStatus(p);
    expect(after.last).toMatchObject({ ok: true });
    expect(after.live.version).not.toBe(before.live.version);

    // Only the opening hours changed in the file.
    const text = await fileText();
    const { removed, added } = changedLines(original, text);
    expect(removed).toEqual(["  openingHours: null"]);
    expect(added.join("\n")).toContain(HOURS.vi);
    expect(added.join("\n")).toContain(HOURS.en);
    expect(
      added.every((l) => /openingHours|5:00–22:00/.test(l)),
      added.join("\n"),
    ).toBe(true);

    const answer = await askWidget();
    expect(answer).toContain(HOURS.vi);
  });

  it("refuses an invalid edit with the error beside its field, and keeps the file and the live answers", async () => {
    const p = editor;
    page = p;
    const saved = await fileText();
    const before = await publishStatus(p);
    await openEditForm(p, "Sửa");
    const lat = p.getByLabel("Vĩ độ (lat)");
    await lat.fill("200");
    const [response] = await Promise.all([
      p.waitForResponse(`${appOrigin}/admin/entries/mieu-ba-chua-xu`),
      p.getByRole("button", { name: "Lưu", exact: true }).click(),
    ]);
    expect(response.status()).toBe(422);
    await p.waitForLoadState();
    // One problem, listed at the top with a link to its field.
    expect(await p.locator(".error-summary h2").textContent()).toBe("Chưa lưu: có 1 lỗi cần sửa");
    expect(await p.locator('.error-summary a[href="#f-place-coordinates-lat"]').count()).toBe(1);
    // The value typed is kept, marked invalid, and described by the error shown beside it.
    expect(await lat.inputValue()).toBe("200");
    expect(await lat.getAttribute("aria-invalid")).toBe("true");
    const describedBy = (await lat.getAttribute("aria-describedby")) ?? "";
    const errorId = describedBy.split(/\s+/).find((id) => id.endsWith("-err"));
    expect(errorId, `aria-describedby="${describedBy}"`).toBeTruthy();
    const error = p.locator(`[id="${errorId}"]`);
    expect(await error.isVisible()).toBe(true);
    expect(await error.textContent()).toContain("200 nằm ngoài vùng Châu Đốc");
    // The error sits in the field's own container, next to the input.
    const container = p.locator(".field", { has: p.locator("#f-place-coordinates-lat") });
    expect(await container.locator(`[id="${errorId}"]`).count()).toBe(1);

    expect(await fileText()).toBe(saved);
    expect((await publishStatus(p)).live.version).toBe(before.live.version);
    expect(await askWidget()).toContain(HOURS.vi);
  });

  it("shows the question asked in the widget among today's top questions on the dashboard", async () => {
    const p = editor;
    page = p;
    await p.goto(`${appOrigin}/admin`);
    const lead = await p.locator("p.lead").textContent();
    expect(lead).toContain("đến 01/12/2026");
    const table = p.locator("section[aria-labelledby=h-top-questions] table");
    const row = table.locator("tbody tr", { has: p.locator("th", { hasText: QUESTION_SHOWN }) });
    expect(await row.count()).toBe(1);
    expect(await row.locator("td").first().textContent()).toBe(String(asked));
    // Today alone (from = to = today) still has it.
    await p.goto(`${appOrigin}/admin?from=2026-12-01&to=2026-12-01`);
    expect(await p.locator("section[aria-labelledby=h-top-questions] tbody th").allTextContents()).toContain(
      QUESTION_SHOWN,
    );
  });

  it("lets a viewer read the entries but refuses to save or delete (403)", async () => {
    const p = await logIn(VIEWER);
    expect(await p.locator("header form.logout").textContent()).toContain("minh (chỉ xem)");
    await p.goto(`${appOrigin}/admin/entries`);
    expect(await p.locator("table.entries tbody tr").count()).toBeGreaterThan(20);
    expect(await p.locator(".new-entry").count()).toBe(0);
    const saved = await fileText();

    await openEditForm(p, "Xem");
    expect(await p.getByText("Bạn chỉ có quyền xem: không lưu được thay đổi.").count()).toBe(1);
    expect(await p.getByRole("link", { name: "Xóa mục này" }).count()).toBe(0);
    // The save button is disabled, and hidden.
    const save = p.locator("form.entry-form button[value=save]");
    expect(await save.isDisabled()).toBe(true);
    expect(await save.isVisible()).toBe(false);
    // Forcing the form open in the browser does not help: the server refuses the save.
    await p.evaluate(`document.querySelector("form.entry-form fieldset").disabled = false`);
    await p.getByLabel("Giờ mở cửa – Tiếng Việt").fill("0:00–24:00 (của người xem)");
    const [response] = await Promise.all([
      p.waitForResponse(/\/admin\/entries\/mieu-ba-chua-xu$/),
      save.click(),
    ]);
    expect(response.status()).toBe(403);
    await p.waitForLoadState();
    expect(await p.locator("h1").textContent()).toBe("Không được phép");
    expect(await p.locator("main").textContent()).toContain("Bạn không có quyền thực hiện thao tác này.");
    expect(await fileText()).toBe(saved);

    // The delete page and the delete itself are refused too.
    const deletePage = await p.goto(`${appOrigin}/admin/entries/mieu-ba-chua-xu/delete`);
    expect(deletePage?.status()).toBe(403);
    const csrf = await p.locator("header form.logout input[name=_csrf]").getAttribute("value");
    expect(csrf).toBeTruthy();
    const del = await p.request.post(`${appOrigin}/admin/entries/mieu-ba-chua-xu/delete`, {
      form: { _csrf: csrf ?? "", version: "x" },
    });
    expect(del.status()).toBe(403);
    expect(existsSync(path.join(contentDir, MIEU))).toBe(true);
  });

  it("logs out with “Đăng xuất”, after which /admin redirects to the login page", async () => {
    const p = editor;
    page = p;
    await p.goto(`${appOrigin}/admin`);
    await p.getByRole("button", { name: "Đăng xuất" }).click();
    await p.waitForURL(`${appOrigin}/admin/login`);
    expect(await p.locator("h1").textContent()).toBe("Đăng nhập");
    await p.goto(`${appOrigin}/admin`);
    expect(p.url()).toBe(`${appOrigin}/admin/login`);
    expect(await p.getByLabel("Tên đăng nhập").count()).toBe(1);
    const json = await p.request.get(`${appOrigin}/admin/publish.json`, {
      headers: { Accept: "application/json" },
      maxRedirects: 0,
    });
    expect(json.status()).toBe(401);
  });

  it("has no serious or critical accessibility violations on the login page, dashboard, list and edit form", async () => {
    const found: Record<string, unknown[]> = {};
    // The admin's CSP forbids injected scripts; only this context bypasses it, to load axe.
    const p = await newPage({ bypassCSP: true });
    const check = async (label: string) => {
      await p.addScriptTag({ path: AXE });
      const violations = await axeViolations(p);
      if (violations.length) found[label] = violations;
    };
    await p.goto(`${appOrigin}/admin/login`);
    await check("login");
    await logIn(EDITOR, p);
    await check("dashboard");
    await p.goto(`${appOrigin}/admin/entries`);
    await check("entries");
    await p.goto(`${appOrigin}/admin/entries/mieu-ba-chua-xu/edit`);
    await check("edit form");
    expect(found, JSON.stringify(found, null, 2)).toEqual({});
  });
});

/** The lines of `after` that replace lines of `before`: what lies between their common start and end. */
function changedLines(before: string, after: string): { removed: string[]; added: string[] } {
  const a = before.split("\n");
  const b = after.split("\n");
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end])
    end++;
  return { removed: a.slice(start, a.length - end), added: b.slice(start, b.length - end) };
}

/** axe-core's serious and critical violations on the page, with the nodes they hit. */
async function axeViolations(page: Page): Promise<unknown[]> {
  return page.evaluate(
    `axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations` +
      `.filter((v) => v.impact === "serious" || v.impact === "critical")` +
      `.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")) })))`,
  );
}

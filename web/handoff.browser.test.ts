/**
 * Talking to a person, in a real browser (Debian's chromium through playwright-core), wired as
 * web/main.ts wires it: the real index and assistant, a real SQLite store, the outbox and the handoff
 * desk, the real admin database, sessions, CSRF and audit log. A visitor presses "Gặp nhân viên" in the
 * widget on a third-party page; the staff's list shows the request without a reload; the staff member
 * reads the transcript, replies, and the widget shows the reply marked as from staff; malformed admin
 * requests are refused with 4xx; ending the handoff gives the chat back to the bot; axe-core finds no
 * serious or critical violation on the widget in that state nor on the admin's handoff pages.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createOutbox } from "../bot/channels/index.ts";
import { createHandoffDesk, DEFAULT_STAFF_HOURS, parseStaffHours } from "../bot/handoff/index.ts";
import { createAssistant, openSqliteStore, type Store } from "../bot/index.ts";
import { buildFromEntries, loadContent } from "../indexer/index.ts";
import type { AdminDb } from "./admin/accounts.ts";
import { createAdminAuth, createAuditLog, openAdminDb } from "./admin/index.ts";
import { hashPassword } from "./admin/passwords.ts";
import { createApp, DEFAULT_APP_OPTIONS } from "./app.ts";
import { AXE, launchChromium, screenshotOnFailure } from "./testing/chromium.ts";
import { closeServer, listenLocal } from "./testing/servers.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
/** Monday 23 November 2026, 09:00 in Vietnam: office hours. */
const NOW = new Date("2026-11-23T09:00:00+07:00");
const SILENT = { info() {}, warn() {}, error() {} };
const EDITOR = { name: "lan", password: "Lan-bien-tap-2026!" };
const W = "#chau-doc-widget";
const REPLY = "Chào bạn, vé cáp treo núi Cấm là 180.000 đồng.";

describe.sequential("talking to a person, in chromium", () => {
  let browser: Browser;
  let store: Store;
  let adminDb: AdminDb;
  let app: Server;
  let site: Server;
  let tmp = "";
  let appOrigin = "";
  let hostOrigin = "";
  const contexts: BrowserContext[] = [];
  let page: Page | undefined;
  let visitor: Page;
  let staff: Page;
  let handoffUrl = "";

  beforeAll(async () => {
    const launching = launchChromium();
    tmp = await mkdtemp(path.join(tmpdir(), "chau-doc-handoff-browser-"));
    const clock = { now: () => NOW };
    store = openSqliteStore(path.join(tmp, "assistant.sqlite"), { writer: "here" });
    const { entries } = await loadContent(path.join(ROOT, "content"), { today: "2026-11-23" });
    const { index } = await buildFromEntries(entries, "0".repeat(64));
    const assistant = createAssistant({ index, store, clock });
    const outbox = createOutbox({ store, channels: () => [], log: SILENT, clock });
    const desk = createHandoffDesk({
      store,
      outbox,
      clock,
      log: SILENT,
      hours: parseStaffHours(DEFAULT_STAFF_HOURS),
    });
    adminDb = openAdminDb(path.join(tmp, "admin.sqlite"));
    await adminDb.upsertUser({
      ...EDITOR,
      role: "editor",
      passwordHash: await hashPassword(EDITOR.password),
      at: NOW.toISOString(),
    });
    const audit = createAuditLog(adminDb, clock);
    const auth = createAdminAuth({ db: adminDb, log: SILENT, clock, secureCookies: false, audit });
    const live = () => ({ index, assistant });
    const express = createApp({
      live,
      store,
      log: SILENT,
      clock,
      handoff: desk,
      admin: {
        contentDir: path.join(ROOT, "content"),
        uploadsDir: path.join(tmp, "uploads"),
        live,
        store,
        auth,
        audit,
        publisher: { publish: () => Promise.reject(new Error("no")), status: () => ({ running: false }) },
        log: SILENT,
        clock,
        handoffs: desk,
      },
      options: { ...DEFAULT_APP_OPTIONS, widgetOrigins: "*", rateLimitPerMinute: 1000 },
    });
    app = createServer(express);
    appOrigin = await listenLocal(app);
    site = createServer((req, res) => {
      if (req.url !== "/") return void res.writeHead(404).end();
      res
        .writeHead(200, { "Content-Type": "text/html; charset=utf-8" })
        .end(
          `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Khách sạn Sông Hậu</title></head>` +
            `<body><h1>Khách sạn Sông Hậu</h1><script src="${appOrigin}/widget.js" data-lang="vi" async></script></body></html>`,
        );
    });
    hostOrigin = await listenLocal(site);
    browser = await launching;
  }, 60_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await Promise.all([app, site].filter(Boolean).map((s) => closeServer(s)));
    await store?.close();
    await adminDb?.close();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  afterEach(async (ctx) => {
    await screenshotOnFailure(ctx, page);
  });

  async function newPage(options: { bypassCSP?: boolean } = {}): Promise<Page> {
    const context = await browser.newContext({ locale: "vi-VN", ...options });
    contexts.push(context);
    context.setDefaultTimeout(15_000);
    page = await context.newPage();
    return page;
  }

  async function logIn(p: Page): Promise<void> {
    await p.goto(`${appOrigin}/admin/login`);
    await p.getByLabel("Tên đăng nhập").fill(EDITOR.name);
    await p.getByLabel("Mật khẩu").fill(EDITOR.password);
    await p.getByRole("button", { name: "Đăng nhập" }).click();
    await p.waitForURL(`${appOrigin}/admin`);
  }

  it("a visitor's request reaches the staff's list without a reload, and the bot stops answering", async () => {
    staff = await newPage();
    await logIn(staff);
    await staff.getByRole("link", { name: "Trò chuyện" }).click();
    await staff.waitForURL(`${appOrigin}/admin/handoffs`);
    expect(await staff.locator("#handoff-rows").textContent()).toContain("Không có ai đang chờ.");

    visitor = await newPage();
    await visitor.goto(`${hostOrigin}/`);
    await visitor.locator(`${W} .launcher`).click();
    await visitor.locator(`${W} .foot button`, { hasText: "Gặp nhân viên" }).click();
    await visitor
      .locator(`${W} .msg.bot .text`, { hasText: "Đã chuyển cuộc trò chuyện tới nhân viên" })
      .waitFor();
    const status = visitor.locator(`${W} .handoff-status`);
    await status.waitFor({ state: "visible" });
    expect(await status.textContent()).toContain("sẽ trả lời bạn tại đây");
    expect(await visitor.locator(`${W} .foot button`, { hasText: "Gặp nhân viên" }).isHidden()).toBe(true);

    // The list polls: the request shows up on the page the staff member already had open.
    const link = staff.getByRole("link", { name: "Xem và trả lời" });
    await link.waitFor({ timeout: 15_000 });
    expect(await staff.locator("#handoff-rows tr").first().textContent()).toContain("Trang web");

    // While staff have the chat, a question gets no bot answer, and shows in the transcript.
    await visitor.locator(`${W} textarea`).fill("Vé cáp treo núi Cấm bao nhiêu?");
    await visitor.locator(`${W} textarea`).press("Enter");
    await visitor.waitForFunction(
      `!document.querySelector("${W}").shadowRoot.querySelector(".log[aria-busy]")`,
    );
    expect(await visitor.locator(`${W} .msg.bot:not(.welcome)`).count()).toBe(1);

    await link.click();
    await staff.waitForURL(/\/admin\/handoffs\/[0-9a-f-]{36}$/);
    handoffUrl = staff.url();
    await staff.locator("#transcript .line.user", { hasText: "Vé cáp treo núi Cấm bao nhiêu?" }).waitFor();
    expect(await staff.locator("#transcript .line.user").first().textContent()).toContain("gặp nhân viên");
  }, 60_000);

  it("the staff reply is sent, and the widget shows it marked as from staff", async () => {
    await staff.getByLabel("Trả lời du khách").fill(REPLY);
    await staff.getByRole("button", { name: "Gửi" }).click();
    await staff.waitForURL(handoffUrl);
    const line = staff.locator("#transcript .line.staff");
    expect(await line.locator(".text").textContent()).toBe(REPLY);
    expect(await line.locator(".delivery").textContent()).toBe("Đã gửi");

    const fromStaff = visitor.locator(`${W} .msg.staff`);
    await fromStaff.waitFor({ timeout: 10_000 });
    expect(await fromStaff.locator(".who").textContent()).toBe("Nhân viên");
    expect(await fromStaff.locator(".text").textContent()).toBe(REPLY);

    // A reload keeps the conversation, the waiting state and the polling.
    await visitor.reload();
    await visitor.locator(`${W} .launcher`).click();
    await visitor.locator(`${W} .handoff-status`).waitFor({ state: "visible" });
    expect(await visitor.locator(`${W} .msg.staff .text`).textContent()).toBe(REPLY);

    const logged = (await createAuditLog(adminDb).list()).filter((r) => r.action.startsWith("handoff."));
    expect(logged.map((r) => [r.user, r.action, r.detail])).toEqual([["lan", "handoff.reply", "web: sent"]]);
  }, 30_000);

  it("has no serious or critical accessibility violations in the widget while staff have the chat", async () => {
    await visitor.addScriptTag({ path: AXE });
    expect(await axeViolations(visitor, `document.getElementById("chau-doc-widget")`)).toEqual([]);
  });

  it("refuses malformed admin requests with 4xx, and the server goes on", async () => {
    const csrf = await staff.locator('form.handoff-reply input[name="_csrf"]').inputValue();
    const post = (url: string, form: Record<string, string>) =>
      staff.request.post(url, { form, maxRedirects: 0 });
    expect(
      (await post(`${handoffUrl}/reply`, { text: "không có CSRF", nonce: "abcdefgh1234" })).status(),
    ).toBe(403);
    const empty = await post(`${handoffUrl}/reply`, { _csrf: csrf, text: "   ", nonce: "abcdefgh1234" });
    expect(empty.status()).toBe(400);
    expect(await empty.text()).toContain("Hãy viết câu trả lời.");
    expect((await post(`${handoffUrl}/reply`, { _csrf: csrf, text: "x" })).status()).toBe(400);
    expect((await staff.request.get(`${appOrigin}/admin/handoffs/not-a-handoff`)).status()).toBe(404);
    const unknown = `${appOrigin}/admin/handoffs/00000000-0000-4000-8000-000000000000`;
    expect((await post(`${unknown}/end`, { _csrf: csrf })).status()).toBe(404);
    expect((await staff.request.get(`${appOrigin}/admin/handoffs/%E0%A4%A/`)).status()).toBeLessThan(500);
    expect((await staff.request.get(`${appOrigin}/healthz`)).status()).toBe(200);
    // Nothing of those reached the visitor.
    expect(await visitor.locator(`${W} .msg.staff`).count()).toBe(1);
  });

  it("ending the handoff gives the chat back to the bot, and the widget says so", async () => {
    await staff.goto(handoffUrl);
    await staff.getByRole("button", { name: "Kết thúc, trả lại trợ lý" }).click();
    await staff.waitForURL(handoffUrl);
    expect(await staff.locator("#handoff-status").textContent()).toBe("đã đóng");
    await visitor
      .locator(`${W} .msg.bot .text`, { hasText: "Nhân viên đã kết thúc" })
      .waitFor({ timeout: 10_000 });
    await visitor.locator(`${W} .handoff-status`).waitFor({ state: "hidden" });
    await visitor.locator(`${W} textarea`).fill("Miếu Bà Chúa Xứ ở đâu?");
    await visitor.locator(`${W} textarea`).press("Enter");
    // The assistant answers again: its answers (and only its) carry the feedback buttons.
    await visitor.locator(`${W} .msg.bot .feedback`).first().waitFor({ timeout: 15_000 });
    expect(await visitor.locator(`${W} .foot button`, { hasText: "Gặp nhân viên" }).isVisible()).toBe(true);
  }, 40_000);

  it("has no serious or critical accessibility violations on the handoff list and page", async () => {
    const found: Record<string, unknown[]> = {};
    const p = await newPage({ bypassCSP: true });
    await logIn(p);
    for (const [label, url] of [
      ["list", `${appOrigin}/admin/handoffs`],
      ["handoff", handoffUrl],
    ] as const) {
      await p.goto(url);
      await p.addScriptTag({ path: AXE });
      const violations = await axeViolations(p, "document");
      if (violations.length) found[label] = violations;
    }
    expect(found, JSON.stringify(found, null, 2)).toEqual({});
  }, 30_000);
});

/** axe-core's serious and critical violations in `scope` (a JS expression), with the nodes they hit. */
async function axeViolations(page: Page, scope: string): Promise<unknown[]> {
  return page.evaluate(
    `axe.run(${scope}, { resultTypes: ["violations"] }).then((r) => r.violations` +
      `.filter((v) => v.impact === "serious" || v.impact === "critical")` +
      `.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")) })))`,
  );
}

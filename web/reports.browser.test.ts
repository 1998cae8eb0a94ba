/**
 * Tourist reports in a real browser (Debian's chromium through playwright-core), against the app wired
 * for reports (web/testing/reports-app.ts): a visitor files a report in the widget on a third-party page,
 * with a photo chosen in the file picker, and sees its status under "My reports" (kept in localStorage);
 * staff open the inbox, the case page (map, photo), move it and reply; the reply and the new status show
 * under "My reports"; the public figures page counts it. axe-core finds no serious or critical violation
 * on the inbox, the case page, the status page and the figures page (both languages).
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AXE, launchChromium, screenshotOnFailure } from "./testing/chromium.ts";
import { EDITOR, startReportsApp, type ReportsApp } from "./testing/reports-app.ts";
import { closeServer, listenLocal } from "./testing/servers.ts";
import { solidPng } from "./testing/solid-png.ts";

const W = "#chau-doc-widget";

describe.sequential("tourist reports in chromium", () => {
  let browser: Browser;
  let app: ReportsApp;
  let site: Server;
  let hostOrigin = "";
  let tmp = "";
  let photoFile = "";
  let code = "";
  let token = "";
  let visitor: Page;
  const contexts: BrowserContext[] = [];
  let page: Page | undefined;

  beforeAll(async () => {
    const launching = launchChromium();
    app = await startReportsApp({ now: "2026-11-22T02:00:00Z" });
    tmp = await mkdtemp(path.join(tmpdir(), "chau-doc-reports-browser-"));
    photoFile = path.join(tmp, "rac-o-ben.png");
    await writeFile(photoFile, solidPng(40, 30, [120, 90, 40]));
    site = createServer((req, res) => {
      if (req.url !== "/") return void res.writeHead(404).end();
      res
        .writeHead(200, { "Content-Type": "text/html; charset=utf-8" })
        .end(
          `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Nhà nghỉ Bến Đá</title></head>` +
            `<body><h1>Nhà nghỉ Bến Đá</h1><script src="${app.origin}/widget.js" data-lang="vi" async></script></body></html>`,
        );
    });
    hostOrigin = await listenLocal(site);
    browser = await launching;
  }, 60_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    if (site) await closeServer(site);
    await app?.close();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  afterEach(async (ctx) => {
    await screenshotOnFailure(ctx, page);
  });

  async function newPage(options: { bypassCSP?: boolean } = {}): Promise<Page> {
    const context = await browser.newContext({
      locale: "vi-VN",
      permissions: ["geolocation"],
      geolocation: { latitude: 10.6787, longitude: 105.0806 },
      ...options,
    });
    context.setDefaultTimeout(10_000);
    contexts.push(context);
    page = await context.newPage();
    return page;
  }

  /** The last bot message's text in the widget, once it has answered `count` messages in all. */
  async function lastAnswer(p: Page, count: number): Promise<string> {
    await p.waitForFunction(
      `(() => { const r = document.querySelector("${W}")?.shadowRoot; return !!r && !r.querySelector(".log[aria-busy]") ` +
        `&& r.querySelectorAll(".msg.bot:not(.pending):not(.welcome)").length >= ${count}; })()`,
      undefined,
      { timeout: 15_000 },
    );
    return (await p.locator(`${W} .msg.bot:not(.pending):not(.welcome) .text`).last().textContent()) ?? "";
  }

  async function say(p: Page, text: string, count: number): Promise<string> {
    await p.locator(`${W} textarea`).fill(text);
    await p.locator(`${W} textarea`).press("Enter");
    return lastAnswer(p, count);
  }

  it("a visitor files a report with a photo in the widget and sees it under My reports", async () => {
    visitor = await newPage();
    await visitor.goto(`${hostOrigin}/`);
    await visitor.locator(`${W} .launcher`).click();
    expect(await say(visitor, "tôi muốn phản ánh", 1)).toContain("Chọn một mục");
    // The categories are buttons too.
    await visitor.locator(`${W} .chip`, { hasText: "Vệ sinh, môi trường" }).click();
    expect(await lastAnswer(visitor, 2)).toContain("Việc xảy ra ở đâu?");
    // The visitor shares the browser's location (granted to this context: at the temple).
    await visitor.locator(`${W} .foot button`, { hasText: "Gửi vị trí" }).click();
    expect(await lastAnswer(visitor, 3)).toContain("khi nào");
    expect(await say(visitor, "bây giờ", 4)).toContain("Bạn có ảnh không?");
    await visitor.locator(`${W} input[type=file]`).setInputFiles(photoFile);
    expect(await lastAnswer(visitor, 5)).toContain("Đã nhận ảnh");
    const filed = await say(visitor, "Rác tràn ra lối đi sau miếu", 6);
    code = /CD-2026-\d{6}/.exec(filed)?.[0] as string;
    token = /\?t=([A-Za-z0-9_-]{22})/.exec(filed)?.[1] as string;
    expect(code).toBeDefined();
    const kept = (await visitor.evaluate(
      `localStorage.getItem(${JSON.stringify(`chau-doc-widget:reports:v1:${app.origin}`)})`,
    )) as string | null;
    expect(JSON.parse(kept ?? "[]")).toEqual([{ code, token }]);
    await visitor.locator(`${W} .foot button`, { hasText: "Phản ánh của tôi" }).click();
    expect(await lastAnswer(visitor, 7)).toContain(`${code}: Đã tiếp nhận`);
    const stored = await app.store.getCase(code);
    expect(stored?.photo).toMatch(/\.png$/);
    expect(stored?.place).toEqual({ lat: 10.6787, lng: 105.0806 });
  });

  it("staff find it in the inbox, see the map and the photo, move it and reply; the visitor sees the new status", async () => {
    const p = await newPage();
    await p.goto(`${app.origin}/admin/login`);
    await p.getByLabel("Tên đăng nhập").fill(EDITOR.name);
    await p.getByLabel("Mật khẩu").fill(EDITOR.password);
    await p.getByRole("button", { name: "Đăng nhập" }).click();
    await p.waitForURL(`${app.origin}/admin`);
    await p.getByRole("link", { name: "Phản ánh", exact: true }).click();
    await p.waitForURL(`${app.origin}/admin/reports`);
    await p.getByLabel("Loại").selectOption("cleanliness");
    await p.getByRole("button", { name: "Lọc" }).click();
    await p.getByRole("link", { name: code }).click();
    await p.waitForURL(`${app.origin}/admin/reports/${code}`);
    expect(await p.locator("h1").textContent()).toBe(`Phản ánh ${code}`);
    // Leaflet drew the map (its tiles cannot load here; the marker is there).
    await p.locator("#case-map.map-live").waitFor();
    const natural = await p.evaluate(`document.querySelector("img.case-photo").naturalWidth`);
    expect(natural).toBe(40);
    await p.getByLabel("Chuyển trạng thái").selectOption("in_progress");
    await p.getByRole("button", { name: "Lưu trạng thái" }).click();
    await p.waitForURL(`${app.origin}/admin/reports/${code}`);
    await p.getByLabel(/Trả lời du khách/).fill("Đã báo đội vệ sinh của phường.");
    await p.getByRole("button", { name: "Gửi trả lời" }).click();
    await p.waitForURL(`${app.origin}/admin/reports/${code}`);
    expect(await p.locator(".delivery").last().textContent()).toContain("đã gửi");
    expect(await p.locator(".case-facts").textContent()).toContain("Đang xử lý");

    await visitor.locator(`${W} .foot button`, { hasText: "Phản ánh của tôi" }).click();
    // The office's reply and the status notice came through the mailbox, then the statuses.
    await visitor.locator(`${W} .msg.staff`, { hasText: "Đã báo đội vệ sinh của phường." }).waitFor();
    expect(await lastAnswer(visitor, 8)).toContain(`${code}: Đang xử lý`);
    // Another browser, without the token, learns nothing from the code.
    const stranger = await newPage();
    const res = await stranger.request.get(`${app.origin}/api/reports/${code}?token=${"x".repeat(22)}`);
    expect(res.status()).toBe(404);
  });

  it("the public figures count it; no serious or critical accessibility violations on the report pages", async () => {
    const p = await newPage({ bypassCSP: true });
    await p.goto(`${app.origin}/phan-anh`);
    expect(await p.locator(".figures-summary").textContent()).toContain("1");
    expect(await p.content()).not.toContain(code);
    const found: Record<string, unknown[]> = {};
    const check = async (label: string) => {
      await p.addScriptTag({ path: AXE });
      const violations = await p.evaluate(
        `axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations` +
          `.filter((v) => v.impact === "serious" || v.impact === "critical")` +
          `.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")) })))`,
      );
      if ((violations as unknown[]).length) found[label] = violations as unknown[];
    };
    await check("figures vi");
    await p.goto(`${app.origin}/en/phan-anh`);
    await check("figures en");
    await p.goto(`${app.origin}/bao-cao/${code}?t=${token}`);
    expect(await p.locator("main").textContent()).toContain("Đang xử lý");
    await check("status page");
    await p.goto(`${app.origin}/admin/login`);
    await p.getByLabel("Tên đăng nhập").fill(EDITOR.name);
    await p.getByLabel("Mật khẩu").fill(EDITOR.password);
    await p.getByRole("button", { name: "Đăng nhập" }).click();
    await p.waitForURL(`${app.origin}/admin`);
    await check("dashboard with the reports' figures");
    await p.goto(`${app.origin}/admin/reports`);
    await check("inbox");
    await p.goto(`${app.origin}/admin/reports/${code}`);
    await check("case page");
    expect(found, JSON.stringify(found, null, 2)).toEqual({});
  }, 60_000);
});

/**
 * The widget and the portal in a real browser (Debian's chromium through playwright-core): the real app on
 * an ephemeral port, and a second server playing a third-party site with hostile CSS that embeds the widget
 * with its one script tag. Chromium is required: without it the suite fails and says how to install it.
 */
import { createServer, type RequestListener, type Server } from "node:http";
import path from "node:path";
import { type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createAssistant, createMemoryStore, type Store } from "../bot/index.ts";
import { buildFromEntries, loadContent } from "../indexer/index.ts";
import { AXE, launchChromium, screenshotOnFailure } from "./testing/chromium.ts";
import { createApp, DEFAULT_APP_OPTIONS } from "./app.ts";
import { closeServer, listenLocal } from "./testing/servers.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const NOW = new Date("2026-11-21T03:00:00Z");
const SILENT = { info() {}, warn() {}, error() {} };

/** The widget's host element; Playwright's CSS selectors pierce its open shadow root. */
const W = "#chau-doc-widget";
const QUESTION = "Miếu Bà Chúa Xứ ở đâu?";
/** A question whose answer is longer than the widget's panel on a phone. */
const LONG_QUESTION = "Khách nước ngoài đến khách sạn thì khai báo tạm trú thế nào, hạn chót và mức phạt?";
const XSS = `<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>`;

/** A third-party page that tries hard to break anything embedded in it. */
function hostPage(appOrigin: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A hotel's website</title>
<style>
* { color: red !important; display: block; font-size: 31px !important; letter-spacing: 3px !important; }
head, title, style, script { display: none; }
button { display: none !important; }
div { display: none !important; position: absolute !important; }
a { color: red !important; }
</style></head>
<body><h1>Khách sạn Sông Hậu</h1><p><a href="#rooms">Our rooms</a></p><button type="button">Book</button>
<script src="${appOrigin}/widget.js" data-lang="vi" async></script></body></html>`;
}

describe.sequential("the widget and the portal in chromium", () => {
  let browser: Browser;
  let store: Store;
  let app: Server;
  let sites: Server[] = [];
  let appOrigin = "";
  let hostOrigin = "";
  let otherOrigin = "";
  let context: BrowserContext | undefined;
  let page: Page | undefined;

  beforeAll(async () => {
    const launching = launchChromium();
    const { entries, problems } = await loadContent(path.join(ROOT, "content"));
    expect(problems).toEqual([]);
    const { index } = await buildFromEntries(entries, "0".repeat(64));
    store = createMemoryStore();
    const clock = { now: () => NOW };
    const assistant = createAssistant({ index, store, clock });

    // The host pages: one origin that may use the widget, one that may not.
    const serveHostPage: RequestListener = (req, res) => {
      if (req.url !== "/") return void res.writeHead(404).end();
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(hostPage(appOrigin));
    };
    const site = createServer(serveHostPage);
    const other = createServer(serveHostPage);
    sites = [site, other];
    hostOrigin = await listenLocal(site);
    otherOrigin = await listenLocal(other);

    const live = { index, assistant };
    const express = createApp({
      live: () => live,
      store,
      log: SILENT,
      clock,
      options: { ...DEFAULT_APP_OPTIONS, widgetOrigins: [hostOrigin], rateLimitPerMinute: 1000 },
    });
    app = createServer(express);
    appOrigin = await listenLocal(app);
    expect((await fetch(`${appOrigin}/lodging`)).status).toBe(200);
    browser = await launching;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([app, ...sites].filter(Boolean).map((s) => closeServer(s)));
    await store?.close();
  });

  beforeEach(() => {
    page = undefined;
  });

  // Runs before the context closes (onTestFailed hooks run too late for a screenshot).
  afterEach(async (ctx) => {
    await screenshotOnFailure(ctx, page);
    await context?.close();
    context = undefined;
  });

  /** A fresh browser context (empty localStorage) showing the given page. */
  async function open(url: string, options: { bypassCSP?: boolean } = {}): Promise<Page> {
    context = await browser.newContext({ locale: "vi-VN", ...options });
    page = await context.newPage();
    await page.goto(url);
    return page;
  }

  async function openHost(url = `${hostOrigin}/`): Promise<Page> {
    const p = await open(url);
    await p.locator(`${W} .launcher`).waitFor();
    return p;
  }

  async function openWidget(p: Page): Promise<void> {
    await p.locator(`${W} .launcher`).click();
    await p.locator(`${W} textarea`).waitFor();
  }

  /** How many messages the conversation shows (the welcome and the "answering…" bubbles excluded). */
  function messageCount(p: Page): Promise<number> {
    return p.locator(`${W} .msg:not(.pending):not(.welcome)`).count();
  }

  /** Waits until the widget shows at least `count` messages and is no longer busy. */
  async function settled(p: Page, count: number): Promise<void> {
    await p.waitForFunction(
      `(() => { const r = document.querySelector("${W}")?.shadowRoot; return !!r && !r.querySelector(".log[aria-busy]") ` +
        `&& r.querySelectorAll(".msg:not(.pending):not(.welcome)").length >= ${count}; })()`,
      undefined,
      { timeout: 15_000 },
    );
  }

  /** Types a question into the open widget, sends it with Enter, and waits for the reply. */
  async function ask(p: Page, text: string): Promise<void> {
    const before = await messageCount(p);
    await p.locator(`${W} textarea`).fill(text);
    await p.locator(`${W} textarea`).press("Enter");
    await settled(p, before + 2);
  }

  function lastAnswer(p: Page) {
    return p.locator(`${W} .msg.bot:not(.pending):not(.welcome)`).last();
  }

  /** What the widget keeps in localStorage for this app. */
  async function saved(p: Page): Promise<{
    lang: string;
    conversationId: string;
    messages: { role: string; text?: string; answerId?: string }[];
  }> {
    return JSON.parse(
      (await p.evaluate(
        `localStorage.getItem(${JSON.stringify(`chau-doc-widget:v1:${appOrigin}`)})`,
      )) as string,
    );
  }

  /** The focused element inside the widget's shadow root: its id, or its class when it has no id. */
  function focused(p: Page): Promise<string | null> {
    return p.evaluate(
      `(() => { const a = document.activeElement; if (!a || a.id !== "chau-doc-widget") return null; ` +
        `const f = a.shadowRoot.activeElement; return f ? f.id || f.className : null; })()`,
    );
  }

  /** A computed style of the first element matching `selector` inside the widget's shadow root. */
  function style(p: Page, selector: string, property: string): Promise<string> {
    return p.evaluate(
      `getComputedStyle(document.getElementById("chau-doc-widget").shadowRoot.querySelector(${JSON.stringify(selector)}))` +
        `.getPropertyValue(${JSON.stringify(property)})`,
    );
  }

  it("opens with the keyboard, streams an answer with the address and an absolute source link, and closes with Escape", async () => {
    const p = await openHost();
    const asks: string[] = [];
    p.on("response", (r) => {
      if (r.url().endsWith("/api/ask")) asks.push(r.headers()["content-type"] ?? "");
    });
    // The host page's CSS hides every div and button of its own; the widget stays visible.
    expect(await p.locator("body > button").isVisible()).toBe(false);
    expect(await p.locator(`${W} .launcher`).isVisible()).toBe(true);

    for (let i = 0; i < 6 && (await focused(p)) !== "launcher"; i++) await p.keyboard.press("Tab");
    expect(await focused(p)).toBe("launcher");
    expect(await p.locator(`${W} .launcher`).getAttribute("aria-expanded")).toBe("false");
    await p.keyboard.press("Enter");
    expect(await p.locator(`${W} .panel`).isVisible()).toBe(true);
    expect(await p.locator(`${W} .launcher`).getAttribute("aria-expanded")).toBe("true");
    expect(await focused(p)).toBe("cdw-input");
    // Host CSS (red, 31px text) does not leak into the panel.
    const title = p.locator(`${W} h2`);
    expect(await title.textContent()).toBe("Trợ lý du lịch Châu Đốc");
    expect(await style(p, "h2", "color")).toBe("rgb(255, 255, 255)");
    expect(await style(p, "h2", "font-size")).toBe("16px");
    expect(await style(p, ".msg", "letter-spacing")).toBe("normal");

    await p.keyboard.type(QUESTION);
    await p.keyboard.press("Enter");
    await settled(p, 2);
    expect(asks[0]).toContain("text/event-stream");

    const answer = lastAnswer(p);
    expect(await answer.locator(".text").textContent()).toContain("Chân núi Sam, phường Vĩnh Tế");
    const source = answer.locator(".sources a");
    expect(await source.getAttribute("href")).toBe(`${appOrigin}/attractions/mieu-ba-chua-xu`);
    expect(await source.getAttribute("target")).toBe("_blank");
    expect(await source.getAttribute("rel")).toContain("noopener");
    expect(await answer.locator(".places a").first().getAttribute("href")).toMatch(
      /^https:\/\/www\.google\.com\/maps/,
    );
    // The place's page at its map, on the portal that serves the widget.
    expect(await answer.locator(".places a").nth(1).getAttribute("href")).toBe(
      `${appOrigin}/attractions/mieu-ba-chua-xu#place-map`,
    );
    await expect
      .poll(() => p.locator(`${W} [aria-live="polite"]`).textContent())
      .toContain("Chân núi Sam, phường Vĩnh Tế");

    await p.keyboard.press("Escape");
    expect(await p.locator(`${W} .panel`).isVisible()).toBe(false);
    expect(await focused(p)).toBe("launcher");
    await p.keyboard.press("Space");
    expect(await p.locator(`${W} .panel`).isVisible()).toBe(true);
    expect(await focused(p)).toBe("cdw-input");
  });

  it("asks a suggestion chip when clicked, and a thumbs-up stores the feedback", async () => {
    const p = await openHost();
    await openWidget(p);
    await ask(p, QUESTION);
    const chip = p.locator(`${W} .chip`, { hasText: "Mấy giờ mở cửa?" });
    await chip.click();
    await settled(p, 4);
    expect(await p.locator(`${W} .msg.user`).last().textContent()).toContain("Mấy giờ mở cửa?");
    expect(await lastAnswer(p).locator(".text").textContent()).toContain("Giờ mở cửa");

    await lastAnswer(p).getByRole("button", { name: "Câu trả lời hữu ích", exact: true }).click();
    await lastAnswer(p).locator(".feedback", { hasText: "Cảm ơn bạn đã góp ý!" }).waitFor();
    const answerId = (await saved(p)).messages.at(-1)?.answerId;
    expect(answerId).toBeTruthy();
    expect((await store.getInteraction(answerId as string))?.feedback).toMatchObject({ helpful: true });
    // The first answer got no feedback.
    const firstId = (await saved(p)).messages[1]?.answerId as string;
    expect((await store.getInteraction(firstId))?.feedback).toBeUndefined();
  });

  it("switches the interface to English, and the next answer is in English", async () => {
    const p = await openHost();
    await openWidget(p);
    const en = p.locator(`${W} .langs button[data-lang="en"]`);
    await en.click();
    expect(await en.getAttribute("aria-pressed")).toBe("true");
    expect(await p.locator(`${W} h2`).textContent()).toBe("Châu Đốc travel assistant");
    expect(await p.locator(`${W} textarea`).getAttribute("placeholder")).toBe(
      "Ask about sights, festivals, lodging…",
    );
    expect(await p.locator(`${W} .send`).textContent()).toBe("Send");
    expect(await p.locator(`${W} .launcher`).getAttribute("aria-label")).toBe(
      "Ask the Châu Đốc travel assistant",
    );
    expect(await p.locator(`${W} .welcome`).textContent()).toContain("Hello!");
    expect(await p.locator(`${W} label[for="cdw-input"]`).textContent()).toBe("Your question");

    await ask(p, QUESTION);
    const answer = lastAnswer(p);
    expect(await answer.getAttribute("lang")).toBe("en");
    expect(await answer.locator(".text").textContent()).toContain("Address: Foot of Sam Mountain");
    expect(await answer.locator(".label").textContent()).toBe("Sources");
    expect(await answer.getByRole("button", { name: "Helpful answer", exact: true }).count()).toBe(1);
  });

  it("shows a place's map link once: in the list of places, not also as a raw URL in the text", async () => {
    const p = await openHost();
    await openWidget(p);
    await ask(p, QUESTION);
    const answer = lastAnswer(p);
    // One Google Maps link, and one to the place's page at its map on the portal.
    expect(await answer.locator(".places a").count()).toBe(2);
    expect(await answer.locator(".places a").first().textContent()).toContain("Xem bản đồ: Miếu Bà Chúa Xứ");
    expect(await answer.locator('a[href^="https://www.google.com/maps"]').count()).toBe(1);
    expect(await answer.locator('.places a[href$="/attractions/mieu-ba-chua-xu#place-map"]').count()).toBe(1);
    const text = (await answer.locator(".text").textContent()) ?? "";
    expect(text).toContain("Chân núi Sam, phường Vĩnh Tế");
    expect(text).not.toContain("google.com/maps");
    expect(text).not.toContain("Bản đồ:");
    // The server's answer does carry the map line: the widget is what shows it once.
    expect((await saved(p)).messages.at(-1)?.text).toMatch(/Bản đồ: https:\/\/www\.google\.com\/maps/);
  });

  it("labels an English answer in English while the panel is still in Vietnamese", async () => {
    const p = await openHost();
    await openWidget(p);
    await ask(p, "Where is the Ba Chua Xu Temple?");
    const answer = lastAnswer(p);
    expect(await answer.getAttribute("lang")).toBe("en");
    // The panel stays Vietnamese: no language was chosen.
    expect(await p.locator(`${W} h2`).textContent()).toBe("Trợ lý du lịch Châu Đốc");
    expect(await answer.locator(".label").textContent()).toBe("Sources");
    expect(await answer.locator(".places a").first().textContent()).toContain("View on map:");
    expect(await answer.locator(".sr-only").first().textContent()).toBe("Assistant: ");
    expect(await answer.locator(".sources a .sr-only").first().textContent()).toBe(" (opens in a new tab)");
    expect(await answer.getByRole("button", { name: "Helpful answer", exact: true }).count()).toBe(1);
    expect(await answer.locator(".chips").getAttribute("aria-label")).toBe("Suggested questions");
    // And a Vietnamese answer after it is labelled in Vietnamese.
    await ask(p, QUESTION);
    expect(await lastAnswer(p).locator(".label").textContent()).toBe("Nguồn");
    expect(
      await lastAnswer(p).getByRole("button", { name: "Câu trả lời hữu ích", exact: true }).count(),
    ).toBe(1);
  });

  it("scrolls to the start of a new answer that is taller than the panel, not to its end", async () => {
    context = await browser.newContext({ locale: "vi-VN", viewport: { width: 390, height: 640 } });
    page = await context.newPage();
    const p = page;
    await p.goto(`${hostOrigin}/`);
    await p.locator(`${W} .launcher`).waitFor();
    await openWidget(p);
    await ask(p, QUESTION);
    await ask(p, LONG_QUESTION);
    const geometry = await p.evaluate(`(() => {
      const r = document.getElementById("chau-doc-widget").shadowRoot;
      const log = r.querySelector(".log");
      const answers = r.querySelectorAll(".msg.bot:not(.pending):not(.welcome)");
      const last = answers[answers.length - 1];
      return {
        offset: last.getBoundingClientRect().top - log.getBoundingClientRect().top,
        answerHeight: last.getBoundingClientRect().height,
        logHeight: log.clientHeight,
        fromEnd: log.scrollHeight - log.clientHeight - log.scrollTop,
      };
    })()`);
    const g = geometry as { offset: number; answerHeight: number; logHeight: number; fromEnd: number };
    // The answer is taller than the log, so the start and the end cannot both show.
    expect(g.answerHeight).toBeGreaterThan(g.logHeight);
    expect(g.offset).toBeGreaterThanOrEqual(0);
    expect(g.offset).toBeLessThanOrEqual(16);
    expect(g.fromEnd).toBeGreaterThan(50);
  });

  it("shows markup typed by the user as text and never runs it", async () => {
    const p = await openHost();
    await openWidget(p);
    await ask(p, XSS);
    expect(await p.locator(`${W} .msg.user .text`).last().textContent()).toBe(XSS);
    expect(await p.evaluate("typeof window.__xss")).toBe("undefined");
    expect(await p.locator(`${W} img`).count()).toBe(0);
    expect(
      await p.evaluate(
        `document.getElementById("chau-doc-widget").shadowRoot.querySelectorAll("script").length`,
      ),
    ).toBe(0);
    // Still not run after a reload renders the saved conversation again.
    await p.reload();
    await openWidget(p);
    expect(await p.locator(`${W} .msg.user .text`).last().textContent()).toBe(XSS);
    expect(await p.evaluate("typeof window.__xss")).toBe("undefined");
  });

  it("keeps the conversation across a reload, and the server still knows its context", async () => {
    const p = await openHost();
    await openWidget(p);
    await ask(p, QUESTION);
    const before = await saved(p);
    expect(before.messages.map((m) => m.role)).toEqual(["user", "bot"]);

    await p.reload();
    await openWidget(p);
    expect(await p.locator(`${W} .msg.user .text`).first().textContent()).toBe(QUESTION);
    expect(await lastAnswer(p).locator(".text").textContent()).toContain("Chân núi Sam");
    expect((await saved(p)).conversationId).toBe(before.conversationId);
    // A follow-up works only if the same conversation id reached the server after the reload.
    await ask(p, "Mấy giờ mở cửa?");
    const followUp = await lastAnswer(p).locator(".text").textContent();
    expect(followUp).toContain("Miếu Bà Chúa Xứ Núi Sam");
    expect(followUp).toContain("Giờ mở cửa");
  });

  it("shows an error message, not an answer, on a site outside WIDGET_ORIGINS", async () => {
    const refused = await fetch(`${appOrigin}/api/ask`, {
      method: "POST",
      headers: { Origin: otherOrigin, "Content-Type": "application/json" },
      body: JSON.stringify({ message: QUESTION }),
    });
    expect(refused.status).toBe(403);

    const p = await openHost(`${otherOrigin}/`);
    await openWidget(p);
    await ask(p, QUESTION);
    const error = p.locator(`${W} .msg.error`);
    expect(await error.count()).toBe(1);
    expect(await error.textContent()).toBe(
      "Không kết nối được với trợ lý. Vui lòng kiểm tra mạng và thử lại sau.",
    );
    expect(await p.locator(`${W} .msg.bot:not(.welcome)`).count()).toBe(0);
  });

  it("falls back to JSON when the stream breaks, and explains a 429 in the current language", async () => {
    const p = await openHost();
    const accepts: string[] = [];
    let rateLimited = false;
    await p.route("**/api/ask", async (route) => {
      const accept = route.request().headers()["accept"] ?? "";
      accepts.push(accept);
      if (rateLimited)
        return route.fulfill({
          status: 429,
          contentType: "application/json",
          headers: { "Access-Control-Allow-Origin": hostOrigin },
          body: JSON.stringify({ error: { code: "rate_limited", message: "too many requests" } }),
        });
      if (accept.includes("text/event-stream")) return route.abort("connectionreset");
      return route.continue();
    });
    await openWidget(p);
    await ask(p, QUESTION);
    expect(accepts).toEqual(["text/event-stream", "application/json"]);
    expect(await lastAnswer(p).locator(".text").textContent()).toContain("Chân núi Sam");

    rateLimited = true;
    await p.locator(`${W} .langs button[data-lang="en"]`).click();
    await ask(p, QUESTION);
    expect(await p.locator(`${W} .msg.error`).last().textContent()).toBe(
      "You are asking a little fast. Please wait a moment and try again.",
    );
  });

  it("has no serious or critical accessibility violations in the open widget", async () => {
    const p = await openHost();
    await openWidget(p);
    await ask(p, QUESTION);
    await p.addScriptTag({ path: AXE });
    expect(await axeViolations(p, `document.getElementById("chau-doc-widget")`)).toEqual([]);
  });

  it("works on the portal's own pages, under the portal's Content-Security-Policy", async () => {
    const p = await open(`${appOrigin}/`);
    const violations: string[] = [];
    p.on("console", (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await p.locator(`${W} .launcher`).waitFor();
    expect(await style(p, ".launcher", "background-color")).toBe("rgb(11, 93, 59)");
    await openWidget(p);
    await ask(p, QUESTION);
    expect(await lastAnswer(p).locator(".sources a").getAttribute("href")).toBe(
      `${appOrigin}/attractions/mieu-ba-chua-xu`,
    );
    expect(violations).toEqual([]);
  });

  it("works out a lodging deadline with the portal's calculator form", async () => {
    const p = await open(`${appOrigin}/lodging`);
    await p.getByLabel("Người nước ngoài").check();
    await p.locator("#time").fill("22:00");
    await p.getByLabel("Phiếu giấy").check();
    await p.locator("form.calculator [type=submit]").click();
    await p.waitForURL(/\/lodging\?/);
    const result = p.locator(".result");
    expect(await result.textContent()).toContain("10:00");
  });

  it("has no serious or critical accessibility violations on the portal's main pages", async () => {
    const found: Record<string, unknown[]> = {};
    // The portal's CSP forbids injected scripts; only this context bypasses it, to load axe.
    const p = await open("about:blank", { bypassCSP: true });
    for (const pathname of ["/", "/attractions/mieu-ba-chua-xu", "/events", "/lodging", "/practical"]) {
      expect((await p.goto(`${appOrigin}${pathname}`))?.status(), pathname).toBe(200);
      await p.locator(`${W} .launcher`).waitFor();
      await p.addScriptTag({ path: AXE });
      const violations = await axeViolations(p, "document");
      if (violations.length) found[pathname] = violations;
    }
    expect(found).toEqual({});
  });
});

/** axe-core's serious and critical violations in `scope` (a JS expression), with the nodes they hit. */
async function axeViolations(page: Page, scope: string): Promise<unknown[]> {
  return page.evaluate(
    `axe.run(${scope}, { resultTypes: ["violations"] }).then((r) => r.violations` +
      `.filter((v) => v.impact === "serious" || v.impact === "critical")` +
      `.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")) })))`,
  );
}

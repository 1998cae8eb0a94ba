/**
 * The portal's pages in a real browser (Debian's chromium through playwright-core), on a copy of the real
 * content with one fixture picture of our own making: pictures with their credit, maps from a local tile
 * server and without any, itineraries, the calculator on a phone, and axe on every page type.
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import os from "node:os";
import path from "node:path";
import { type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createAssistant, createMemoryStore } from "../bot/index.ts";
import { buildFromEntries, loadContent, type KnowledgeIndex } from "../indexer/index.ts";
import { createApp, DEFAULT_APP_OPTIONS, type AppOptions } from "./app.ts";
import { AXE, launchChromium, screenshotOnFailure } from "./testing/chromium.ts";
import { closeServer, listenLocal } from "./testing/servers.ts";
import { solidPng } from "./testing/solid-png.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const NOW = new Date("2026-12-01T03:00:00Z");
const SILENT = { info() {}, warn() {}, error() {} };

/** An image element's natural width once it has loaded, else 0 (run in the page). */
function naturalWidth(element: unknown): number {
  const img = element as { complete: boolean; naturalWidth: number };
  return img.complete ? img.naturalWidth : 0;
}

const FIXTURE_IMAGE = `images:
  - file: images/test-nui-sam.png
    alt: { vi: Ảnh thử nghiệm một màu xanh, en: A plain green test picture }
    author: Châu Đốc portal tests
    licence: CC0 1.0
    sourceUrl: https://example.org/test-picture
`;

describe.sequential("the portal in chromium", () => {
  let browser: Browser;
  let index: KnowledgeIndex;
  let content = "";
  const servers: Server[] = [];
  let context: BrowserContext | undefined;
  let page: Page | undefined;

  async function serve(options: Partial<AppOptions> = {}): Promise<string> {
    const store = createMemoryStore();
    const clock = { now: () => NOW };
    const live = { index, assistant: createAssistant({ index, store, clock }) };
    const app = createApp({
      live: () => live,
      store,
      log: SILENT,
      clock,
      options: {
        ...DEFAULT_APP_OPTIONS,
        rateLimitPerMinute: 1000,
        contentImagesDir: path.join(content, "images"),
        ...options,
      },
    });
    const server = createServer(app);
    servers.push(server);
    return listenLocal(server);
  }

  async function open(
    url: string,
    viewport = { width: 1366, height: 900 },
    bypassCSP = false,
  ): Promise<Page> {
    context = await browser.newContext({ viewport, locale: "vi-VN", bypassCSP });
    page = await context.newPage();
    await page.goto(url);
    return page;
  }

  beforeAll(async () => {
    const launching = launchChromium();
    content = await mkdtemp(path.join(os.tmpdir(), "chau-doc-portal-"));
    await cp(path.join(ROOT, "content"), content, { recursive: true });
    await mkdir(path.join(content, "images"), { recursive: true });
    await writeFile(path.join(content, "images/test-nui-sam.png"), solidPng(64, 36, [47, 111, 78]));
    const file = path.join(content, "attractions/nui-sam.md");
    const text = await readFile(file, "utf8");
    await writeFile(file, text.replace(/^lastVerified:/m, `${FIXTURE_IMAGE}lastVerified:`));
    const { entries, problems } = await loadContent(content);
    expect(problems).toEqual([]);
    ({ index } = await buildFromEntries(entries, "0".repeat(64)));
    browser = await launching;
  }, 60_000);

  afterEach(async (ctx) => {
    await screenshotOnFailure(ctx, page);
    await context?.close();
    context = undefined;
    page = undefined;
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all(servers.map(closeServer));
    await rm(content, { recursive: true, force: true });
  });

  it("shows a place's picture with its credit, and a designed placeholder where there is none", async () => {
    const origin = await serve();
    const p = await open(`${origin}/attractions/nui-sam`);
    const hero = p.locator("figure.hero");
    const img = hero.locator("img");
    await expect.poll(() => img.evaluate(naturalWidth)).toBe(64);
    expect(await img.getAttribute("alt")).toBe("Ảnh thử nghiệm một màu xanh");
    const credit = (await hero.locator("figcaption").textContent())?.replace(/\s+/g, " ");
    expect(credit).toContain("Ảnh: Châu Đốc portal tests · CC0 1.0 · nguồn ảnh");
    expect(await hero.locator("figcaption a").getAttribute("href")).toBe("https://example.org/test-picture");

    await p.goto(`${origin}/en/attractions/nui-sam`);
    expect(await p.locator("figure.hero img").getAttribute("alt")).toBe("A plain green test picture");
    expect(await p.locator("figure.hero figcaption").textContent()).toContain("Photo:");

    await p.goto(`${origin}/attractions/chua-hang`);
    expect(await p.locator("figure.hero").count()).toBe(0);
    const placeholder = p.locator(".hero-placeholder img");
    await expect.poll(() => placeholder.evaluate(naturalWidth)).toBeGreaterThan(0);
    expect(await placeholder.getAttribute("alt")).toBe("");
  });

  it("draws every place with coordinates on the attractions map, over tiles from a local tile server", async () => {
    const tile = solidPng(256, 256, [220, 235, 225]);
    let tileRequests = 0;
    const tileServer = createServer((req, res) => {
      if (!/^\/\d+\/\d+\/\d+\.png$/.test(req.url ?? "")) return void res.writeHead(404).end();
      tileRequests++;
      res.writeHead(200, { "Content-Type": "image/png" }).end(tile);
    });
    servers.push(tileServer);
    const tiles = await listenLocal(tileServer);
    const origin = await serve({ map: { tileUrl: `${tiles}/{z}/{x}/{y}.png`, attribution: "Test tiles" } });
    const p = await open(`${origin}/attractions`);
    const withCoordinates = index
      .list("attraction")
      .filter((e) => e.type === "attraction" && e.place.coordinates !== null).length;
    expect(withCoordinates).toBeGreaterThan(5);
    const map = p.locator("#places-map");
    await expect.poll(() => map.locator(".leaflet-tile-loaded").count()).toBeGreaterThan(0);
    expect(await map.locator("path.leaflet-interactive").count()).toBe(withCoordinates);
    expect(await map.locator(".leaflet-control-attribution").textContent()).toContain("Test tiles");
    expect(tileRequests).toBeGreaterThan(0);
    expect(await p.locator(".map-offline").isHidden()).toBe(true);
    // A marker opens a popup linking to the place's page.
    await map.locator("path.leaflet-interactive").first().click({ force: true });
    expect(await map.locator(".leaflet-popup-content a").getAttribute("href")).toMatch(/^\/attractions\//);

    // The place page has its own small map with one marker.
    await p.goto(`${origin}/attractions/mieu-ba-chua-xu`);
    await expect.poll(() => p.locator("#place-map path.leaflet-interactive").count()).toBe(1);
  });

  it("without tiles keeps the markers, the list and the map links, and says the map is offline", async () => {
    const closed = createServer();
    const dead = await listenLocal(closed);
    await closeServer(closed); // nothing listens there any more: every tile fails
    const origin = await serve({ map: { tileUrl: `${dead}/{z}/{x}/{y}.png`, attribution: "Test tiles" } });
    const p = await open(`${origin}/attractions`);
    const notice = p.locator(".map-offline");
    await expect.poll(() => notice.isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await notice.textContent()).toContain("Bản đồ nền không tải được");
    expect(await p.locator("#places-map .leaflet-tile-loaded").count()).toBe(0);
    expect(await p.locator("#places-map path.leaflet-interactive").count()).toBeGreaterThan(5);
    const links = p.locator(".map-places li").first().locator("a");
    expect(await links.nth(1).getAttribute("href")).toMatch(/^https:\/\/www\.google\.com\/maps\//);
    expect(await links.nth(2).getAttribute("href")).toMatch(/^https:\/\/www\.openstreetmap\.org\//);
  });

  it("lists an itinerary's stops in order, numbered, and draws them on the map as a route", async () => {
    const origin = await serve();
    const p = await open(`${origin}/itineraries/mot-ngay-nui-sam`, { width: 390, height: 844 });
    const entry = index.get("mot-ngay-nui-sam");
    if (entry?.type !== "itinerary") throw new Error("no itinerary mot-ngay-nui-sam");
    const expected = entry.itinerary.stops.map(
      (s, i) => `${i + 1} ${index.get(s.place ?? "")?.title.vi ?? ""}`,
    );
    const shown = await p.locator("ol.stops li.stop h3").allTextContents();
    expect(shown.map((s) => s.replace(/\s+/g, " ").trim())).toEqual(expected);
    await expect.poll(() => p.locator("#route-map .map-stop").count()).toBe(expected.length);
    expect(await p.locator("#route-map .map-stop").allTextContents()).toEqual(
      expected.map((_, i) => String(i + 1)),
    );
    // The home page lists the itineraries.
    await p.goto(`${origin}/`);
    expect(await p.locator(`.itineraries a[href="/itineraries/mot-ngay-nui-sam"]`).count()).toBe(1);
    expect(await p.locator(".itineraries li").count()).toBe(4);
  });

  it("shows the deadline calculator's result in the viewport after submitting on a phone", async () => {
    const origin = await serve();
    const viewport = { width: 390, height: 844 };
    const p = await open(`${origin}/lodging`, viewport);
    await p.getByLabel("Người nước ngoài").check();
    await p.locator("#time").fill("22:00");
    await p.getByLabel("Phiếu giấy").check();
    await p.locator("form.calculator [type=submit]").click();
    await p.waitForURL(/\/lodging\?.*#result$/);
    const result = p.locator("section#result");
    expect(await result.textContent()).toContain("10:00");
    // The form is taller than the window, so without the anchor the result would be below the fold.
    await expect.poll(() => p.evaluate("window.scrollY")).toBeGreaterThan(0);
    const box = await result.locator("h3").boundingBox();
    if (!box) throw new Error("the result has no box");
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(viewport.height);
    const top = await result.boundingBox();
    expect(top?.y ?? -1).toBeGreaterThanOrEqual(0);
    expect(top?.y ?? viewport.height).toBeLessThan(viewport.height / 2);

    // With a missing time the visitor lands on the form and its message, not the top of the page.
    await p.goto(`${origin}/lodging?guest=vn&time=#result`);
    const error = p.locator("#time-error");
    expect(await error.isVisible()).toBe(true);
    const errorBox = await error.boundingBox();
    expect(errorBox && errorBox.y >= 0 && errorBox.y + errorBox.height <= viewport.height).toBe(true);
  });

  it("has no serious or critical accessibility violations on every page type", async () => {
    const origin = await serve();
    // The portal's CSP forbids injected scripts; only this context bypasses it, to load axe.
    const p = await open(`${origin}/`, undefined, true);
    const pages = [
      "/",
      "/attractions",
      "/attractions/nui-sam",
      "/events",
      "/events/via-ba-chua-xu",
      "/lodging",
      "/lodging/thong-bao-luu-tru",
      "/practical",
      "/practical/cua-khau-bien-gioi",
      "/search?q=n%C3%BAi%20Sam",
      "/khong-co-trang-nay",
      "/en/attractions/nui-cam",
      "/itineraries",
      "/itineraries/hai-ngay-nui-sam-tra-su-nui-cam",
      "/en/itineraries/mot-ngay-tren-song",
    ];
    for (const url of pages) {
      await p.goto(`${origin}${url}`);
      await p.addScriptTag({ path: AXE });
      const violations = await p.evaluate(`(async () => {
        const result = await window.axe.run({ resultTypes: ["violations"] });
        return result.violations
          .filter((v) => v.impact === "serious" || v.impact === "critical")
          .map((v) => v.id);
      })()`);
      expect(violations, url).toEqual([]);
    }
  }, 60_000);
});

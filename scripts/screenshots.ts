/**
 * `npm run screenshots`: the README's pictures of the portal, made by the project's Chromium rather than
 * by hand. The app runs in-process on 127.0.0.1 on the real content; Chromium (playwright-core, Debian's
 * /usr/bin/chromium or CHROMIUM_PATH) opens the home page, a place page and an itinerary at phone size
 * (390×844) and desktop size (1366×900) and writes docs/screenshots/<page>-<size>.png.
 *
 * Nothing leaves the machine: the map tiles come from a local stub (plain tiles of one colour, so the
 * pictures show the markers and the route, not a real map), and the browser refuses every request to
 * another host.
 */
import { mkdir, stat } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { chromium } from "playwright-core";
import { createAssistant, createMemoryStore } from "../bot/index.ts";
import { buildFromEntries, loadContent } from "../indexer/index.ts";
import { createApp, DEFAULT_APP_OPTIONS } from "../web/app.ts";
import { solidPng } from "../web/testing/solid-png.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const OUT = path.join(ROOT, "docs", "screenshots");
const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-sync",
];
const SILENT = { info() {}, warn() {}, error() {} };

const PAGES = [
  { name: "home", path: "/" },
  { name: "place", path: "/attractions/mieu-ba-chua-xu" },
  { name: "itinerary", path: "/itineraries/mot-ngay-nui-sam" },
];
const SIZES = [
  { name: "phone", width: 390, height: 844 },
  { name: "desktop", width: 1366, height: 900 },
];
/** The README's pictures should stay small; a larger one is reported (and fails the script). */
const MAX_BYTES = 150 * 1024;

function listen(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    );
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

async function main(): Promise<void> {
  const { entries, problems } = await loadContent(path.join(ROOT, "content"));
  if (problems.length)
    throw new Error(`the content has ${problems.length} problem(s): run npm run content:check`);
  const { index } = await buildFromEntries(entries, "0".repeat(64));
  const store = createMemoryStore();
  const clock = { now: () => new Date() };
  const live = { index, assistant: createAssistant({ index, store, clock }) };

  const tile = solidPng(256, 256, [226, 236, 229]);
  const tiles = createServer((req, res) => {
    if (!/^\/\d+\/\d+\/\d+\.png$/.test(req.url ?? "")) return void res.writeHead(404).end();
    res.writeHead(200, { "Content-Type": "image/png" }).end(tile);
  });
  const tileOrigin = await listen(tiles);
  const app = createServer(
    createApp({
      live: () => live,
      store,
      log: SILENT,
      clock,
      options: {
        ...DEFAULT_APP_OPTIONS,
        contentImagesDir: path.join(ROOT, "content", "images"),
        map: { tileUrl: `${tileOrigin}/{z}/{x}/{y}.png`, attribution: "Map tiles: offline stub" },
      },
    }),
  );
  const origin = await listen(app);

  await mkdir(OUT, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  const tooLarge: string[] = [];
  try {
    for (const size of SIZES) {
      const context = await browser.newContext({
        viewport: { width: size.width, height: size.height },
        deviceScaleFactor: 1,
        locale: "vi-VN",
        reducedMotion: "reduce",
      });
      // Only the two local servers are reachable.
      await context.route(/.*/, (route) => {
        const url = route.request().url();
        return url.startsWith(origin) || url.startsWith(tileOrigin) || url.startsWith("data:")
          ? route.continue()
          : route.abort();
      });
      const page = await context.newPage();
      for (const p of PAGES) {
        await page.goto(`${origin}${p.path}`, { waitUntil: "networkidle" });
        await page.locator("#chau-doc-widget").waitFor({ state: "attached" });
        const file = path.join(OUT, `${p.name}-${size.name}.png`);
        await page.screenshot({ path: file, animations: "disabled" });
        const bytes = (await stat(file)).size;
        console.log(`${path.relative(ROOT, file)}: ${Math.round(bytes / 1024)} KB`);
        if (bytes > MAX_BYTES) tooLarge.push(path.relative(ROOT, file));
      }
      await context.close();
    }
  } finally {
    await browser.close();
    await Promise.all([close(app), close(tiles)]);
    await store.close();
  }
  if (tooLarge.length) throw new Error(`larger than ${MAX_BYTES / 1024} KB: ${tooLarge.join(", ")}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});

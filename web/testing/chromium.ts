import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";

/**
 * What the browser test files share: Debian's Chromium driven by playwright-core (nothing downloads a
 * browser), started with the flags this closed network needs, and a screenshot of a failed test.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const ROOT = path.resolve(import.meta.dirname, "..", "..");
const RESULTS = path.join(ROOT, "test-results");

/** axe-core's browser build, injected with page.addScriptTag({ path }). */
export const AXE = path.join(ROOT, "node_modules", "axe-core", "axe.min.js");

/** Launches Chromium; fails (never skips) with how to install it when it is missing. */
export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `the browser tests need Chromium at ${CHROMIUM}: install Debian's chromium ` +
        `(sudo apt-get install -y chromium; .ci/run does it) or set CHROMIUM_PATH to a Chromium binary`,
    );
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

/**
 * Saves test-results/<test name>.png when the test failed. Call it from afterEach, before the context
 * closes (onTestFailed hooks run too late for a screenshot).
 */
export async function screenshotOnFailure(
  ctx: { task: { name: string; result?: { state?: string } } },
  page: Page | undefined,
): Promise<void> {
  if (ctx.task.result?.state !== "fail" || !page || page.isClosed()) return;
  await mkdir(RESULTS, { recursive: true });
  const name = ctx.task.name.replace(/[^\p{L}\p{N}]+/gu, "-").replace(/^-|-$/g, "");
  await page.screenshot({ path: path.join(RESULTS, `${name}.png`), fullPage: true }).catch(() => {});
}

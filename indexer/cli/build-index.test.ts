import { cp, mkdtemp, rename, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { currentManifest } from "../open.ts";
import { FIXTURE_CONTENT, keepFourFixtureEntries } from "../testing/fixture-content.ts";
import { runScript } from "../testing/run-script.ts";
import { openFreshIndex } from "./fresh-index.ts";

/**
 * `npm run index` run as npm runs it (from the project root, on CONTENT_DIR and INDEX_DIR), and the
 * start-up's openFreshIndex, against a content folder that went away or lost most of its entries.
 */

const runIndex = (env: { CONTENT_DIR: string; INDEX_DIR: string }, ...args: string[]) =>
  runScript("indexer/cli/build-index.ts", args, { ...process.env, ...env, EMBEDDER: "lsi", NO_COLOR: "1" });

let tmp = "";
let content = "";
let indexDir = "";
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "chau-doc-index-cli-"));
  content = path.join(tmp, "content");
  indexDir = path.join(tmp, "index");
  await cp(FIXTURE_CONTENT, content, { recursive: true });
  expect((await runIndex({ CONTENT_DIR: content, INDEX_DIR: indexDir })).code).toBe(0);
});
afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe("npm run index", () => {
  it("with the content folder gone: a clear message, exit 1, the live index kept", async () => {
    const before = await currentManifest(indexDir);
    await rename(content, `${content}.away`);
    try {
      const run = await runIndex({ CONTENT_DIR: content, INDEX_DIR: indexDir }, "--force");
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`the content folder ${content} is missing`);
      expect(run.stderr).toMatch(/live index stays/);
      expect(run.stderr).not.toMatch(/^\s+at /m);
      expect((await currentManifest(indexDir))?.version).toBe(before?.version);
    } finally {
      await rename(`${content}.away`, content);
    }
  });

  it("with most entries gone: refused with exit 1 until --allow-shrink confirms it", async () => {
    const small = path.join(tmp, "small");
    await cp(FIXTURE_CONTENT, small, { recursive: true });
    await keepFourFixtureEntries(small);
    const before = await currentManifest(indexDir);
    const refused = await runIndex({ CONTENT_DIR: small, INDEX_DIR: indexDir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/would drop 5 of the 9 entries/);
    expect(refused.stderr).toContain("--allow-shrink");
    expect((await currentManifest(indexDir))?.version).toBe(before?.version);

    const confirmed = await runIndex({ CONTENT_DIR: small, INDEX_DIR: indexDir }, "--allow-shrink");
    expect(confirmed.code, confirmed.stderr).toBe(0);
    expect((await currentManifest(indexDir))?.counts.entries).toBe(4);
  });
});

describe("openFreshIndex (npm start)", () => {
  it("serves the live index, saying why, when the content folder is gone; fails when there is none", async () => {
    const dir = path.join(tmp, "start");
    const live = path.join(dir, "index");
    await cp(FIXTURE_CONTENT, path.join(dir, "content"), { recursive: true });
    const config = { contentDir: path.join(dir, "content"), indexDir: live };
    const built = await openFreshIndex(config);
    await rm(config.contentDir, { recursive: true });
    const warnings: string[] = [];
    const opened = await openFreshIndex(config, { warn: (m) => void warnings.push(m) });
    expect(opened.manifest.version).toBe(built.manifest.version);
    expect(warnings.join("\n")).toMatch(/content folder .* is missing[\s\S]*serving the live index/);
    await expect(openFreshIndex({ ...config, indexDir: path.join(dir, "none") })).rejects.toMatchObject({
      code: "content_missing",
    });
  });
});

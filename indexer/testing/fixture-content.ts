import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { PROJECT_ROOT } from "./run-script.ts";

/** The assistant's small fixture knowledge base: 9 entries of every type. */
export const FIXTURE_CONTENT = path.join(PROJECT_ROOT, "bot/assistant/fixtures/content");

/**
 * Leaves 4 of the 9 entries of the assistant's fixture content (bot/assistant/fixtures/content) in a
 * copy of it: 5 dropped, more than half, and what is left still valid content.
 */
export async function keepFourFixtureEntries(contentDir: string): Promise<void> {
  for (const rel of [
    "attractions/dinh-loc-tho.md",
    "attractions/vuon-co-tan-hoa.md",
    "events/le-hoi-den-hoa-ngoc-lan.md",
    "events/le-hoi-phum-soc.md",
    "practical/dac-san-am-thuc.md",
  ])
    await rm(path.join(contentDir, rel));
  const kept = path.join(contentDir, "attractions/chua-ngoc-lan.md");
  await writeFile(kept, (await readFile(kept, "utf8")).replace(/^related: \[.*\]$/m, "related: []"));
}

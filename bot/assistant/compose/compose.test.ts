import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildFromEntries, loadContent, type ContentEntry } from "../../../indexer/index.ts";
import { createAssistant, type Assistant } from "../assistant.ts";

/**
 * What composition writes, over the real content: every entry asked in both languages in a few ways,
 * and no answer shows a value that was never turned into words ("[object Object]", "undefined", "NaN").
 */

let entries: ContentEntry[];
let assistant: Assistant;
beforeAll(async () => {
  const loaded = await loadContent(path.resolve(import.meta.dirname, "../../../content"));
  entries = loaded.entries;
  const { index } = await buildFromEntries(entries, "0".repeat(64));
  const now = new Date("2026-12-01T10:00:00+07:00");
  assistant = createAssistant({ index, clock: { now: () => now } });
});

const UNWRITTEN = /\[object Object\]|\bundefined\b|\bNaN\b|\bnull\b/;

describe("composed answers", () => {
  it("write every value as words, for every entry and a few ways of asking", async () => {
    const asks = (title: string) => [
      `${title}`,
      `${title} năm 2024 ở đâu, ngày nào`,
      `${title} các năm trước`,
      `${title} giá vé bao nhiêu, mấy giờ mở cửa`,
      `${title} when, where and how much`,
    ];
    let checked = 0;
    for (const e of entries) {
      for (const text of [...asks(e.title.vi), ...asks(e.title.en)]) {
        const a = await assistant.ask({ text, conversationId: `${e.id}:${text}` });
        expect(a.answer, `${e.id}: ${text}`).not.toMatch(UNWRITTEN);
        expect(a.answer.trim().length, `${e.id}: ${text}`).toBeGreaterThan(0);
        checked++;
      }
    }
    expect(checked).toBe(entries.length * 10);
  });
});

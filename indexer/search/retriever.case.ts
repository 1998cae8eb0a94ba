import { describe, expect, it } from "vitest";
import type { KnowledgeIndex, SearchMode } from "../knowledge-index.ts";

/**
 * The behaviour every retrieval mode must have, run against each (lexical, vector, hybrid) on the real
 * content. Questions are paraphrases, not titles, so a mode passes only if it actually retrieves.
 */
export function retrieverContract(mode: SearchMode, getIndex: () => KnowledgeIndex): void {
  describe(`retriever contract: ${mode}`, () => {
    const search = (q: string, o: Parameters<KnowledgeIndex["search"]>[1] = {}) =>
      getIndex().search(q, { ...o, mode });

    it("returns at most k hits, each entry once, best first", async () => {
      const hits = await search("chùa núi Sam", { k: 4 });
      expect(hits.length).toBeGreaterThan(0);
      expect(hits.length).toBeLessThanOrEqual(4);
      expect(new Set(hits.map((h) => h.id)).size).toBe(hits.length);
      for (let i = 1; i < hits.length; i++) expect(hits[i - 1]!.score).toBeGreaterThanOrEqual(hits[i]!.score);
    });

    it("finds a place by its Vietnamese name typed without diacritics", async () => {
      const hits = await search("mieu ba chua xu o dau", { k: 3 });
      expect(hits.map((h) => h.id)).toContain("mieu-ba-chua-xu");
    });

    it("finds the lodging rule for foreign guests from an English question", async () => {
      const hits = await search("how must a homestay declare foreign guests to the police", { k: 3 });
      expect(hits.map((h) => h.id)).toContain("khai-bao-tam-tru-nguoi-nuoc-ngoai");
    });

    it("keeps only the requested type", async () => {
      const hits = await search("núi Sam", { k: 10, type: "event" });
      expect(hits.length).toBeGreaterThan(0);
      expect(hits.every((h) => h.type === "event")).toBe(true);
    });

    it("gives titles and passages in the requested language", async () => {
      const [vi] = await search("Sam Mountain", { k: 1, lang: "vi" });
      const [en] = await search("Sam Mountain", { k: 1, lang: "en" });
      expect(vi?.id).toBe(en?.id);
      expect(vi?.title).not.toBe(en?.title);
      expect(en?.passage.lang).toBe("en");
      expect(vi?.passage.lang).toBe("vi");
    });

    it("returns nothing for a query with no known word", async () => {
      expect(await search("qwxz vbnm")).toEqual([]);
    });
  });
}

import { describe, expect, it } from "vitest";
import type { Embedder } from "./embedder.ts";

/** What every Embedder must do; run against the built-in LSI and the OpenAI-compatible client. */
export function embedderContract(name: string, getEmbedder: () => Embedder): void {
  describe(`embedder contract: ${name}`, () => {
    it("returns one unit-length vector per text, in input order, of the declared size", async () => {
      const e = getEmbedder();
      const texts = ["Miếu Bà Chúa Xứ núi Sam", "foreign guests temporary residence", "mắm thái Châu Đốc"];
      const vectors = await e.embed(texts);
      expect(vectors).toHaveLength(3);
      for (const v of vectors) {
        expect(v.length).toBe(e.dimensions);
        expect(Math.hypot(...v)).toBeCloseTo(1, 5);
      }
      const again = await e.embed([texts[2]!, texts[0]!]);
      expect(Array.from(again[0]!)).toEqual(Array.from(vectors[2]!));
      expect(Array.from(again[1]!)).toEqual(Array.from(vectors[0]!));
      expect(Array.from(vectors[0]!)).not.toEqual(Array.from(vectors[1]!));
    });

    it("embeds an empty batch as nothing", async () => {
      expect(await getEmbedder().embed([])).toEqual([]);
    });
  });
}

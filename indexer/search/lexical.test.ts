import { describe, expect, it } from "vitest";
import { GroupHits, LexicalIndex, TopK, withinOneEdit } from "./lexical.ts";

const docs = [
  "Miếu Bà Chúa Xứ ở chân núi Sam, Châu Đốc.", // 0
  "Thông báo lưu trú cho khách trước 23 giờ.", // 1
  "Lưu ý: khách tạm trú phải mang giấy tờ.", // 2 shares both words of "lưu trú", not the phrase
  "Châu Phong có thánh đường; Đốc Vàng là một địa danh khác.", // 3 shares "Châu" and "Đốc" apart
  "Chùa Tây An, a pagoda with Indian-style domes.", // 4
  "Lăng Thoại Ngọc Hầu, the tomb opposite the temple.", // 5
  "Làng Chăm Châu Giang, a Cham village across the river.", // 6
];
const index = LexicalIndex.build(docs.map((text) => ({ fields: [{ text, weight: 1 }] })));
const top = (q: string) => index.search(q)[0]?.doc;
const ranking = (q: string) => index.search(q).map((h) => h.doc);

describe("LexicalIndex", () => {
  it("matches Vietnamese typed with or without diacritics, đ included", () => {
    expect(top("Miếu Bà Chúa Xứ")).toBe(0);
    expect(top("mieu ba chua xu")).toBe(0);
    expect(top("MIEU BA CHUA XU")).toBe(0);
  });

  it("ranks the two-syllable phrase above documents that only share its syllables", () => {
    expect(ranking("luu tru").slice(0, 2)).toEqual([1, 2]);
    const chauDoc = index.search("chau doc");
    expect(chauDoc[0]?.doc).toBe(0);
    const distractor = chauDoc.find((h) => h.doc === 3);
    expect(distractor && chauDoc[0] && chauDoc[0].score > distractor.score * 1.5).toBe(true);
  });

  it("expands synonyms across languages: pagoda finds chùa, village finds làng, tomb finds lăng", () => {
    expect(top("chùa")).toBe(4);
    expect(top("village")).toBe(6);
    expect(top("lăng")).toBe(5);
    // Typed with diacritics, "làng" (village) is not "lăng" (tomb).
    expect(top("làng")).toBe(6);
  });

  it("tolerates one typo in longer words, and a doubled letter in short ones", () => {
    expect(top("thong bao luu truu")).toBe(1);
    expect(top("paogda")).toBe(4);
    expect(top("mieu ba chua xuu")).toBe(0);
    expect(index.correct("pagdoa")).toContain("pagoda");
    expect(index.correct("xyzzy")).toEqual([]);
  });

  it("returns nothing for words it has never seen, and each document once", () => {
    expect(index.search("qqqq zzzz")).toEqual([]);
    const hits = index.search("chau doc chau doc");
    expect(new Set(hits.map((h) => h.doc)).size).toBe(hits.length);
  });

  it("filters documents with accept()", () => {
    expect(index.search("chau", (d) => d !== 0).some((h) => h.doc === 0)).toBe(false);
  });
});

describe("withinOneEdit", () => {
  it.each([
    ["pagoda", "pagoda", true],
    ["pagod", "pagoda", true],
    ["pagodaa", "pagoda", true],
    ["pagoxa", "pagoda", true],
    ["paogda", "pagoda", true],
    ["pgaoda", "pagoda", true],
    ["pagxxa", "pagoda", false],
    ["pa", "pagoda", false],
  ])("%s ~ %s: %s", (a, b, expected) => {
    expect(withinOneEdit(a, b)).toBe(expected);
  });
});

describe("searchGroups", () => {
  it("gives the best document of each group, for the best groups, matching search()", () => {
    // Groups: documents 0-2 → 0, 3-4 → 1, 5-6 → 2.
    const groupOf = Int32Array.from([0, 0, 0, 1, 1, 2, 2]);
    const all = index.search("chau doc tomb village");
    const groups = index.searchGroups("chau doc tomb village", groupOf, 3, 2);
    expect(groups).toHaveLength(2);
    for (const g of groups) {
      const best = all.find((h) => groupOf[h.doc] === g.group);
      expect(g).toEqual({ group: g.group, doc: best?.doc, score: best?.score });
    }
    expect(groups[0]!.score).toBeGreaterThanOrEqual(groups[1]!.score);
    // Nothing carries over from one query to the next.
    expect(index.searchGroups("chau doc tomb village", groupOf, 3, 2)).toEqual(groups);
  });

  it("fills a reusable buffer with searchGroupsInto, as searchGroups returns them", () => {
    const groupOf = Int32Array.from([0, 0, 0, 1, 1, 2, 2]);
    const out = new GroupHits(3);
    for (const q of ["chau doc tomb village", "luu tru", "qqqq", "pagoda temple", "chau"]) {
      const expected = index.searchGroups(q, groupOf, 3, 3);
      expect(index.searchGroupsInto(q, groupOf, 3, out)).toBe(expected.length);
      const got = Array.from({ length: out.count }, (_, i) => ({
        group: out.group[i],
        doc: out.doc[i],
        score: out.score[i],
      }));
      expect(got).toEqual(expected);
    }
    const filtered = new GroupHits(3);
    index.searchGroupsInto("chau doc", groupOf, 3, filtered, (d) => groupOf[d] !== 0);
    expect(Array.from(filtered.group.subarray(0, filtered.count))).not.toContain(0);
  });
});

describe("TopK", () => {
  it("keeps the k best of a stream, best first", () => {
    const top = new TopK(3);
    const scores = [5, 1, 9, 3, 7, 2, 8];
    scores.forEach((s, i) => top.offer(i, s));
    expect(top.sorted()).toEqual([
      { item: 2, score: 9 },
      { item: 6, score: 8 },
      { item: 4, score: 7 },
    ]);
    expect(new TopK(0).sorted()).toEqual([]);
  });

  /** The former implementation: plain arrays, swaps. Its order among equal scores is the reference. */
  class ArrayTopK {
    items: number[] = [];
    scores: number[] = [];
    constructor(private readonly k: number) {}
    offer(item: number, score: number): void {
      const { items, scores } = this;
      const swap = (a: number, b: number) => {
        [items[a], items[b]] = [items[b]!, items[a]!];
        [scores[a], scores[b]] = [scores[b]!, scores[a]!];
      };
      if (items.length < this.k) {
        items.push(item);
        scores.push(score);
        let i = items.length - 1;
        while (i > 0) {
          const parent = (i - 1) >> 1;
          if (scores[parent]! <= score) break;
          swap(i, parent);
          i = parent;
        }
      } else if (this.k > 0 && score > scores[0]!) {
        items[0] = item;
        scores[0] = score;
        let i = 0;
        for (;;) {
          const l = 2 * i + 1;
          const r = l + 1;
          let min = i;
          if (l < items.length && scores[l]! < scores[min]!) min = l;
          if (r < items.length && scores[r]! < scores[min]!) min = r;
          if (min === i) break;
          swap(i, min);
          i = min;
        }
      }
    }
    sorted() {
      return this.items
        .map((item, i) => ({ item, score: this.scores[i]! }))
        .sort((a, b) => b.score - a.score);
    }
  }

  it("keeps the same items in the same order as the array heap, ties included, when reused", () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    const reused = new TopK(1);
    const batched = new TopK(1);
    for (const k of [0, 1, 2, 5, 8, 30]) {
      for (let round = 0; round < 20; round++) {
        const n = Math.floor(random() * 200);
        // Few distinct scores, so that ties are everywhere.
        const scores = Float32Array.from({ length: n }, () => Math.floor(random() * 6));
        const reference = new ArrayTopK(k);
        reused.reset(k);
        for (let i = 0; i < n; i++) {
          reference.offer(i, scores[i]!);
          reused.offer(i, scores[i]!);
        }
        batched.reset(k);
        batched.offerAll(
          Int32Array.from({ length: n }, (_, i) => i),
          n,
          scores,
        );
        expect(reused.sorted()).toEqual(reference.sorted());
        expect(batched.sorted()).toEqual(reference.sorted());
        const items = new Int32Array(k);
        const top = new Float64Array(k);
        expect(reused.sortedInto(items, top)).toBe(reference.sorted().length);
        expect(Array.from(items.subarray(0, reference.items.length))).toEqual(
          reference.sorted().map((x) => x.item),
        );
      }
    }
  });
});

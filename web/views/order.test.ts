import { describe, expect, it } from "vitest";
import type { ContentEntry } from "../../indexer/index.ts";
import { byFeaturedThenTitle, featuredOnly } from "./order.ts";

/** A minimal entry: only what the order reads (id, title, featured). */
function entry(id: string, vi: string, en: string, featured?: number): ContentEntry {
  return {
    id,
    title: { vi, en },
    ...(featured === undefined ? {} : { featured }),
  } as unknown as ContentEntry;
}

const ENTRIES = [
  entry("cho", "Chợ Châu Đốc", "Chau Doc Market"),
  entry("an", "Ấp An Hòa", "Zeta Hamlet"),
  entry("mieu", "Miếu Bà Chúa Xứ", "Lady Chua Xu Temple", 1),
  entry("sam", "Núi Sam", "Sam Mountain", 2),
];

describe("the portal's list order", () => {
  it("puts ranked entries first, in rank order, then the others by the page language's titles", () => {
    expect(byFeaturedThenTitle(ENTRIES, "vi").map((e) => e.id)).toEqual(["mieu", "sam", "an", "cho"]);
    // English lists follow the English titles, not the Vietnamese order.
    expect(byFeaturedThenTitle(ENTRIES, "en").map((e) => e.id)).toEqual(["mieu", "sam", "cho", "an"]);
  });

  it("keeps only ranked entries for the home page, and leaves its input unchanged", () => {
    const before = ENTRIES.map((e) => e.id);
    expect(featuredOnly([...ENTRIES].reverse(), "en").map((e) => e.id)).toEqual(["mieu", "sam"]);
    expect(ENTRIES.map((e) => e.id)).toEqual(before);
  });
});

import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadContent, type ContentEntry } from "../../../indexer/index.ts";
import { bodyUnits, buildFactIndex, sentences, unitsStating } from "./facts.ts";
import { familiesOf } from "../understand/index.ts";
import { computeFine } from "./lodging-fine.ts";

/** Fact units and the fine calculator, on the real content (the fines are data in content/lodging). */

let entries: ContentEntry[];
beforeAll(async () => {
  const loaded = await loadContent(path.resolve(import.meta.dirname, "../../../content"));
  expect(loaded.problems).toEqual([]);
  entries = loaded.entries;
});

describe("fact units", () => {
  it("splits at sentence ends, not after an abbreviation such as 'TP.'", () => {
    expect(sentences("Miếu ở phường Vĩnh Tế (trước là TP. Châu Đốc). Miếu rất đông. Ai cũng đến.")).toEqual([
      "Miếu ở phường Vĩnh Tế (trước là TP. Châu Đốc).",
      "Miếu rất đông.",
      "Ai cũng đến.",
    ]);
  });

  it("keeps bullets as units, each with its section's heading", () => {
    const units = bodyUnits(
      "## Các nghi lễ\n\n- Lễ tắm Bà: nửa đêm 23.\n- Thỉnh sắc: 15 giờ ngày 24.\n\nĐoạn văn.",
    );
    expect(units).toEqual([
      { heading: "Các nghi lễ", text: "Lễ tắm Bà: nửa đêm 23." },
      { heading: "Các nghi lễ", text: "Thỉnh sắc: 15 giờ ngày 24." },
      { heading: "Các nghi lễ", text: "Đoạn văn." },
    ]);
  });

  it("finds the sentence that states a rite's hour inside the festival's body", () => {
    const facts = buildFactIndex(entries);
    const rites = unitsStating(facts.of("via-ba-chua-xu", "en"), "rite-time", { topicTerms: [] });
    expect(rites.length).toBeGreaterThan(0);
    expect(rites.some((u) => /15:00|3 pm|midnight/i.test(u.text))).toBe(true);
  });

  it("ranks a field made for another attribute behind the sentence that states the one asked", () => {
    // The tomb's tickets field mentions years (2023, 2025) and reads as history; the sentence with
    // "xây" and the year of building must still come first for "xây năm nào".
    const facts = buildFactIndex(entries);
    const built = unitsStating(facts.of("lang-thoai-ngoc-hau", "vi"), "history", {
      topicTerms: [],
      cueTerms: ["xay"],
      wantsNumber: true,
    });
    expect(built[0]?.text).toMatch(/1822/);
    expect(built[0]?.field).toBeUndefined();
  });

  it("lets a sentence without the attribute's label answer when it has the question's rare words", () => {
    const units = buildFactIndex(entries).of("lang-thoai-ngoc-hau", "vi");
    // No sentence of the tomb states a travel time; "an táng" (buried) is in one, which answers.
    expect(units.some((u) => u.attributes.has("travel-time"))).toBe(false);
    const ranked = unitsStating(units, "travel-time", { topicTerms: ["an", "tang"] });
    expect(ranked[0]?.text).toMatch(/an táng/);
    // Words every sentence of the entry shares do not pull an unlabelled sentence in.
    expect(unitsStating(units, "travel-time", { topicTerms: ["lang"] })).toEqual([]);
  });

  it("ranks by word families: 'trùng tu' asked finds 'xây lại' written", () => {
    const units = buildFactIndex(entries).of("chua-hang", "vi");
    const asked = { topicTerms: [], families: familiesOf("chùa trùng tu năm nào") };
    expect(asked.families).toContain("rebuilt");
    expect(unitsStating(units, "history", asked)[0]?.text).toMatch(/xây lại/);
  });

  it("reads a lifetime written as years, '(1761–1829)', as the family of a life", () => {
    expect(familiesOf("Thoại Ngọc Hầu Nguyễn Văn Thoại (1761–1829)")).toContain("life");
    expect(familiesOf("ông sống năm nào tới năm nào")).toContain("life");
    const units = buildFactIndex(entries).of("lang-thoai-ngoc-hau", "vi");
    const asked = { topicTerms: ["song"], families: familiesOf("ông sống năm nào") };
    expect(unitsStating(units, "history", asked)[0]?.text).toMatch(/1761–1829/);
  });

  it("labels a place's structured fields with their attribute", () => {
    const facts = buildFactIndex(entries);
    const where = unitsStating(facts.of("chua-tay-an", "vi"), "where", { topicTerms: [] });
    expect(where[0]?.field).toBe("address");
  });
});

describe("the lodging-fine calculator", () => {
  it("puts 6 undeclared Vietnamese guests in the 4–8 bracket (4–8 million), not the general line", () => {
    const fine = computeFine(entries, { guest: "vn", guests: 6 });
    expect(fine?.offence).toBe("stay-not-reported");
    expect(fine?.bracket).toMatchObject({ guestsMin: 4, guestsMax: 8, minVnd: 4_000_000, maxVnd: 8_000_000 });
    expect(fine?.payer).toBe("individual");
    expect(fine?.payerGiven).toBe(false);
  });

  it("doubles for an organisation (from its own line where the content has one)", () => {
    const small = computeFine(entries, { guest: "vn", guests: 2, payer: "organisation" });
    expect(small?.bracket).toMatchObject({ minVnd: 4_000_000, maxVnd: 8_000_000, doubled: false });
    const large = computeFine(entries, { guest: "vn", guests: 12, payer: "organisation" });
    expect(large?.bracket).toMatchObject({
      guestsMin: 9,
      minVnd: 16_000_000,
      maxVnd: 24_000_000,
      doubled: true,
    });
  });

  it("gives foreign guests the declaration brackets, and no bracket where the sources give none", () => {
    expect(computeFine(entries, { guest: "foreign", guests: 3 })?.bracket).toMatchObject({
      minVnd: 3_000_000,
      maxVnd: 5_000_000,
    });
    const many = computeFine(entries, { guest: "foreign", guests: 12 });
    expect(many?.bracket).toBeUndefined();
    expect(many?.brackets.map((b) => b.guestsMin)).toEqual([1, 4]);
  });

  it("lists every bracket, smallest first, when no count is given", () => {
    const all = computeFine(entries, { guest: "vn" });
    expect(all?.bracket).toBeUndefined();
    expect(all?.brackets.map((b) => [b.guestsMin, b.guestsMax])).toEqual([
      [1, 3],
      [4, 8],
      [9, undefined],
    ]);
  });
});

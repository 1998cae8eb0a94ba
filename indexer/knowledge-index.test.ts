import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildFromEntries } from "./build.ts";
import { loadContent } from "./content/load.ts";
import type { KnowledgeIndex } from "./knowledge-index.ts";
import { retrieverContract } from "./search/retriever.case.ts";

let index: KnowledgeIndex;

beforeAll(async () => {
  const { entries, problems } = await loadContent(path.resolve(import.meta.dirname, "../content"));
  expect(problems).toEqual([]);
  ({ index } = await buildFromEntries(entries, "0".repeat(64)));
});

for (const mode of ["lexical", "vector", "hybrid"] as const) retrieverContract(mode, () => index);

describe("hybrid search", () => {
  const ids = async (q: string, k = 3) => (await index.search(q, { k })).map((h) => h.id);

  it("boosts the type the question asks for: a date question about the temple gets the festival", async () => {
    expect((await ids("Bà Chúa Xứ ngày nào", 1))[0]).toBe("via-ba-chua-xu");
    expect((await ids("Bà Chúa Xứ ở đâu", 1))[0]).toBe("mieu-ba-chua-xu");
  });

  it("understands synonyms of lodging: nhà nghỉ, homestay and hotel questions reach the reporting rule", async () => {
    for (const q of [
      "nhà nghỉ báo lưu trú cho khách",
      "homestay phải thông báo khách ở qua đêm",
      "hotel report vietnamese guests",
    ]) {
      expect(await ids(q)).toContain("thong-bao-luu-tru");
    }
  });

  it("survives typos and missing diacritics together", async () => {
    expect(await ids("rung tram tra suu")).toContain("rung-tram-tra-su");
    expect(await ids("festivel at sam mountian")).toContain("via-ba-chua-xu");
  });

  it("detects the query language when none is given", async () => {
    const [hit] = await index.search("where is the floating fish farm village", { k: 1 });
    expect(hit?.id).toBe("lang-be-chau-doc");
    expect(hit?.passage.lang).toBe("en");
  });

  it("reports both component scores", async () => {
    const [hit] = await index.search("làng bè Châu Đốc", { k: 1 });
    expect(hit?.lexicalScore).toBeGreaterThan(0);
    expect(hit?.vectorScore).toBeGreaterThan(0);
  });
});

describe("get and list", () => {
  it("gets entries by id and lists them by type", () => {
    expect(index.get("nui-sam")?.type).toBe("attraction");
    expect(index.get("does-not-exist")).toBeUndefined();
    const events = index.list("event");
    expect(events.length).toBeGreaterThanOrEqual(7);
    expect(events.every((e) => e.type === "event")).toBe(true);
    expect(index.list().length).toBe(index.manifest.counts.entries);
  });
});

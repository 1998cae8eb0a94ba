import path from "node:path";
import { RunnableLambda, RunnableSequence } from "@langchain/core/runnables";
import { beforeAll, describe, expect, it } from "vitest";
import { buildFromEntries } from "../build.ts";
import { loadContent } from "../content/load.ts";
import { TYPE_FOLDERS } from "../content/schema.ts";
import type { KnowledgeIndex } from "../knowledge-index.ts";
import { KnowledgeRetriever, type KnowledgeDocumentMetadata } from "./retriever.ts";

let index: KnowledgeIndex;

beforeAll(async () => {
  const { entries, problems } = await loadContent(path.resolve(import.meta.dirname, "../../content"));
  expect(problems).toEqual([]);
  ({ index } = await buildFromEntries(entries, "0".repeat(64)));
});

describe("KnowledgeRetriever", () => {
  it("returns Documents with the entry's id, type, title, portal URL, language and lastVerified", async () => {
    const retriever = new KnowledgeRetriever({ index, k: 3 });
    const docs = await retriever.invoke("Miếu Bà Chúa Xứ ở đâu?");
    expect(docs.length).toBeGreaterThan(0);
    expect(docs.length).toBeLessThanOrEqual(3);
    const first = docs[0];
    const entry = index.get("mieu-ba-chua-xu");
    if (!first || !entry) throw new Error("no document or no entry");
    expect(first.id).toBe("mieu-ba-chua-xu");
    expect(first.metadata).toEqual({
      id: "mieu-ba-chua-xu",
      type: "attraction",
      title: entry.title.vi,
      url: "/attractions/mieu-ba-chua-xu",
      lang: "vi",
      lastVerified: entry.lastVerified,
      heading: expect.any(String),
      score: expect.any(Number),
    } satisfies KnowledgeDocumentMetadata);
    expect(first.metadata.lastVerified).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(first.pageContent.length).toBeGreaterThan(20);
    for (const d of docs) {
      expect(d.id).toBe(d.metadata.id);
      expect(d.metadata.url).toBe(`/${TYPE_FOLDERS[d.metadata.type]}/${d.metadata.id}`);
      expect(index.get(d.metadata.id)?.lastVerified).toBe(d.metadata.lastVerified);
    }
  });

  it("answers in the language asked for, with absolute links when given the portal's base URL", async () => {
    const retriever = new KnowledgeRetriever({
      index,
      k: 2,
      lang: "en",
      type: "lodging-rule",
      baseUrl: "https://du-lich.example.vn/",
    });
    const docs = await retriever.invoke("khai báo tạm trú cho khách nước ngoài");
    expect(docs.map((d) => d.metadata.id)).toContain("khai-bao-tam-tru-nguoi-nuoc-ngoai");
    for (const d of docs) {
      expect(d.metadata.type).toBe("lodging-rule");
      expect(d.metadata.lang).toBe("en");
      expect(d.metadata.title).toBe(index.get(d.metadata.id)?.title.en);
      expect(d.metadata.url).toBe(`https://du-lich.example.vn/lodging/${d.metadata.id}`);
    }
  });

  it("runs inside a chain: retriever → formatted context with the ids to cite", async () => {
    const retriever = new KnowledgeRetriever({ index, k: 2, lang: "en" });
    const chain = RunnableSequence.from([
      retriever,
      RunnableLambda.from((docs: { pageContent: string; metadata: KnowledgeDocumentMetadata }[]) =>
        docs.map((d) => `[${d.metadata.id}] ${d.metadata.title}: ${d.pageContent}`).join("\n"),
      ),
    ]);
    const context = await chain.invoke("Where is Tay An pagoda?");
    expect(context.split("\n")[0]).toMatch(/^\[chua-tay-an\] /);
  });
});

import { readFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { chunkEntry, SUMMARY_HEADING, type Chunk } from "./content/chunk.ts";
import { loadContent } from "./content/load.ts";
import type { ContentEntry, Lang } from "./content/schema.ts";
import { lsiEmbedder, trainLsi } from "./embed/lsi.ts";
import {
  createKnowledgeIndex,
  HYBRID,
  type IndexParts,
  type SearchHit,
  type SearchOptions,
} from "./knowledge-index.ts";
import { INDEX_FORMAT } from "./manifest.ts";
import { LexicalIndex } from "./search/lexical.ts";
import { typeHints } from "./search/type-hint.ts";
import { VectorIndex } from "./search/vector.ts";
import { detectLanguage } from "./text/normalize.ts";
import { buildCorpus, generateEntries, generateQueries } from "../bench/generate.ts";

/**
 * The fusion in createKnowledgeIndex works in reusable typed arrays. This is the straightforward version
 * it replaced (a Map of candidate objects, array sorts); both must rank every query identically.
 */
async function referenceSearch(
  parts: IndexParts,
  query: string,
  options: SearchOptions = {},
): Promise<SearchHit[]> {
  const { entries, chunks, lexical } = parts;
  const position = new Map(entries.map((e, i) => [e.id, i]));
  const entryOfChunk = Int32Array.from(chunks, (c) => position.get(c.entryId) ?? -1);
  const groupOfChunk = Int32Array.from(
    chunks,
    (c, i) => 4 * entryOfChunk[i]! + (c.lang === "vi" ? 0 : 2) + (c.heading === SUMMARY_HEADING ? 1 : 0),
  );
  const k = options.k ?? 5;
  const detected = detectLanguage(query);
  const lang: Lang = options.lang ?? (detected === "unknown" ? "vi" : detected);
  const mode = options.mode ?? "hybrid";
  const accept = options.type ? (c: number) => entries[entryOfChunk[c]!]?.type === options.type : undefined;
  type Cand = {
    lexical: number;
    vector: number;
    lexRank?: number;
    vecRank?: number;
    best: Map<Lang, { chunk: number; score: number }>;
  };
  const cands = new Map<number, Cand>();
  const cand = (e: number): Cand => {
    let c = cands.get(e);
    if (!c) cands.set(e, (c = { lexical: 0, vector: 0, best: new Map() }));
    return c;
  };
  const notePassage = (c: Cand, chunk: number, score: number) => {
    const l = chunks[chunk]!.lang;
    const prev = c.best.get(l);
    if (!prev || score > prev.score) c.best.set(l, { chunk, score });
  };
  if (mode !== "vector") {
    const groups = lexical.searchGroups(query, groupOfChunk, entries.length * 4, HYBRID.depth * 4, accept);
    const perLang = new Map<number, number>();
    for (const g of groups) {
      perLang.set(g.group >> 1, (perLang.get(g.group >> 1) ?? 0) + g.score);
      notePassage(cand(g.group >> 2), g.doc, g.group & 1 ? g.score - 1e3 : g.score);
    }
    for (const [entryLang, score] of perLang) {
      const c = cand(entryLang >> 1);
      c.lexical = Math.max(c.lexical, score);
    }
    [...cands.values()]
      .sort((a, b) => b.lexical - a.lexical)
      .slice(0, HYBRID.depth)
      .forEach((c, rank) => (c.lexRank = rank));
  }
  if (mode !== "lexical" && parts.vectors) {
    const [q] = await parts.vectors.embedder.embed([query]);
    let rank = 0;
    for (const hit of parts.vectors.index.search(q!, HYBRID.depth * 2, accept)) {
      const c = cand(entryOfChunk[hit.item]!);
      if (c.vecRank === undefined) {
        if (rank >= HYBRID.depth) continue;
        c.vecRank = rank++;
        c.vector = hit.similarity;
      }
      if (c.lexRank === undefined) notePassage(c, hit.item, hit.similarity - 1e6);
    }
  }
  const hinted = new Set(typeHints(query));
  const rrf = (rank: number | undefined) => (rank === undefined ? 0 : 1 / (HYBRID.rrfK + rank + 1));
  const scored = [...cands].map(([e, c]) => {
    const entry = entries[e]!;
    let score = HYBRID.lexicalWeight * rrf(c.lexRank) + HYBRID.vectorWeight * rrf(c.vecRank);
    if (hinted.has(entry.type)) score += HYBRID.typeBoost * rrf(0);
    return { entry, c, score };
  });
  scored.sort((a, b) => b.score - a.score || b.c.lexical - a.c.lexical);
  return scored.slice(0, k).map(({ entry, c, score }) => {
    const best = c.best.get(lang) ?? [...c.best.values()][0];
    const chunk = best ? chunks[best.chunk] : undefined;
    return {
      id: entry.id,
      type: entry.type,
      title: entry.title[lang],
      score,
      lexicalScore: c.lexical,
      vectorScore: c.vector,
      passage: chunk
        ? { heading: chunk.heading, text: chunk.text, lang: chunk.lang }
        : { heading: SUMMARY_HEADING, text: entry.summary[lang], lang },
    };
  });
}

/** Index parts over entries, built as simply as possible: the fusion does not care how. */
async function partsOf(entries: ContentEntry[]): Promise<IndexParts> {
  const chunks: Chunk[] = entries.flatMap(chunkEntry);
  const lexical = LexicalIndex.build(
    chunks.map((c) => ({ fields: [{ text: `${c.heading} ${c.text}`, weight: 1 }] })),
  );
  const texts = chunks.map((c) => `${c.heading}. ${c.text}`);
  const embedder = lsiEmbedder(trainLsi(texts.slice(0, 1500), { dimensions: 16 }));
  const index = VectorIndex.build(await embedder.embed(texts), embedder.dimensions);
  const byType = { attraction: 0, event: 0, "lodging-rule": 0, practical: 0, itinerary: 0 };
  for (const e of entries) byType[e.type]++;
  return {
    manifest: {
      format: INDEX_FORMAT,
      version: "test",
      contentHash: "0".repeat(64),
      embedder: { id: embedder.id, dimensions: embedder.dimensions },
      counts: { entries: entries.length, chunks: chunks.length, terms: lexical.termCount, byType },
      builtAt: "",
      buildMs: 0,
    },
    entries,
    chunks,
    lexical,
    vectors: { index, embedder },
  };
}

const fixtures: Record<string, { parts: IndexParts; queries: string[] }> = {};

beforeAll(async () => {
  const root = path.resolve(import.meta.dirname, "..");
  const { entries } = await loadContent(path.join(root, "content"));
  const questions = (await readFile(path.join(root, "eval", "questions.jsonl"), "utf8"))
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => (JSON.parse(l) as { q: string }).q);
  fixtures.real = { parts: await partsOf(entries), queries: [...questions, "qwxz vbnm", ""] };
  // Generated entries share sentences, so equal scores (ties) are everywhere, and there are more
  // candidates than the fusion depth on both sides.
  const generated = generateEntries(buildCorpus(entries), 200);
  fixtures.generated = {
    parts: await partsOf(generated),
    queries: generateQueries(generated, questions, 300),
  };
}, 60_000);

describe("hybrid fusion in typed arrays", () => {
  const cases: [string, SearchOptions][] = [
    ["hybrid", {}],
    ["hybrid, k 10, English", { k: 10, lang: "en" }],
    ["lexical", { k: 10, mode: "lexical" }],
    ["vector", { k: 10, mode: "vector" }],
    ["events only", { k: 10, type: "event" }],
    ["lodging rules only, Vietnamese", { k: 3, type: "lodging-rule", lang: "vi" }],
  ];
  for (const fixture of ["real", "generated"]) {
    it.each(cases)(`ranks every ${fixture} query as the Map-based fusion did (%s)`, async (_, options) => {
      const { parts, queries } = fixtures[fixture]!;
      const index = createKnowledgeIndex(parts);
      for (const q of queries) {
        expect(await index.search(q, options), q).toEqual(await referenceSearch(parts, q, options));
      }
    });
  }

  it("gives the same answers to concurrent searches as to one at a time", async () => {
    const { parts, queries } = fixtures.generated!;
    const index = createKnowledgeIndex(parts);
    const some = queries.slice(0, 40);
    const sequential: SearchHit[][] = [];
    for (const q of some) sequential.push(await index.search(q, { k: 5 }));
    expect(await Promise.all(some.map((q) => index.search(q, { k: 5 })))).toEqual(sequential);
  });
});

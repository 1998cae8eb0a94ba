import { SUMMARY_HEADING, type Chunk } from "./content/chunk.ts";
import type { ContentEntry, EntryType, Lang } from "./content/schema.ts";
import type { Embedder } from "./embed/embedder.ts";
import { eventOccurrences, type Occurrence } from "./events.ts";
import type { Manifest } from "./manifest.ts";
import type { LexicalIndex } from "./search/lexical.ts";
import { typeHints } from "./search/type-hint.ts";
import type { VectorIndex } from "./search/vector.ts";
import { detectLanguage } from "./text/normalize.ts";

export type SearchMode = "hybrid" | "lexical" | "vector";

export type SearchOptions = {
  k?: number;
  /** Language of the titles and passages returned; detected from the query when omitted. */
  lang?: Lang;
  /** Only entries of this type. */
  type?: EntryType;
  mode?: SearchMode;
};

/** One entry found by a search, with the passage that matched best in the requested language. */
export type SearchHit = {
  id: string;
  type: EntryType;
  title: string;
  /** Fused score used for ranking (higher is better). */
  score: number;
  /** Best BM25 score of the entry's passages (0 when only the vector side found it). */
  lexicalScore: number;
  /** Best cosine similarity of the entry's passages (0 when only the lexical side found it). */
  vectorScore: number;
  passage: { heading: string; text: string; lang: Lang };
};

/** The read side of the knowledge base. */
export interface KnowledgeIndex {
  readonly manifest: Manifest;
  search(query: string, options?: SearchOptions): Promise<SearchHit[]>;
  get(id: string): ContentEntry | undefined;
  list(type?: EntryType): ContentEntry[];
  /** Event occurrences overlapping [from, to] (YYYY-MM-DD, inclusive), in Gregorian dates. */
  eventsBetween(from: string, to: string): Occurrence[];
}

/** Ranking knobs; measured by `npm run eval`, see README. */
export const HYBRID = {
  /** Reciprocal-rank-fusion constant: 60 is the value of Cormack et al. (2009). */
  rrfK: 60,
  lexicalWeight: 1,
  /** The built-in LSI ties lexical search on the eval; above 0.45 it costs a rank-1 hit (README). */
  vectorWeight: 0.3,
  /** How many candidates each side contributes to the fusion. */
  depth: 30,
  /** Added to the fused score of an entry whose type the question clearly asks for, as a rank-1 share. */
  typeBoost: 0.35,
} as const;

export type IndexParts = {
  manifest: Manifest;
  entries: ContentEntry[];
  chunks: Chunk[];
  lexical: LexicalIndex;
  /** Absent when the embedder the index was built with is not available now: lexical search only. */
  vectors?: { index: VectorIndex; embedder: Embedder };
};

/** Wires loaded or freshly built parts into the KnowledgeIndex interface. */
export function createKnowledgeIndex(parts: IndexParts): KnowledgeIndex {
  const { entries, chunks, lexical, manifest } = parts;
  const position = new Map(entries.map((e, i) => [e.id, i]));
  const entryOfChunk = Int32Array.from(chunks, (c) => position.get(c.entryId) ?? -1);
  // Lexical results are grouped per entry, language and kind of passage:
  // group = 4 × entry + 2 × (0 for vi, 1 for en) + (1 for the summary passage, 0 for the others).
  const groupOfChunk = Int32Array.from(
    chunks,
    (c, i) =>
      4 * (entryOfChunk[i] as number) + (c.lang === "vi" ? 0 : 2) + (c.heading === SUMMARY_HEADING ? 1 : 0),
  );

  async function search(query: string, options: SearchOptions = {}): Promise<SearchHit[]> {
    const k = options.k ?? 5;
    const lang: Lang = options.lang ?? queryLanguage(query);
    const mode = options.mode ?? "hybrid";
    const accept = options.type
      ? (c: number) => entries[entryOfChunk[c] as number]?.type === options.type
      : undefined;

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
      const l = (chunks[chunk] as Chunk).lang;
      const prev = c.best.get(l);
      if (!prev || score > prev.score) c.best.set(l, { chunk, score });
    };

    if (mode !== "vector") {
      // Best summary and best other passage per entry and language, for the top groups only.
      const groups = lexical.searchGroups(query, groupOfChunk, entries.length * 4, HYBRID.depth * 4, accept);
      const perLang = new Map<number, number>();
      for (const g of groups) {
        perLang.set(g.group >> 1, (perLang.get(g.group >> 1) ?? 0) + g.score);
        // A summary stands as the passage only when no other passage of the entry matched.
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
      for (const hit of parts.vectors.index.search(q as Float32Array, HYBRID.depth * 2, accept)) {
        const e = entryOfChunk[hit.item] as number;
        const c = cand(e);
        if (c.vecRank === undefined) {
          if (rank >= HYBRID.depth) continue;
          c.vecRank = rank++;
          c.vector = hit.similarity;
        }
        // Passages found only by the vector side are ranked below any lexical passage of the entry.
        if (c.lexRank === undefined) notePassage(c, hit.item, hit.similarity - 1e6);
      }
    }

    const hinted = new Set(typeHints(query));
    const rrf = (rank: number | undefined) => (rank === undefined ? 0 : 1 / (HYBRID.rrfK + rank + 1));
    const scored = [...cands].map(([e, c]) => {
      const entry = entries[e] as ContentEntry;
      let score = HYBRID.lexicalWeight * rrf(c.lexRank) + HYBRID.vectorWeight * rrf(c.vecRank);
      if (hinted.has(entry.type)) score += HYBRID.typeBoost * rrf(0);
      return { entry, c, score };
    });
    scored.sort((a, b) => b.score - a.score || b.c.lexical - a.c.lexical);
    return scored.slice(0, k).map(({ entry, c, score }) => {
      const best = c.best.get(lang) ?? [...c.best.values()][0];
      const chunk = best ? (chunks[best.chunk] as Chunk) : undefined;
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

  return {
    manifest,
    search,
    get: (id) => {
      const i = position.get(id);
      return i === undefined ? undefined : entries[i];
    },
    list: (type) => (type ? entries.filter((e) => e.type === type) : [...entries]),
    eventsBetween: (from, to) => eventOccurrences(entries, from, to),
  };
}

/** The language to answer a query in: detected, Vietnamese when there is nothing to go on. */
function queryLanguage(query: string): Lang {
  const detected = detectLanguage(query);
  return detected === "unknown" ? "vi" : detected;
}

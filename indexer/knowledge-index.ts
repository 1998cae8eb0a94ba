import { SUMMARY_HEADING, type Chunk } from "./content/chunk.ts";
import type { ContentEntry, EntryType, Lang } from "./content/schema.ts";
import type { Embedder } from "./embed/embedder.ts";
import { eventOccurrences, type Occurrence } from "./events.ts";
import type { Manifest } from "./manifest.ts";
import { GroupHits, type LexicalIndex } from "./search/lexical.ts";
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
  const fusion = new Fusion(entries, chunks, entryOfChunk);
  const lexicalHits = new GroupHits(HYBRID.depth * 4);

  async function search(query: string, options: SearchOptions = {}): Promise<SearchHit[]> {
    const mode = options.mode ?? "hybrid";
    // The only await comes first: from here on the search runs synchronously, so concurrent searches
    // never interleave over the shared scratch buffers.
    const vectors = mode !== "lexical" ? parts.vectors : undefined;
    const queryVector = vectors ? (await vectors.embedder.embed([query]))[0] : undefined;

    const k = options.k ?? 5;
    const lang: Lang = options.lang ?? queryLanguage(query);
    const type = options.type;
    const accept = type ? (c: number) => entries[entryOfChunk[c] as number]?.type === type : undefined;
    try {
      if (mode !== "vector") {
        // Best summary and best other passage per entry and language, for the top groups only.
        lexical.searchGroupsInto(query, groupOfChunk, entries.length * 4, lexicalHits, accept);
        fusion.addLexical(lexicalHits);
      }
      if (vectors && queryVector) {
        const { neighbors, distances } = vectors.index.nearest(queryVector, HYBRID.depth * 2, accept);
        fusion.addVector(neighbors, distances);
      }
      return fusion.top(k, lang, typeHints(query));
    } finally {
      fusion.clear();
    }
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

/**
 * Reciprocal-rank fusion of the lexical and vector candidates of one query, in typed arrays indexed by
 * entry that are reused from query to query (only the entries a query touched are cleared), so that a
 * search makes almost no garbage for the collector: its pauses were most of the latency tail.
 *
 * Candidates are kept in the order they are first seen, and every sort is stable, so ties rank as the
 * order of discovery: lexical groups best first, then vector hits nearest first.
 */
class Fusion {
  /** Candidate entries, in the order first seen. */
  private readonly order: Int32Array;
  private count = 0;
  private readonly isCandidate: Uint8Array;
  /** Best lexical score per entry: the best over its languages of (best summary + best other passage). */
  private readonly lexical: Float64Array;
  private readonly vector: Float64Array;
  /** Ranks on each side (-1: not ranked). */
  private readonly lexRank: Int32Array;
  private readonly vecRank: Int32Array;
  /** Best passage per entry and language (index 2 × entry + 0 for vi, 1 for en; -1: none) and its score. */
  private readonly bestChunk: Int32Array;
  private readonly bestScore: Float64Array;
  /** The language of the first passage noted for an entry: the fallback when the asked one has none. */
  private readonly firstLang: Int8Array;
  /** Lexical score per entry and language, summed over the groups found. */
  private readonly perLang: Float64Array;
  private readonly perLangSeen: Uint8Array;
  private readonly perLangTouched: Int32Array;
  private perLangCount = 0;
  private readonly ranked: Int32Array;
  private readonly fused: Float64Array;
  private readonly langOfChunk: Uint8Array;

  constructor(
    private readonly entries: ContentEntry[],
    private readonly chunks: Chunk[],
    private readonly entryOfChunk: Int32Array,
  ) {
    const n = entries.length;
    this.order = new Int32Array(n);
    this.isCandidate = new Uint8Array(n);
    this.lexical = new Float64Array(n);
    this.vector = new Float64Array(n);
    this.lexRank = new Int32Array(n).fill(-1);
    this.vecRank = new Int32Array(n).fill(-1);
    this.bestChunk = new Int32Array(2 * n).fill(-1);
    this.bestScore = new Float64Array(2 * n);
    this.firstLang = new Int8Array(n).fill(-1);
    this.perLang = new Float64Array(2 * n);
    this.perLangSeen = new Uint8Array(2 * n);
    this.perLangTouched = new Int32Array(2 * n);
    this.ranked = new Int32Array(n);
    this.fused = new Float64Array(n);
    this.langOfChunk = Uint8Array.from(chunks, (c) => (c.lang === "vi" ? 0 : 1));
  }

  private candidate(e: number): void {
    if (this.isCandidate[e]) return;
    this.isCandidate[e] = 1;
    this.order[this.count++] = e;
  }

  /** Keeps a passage as the entry's passage in its language if it scores better than the one kept. */
  private notePassage(e: number, chunk: number, score: number): void {
    const lang = this.langOfChunk[chunk] as number;
    const slot = 2 * e + lang;
    if (this.bestChunk[slot] === -1 || score > (this.bestScore[slot] as number)) {
      this.bestChunk[slot] = chunk;
      this.bestScore[slot] = score;
    }
    if (this.firstLang[e] === -1) this.firstLang[e] = lang;
  }

  /** The lexical side: groups best first; ranks the best HYBRID.depth entries. */
  addLexical(hits: GroupHits): void {
    for (let i = 0; i < hits.count; i++) {
      const g = hits.group[i] as number;
      const score = hits.score[i] as number;
      const entryLang = g >> 1;
      if (!this.perLangSeen[entryLang]) {
        this.perLangSeen[entryLang] = 1;
        this.perLangTouched[this.perLangCount++] = entryLang;
      }
      this.perLang[entryLang] = (this.perLang[entryLang] as number) + score;
      this.candidate(g >> 2);
      // A summary stands as the passage only when no other passage of the entry matched.
      this.notePassage(g >> 2, hits.doc[i] as number, g & 1 ? score - 1e3 : score);
    }
    for (let i = 0; i < this.perLangCount; i++) {
      const entryLang = this.perLangTouched[i] as number;
      const e = entryLang >> 1;
      this.lexical[e] = Math.max(this.lexical[e] as number, this.perLang[entryLang] as number);
    }
    // Stable insertion sort of the candidates by lexical score (at most 4 × depth of them).
    const { ranked, lexical } = this;
    for (let i = 0; i < this.count; i++) {
      const e = this.order[i] as number;
      const score = lexical[e] as number;
      let at = i;
      while (at > 0 && (lexical[ranked[at - 1] as number] as number) < score) {
        ranked[at] = ranked[at - 1] as number;
        at--;
      }
      ranked[at] = e;
    }
    const n = Math.min(this.count, HYBRID.depth);
    for (let rank = 0; rank < n; rank++) this.lexRank[ranked[rank] as number] = rank;
  }

  /** The vector side: passages nearest first (as hnswlib returns them); ranks the first HYBRID.depth entries. */
  addVector(neighbors: number[], distances: number[]): void {
    let rank = 0;
    for (let i = 0; i < neighbors.length; i++) {
      const item = neighbors[i] as number;
      const similarity = 1 - (distances[i] as number);
      const e = this.entryOfChunk[item] as number;
      this.candidate(e);
      if (this.vecRank[e] === -1) {
        if (rank >= HYBRID.depth) continue;
        this.vecRank[e] = rank++;
        this.vector[e] = similarity;
      }
      // Passages found only by the vector side are ranked below any lexical passage of the entry.
      if (this.lexRank[e] === -1) this.notePassage(e, item, similarity - 1e6);
    }
  }

  /** The k best candidates by fused score (ties: lexical score, then order of discovery), as hits. */
  top(k: number, lang: Lang, hinted: EntryType[]): SearchHit[] {
    const { ranked, fused, lexical, entries } = this;
    let kept = 0;
    for (let i = 0; i < this.count; i++) {
      const e = this.order[i] as number;
      const entry = entries[e] as ContentEntry;
      let score =
        HYBRID.lexicalWeight * rrf(this.lexRank[e] as number) +
        HYBRID.vectorWeight * rrf(this.vecRank[e] as number);
      if (hinted.includes(entry.type)) score += HYBRID.typeBoost * rrf(0);
      fused[e] = score;
      // Insert after every kept candidate that is at least as good (a stable sort, cut at k).
      let at = kept;
      while (
        at > 0 &&
        ((fused[ranked[at - 1] as number] as number) < score ||
          ((fused[ranked[at - 1] as number] as number) === score &&
            (lexical[ranked[at - 1] as number] as number) < (lexical[e] as number)))
      ) {
        at--;
      }
      if (at >= k) continue;
      for (let j = Math.min(kept, k - 1); j > at; j--) ranked[j] = ranked[j - 1] as number;
      ranked[at] = e;
      if (kept < k) kept++;
    }
    const out: SearchHit[] = [];
    for (let i = 0; i < kept; i++) {
      const e = ranked[i] as number;
      const entry = entries[e] as ContentEntry;
      let chunkIndex = this.bestChunk[2 * e + (lang === "vi" ? 0 : 1)] as number;
      if (chunkIndex === -1 && this.firstLang[e] !== -1)
        chunkIndex = this.bestChunk[2 * e + (this.firstLang[e] as number)] as number;
      const chunk = chunkIndex === -1 ? undefined : (this.chunks[chunkIndex] as Chunk);
      out.push({
        id: entry.id,
        type: entry.type,
        title: entry.title[lang],
        score: fused[e] as number,
        lexicalScore: lexical[e] as number,
        vectorScore: this.vector[e] as number,
        passage: chunk
          ? { heading: chunk.heading, text: chunk.text, lang: chunk.lang }
          : { heading: SUMMARY_HEADING, text: entry.summary[lang], lang },
      });
    }
    return out;
  }

  /** Clears what the last query wrote, for the next one. */
  clear(): void {
    for (let i = 0; i < this.count; i++) {
      const e = this.order[i] as number;
      this.isCandidate[e] = 0;
      this.lexical[e] = 0;
      this.vector[e] = 0;
      this.lexRank[e] = -1;
      this.vecRank[e] = -1;
      this.bestChunk[2 * e] = -1;
      this.bestChunk[2 * e + 1] = -1;
      this.bestScore[2 * e] = 0;
      this.bestScore[2 * e + 1] = 0;
      this.firstLang[e] = -1;
      this.fused[e] = 0;
    }
    this.count = 0;
    for (let i = 0; i < this.perLangCount; i++) {
      const entryLang = this.perLangTouched[i] as number;
      this.perLang[entryLang] = 0;
      this.perLangSeen[entryLang] = 0;
    }
    this.perLangCount = 0;
  }
}

/** Reciprocal-rank-fusion share of a rank (-1: not ranked, no share). */
function rrf(rank: number): number {
  return rank === -1 ? 0 : 1 / (HYBRID.rrfK + rank + 1);
}

/** The language to answer a query in: detected, Vietnamese when there is nothing to go on. */
function queryLanguage(query: string): Lang {
  const detected = detectLanguage(query);
  return detected === "unknown" ? "vi" : detected;
}

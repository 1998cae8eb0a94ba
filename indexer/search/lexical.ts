import { tokenize, type Token } from "../text/normalize.ts";
import { documentTerms, synonymExpansions, termsOfTokens, type WeightedTerm } from "./analyze.ts";

/** A document of the lexical index: weighted fields (a title counts more than body text). */
export type LexicalDoc = { fields: { text: string; weight: number }[] };

/** BM25 parameters; the defaults are the usual ones. */
export const BM25 = { k1: 1.2, b: 0.75 } as const;

/** When a query term counts as too common to score (see LexicalIndex.accumulate). */
export const COMMON_TERM = { minDocs: 5000, share: 0.1 } as const;

/** Most query terms scored, by weight × idf (an upper bound of what each can add). */
export const MAX_QUERY_TERMS = 24;

/** Weights of the kinds of query term, relative to a plain word typed by the user. */
export const QUERY_WEIGHTS = { word: 1, bigram: 1, exact: 0.3, synonym: 0.45, typo: 0.7 } as const;

/** The serialisable part of the index: flat typed arrays, so that loading is a copy, not a rebuild. */
export type LexicalData = {
  terms: string[];
  idf: Float32Array;
  /** Postings of term t are positions offsets[t] .. offsets[t+1]-1 of docs and weights. */
  offsets: Int32Array;
  docs: Int32Array;
  /** BM25 term-frequency part of each posting; multiplied by idf and the query weight at search time. */
  weights: Float32Array;
  docCount: number;
};

/** A scored document: the index of the document given to build(), and its BM25 score. */
export type LexicalHit = { doc: number; score: number };

/** The best document of a group and its score. */
export type GroupHit = { group: number; doc: number; score: number };

/**
 * A reusable buffer for LexicalIndex.searchGroupsInto: up to `capacity` groups, best first, in parallel
 * typed arrays, so that a search fills it without allocating an object per group.
 */
export class GroupHits {
  readonly group: Int32Array;
  readonly doc: Int32Array;
  readonly score: Float32Array;
  count = 0;

  constructor(readonly capacity: number) {
    this.group = new Int32Array(capacity);
    this.doc = new Int32Array(capacity);
    this.score = new Float32Array(capacity);
  }
}

/**
 * BM25 over an inverted index in typed arrays. Written for this project rather than taken from a library
 * because it needs Vietnamese-aware terms (folded words, bigrams, exact forms) on both the index and the
 * query side, typo correction against its own vocabulary, and a p99 of a few milliseconds at 10k entries.
 */
export class LexicalIndex {
  private readonly termIds: Map<string, number>;
  private deletes: Map<string, number[]> | undefined;
  private groups: { best: Float32Array; doc: Int32Array; touched: Int32Array } | undefined;
  // Per-query scratch space, reused by every search (searches run synchronously, one at a time).
  private readonly scores: Float32Array;
  private readonly touched: Int32Array;
  private readonly top = new TopK(0);
  private queryTermIds = new Int32Array(64);
  private queryTermWeights = new Float64Array(64);
  private queryTermOrder = new Int32Array(64);

  constructor(readonly data: LexicalData) {
    this.termIds = new Map(data.terms.map((t, i) => [t, i]));
    this.scores = new Float32Array(data.docCount);
    this.touched = new Int32Array(data.docCount);
  }

  /** Builds the index from documents; document i of the input is doc i of the hits. */
  static build(docs: LexicalDoc[]): LexicalIndex {
    const postings = new Map<string, { docs: number[]; tfs: number[] }>();
    const lengths = new Float32Array(docs.length);
    // Short fields (an entry's names and tags, headings) repeat on every passage of an entry.
    const shortFieldTerms = new Map<string, string[]>();
    const termsOf = (text: string): string[] => {
      if (text.length > 200) return documentTerms(text);
      let terms = shortFieldTerms.get(text);
      if (!terms) shortFieldTerms.set(text, (terms = documentTerms(text)));
      return terms;
    };
    docs.forEach((doc, d) => {
      const tf = new Map<string, number>();
      let length = 0;
      for (const field of doc.fields) {
        for (const term of termsOf(field.text)) {
          tf.set(term, (tf.get(term) ?? 0) + field.weight);
          if (!term.includes("_") && !term.startsWith("=")) length += field.weight;
        }
      }
      lengths[d] = length;
      for (const [term, f] of tf) {
        let p = postings.get(term);
        if (!p) postings.set(term, (p = { docs: [], tfs: [] }));
        p.docs.push(d);
        p.tfs.push(f);
      }
    });
    const avgLength = lengths.reduce((a, b) => a + b, 0) / Math.max(1, docs.length) || 1;
    const terms = [...postings.keys()].sort();
    const offsets = new Int32Array(terms.length + 1);
    let total = 0;
    terms.forEach((t, i) => {
      offsets[i] = total;
      total += (postings.get(t) as { docs: number[] }).docs.length;
    });
    offsets[terms.length] = total;
    const docIds = new Int32Array(total);
    const weights = new Float32Array(total);
    const idf = new Float32Array(terms.length);
    const n = docs.length;
    terms.forEach((t, i) => {
      const p = postings.get(t) as { docs: number[]; tfs: number[] };
      const df = p.docs.length;
      idf[i] = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      let at = offsets[i] as number;
      p.docs.forEach((d, j) => {
        const f = p.tfs[j] as number;
        const norm = 1 - BM25.b + (BM25.b * (lengths[d] as number)) / avgLength;
        docIds[at] = d;
        weights[at] = (f * (BM25.k1 + 1)) / (f + BM25.k1 * norm);
        at++;
      });
    });
    return new LexicalIndex({ terms, idf, offsets, docs: docIds, weights, docCount: n });
  }

  /** Number of distinct terms. */
  get termCount(): number {
    return this.data.terms.length;
  }

  /** True when the term occurs in some document. */
  has(term: string): boolean {
    return this.termIds.has(term);
  }

  /**
   * The weighted terms of a query: words and bigrams as typed (after typo correction against the
   * vocabulary), exact forms where typed with diacritics, and synonym expansions at a lower weight.
   */
  queryTerms(query: string): WeightedTerm[] {
    const typed = tokenize(query);
    const corrected: Token[] = typed.map((t) => {
      const fix = this.has(t.folded) ? undefined : this.correct(t.folded)[0];
      return fix ? { exact: fix, folded: fix } : t;
    });
    const weights = new Map<string, number>();
    const add = (term: string, w: number) => weights.set(term, Math.max(weights.get(term) ?? 0, w));
    const typedTerms = new Set(termsOfTokens(typed, true));
    for (const term of termsOfTokens(corrected, true)) {
      const base = term.startsWith("=") ? QUERY_WEIGHTS.exact : term.includes("_") ? QUERY_WEIGHTS.bigram : 1;
      add(term, typedTerms.has(term) ? base : base * QUERY_WEIGHTS.typo);
    }
    for (const phrase of synonymExpansions(corrected)) {
      for (const term of termsOfTokens(phrase, true)) add(term, QUERY_WEIGHTS.synonym);
    }
    return [...weights].map(([term, weight]) => ({ term, weight }));
  }

  /** BM25 scores of every document that shares a term with the query, best first. */
  search(query: string | WeightedTerm[], accept?: (doc: number) => boolean): LexicalHit[] {
    const count = this.accumulate(query);
    const hits: LexicalHit[] = [];
    for (let i = 0; i < count; i++) {
      const d = this.touched[i] as number;
      if (!accept || accept(d)) hits.push({ doc: d, score: this.scores[d] as number });
      this.scores[d] = 0;
    }
    return hits.sort((a, b) => b.score - a.score);
  }

  /**
   * The best document of each group (e.g. an entry in one language), for the `limit` groups with the
   * highest best score, best first.
   */
  searchGroups(
    query: string | WeightedTerm[],
    groupOf: Int32Array,
    groupCount: number,
    limit: number,
    accept?: (doc: number) => boolean,
  ): GroupHit[] {
    const out = new GroupHits(limit);
    this.searchGroupsInto(query, groupOf, groupCount, out, accept);
    return Array.from({ length: out.count }, (_, i) => ({
      group: out.group[i] as number,
      doc: out.doc[i] as number,
      score: out.score[i] as number,
    }));
  }

  /**
   * searchGroups into a reusable buffer, for the `out.capacity` best groups; returns how many it holds.
   * This is the hot path of search: apart from analysing the query, it allocates nothing, so a query
   * that touches most of a 10k-entry index stays within a few milliseconds and makes little garbage.
   */
  searchGroupsInto(
    query: string | WeightedTerm[],
    groupOf: Int32Array,
    groupCount: number,
    out: GroupHits,
    accept?: (doc: number) => boolean,
  ): number {
    const count = this.accumulate(query);
    if (!this.groups || this.groups.best.length !== groupCount) {
      this.groups = {
        best: new Float32Array(groupCount),
        doc: new Int32Array(groupCount),
        touched: new Int32Array(groupCount),
      };
    }
    const { best, doc, touched } = this.groups;
    const groups = bestOfGroups(this.scores, this.touched, count, groupOf, best, doc, touched, accept);
    const top = this.top;
    top.reset(out.capacity);
    top.offerAll(touched, groups, best);
    out.count = top.sortedInto(out.group, out.score);
    for (let i = 0; i < out.count; i++) out.doc[i] = doc[out.group[i] as number] as number;
    for (let i = 0; i < groups; i++) best[touched[i] as number] = 0;
    return out.count;
  }

  /**
   * Adds up the BM25 scores of the query's terms into `scores`; returns how many documents it touched.
   * In a large index, a term found in more than COMMON_TERM.share of all documents (in a Châu Đốc
   * knowledge base, "châu" and "đốc" themselves) is skipped when a rarer term of the query matched: its
   * idf is near zero, so it hardly changes the ranking, but its posting list is most of the work.
   */
  private accumulate(query: string | WeightedTerm[]): number {
    const terms = typeof query === "string" ? this.queryTerms(query) : query;
    const { idf, offsets, docs, weights, docCount } = this.data;
    if (this.queryTermIds.length < terms.length) {
      const n = Math.max(terms.length, 2 * this.queryTermIds.length);
      this.queryTermIds = new Int32Array(n);
      this.queryTermWeights = new Float64Array(n);
      this.queryTermOrder = new Int32Array(n);
    }
    const ids = this.queryTermIds;
    const w = this.queryTermWeights;
    const order = this.queryTermOrder;
    const commonDf = docCount >= COMMON_TERM.minDocs ? docCount * COMMON_TERM.share : Infinity;
    let matched = 0;
    let hasRare = false;
    for (const { term, weight } of terms) {
      const t = this.termIds.get(term);
      if (t === undefined) continue;
      ids[matched] = t;
      w[matched] = weight * (idf[t] as number);
      if ((offsets[t + 1] as number) - (offsets[t] as number) <= commonDf) hasRare = true;
      // Insertion sort by weight, highest first; equal weights keep the query's order.
      let at = matched++;
      while (at > 0 && (w[order[at - 1] as number] as number) < (w[matched - 1] as number)) {
        order[at] = order[at - 1] as number;
        at--;
      }
      order[at] = matched - 1;
    }
    // A long question with synonyms can have 60 terms; the ones that can add least are dropped.
    const kept = Math.min(matched, MAX_QUERY_TERMS);
    let count = 0;
    for (let i = 0; i < kept; i++) {
      const m = order[i] as number;
      const t = ids[m] as number;
      const start = offsets[t] as number;
      const end = offsets[t + 1] as number;
      if (hasRare && end - start > commonDf) continue;
      count = addPostings(docs, weights, start, end, w[m] as number, this.scores, this.touched, count);
    }
    return count;
  }

  /**
   * Vocabulary words one edit away from an unknown word (a missing, extra, wrong or swapped letter),
   * most frequent first. Words under 3 letters are not corrected; 3-letter words only lose a doubled
   * letter ("suu" → "su"), since a 3-letter word has too many neighbours to guess safely.
   */
  correct(word: string): string[] {
    if (word.length < 3 || !/^[a-z]+$/.test(word)) return [];
    const deletes = this.deletionIndex();
    const candidates = new Set<number>();
    for (const d of [word, ...deletionsOf(word)]) for (const t of deletes.get(d) ?? []) candidates.add(t);
    const out: { term: string; df: number }[] = [];
    for (const t of candidates) {
      const term = this.data.terms[t] as string;
      if (term === word) continue;
      if (word.length === 3 && !(term.length === 2 && /(.)\1/.test(word))) continue;
      if (!withinOneEdit(word, term)) continue;
      out.push({ term, df: (this.data.offsets[t + 1] as number) - (this.data.offsets[t] as number) });
    }
    return out.sort((a, b) => b.df - a.df).map((c) => c.term);
  }

  /** Symmetric-delete index of the vocabulary's plain words, built on first use. */
  private deletionIndex(): Map<string, number[]> {
    if (this.deletes) return this.deletes;
    const index = new Map<string, number[]>();
    const push = (key: string, t: number) => {
      const list = index.get(key);
      if (list) list.push(t);
      else index.set(key, [t]);
    };
    this.data.terms.forEach((term, t) => {
      if (term.length < 2 || !/^[a-z]+$/.test(term)) return;
      push(term, t);
      for (const d of deletionsOf(term)) push(d, t);
    });
    this.deletes = index;
    return index;
  }
}

function deletionsOf(word: string): string[] {
  const out = new Set<string>();
  for (let i = 0; i < word.length; i++) out.add(word.slice(0, i) + word.slice(i + 1));
  return [...out];
}

/** Damerau-Levenshtein distance of at most one (insert, delete, substitute, or swap neighbours). */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/**
 * The best document of each group among the touched documents that `accept` lets through (all when it
 * is undefined), and the touched groups (returns their count); also clears every touched document's
 * score for the next query. A plain function over typed arrays, so that V8 optimizes the loop on its own.
 */
function bestOfGroups(
  scores: Float32Array,
  touchedDocs: Int32Array,
  count: number,
  groupOf: Int32Array,
  best: Float32Array,
  doc: Int32Array,
  touched: Int32Array,
  accept: ((doc: number) => boolean) | undefined,
): number {
  let groups = 0;
  for (let i = 0; i < count; i++) {
    const d = touchedDocs[i] as number;
    const score = scores[d] as number;
    scores[d] = 0;
    if (accept !== undefined && !accept(d)) continue;
    const g = groupOf[d] as number;
    if (best[g] === 0) touched[groups++] = g;
    if (score > (best[g] as number)) {
      best[g] = score;
      doc[g] = d;
    }
  }
  return groups;
}

/** Adds one term's postings (weight w) to the document scores; returns the new touched count. */
function addPostings(
  docs: Int32Array,
  weights: Float32Array,
  start: number,
  end: number,
  w: number,
  scores: Float32Array,
  touched: Int32Array,
  count: number,
): number {
  for (let i = start; i < end; i++) {
    const d = docs[i] as number;
    if (scores[d] === 0) touched[count++] = d;
    scores[d] = (scores[d] as number) + w * (weights[i] as number);
  }
  return count;
}

/**
 * Keeps the k highest-scoring items (int32 ids) seen, in a binary min-heap (the weakest kept item at the
 * root). Typed arrays, reusable with reset(), so that keeping the best of thousands of groups allocates
 * nothing. Which of equal scores are kept, and in which order, follows from the heap's layout: the
 * fusion's ranking depends on it, so the sift steps are those of the former array version.
 */
export class TopK {
  private items: Int32Array;
  private scores: Float64Array;
  private size = 0;

  constructor(private k: number) {
    this.items = new Int32Array(k);
    this.scores = new Float64Array(k);
  }

  /** Forgets the kept items; the next ones are kept up to k (growing the arrays when needed). */
  reset(k: number = this.k): void {
    if (k > this.items.length) {
      this.items = new Int32Array(k);
      this.scores = new Float64Array(k);
    }
    this.k = k;
    this.size = 0;
  }

  /** Considers an item; kept if it beats the weakest of the k kept so far. */
  offer(item: number, score: number): void {
    const { items, scores } = this;
    if (this.size < this.k) {
      let i = this.size++;
      // Sift up: move weaker parents down until the new item's place is found.
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if ((scores[parent] as number) <= score) break;
        items[i] = items[parent] as number;
        scores[i] = scores[parent] as number;
        i = parent;
      }
      items[i] = item;
      scores[i] = score;
    } else if (this.k > 0 && score > (scores[0] as number)) {
      // Replace the root and sift down.
      const n = this.size;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let min = i;
        let minScore = score;
        if (l < n && (scores[l] as number) < minScore) {
          min = l;
          minScore = scores[l] as number;
        }
        if (r < n && (scores[r] as number) < minScore) min = r;
        if (min === i) break;
        items[i] = items[min] as number;
        scores[i] = scores[min] as number;
        i = min;
      }
      items[i] = item;
      scores[i] = score;
    }
  }

  /**
   * offer(items[i], scoreOf[items[i]]) for i < count. Once k items are kept, an item that does not beat
   * the weakest is skipped here, without a call: with thousands of groups, that is nearly all of them.
   */
  offerAll(items: Int32Array, count: number, scoreOf: Float32Array): void {
    if (this.k === 0) return;
    let full = this.size >= this.k;
    let weakest = full ? (this.scores[0] as number) : 0;
    for (let i = 0; i < count; i++) {
      const item = items[i] as number;
      const score = scoreOf[item] as number;
      if (full && score <= weakest) continue;
      this.offer(item, score);
      full = this.size >= this.k;
      if (full) weakest = this.scores[0] as number;
    }
  }

  /** The kept items, best first. */
  sorted(): { item: number; score: number }[] {
    const items = new Int32Array(this.size);
    const scores = new Float64Array(this.size);
    const n = this.sortedInto(items, scores);
    return Array.from({ length: n }, (_, i) => ({ item: items[i] as number, score: scores[i] as number }));
  }

  /**
   * Writes the kept items and their scores into the arrays (which must hold k), best first; equal
   * scores keep their order in the heap. Returns how many were written.
   */
  sortedInto(items: Int32Array, scores: Float32Array | Float64Array): number {
    const n = this.size;
    for (let i = 0; i < n; i++) {
      const item = this.items[i] as number;
      const score = this.scores[i] as number;
      let at = i;
      while (at > 0 && (scores[at - 1] as number) < score) {
        items[at] = items[at - 1] as number;
        scores[at] = scores[at - 1] as number;
        at--;
      }
      items[at] = item;
      scores[at] = score;
    }
    return n;
  }
}

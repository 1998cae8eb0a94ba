import hnswlib from "hnswlib-node";

/** A nearest-neighbour hit: the item's position in build order and its cosine similarity. */
export type VectorHit = { item: number; similarity: number };

/**
 * Approximate nearest neighbours over unit vectors with hnswlib (cosine space). Small collections are
 * searched with ef ≥ their size, which makes the search exact.
 */
export class VectorIndex {
  /** hnswlib takes the query as a plain array; one is reused rather than made per search. */
  private readonly queryArray: number[];

  private constructor(
    private readonly hnsw: hnswlib.HierarchicalNSW,
    readonly dimensions: number,
    readonly count: number,
  ) {
    hnsw.setEf(Math.min(Math.max(64, count), 256));
    this.queryArray = new Array<number>(dimensions).fill(0);
  }

  /** Builds an index over vectors; item i is vectors[i]. */
  static build(vectors: Float32Array[], dimensions: number): VectorIndex {
    const hnsw = new hnswlib.HierarchicalNSW("cosine", dimensions);
    hnsw.initIndex({ maxElements: Math.max(1, vectors.length), m: 12, efConstruction: 48, randomSeed: 7 });
    vectors.forEach((v, i) => {
      // hnswlib rejects zero vectors in cosine space; a passage with no known word gets a tiny constant.
      hnsw.addPoint(isZero(v) ? Array.from(v, () => 1e-6) : Array.from(v), i);
    });
    return new VectorIndex(hnsw, dimensions, vectors.length);
  }

  /** Loads an index written by save(). */
  static load(file: string, dimensions: number, count: number): VectorIndex {
    const hnsw = new hnswlib.HierarchicalNSW("cosine", dimensions);
    hnsw.readIndexSync(file);
    return new VectorIndex(hnsw, dimensions, count);
  }

  /** Writes the index to a file. */
  save(file: string): void {
    this.hnsw.writeIndexSync(file);
  }

  /** The k nearest items to a query vector; an all-zero query (no known word) finds nothing. */
  search(query: Float32Array, k: number, accept?: (item: number) => boolean): VectorHit[] {
    const { neighbors, distances } = this.nearest(query, k, accept);
    return neighbors.map((item, i) => ({ item, similarity: 1 - (distances[i] as number) }));
  }

  /** search() as hnswlib returns it: items and cosine distances (1 − similarity), nearest first. */
  nearest(
    query: Float32Array,
    k: number,
    accept?: (item: number) => boolean,
  ): { neighbors: number[]; distances: number[] } {
    if (this.count === 0 || isZero(query)) return { neighbors: [], distances: [] };
    const q = this.queryArray;
    if (query.length !== q.length) throw new Error(`query has ${query.length} dimensions, not ${q.length}`);
    for (let i = 0; i < q.length; i++) q[i] = query[i] as number;
    return this.hnsw.searchKnn(q, Math.min(k, this.count), accept);
  }
}

function isZero(v: Float32Array): boolean {
  for (const x of v) if (x !== 0) return false;
  return true;
}

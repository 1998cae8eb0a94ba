import { describe, expect, it } from "vitest";
import { VectorIndex } from "./vector.ts";

const unit = (v: number[]) => {
  const n = Math.hypot(...v);
  return Float32Array.from(v, (x) => x / n);
};
const vectors = [unit([1, 0, 0]), unit([1, 1, 0]), unit([0, 1, 0]), unit([0, 1, 1]), unit([0, 0, 1])];
const index = VectorIndex.build(vectors, 3);

describe("VectorIndex", () => {
  it("finds the nearest items, nearest first; nearest() is search() as hnswlib returns it", () => {
    const q = unit([1, 0.2, 0]);
    const hits = index.search(q, 3);
    expect(hits.map((h) => h.item)).toEqual([0, 1, 2]);
    expect(hits[0]!.similarity).toBeCloseTo(q[0]!, 5);
    // The query array is reused: a second query does not see the first.
    const again = index.nearest(unit([0, 0.1, 1]), 2);
    expect(again.neighbors).toEqual([4, 3]);
    const { neighbors, distances } = index.nearest(q, 3);
    expect(neighbors).toEqual(hits.map((h) => h.item));
    expect(distances.map((d) => 1 - d)).toEqual(hits.map((h) => h.similarity));
  });

  it("filters with accept, finds nothing for a zero query, and rejects a query of the wrong size", () => {
    expect(index.search(unit([1, 0.3, 0.1]), 2, (i) => i !== 0).map((h) => h.item)).toEqual([1, 2]);
    expect(index.search(new Float32Array(3), 2)).toEqual([]);
    expect(() => index.search(unit([1, 0]), 2)).toThrow(/dimensions/);
  });
});

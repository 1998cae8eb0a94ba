import { conceptTerms } from "../search/analyze.ts";
import { mulberry32 } from "../util/random.ts";
import type { Embedder } from "./embedder.ts";

/**
 * Cross-language latent semantic indexing: the default embedder, learned from the content itself, with
 * no network and no downloaded weights.
 *
 * Each training document holds an entry's Vietnamese and English text together, so words of both
 * languages that describe the same thing share latent dimensions: an English question lands near
 * Vietnamese text and the other way round. Vectors are U_kᵀ·x for the tf-idf vector x of a text,
 * where U_k holds the top-k left singular vectors of the term-document matrix (randomized SVD).
 */
export type LsiModel = {
  terms: string[];
  idf: Float32Array;
  /** Row-major, terms × dimensions. */
  basis: Float32Array;
  dimensions: number;
};

export type LsiOptions = { dimensions?: number; seed?: number; powerIterations?: number; maxTerms?: number };

/** Learns the latent space from training documents (bilingual entry texts). */
export function trainLsi(documents: string[], options: LsiOptions = {}): LsiModel {
  const seed = options.seed ?? 42;
  const docs = documents.map((d) => countTerms(conceptTerms(d)));
  const df = new Map<string, number>();
  for (const tf of docs) for (const t of tf.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  // In a large corpus, words seen in a single document are mostly noise and there are very many of them;
  // in a small one they still tie an entry's two languages together, so they are kept.
  const minDf = docs.length > 200 ? 2 : 1;
  // The most frequent terms only: the cost of training and of every embedding grows with the vocabulary.
  const terms = [...df.keys()]
    .filter((t) => (df.get(t) as number) >= minDf)
    .sort((a, b) => (df.get(b) as number) - (df.get(a) as number) || (a < b ? -1 : 1))
    .slice(0, options.maxTerms ?? 12_000)
    .sort();
  const termIds = new Map(terms.map((t, i) => [t, i]));
  const n = docs.length;
  const idf = new Float32Array(terms.map((t) => Math.log((1 + n) / (1 + (df.get(t) as number))) + 1));

  // Sparse term-document matrix in compressed columns (one column per document), unit-length columns.
  const colStart: number[] = [0];
  const rows: number[] = [];
  const vals: number[] = [];
  for (const tf of docs) {
    const start = rows.length;
    let norm = 0;
    for (const [t, f] of tf) {
      const r = termIds.get(t);
      if (r === undefined) continue;
      const v = (1 + Math.log(f)) * (idf[r] as number);
      rows.push(r);
      vals.push(v);
      norm += v * v;
    }
    norm = Math.sqrt(norm) || 1;
    for (let i = start; i < vals.length; i++) vals[i] = (vals[i] as number) / norm;
    colStart.push(rows.length);
  }
  const A = {
    m: terms.length,
    n,
    colStart: Int32Array.from(colStart),
    rows: Int32Array.from(rows),
    vals: Float64Array.from(vals),
  };
  const k = Math.max(1, Math.min(options.dimensions ?? 128, n, terms.length));
  const basis = randomizedLeftSingularVectors(A, k, options.powerIterations ?? 1, seed);
  return { terms, idf, basis, dimensions: k };
}

/** An Embedder over a trained model. */
export function lsiEmbedder(model: LsiModel): Embedder & { model: LsiModel } {
  const termIds = new Map(model.terms.map((t, i) => [t, i]));
  const k = model.dimensions;
  const embedOne = (text: string): Float32Array => {
    const out = new Float32Array(k);
    for (const [t, f] of countTerms(conceptTerms(text))) {
      const r = termIds.get(t);
      if (r === undefined) continue;
      const w = (1 + Math.log(f)) * (model.idf[r] as number);
      const row = r * k;
      for (let j = 0; j < k; j++) out[j] = (out[j] as number) + w * (model.basis[row + j] as number);
    }
    return normalize(out);
  };
  return {
    id: `lsi-${k}`,
    dimensions: k,
    model,
    embed: async (texts) => texts.map(embedOne),
  };
}

function countTerms(terms: string[]): Map<string, number> {
  const tf = new Map<string, number>();
  for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + 1);
  return tf;
}

/** Scales a vector to unit length in place (zero stays zero). */
export function normalize(v: Float32Array): Float32Array {
  let s = 0;
  for (const x of v) s += x * x;
  const n = Math.sqrt(s);
  if (n > 0) for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) / n;
  return v;
}

type SparseColumns = { m: number; n: number; colStart: Int32Array; rows: Int32Array; vals: Float64Array };

/**
 * Top-k left singular vectors of A (m × n) by the randomized range finder of Halko, Martinsson and
 * Tropp (2011): Y = (AAᵀ)^q·A·Ω, Q = orth(Y), then the small matrix B = QᵀA gives U = Q·eig(BBᵀ).
 * Cost is a few sparse products, so it scales to 50k documents; a seeded generator makes builds
 * reproducible.
 *
 * Dense matrices are flat Float64Arrays: row-major (one row of l values per term or document) for the
 * sparse products, whose inner loop then runs over contiguous memory, and column-major for Gram-Schmidt
 * and the dot products. Every sum is taken in the same order as the straightforward column-array version,
 * so the basis does not depend on the layout.
 */
function randomizedLeftSingularVectors(A: SparseColumns, k: number, q: number, seed: number): Float32Array {
  const l = Math.min(k + 10, A.n, A.m);
  const rand = gaussian(seed);
  // Y = A Ω, with Ω n × l drawn one row (document) at a time.
  let Y: Float64Array = new Float64Array(A.m * l);
  const omega = new Float64Array(l);
  for (let c = 0; c < A.n; c++) {
    for (let j = 0; j < l; j++) omega[j] = rand();
    for (let p = A.colStart[c] as number; p < (A.colStart[c + 1] as number); p++) {
      const base = (A.rows[p] as number) * l;
      const v = A.vals[p] as number;
      for (let j = 0; j < l; j++) Y[base + j] = (Y[base + j] as number) + v * (omega[j] as number);
    }
  }
  Y = orthonormalRows(Y, A.m, l);
  for (let it = 0; it < q; it++) {
    const Z = orthonormalRows(transposeTimes(A, Y, l), A.n, l);
    Y = orthonormalRows(times(A, Z, l), A.m, l);
  }
  // B = Qᵀ A is l × n; BBᵀ is l × l. Its eigenvectors W give U = Q W.
  const B = transpose(transposeTimes(A, Y, l), A.n, l); // column-major: column j = row j of QᵀA
  const BBt = Array.from({ length: l }, (_, i) =>
    Array.from({ length: l }, (_, j) => dot(B, i * A.n, B, j * A.n, A.n)),
  );
  const { values, vectors } = jacobiEigen(BBt);
  const order = values
    .map((v, i) => [v, i] as const)
    .sort((a, b) => b[0] - a[0])
    .slice(0, k);
  // W's columns of the kept eigenvalues, each stored contiguously.
  const W = new Float64Array(k * l);
  order.forEach(([, idx], col) => {
    for (let j = 0; j < l; j++) W[col * l + j] = (vectors[j] as number[])[idx] as number;
  });
  const basis = new Float32Array(A.m * k);
  for (let r = 0; r < A.m; r++) {
    const row = r * l;
    let col = 0;
    // Four output columns at a time: four independent sums, each still taken over j in order.
    for (; col + 4 <= k; col += 4) {
      const w = col * l;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let j = 0; j < l; j++) {
        const y = Y[row + j] as number;
        s0 += y * (W[w + j] as number);
        s1 += y * (W[w + l + j] as number);
        s2 += y * (W[w + 2 * l + j] as number);
        s3 += y * (W[w + 3 * l + j] as number);
      }
      basis[r * k + col] = s0;
      basis[r * k + col + 1] = s1;
      basis[r * k + col + 2] = s2;
      basis[r * k + col + 3] = s3;
    }
    for (; col < k; col++) {
      const w = col * l;
      let s = 0;
      for (let j = 0; j < l; j++) s += (Y[row + j] as number) * (W[w + j] as number);
      basis[r * k + col] = s;
    }
  }
  return basis;
}

/** A·Z for Z row-major n × l: returns A·Z row-major m × l. */
function times(A: SparseColumns, Z: Float64Array, l: number): Float64Array {
  const out = new Float64Array(A.m * l);
  for (let c = 0; c < A.n; c++) {
    const z = c * l;
    for (let p = A.colStart[c] as number; p < (A.colStart[c + 1] as number); p++) {
      const base = (A.rows[p] as number) * l;
      const v = A.vals[p] as number;
      for (let j = 0; j < l; j++) out[base + j] = (out[base + j] as number) + v * (Z[z + j] as number);
    }
  }
  return out;
}

/** Aᵀ·Y for Y row-major m × l: returns Aᵀ·Y row-major n × l. */
function transposeTimes(A: SparseColumns, Y: Float64Array, l: number): Float64Array {
  const out = new Float64Array(A.n * l);
  for (let c = 0; c < A.n; c++) {
    const o = c * l;
    for (let p = A.colStart[c] as number; p < (A.colStart[c + 1] as number); p++) {
      const base = (A.rows[p] as number) * l;
      const v = A.vals[p] as number;
      for (let j = 0; j < l; j++) out[o + j] = (out[o + j] as number) + v * (Y[base + j] as number);
    }
  }
  return out;
}

/** Transpose of a row-major rows × cols matrix (equivalently, row-major ⇄ column-major). */
function transpose(a: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = a[r * cols + c] as number;
  return out;
}

function dot(a: Float64Array, aStart: number, b: Float64Array, bStart: number, length: number): number {
  let s = 0;
  for (let i = 0; i < length; i++) s += (a[aStart + i] as number) * (b[bStart + i] as number);
  return s;
}

/** Orthonormalizes the l columns of a row-major rows × l matrix; returns a new row-major matrix. */
function orthonormalRows(a: Float64Array, rows: number, l: number): Float64Array {
  const cols = transpose(a, rows, l);
  orthonormalize(cols, rows, l);
  return transpose(cols, l, rows);
}

/**
 * Modified Gram-Schmidt on the `count` columns (each `length` long, stored one after the other), in
 * place; a column that collapses becomes zero. Columns are taken four at a time: each earlier column is
 * subtracted from all four in one pass over memory, with four independent sums. Each pass that subtracts
 * a projection also computes the dot product the next step needs. Every column still sees exactly the
 * operations of the textbook loop, in the same order, so the result does not depend on the blocking.
 * Exported for its test.
 */
export function orthonormalize(cols: Float64Array, length: number, count: number): void {
  let j = 0;
  for (; j + 4 <= count; j += 4) {
    projectOutPrevious4(cols, length, j);
    for (let c = j; c < j + 4; c++) finishColumn(cols, length, j, c);
  }
  for (; j < count; j++) finishColumn(cols, length, 0, j);
}

/** Subtracts from columns j..j+3 their projections on columns 0..j-1 (already orthonormal), in order. */
function projectOutPrevious4(cols: Float64Array, length: number, j: number): void {
  if (j === 0) return;
  const v0 = j * length;
  const v1 = v0 + length;
  const v2 = v1 + length;
  const v3 = v2 + length;
  let d0 = 0;
  let d1 = 0;
  let d2 = 0;
  let d3 = 0;
  for (let r = 0; r < length; r++) {
    const u = cols[r] as number;
    d0 += u * (cols[v0 + r] as number);
    d1 += u * (cols[v1 + r] as number);
    d2 += u * (cols[v2 + r] as number);
    d3 += u * (cols[v3 + r] as number);
  }
  for (let i = 0; i < j; i++) {
    const u = i * length;
    if (i + 1 === j) {
      for (let r = 0; r < length; r++) {
        const ur = cols[u + r] as number;
        cols[v0 + r] = (cols[v0 + r] as number) - d0 * ur;
        cols[v1 + r] = (cols[v1 + r] as number) - d1 * ur;
        cols[v2 + r] = (cols[v2 + r] as number) - d2 * ur;
        cols[v3 + r] = (cols[v3 + r] as number) - d3 * ur;
      }
      break;
    }
    const next = u + length;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let r = 0; r < length; r++) {
      const ur = cols[u + r] as number;
      const nr = cols[next + r] as number;
      const x0 = (cols[v0 + r] as number) - d0 * ur;
      const x1 = (cols[v1 + r] as number) - d1 * ur;
      const x2 = (cols[v2 + r] as number) - d2 * ur;
      const x3 = (cols[v3 + r] as number) - d3 * ur;
      cols[v0 + r] = x0;
      cols[v1 + r] = x1;
      cols[v2 + r] = x2;
      cols[v3 + r] = x3;
      s0 += nr * x0;
      s1 += nr * x1;
      s2 += nr * x2;
      s3 += nr * x3;
    }
    d0 = s0;
    d1 = s1;
    d2 = s2;
    d3 = s3;
  }
}

/** Subtracts from column c its projections on columns from..c-1, in order, then normalizes it. */
function finishColumn(cols: Float64Array, length: number, from: number, c: number): void {
  const v = c * length;
  let d = dot(cols, c > from ? from * length : v, cols, v, length);
  for (let i = from; i < c; i++) {
    const u = i * length;
    const next = i + 1 < c ? u + length : v;
    let s = 0;
    for (let r = 0; r < length; r++) {
      const x = (cols[v + r] as number) - d * (cols[u + r] as number);
      cols[v + r] = x;
      s += (cols[next + r] as number) * x;
    }
    d = s;
  }
  const n = Math.sqrt(d);
  if (n > 1e-10) for (let r = 0; r < length; r++) cols[v + r] = (cols[v + r] as number) / n;
  else cols.fill(0, v, v + length);
}

/**
 * Eigen-decomposition of a small symmetric matrix by cyclic Jacobi rotations, on flat arrays (row-major)
 * for speed. Returns eigenvalues and the eigenvectors as the columns of a row-major matrix.
 */
function jacobiEigen(input: number[][]): { values: number[]; vectors: number[][] } {
  const n = input.length;
  const a = new Float64Array(n * n);
  input.forEach((row, i) => row.forEach((x, j) => (a[i * n + j] = x)));
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < n; i++) {
      diag += (a[i * n + i] as number) ** 2;
      for (let j = i + 1; j < n; j++) off += (a[i * n + j] as number) ** 2;
    }
    if (off <= 1e-24 * diag) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q] as number;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = ((a[q * n + q] as number) - (a[p * n + p] as number)) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        // A ← Jᵀ A J: columns p and q, then rows p and q.
        for (let r = 0; r < n; r++) {
          const arp = a[r * n + p] as number;
          const arq = a[r * n + q] as number;
          a[r * n + p] = c * arp - s * arq;
          a[r * n + q] = s * arp + c * arq;
        }
        for (let r = 0; r < n; r++) {
          const apr = a[p * n + r] as number;
          const aqr = a[q * n + r] as number;
          a[p * n + r] = c * apr - s * aqr;
          a[q * n + r] = s * apr + c * aqr;
          const vrp = v[r * n + p] as number;
          const vrq = v[r * n + q] as number;
          v[r * n + p] = c * vrp - s * vrq;
          v[r * n + q] = s * vrp + c * vrq;
        }
      }
    }
  }
  const values = Array.from({ length: n }, (_, i) => a[i * n + i] as number);
  const vectors = Array.from({ length: n }, (_, i) => Array.from(v.subarray(i * n, (i + 1) * n)));
  return { values, vectors };
}

/** Deterministic standard normal numbers (mulberry32 + Box-Muller). */
function gaussian(seed: number): () => number {
  const uniform = mulberry32(seed);
  return () => Math.sqrt(-2 * Math.log(uniform() || 1e-12)) * Math.cos(2 * Math.PI * uniform());
}

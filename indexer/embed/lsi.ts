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
 */
function randomizedLeftSingularVectors(A: SparseColumns, k: number, q: number, seed: number): Float32Array {
  const l = Math.min(k + 10, A.n, A.m);
  const rand = gaussian(seed);
  // Y = A Ω, with Ω n × l; stored as l columns of length m.
  let Y: Float64Array[] = Array.from({ length: l }, () => new Float64Array(A.m));
  for (let c = 0; c < A.n; c++) {
    const omega = Array.from({ length: l }, () => rand());
    for (let p = A.colStart[c] as number; p < (A.colStart[c + 1] as number); p++) {
      const r = A.rows[p] as number;
      const v = A.vals[p] as number;
      for (let j = 0; j < l; j++)
        (Y[j] as Float64Array)[r] = ((Y[j] as Float64Array)[r] as number) + v * (omega[j] as number);
    }
  }
  orthonormalize(Y);
  for (let it = 0; it < q; it++) {
    const Z = transposeTimes(A, Y); // n-vectors
    orthonormalize(Z);
    Y = times(A, Z);
    orthonormalize(Y);
  }
  // B = Qᵀ A is l × n; BBᵀ is l × l. Its eigenvectors W give U = Q W.
  const B = transposeTimes(A, Y); // l columns of length n: column j = (Qᵀ A)_j,· as a row
  const BBt = Array.from({ length: l }, (_, i) =>
    Array.from({ length: l }, (_, j) => dot(B[i] as Float64Array, B[j] as Float64Array)),
  );
  const { values, vectors } = jacobiEigen(BBt);
  const order = values
    .map((v, i) => [v, i] as const)
    .sort((a, b) => b[0] - a[0])
    .slice(0, k);
  const basis = new Float32Array(A.m * k);
  order.forEach(([, idx], col) => {
    for (let r = 0; r < A.m; r++) {
      let s = 0;
      for (let j = 0; j < l; j++)
        s += ((Y[j] as Float64Array)[r] as number) * ((vectors[j] as number[])[idx] as number);
      basis[r * k + col] = s;
    }
  });
  return basis;
}

/** A·Z for Z given as columns of length n: returns columns of length m. */
function times(A: SparseColumns, Z: Float64Array[]): Float64Array[] {
  const out = Z.map(() => new Float64Array(A.m));
  for (let c = 0; c < A.n; c++) {
    for (let p = A.colStart[c] as number; p < (A.colStart[c + 1] as number); p++) {
      const r = A.rows[p] as number;
      const v = A.vals[p] as number;
      for (let j = 0; j < Z.length; j++)
        (out[j] as Float64Array)[r] =
          ((out[j] as Float64Array)[r] as number) + v * ((Z[j] as Float64Array)[c] as number);
    }
  }
  return out;
}

/** Aᵀ·Y for Y given as columns of length m: returns columns of length n. */
function transposeTimes(A: SparseColumns, Y: Float64Array[]): Float64Array[] {
  const out = Y.map(() => new Float64Array(A.n));
  for (let c = 0; c < A.n; c++) {
    for (let p = A.colStart[c] as number; p < (A.colStart[c + 1] as number); p++) {
      const r = A.rows[p] as number;
      const v = A.vals[p] as number;
      for (let j = 0; j < Y.length; j++)
        (out[j] as Float64Array)[c] =
          ((out[j] as Float64Array)[c] as number) + v * ((Y[j] as Float64Array)[r] as number);
    }
  }
  return out;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

/** Modified Gram-Schmidt on columns, in place; a column that collapses becomes zero. */
function orthonormalize(cols: Float64Array[]): void {
  for (let j = 0; j < cols.length; j++) {
    const v = cols[j] as Float64Array;
    for (let i = 0; i < j; i++) {
      const u = cols[i] as Float64Array;
      const d = dot(u, v);
      for (let r = 0; r < v.length; r++) v[r] = (v[r] as number) - d * (u[r] as number);
    }
    const n = Math.sqrt(dot(v, v));
    if (n > 1e-10) for (let r = 0; r < v.length; r++) v[r] = (v[r] as number) / n;
    else v.fill(0);
  }
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

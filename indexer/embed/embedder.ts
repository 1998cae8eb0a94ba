/**
 * The Embedder port: turns texts into unit-length vectors. The index is built and queried with the same
 * embedder; its id is written in the manifest so a mismatch is caught when the index is opened.
 */
export interface Embedder {
  /** Stable identifier, e.g. "lsi-128" or "openai:text-embedding-3-small". */
  readonly id: string;
  readonly dimensions: number;
  embed(texts: string[]): Promise<Float32Array[]>;
}

import { readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { CURRENT_FILE, hashContent, VECTORS_FILE } from "./build.ts";
import type { Chunk } from "./content/chunk.ts";
import type { ContentEntry } from "./content/schema.ts";
import type { Embedder } from "./embed/embedder.ts";
import { lsiEmbedder } from "./embed/lsi.ts";
import { AppError } from "./errors.ts";
import { createKnowledgeIndex, type KnowledgeIndex } from "./knowledge-index.ts";
import { manifestSchema, type Manifest } from "./manifest.ts";
import { LexicalIndex } from "./search/lexical.ts";
import { VectorIndex } from "./search/vector.ts";
import { unpackArrays } from "./store/binary.ts";

export type OpenOptions = {
  /**
   * The embedder for queries when the index was built with an external one (its id must match the
   * manifest). An LSI index carries its own model. Without a usable embedder, search is lexical only.
   */
  embedder?: Embedder;
  log?: { warn: (msg: string) => void };
};

/** Opens the live version of an index folder (the one CURRENT names), or a version folder itself. */
export async function openIndex(dir: string, options: OpenOptions = {}): Promise<KnowledgeIndex> {
  const versionDir = await resolveVersionDir(dir);
  const manifest = await readManifest(versionDir);
  const read = (name: string) => readFile(path.join(versionDir, name));
  const [entriesRaw, chunksRaw, lexicalRaw] = await Promise.all([
    read("entries.json"),
    read("chunks.json"),
    read("lexical.bin"),
  ]);
  const entries = JSON.parse(entriesRaw.toString("utf8")) as ContentEntry[];
  const chunks = JSON.parse(chunksRaw.toString("utf8")) as Chunk[];
  const lex = unpackArrays<{ terms: string[]; docCount: number }>(lexicalRaw);
  const lexical = new LexicalIndex({
    terms: lex.meta.terms,
    docCount: lex.meta.docCount,
    idf: lex.arrays.idf as Float32Array,
    offsets: lex.arrays.offsets as Int32Array,
    docs: lex.arrays.docs as Int32Array,
    weights: lex.arrays.weights as Float32Array,
  });

  let embedder: Embedder | undefined;
  if (manifest.embedder.id.startsWith("lsi-")) {
    const lsi = unpackArrays<{ terms: string[]; dimensions: number }>(await read("lsi.bin"));
    embedder = lsiEmbedder({
      terms: lsi.meta.terms,
      dimensions: lsi.meta.dimensions,
      idf: lsi.arrays.idf as Float32Array,
      basis: lsi.arrays.basis as Float32Array,
    });
  } else if (options.embedder?.id === manifest.embedder.id) {
    embedder = options.embedder;
  } else {
    options.log?.warn(
      `index was built with embedder ${manifest.embedder.id}, which is not configured now: lexical search only`,
    );
  }
  const vectors = embedder
    ? {
        index: VectorIndex.load(
          path.join(versionDir, VECTORS_FILE),
          manifest.embedder.dimensions,
          chunks.length,
        ),
        embedder,
      }
    : undefined;
  return createKnowledgeIndex({ manifest, entries, chunks, lexical, ...(vectors ? { vectors } : {}) });
}

/** The live manifest of an index folder, or undefined when there is no usable index yet. */
export async function currentManifest(dir: string): Promise<Manifest | undefined> {
  try {
    return await readManifest(await resolveVersionDir(dir));
  } catch {
    return undefined;
  }
}

/**
 * Whether the live index was built from the content as it is now, with the embedder configured now
 * (an external one by its id; undefined means the built-in LSI).
 */
export async function isIndexUpToDate(
  indexDir: string,
  contentDir: string,
  embedderId?: string,
): Promise<boolean> {
  const manifest = await currentManifest(indexDir);
  if (!manifest || manifest.contentHash !== (await hashContent(contentDir))) return false;
  return embedderId === undefined
    ? manifest.embedder.id.startsWith("lsi-")
    : manifest.embedder.id === embedderId;
}

async function resolveVersionDir(dir: string): Promise<string> {
  const current = await readFile(path.join(dir, CURRENT_FILE), "utf8").catch(() => undefined);
  if (current !== undefined) {
    const name = current.trim();
    if (!/^[\w.-]+$/.test(name))
      throw new AppError("index_corrupt", `${dir}/${CURRENT_FILE} names no version`);
    return path.join(dir, name);
  }
  return dir;
}

async function readManifest(versionDir: string): Promise<Manifest> {
  const raw = await readFile(path.join(versionDir, "manifest.json"), "utf8").catch((cause: unknown) => {
    throw new AppError("index_missing", `no index in ${versionDir}: run \`npm run index\``, { cause });
  });
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (cause) {
    throw new AppError("index_corrupt", `index manifest in ${versionDir} is not JSON`, { cause });
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    throw new AppError(
      "index_corrupt",
      `index manifest in ${versionDir} is invalid: ${z.prettifyError(parsed.error)}`,
    );
  }
  return parsed.data;
}

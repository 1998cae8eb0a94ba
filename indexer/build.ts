import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { chunkEntry, SUMMARY_HEADING, type Chunk } from "./content/chunk.ts";
import { formatProblem, listEntryFiles, loadContent } from "./content/load.ts";
import { ENTRY_TYPES, TYPE_FOLDERS, type ContentEntry } from "./content/schema.ts";
import type { Embedder } from "./embed/embedder.ts";
import { lsiEmbedder, trainLsi, type LsiModel } from "./embed/lsi.ts";
import { AppError } from "./errors.ts";
import { createKnowledgeIndex, type KnowledgeIndex } from "./knowledge-index.ts";
import { INDEX_FORMAT, type Manifest } from "./manifest.ts";
import { currentManifest } from "./open.ts";
import { LexicalIndex, type LexicalDoc } from "./search/lexical.ts";
import { VectorIndex } from "./search/vector.ts";
import { packArrays } from "./store/binary.ts";

/** Build steps, in order, for progress reporting. */
export const BUILD_STEPS = ["load", "lexical", "embed", "vectors", "write"] as const;
export type BuildStep = (typeof BUILD_STEPS)[number];

export type BuildOptions = {
  /**
   * Embedder for the vector index. Omitted: the built-in cross-language LSI, learned from the content.
   * An external embedder (an OpenAI-compatible endpoint) that fails falls back to LSI with a warning.
   */
  embedder?: Embedder;
  lsiDimensions?: number;
  onProgress?: (step: BuildStep, done: number, total: number) => void;
  log?: { warn: (msg: string) => void };
  /** Day used to reject lastVerified dates in the future; defaults to today. */
  today?: string;
  /**
   * Confirms a build that drops more than half of the live index's entries (`npm run index --
   * --allow-shrink`, the confirm step of /admin/publish); without it such a build is refused.
   */
  allowShrink?: boolean;
};

/** A built index held in memory, with what is needed to write it to disk. */
export type BuiltIndex = {
  index: KnowledgeIndex;
  manifest: Manifest;
  files: Record<string, Buffer | string>;
  vectorIndex: VectorIndex;
};

const EMBED_BATCH = 256;

/**
 * The latent space is learned from at most this many documents (an even sample when there are more):
 * enough to learn which words go together, while a 50k-entry knowledge base still builds in seconds.
 */
const LSI_MAX_TRAINING_DOCS = 3000;

/** Builds an index from validated entries, in memory. */
export async function buildFromEntries(
  entries: ContentEntry[],
  contentHash: string,
  options: BuildOptions = {},
): Promise<BuiltIndex> {
  const started = performance.now();
  const progress = options.onProgress ?? (() => {});
  const chunks: Chunk[] = entries.flatMap(chunkEntry);
  const byId = new Map(entries.map((e) => [e.id, e]));

  progress("lexical", 0, 1);
  const lexical = LexicalIndex.build(chunks.map((c) => lexicalDoc(byId.get(c.entryId) as ContentEntry, c)));
  progress("lexical", 1, 1);

  const chunkTexts = chunks.map((c) => embeddingText(byId.get(c.entryId) as ContentEntry, c));
  let lsi: LsiModel | undefined;
  let embedder = options.embedder;
  let vectors: Float32Array[] = [];
  if (embedder) {
    try {
      vectors = await embedAll(embedder, chunkTexts, (done) => progress("embed", done, chunkTexts.length));
    } catch (cause) {
      options.log?.warn(`embedder ${embedder.id} failed (${String(cause)}); using the built-in LSI embedder`);
      embedder = undefined;
    }
  }
  if (!embedder) {
    progress("embed", 0, chunkTexts.length);
    lsi = trainLsi(sample([...entries.map(bilingualText), ...chunkTexts], LSI_MAX_TRAINING_DOCS), {
      dimensions: options.lsiDimensions ?? 64,
    });
    embedder = lsiEmbedder(lsi);
    vectors = await embedAll(embedder, chunkTexts, (done) => progress("embed", done, chunkTexts.length));
  }
  progress("vectors", 0, 1);
  const vectorIndex = VectorIndex.build(vectors, embedder.dimensions);
  progress("vectors", 1, 1);

  const byType = Object.fromEntries(
    ENTRY_TYPES.map((t) => [t, entries.filter((e) => e.type === t).length]),
  ) as Manifest["counts"]["byType"];
  const builtAt = new Date().toISOString();
  const manifest: Manifest = {
    format: INDEX_FORMAT,
    version: `${builtAt.replace(/[-:]/g, "").replace(/\..*/, "")}-${contentHash.slice(0, 8)}-${randomBytes(2).toString("hex")}`,
    contentHash,
    embedder: { id: embedder.id, dimensions: embedder.dimensions },
    counts: { entries: entries.length, chunks: chunks.length, terms: lexical.termCount, byType },
    builtAt,
    buildMs: Math.round(performance.now() - started),
  };
  const d = lexical.data;
  const files: Record<string, Buffer | string> = {
    "entries.json": JSON.stringify(entries),
    "chunks.json": JSON.stringify(chunks),
    "lexical.bin": packArrays(
      { terms: d.terms, docCount: d.docCount },
      { idf: d.idf, offsets: d.offsets, docs: d.docs, weights: d.weights },
    ),
  };
  if (lsi) {
    files["lsi.bin"] = packArrays(
      { terms: lsi.terms, dimensions: lsi.dimensions },
      { idf: lsi.idf, basis: lsi.basis },
    );
  }
  const index = createKnowledgeIndex({
    manifest,
    entries,
    chunks,
    lexical,
    vectors: { index: vectorIndex, embedder },
  });
  return { index, manifest, files, vectorIndex };
}

export const VECTORS_FILE = "vectors.hnsw";
export const CURRENT_FILE = "CURRENT";

export type BuildResult = { manifest: Manifest; dir: string; index: KnowledgeIndex };

/**
 * Validates content/, builds the index and switches it in atomically: files are written to a temporary
 * folder, renamed to the version folder, and only then is CURRENT replaced (by rename). Content that must
 * not replace the live index throws an AppError before anything is written, so the previous index stays
 * live: `content_invalid` (with the problems), `content_missing` (the content folder, or a type folder the
 * live index has entries of, is not there: a swapped deploy, a failed checkout), `content_empty` (no
 * entries at all) and `content_shrink` (more than half of the live entries would go, unless
 * `allowShrink`).
 */
export async function buildIndex(
  contentDir: string,
  indexDir: string,
  options: BuildOptions = {},
): Promise<BuildResult> {
  options.onProgress?.("load", 0, 1);
  const live = await currentManifest(indexDir);
  await checkContentFolders(contentDir, live);
  const { entries, problems } = await loadContent(contentDir, { today: options.today });
  if (problems.length > 0) {
    throw new AppError("content_invalid", `content is invalid:\n${problems.map(formatProblem).join("\n")}`, {
      details: problems,
    });
  }
  checkAgainstLive(contentDir, entries, live, options.allowShrink ?? false);
  const contentHash = await hashContent(contentDir);
  options.onProgress?.("load", 1, 1);

  const built = await buildFromEntries(entries, contentHash, options);
  await mkdir(indexDir, { recursive: true });
  const previous =
    (await readFile(path.join(indexDir, CURRENT_FILE), "utf8").catch(() => "")).trim() || undefined;
  const tmp = path.join(indexDir, `.tmp-${built.manifest.version}`);
  const final = path.join(indexDir, built.manifest.version);
  try {
    await mkdir(tmp, { recursive: true });
    options.onProgress?.("write", 0, 1);
    for (const [name, data] of Object.entries(built.files)) await writeFile(path.join(tmp, name), data);
    built.vectorIndex.save(path.join(tmp, VECTORS_FILE));
    // The manifest is written last: a folder without one is never opened.
    await writeFile(path.join(tmp, "manifest.json"), JSON.stringify(built.manifest, null, 2));
    await rename(tmp, final);
    await writeFile(path.join(indexDir, `${CURRENT_FILE}.tmp`), built.manifest.version);
    await rename(path.join(indexDir, `${CURRENT_FILE}.tmp`), path.join(indexDir, CURRENT_FILE));
    options.onProgress?.("write", 1, 1);
  } catch (cause) {
    await rm(tmp, { recursive: true, force: true });
    throw new AppError("index_write_failed", `could not write the index to ${indexDir}`, { cause });
  }
  await pruneOldVersions(indexDir, [built.manifest.version, previous]);
  return { manifest: built.manifest, dir: final, index: built.index };
}

const KEEPS_LIVE = "nothing was built and the live index stays";

/** The content folder must be there, and so must each type folder the live index has entries of. */
async function checkContentFolders(contentDir: string, live: Manifest | undefined): Promise<void> {
  if (!(await isFolder(contentDir))) {
    throw new AppError("content_missing", `the content folder ${contentDir} is missing; ${KEEPS_LIVE}`);
  }
  for (const type of ENTRY_TYPES) {
    const count = live?.counts.byType[type] ?? 0;
    const folder = TYPE_FOLDERS[type];
    if (count > 0 && !(await isFolder(path.join(contentDir, folder)))) {
      throw new AppError(
        "content_missing",
        `the content folder ${contentDir} has no ${folder}/ folder, but the live index has ${count} ${type} ` +
          `entries; ${KEEPS_LIVE} (if they are meant to go, leave an empty ${folder}/ folder)`,
      );
    }
  }
}

/** No build without entries; none that drops more than half of the live entries unless confirmed. */
function checkAgainstLive(
  contentDir: string,
  entries: ContentEntry[],
  live: Manifest | undefined,
  allowShrink: boolean,
): void {
  if (entries.length === 0) {
    throw new AppError("content_empty", `the content folder ${contentDir} has no entries; ${KEEPS_LIVE}`);
  }
  if (!live || allowShrink) return;
  // Counted per type, so that emptying one folder while another grows is still seen.
  let dropped = 0;
  for (const type of ENTRY_TYPES) {
    const next = entries.filter((e) => e.type === type).length;
    dropped += Math.max(0, (live.counts.byType[type] ?? 0) - next);
  }
  if (dropped * 2 <= live.counts.entries) return;
  throw new AppError(
    "content_shrink",
    `this build would drop ${dropped} of the ${live.counts.entries} entries of the live index (more than ` +
      `half); ${KEEPS_LIVE}. If that is meant, build again with the confirmation: ` +
      "`npm run index -- --allow-shrink`, or the confirm button on /admin/publish",
    { details: { live: live.counts.entries, next: entries.length, dropped } },
  );
}

async function isFolder(dir: string): Promise<boolean> {
  return stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

/** SHA-256 over the entry files' paths and bytes, in a stable order. */
export async function hashContent(contentDir: string): Promise<string> {
  const hash = createHash("sha256");
  hash.update(`format ${INDEX_FORMAT}\n`);
  for (const rel of await listEntryFiles(contentDir)) {
    hash.update(`${rel}\n`);
    hash.update(await readFile(path.join(contentDir, rel)));
    hash.update("\n");
  }
  return hash.digest("hex");
}

/**
 * Keeps the live version and the one it replaced (for a quick manual rollback); removes the others.
 * The replaced one is known from CURRENT before the switch, not guessed from folder names.
 */
async function pruneOldVersions(indexDir: string, keep: (string | undefined)[]): Promise<void> {
  const names = (await readdir(indexDir, { withFileTypes: true }))
    .filter((d) => d.isDirectory() && !d.name.startsWith("."))
    .map((d) => d.name);
  const old = names.filter((n) => !keep.includes(n));
  await Promise.all(old.map((n) => rm(path.join(indexDir, n), { recursive: true, force: true })));
}

/** Every (n/max)-th item, so the sample spreads evenly over entries and their passages. */
function sample<T>(items: T[], max: number): T[] {
  if (items.length <= max) return items;
  const step = items.length / max;
  return Array.from({ length: max }, (_, i) => items[Math.floor(i * step)] as T);
}

async function embedAll(
  embedder: Embedder,
  texts: string[],
  onBatch: (done: number) => void,
): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (let i = 0; i < texts.length; i += EMBED_BATCH) {
    out.push(...(await embedder.embed(texts.slice(i, i + EMBED_BATCH))));
    onBatch(Math.min(texts.length, i + EMBED_BATCH));
  }
  return out;
}

/**
 * The weighted fields a passage is indexed with. An entry's names (counted double) and tags are indexed
 * once per language, with its summary, not on every passage: search adds the best summary score of an
 * entry to its best passage score, so "mấy giờ mở cửa miếu Bà" matches the name in one and the hours in
 * the other, while name and tag words keep short posting lists.
 */
function lexicalDoc(entry: ContentEntry, chunk: Chunk): LexicalDoc {
  if (chunk.heading !== SUMMARY_HEADING) {
    return { fields: [{ text: `${chunk.heading} ${chunk.text}`, weight: 1 }] };
  }
  const names = [entry.title.vi, entry.title.en, ...(entry.aliases?.vi ?? []), ...(entry.aliases?.en ?? [])];
  return {
    fields: [
      { text: names.join(" . "), weight: 2 },
      { text: entry.tags.join(" . "), weight: 1 },
      { text: chunk.text, weight: 1 },
    ],
  };
}

function embeddingText(entry: ContentEntry, chunk: Chunk): string {
  return `${entry.title.vi}. ${entry.title.en}. ${chunk.heading}. ${chunk.text}`;
}

/** Both languages of an entry in one training document: what links Vietnamese and English words. */
function bilingualText(entry: ContentEntry): string {
  return [
    entry.title.vi,
    entry.title.en,
    ...(entry.aliases?.vi ?? []),
    ...(entry.aliases?.en ?? []),
    entry.tags.join(" "),
    entry.summary.vi,
    entry.summary.en,
    entry.body.vi,
    entry.body.en,
  ].join("\n");
}

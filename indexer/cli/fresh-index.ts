import { buildIndex, type BuildResult } from "../build.ts";
import { AppError } from "../errors.ts";
import type { KnowledgeIndex } from "../knowledge-index.ts";
import { currentManifest, isIndexUpToDate, openIndex } from "../open.ts";
import type { IndexerConfig } from "./config.ts";
import { terminalProgress } from "./progress.ts";

const log = { warn: (m: string) => console.warn(`warning: ${m}`) };

/** Builds the index from the configured content with the configured embedder, with a progress bar. */
export function buildFromConfig(
  config: IndexerConfig,
  options: { allowShrink?: boolean } = {},
): Promise<BuildResult> {
  return buildIndex(config.contentDir, config.indexDir, {
    ...(config.embedder ? { embedder: config.embedder } : {}),
    onProgress: terminalProgress(),
    log,
    ...(options.allowShrink ? { allowShrink: true } : {}),
  });
}

/** Refusals of a build that mean "the content on disk is not a knowledge base to publish right now". */
const KEEP_THE_LIVE_INDEX = new Set(["content_missing", "content_empty", "content_shrink"]);

/** Whether the live index matches the configured content and embedder. */
export function isConfiguredIndexUpToDate(config: IndexerConfig): Promise<boolean> {
  return isIndexUpToDate(config.indexDir, config.contentDir, config.embedder?.id);
}

/**
 * Opens the live index, building it first when it is missing or older than the content. When the build
 * is refused because the content folder is missing, empty or lost most of its entries, the live index is
 * opened as it is, with a warning (the server keeps answering; `npm run index` says what to do).
 */
export async function openFreshIndex(
  config: IndexerConfig,
  warnings: { warn: (message: string) => void } = log,
): Promise<KnowledgeIndex> {
  if (!(await isConfiguredIndexUpToDate(config))) {
    console.error(`building the index from ${config.contentDir} ...`);
    try {
      return (await buildFromConfig(config)).index;
    } catch (err) {
      const keep = err instanceof AppError && KEEP_THE_LIVE_INDEX.has(err.code);
      if (!keep || !(await currentManifest(config.indexDir))) throw err;
      warnings.warn(`${err.message}\nserving the live index as it is`);
    }
  }
  return openIndex(config.indexDir, { ...(config.embedder ? { embedder: config.embedder } : {}), log });
}

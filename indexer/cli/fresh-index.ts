import { buildIndex, type BuildResult } from "../build.ts";
import type { KnowledgeIndex } from "../knowledge-index.ts";
import { isIndexUpToDate, openIndex } from "../open.ts";
import type { IndexerConfig } from "./config.ts";
import { terminalProgress } from "./progress.ts";

const log = { warn: (m: string) => console.warn(`warning: ${m}`) };

/** Builds the index from the configured content with the configured embedder, with a progress bar. */
export function buildFromConfig(config: IndexerConfig): Promise<BuildResult> {
  return buildIndex(config.contentDir, config.indexDir, {
    ...(config.embedder ? { embedder: config.embedder } : {}),
    onProgress: terminalProgress(),
    log,
  });
}

/** Whether the live index matches the configured content and embedder. */
export function isConfiguredIndexUpToDate(config: IndexerConfig): Promise<boolean> {
  return isIndexUpToDate(config.indexDir, config.contentDir, config.embedder?.id);
}

/** Opens the live index, building it first when it is missing or older than the content. */
export async function openFreshIndex(config: IndexerConfig): Promise<KnowledgeIndex> {
  if (!(await isConfiguredIndexUpToDate(config))) {
    console.error(`building the index from ${config.contentDir} ...`);
    return (await buildFromConfig(config)).index;
  }
  return openIndex(config.indexDir, { ...(config.embedder ? { embedder: config.embedder } : {}), log });
}

import { buildIndex } from "../build.ts";
import type { KnowledgeIndex } from "../knowledge-index.ts";
import { isIndexUpToDate, openIndex } from "../open.ts";
import type { IndexerConfig } from "./config.ts";
import { terminalProgress } from "./progress.ts";

/** Opens the live index, building it first when it is missing or older than the content. */
export async function openFreshIndex(config: IndexerConfig): Promise<KnowledgeIndex> {
  const log = { warn: (m: string) => console.warn(`warning: ${m}`) };
  if (!(await isIndexUpToDate(config.indexDir, config.contentDir, config.embedder?.id))) {
    console.error(`building the index from ${config.contentDir} ...`);
    const { index } = await buildIndex(config.contentDir, config.indexDir, {
      ...(config.embedder ? { embedder: config.embedder } : {}),
      onProgress: terminalProgress(),
      log,
    });
    return index;
  }
  return openIndex(config.indexDir, { ...(config.embedder ? { embedder: config.embedder } : {}), log });
}

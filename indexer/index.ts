/** The knowledge base: content model and loader, index build, and the read side. */
export {
  buildFromEntries,
  buildIndex,
  hashContent,
  BUILD_STEPS,
  type BuildOptions,
  type BuildResult,
  type BuildStep,
} from "./build.ts";
export { chunkEntry, type Chunk } from "./content/chunk.ts";
export {
  checkReferences,
  formatProblem,
  listEntryFiles,
  loadContent,
  parseEntryFile,
  vietnamToday,
  type ContentProblem,
} from "./content/load.ts";
export {
  contentVersion,
  diffLines,
  entryFileOf,
  entryPathIn,
  fieldsYaml,
  ID_PATTERN,
  isEntryId,
  newEntryFile,
  parseFieldsYaml,
  readEntryParts,
  updateEntryFile,
  validateEntryText,
  type BodyText,
  type DiffLine,
  type EntryTemplateValues,
  type FieldChange,
  type FieldPath,
  type FrontMatterChanges,
  type ValidateOptions,
} from "./content/edit.ts";
export {
  findEntryFile,
  readEntryFiles,
  removeEntryFile,
  writeEntryFile,
  type EntryFile,
} from "./content/entry-files.ts";
export * from "./content/schema.ts";
export type { Embedder } from "./embed/embedder.ts";
export { openAiEmbedder } from "./embed/openai.ts";
export { AppError } from "./errors.ts";
export { eventOccurrences, lunarDateOf, type Occurrence } from "./events.ts";
export {
  HYBRID,
  type KnowledgeIndex,
  type SearchHit,
  type SearchMode,
  type SearchOptions,
} from "./knowledge-index.ts";
export type { Manifest } from "./manifest.ts";
export { currentManifest, isIndexUpToDate, openIndex } from "./open.ts";
export { lunarToSolar, solarToLunar, type LunarDate, type SolarDate } from "./calendar/lunar.ts";
export { detectLanguage, fold, isStopword, tokenize } from "./text/normalize.ts";
export { loadDotEnv, readIndexerConfig, type IndexerConfig } from "./cli/config.ts";
export { openFreshIndex } from "./cli/fresh-index.ts";
export { withinOneEdit } from "./search/lexical.ts";
export { portalPath } from "./portal-path.ts";
// The LangChain retriever is in ./langchain/index.ts, so that importing the indexer never loads LangChain.

/**
 * The knowledge base for LangChain applications: the retriever, the six knowledge tools, ChatOpenAI for
 * an OpenAI-compatible endpoint and the bounded tool-calling loop the assistant uses. A module of its
 * own, so that what imports bot/ without it never loads LangChain.
 */
export {
  KnowledgeRetriever,
  portalPath,
  type KnowledgeDocumentMetadata,
  type KnowledgeRetrieverInput,
} from "../indexer/langchain/index.ts";
export { openAiToolModel } from "./assistant/model/tool-model.ts";
export {
  answerWithTools,
  createToolLoop,
  createToolLoops,
  EntryCitationFilter,
  ToolLoopFailure,
  uncitedStatements,
  type LazyToolModel,
  type ToolCallingModel,
  type ToolLoop,
  type ToolLoopFailureReason,
  type ToolLoopInput,
  type ToolLoopOptions,
  type ToolLoopResult,
} from "./assistant/model/tool-loop.ts";
export * from "./assistant/tools/index.ts";

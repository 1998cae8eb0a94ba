/** The knowledge base as a LangChain retriever (a module of its own: the indexer loads no LangChain). */
export {
  KnowledgeRetriever,
  type KnowledgeDocumentMetadata,
  type KnowledgeRetrieverInput,
} from "./retriever.ts";
export { portalPath } from "../portal-path.ts";

/** The knowledge base as LangChain tools (zod schemas), for LangChain agents and the tool-calling model path. */
export {
  createKnowledgeTools,
  eventsBetweenSchema,
  getEntrySchema,
  lodgingDeadlineSchema,
  lodgingFineSchema,
  nearbyPlacesSchema,
  searchKnowledgeSchema,
  type KnowledgeToolsOptions,
  type ToolSources,
} from "./knowledge-tools.ts";

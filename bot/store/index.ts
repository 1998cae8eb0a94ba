/** Where the assistant records questions, answers and feedback: the Store port and its implementations. */
export {
  DEFAULT_LIST_LIMIT,
  hashId,
  type Feedback,
  type InteractionRecord,
  type ListFeedbackOptions,
  type ListInteractionsOptions,
  type Store,
  type StoredInteraction,
} from "./store.ts";
export type {
  ConversationActivity,
  ConversationStore,
  DeliveryFilter,
  DeliveryPatch,
  DeliveryRow,
  DeliveryStatus,
  HandoffLine,
  HandoffRow,
  HandoffStatus,
} from "./conversations.ts";
export { createMemoryStore } from "./memory-store.ts";
export { SQLITE_SCHEMA_VERSION, openSqliteStore } from "./sqlite-store.ts";

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
export {
  CASE_CATEGORIES,
  CASE_STATUSES,
  caseCode,
  parseCaseCode,
  parseCaseCodeStrict,
  type CaseCategory,
  type CaseEvent,
  type CaseLine,
  type CasePatch,
  type CasePlace,
  type CaseRecord,
  type CaseStatus,
  type CaseStore,
  type ListCasesOptions,
  type NewCase,
  type QueuedWebhook,
} from "./cases.ts";
export { STORE_PG_SCHEMA_VERSION, openPostgresStore } from "./postgres-store.ts";

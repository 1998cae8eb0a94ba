/**
 * Tourist reports ("phản ánh"): the dialogue that files one (a hook before the assistant's answering,
 * its progress kept in the dialogue state), case codes and status, photos, the office's side, and the
 * outbound webhook. Knows nothing of HTTP: web/ builds the inbox and the pages on it.
 */
export { readCategory, readControl, readReportIntent, type ReportIntent } from "./intent.ts";
export {
  fetchCapped,
  folderPhotoStore,
  memoryPhotoStore,
  postgresPhotoStore,
  photoContentType,
  PhotoTooLarge,
  photoTypeOf,
  type PhotoFetch,
  type PhotoStore,
  type PhotoType,
} from "./photos.ts";
export {
  createReports,
  DEFAULT_DEADLINES,
  dueAt,
  statusPath,
  tokenHash,
  tokenMatches,
  type CaseDeadlines,
  type CaseEventName,
  type CaseEventSink,
  type Reports,
  type ReportsDeps,
  type ReportsOptions,
} from "./reports.ts";
export { CATEGORY_LABEL, STATUS_LABEL } from "./text.ts";
export { placeFinder } from "./places.ts";
export { isExplicitStart } from "./intent.ts";
export {
  canMove,
  createOffice,
  MAX_STAFF_TEXT,
  replyTarget,
  type Office,
  type OfficeDeps,
  type ReplyDelivery,
} from "./office.ts";
export {
  createWebhookQueue,
  signBody,
  webhookBody,
  type WebhookOptions,
  type WebhookQueue,
} from "./webhook.ts";
export { caseFigures, isOverdue, monthOf, type CaseFigures, type MonthFigures } from "./figures.ts";
export {
  CASE_CATEGORIES,
  CASE_STATUSES,
  parseCaseCode,
  parseCaseCodeStrict,
  type CaseCategory,
  type CaseEvent,
  type CaseRecord,
  type CaseStatus,
  type ListCasesOptions,
} from "../store/index.ts";
export { caseEventSink } from "./notify.ts";

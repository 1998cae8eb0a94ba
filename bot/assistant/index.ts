/** The assistant: question → Answer, shared by the web widget, Telegram and Zalo. */
export {
  createAssistant,
  type AnswerEvent,
  type Assistant,
  type AssistantDeps,
  type AssistantOptions,
  type Clock,
  type Logger,
} from "./assistant.ts";
export { isoOf, localToday, type LocalDate } from "./understand/dates.ts";
export { deadlineText } from "./compose/drafts.ts";
export { entryUrl, formatDate, formatLunar, formatVnd, mapUrl } from "./compose/format.ts";
export { openAiChatModel, type ChatMessage, type ChatModel, type ChatOptions } from "./model/chat-model.ts";
export {
  computeDeadlines,
  parseDeadlineQuery,
  type ComputedDeadline,
  type DeadlineQuery,
} from "./find/lodging-deadline.ts";
export {
  INTENTS,
  type Answer,
  type AnswerPlace,
  type AnswerSource,
  type Intent,
  type Question,
} from "./types.ts";

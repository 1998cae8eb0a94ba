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
export { isoOf, localToday, type LocalDate } from "./dates.ts";
export { deadlineText } from "./extractive.ts";
export { entryUrl, formatDate, formatLunar, formatVnd, mapUrl } from "./format.ts";
export { openAiChatModel, type ChatMessage, type ChatModel, type ChatOptions } from "./chat-model.ts";
export {
  computeDeadlines,
  parseDeadlineQuery,
  type ComputedDeadline,
  type DeadlineQuery,
} from "./lodging-deadline.ts";
export {
  INTENTS,
  type Answer,
  type AnswerPlace,
  type AnswerSource,
  type Intent,
  type Question,
} from "./types.ts";

/**
 * The assistant: question → Answer, shared by the web widget, Telegram and Zalo. Inside, four steps:
 * understand/ (a turn → frames), track/ (the dialogue state), find/ (frames → facts), compose/ (facts →
 * the answer); model/ lets an OpenAI-compatible model write the text from the same facts, or answer with
 * the knowledge tools of tools/ in a bounded tool-calling loop.
 */
export {
  createAssistant,
  type AnswerEvent,
  type Assistant,
  type AssistantDeps,
  type AssistantOptions,
  type Clock,
  type Logger,
  type TurnHook,
} from "./assistant.ts";
export { emergencyReply } from "./emergency.ts";
export {
  INITIAL_STATE,
  reduce,
  reduceReport,
  replay,
  REPORT_STEPS,
  type DialogueState,
  type ReportDraft,
  type ReportEvent,
  type ReportProgress,
  type ReportStep,
  type TrackedTurn,
} from "./track/index.ts";
export { isEmergencyText } from "./understand/index.ts";
export {
  deadlineText,
  entryUrl,
  formatDate,
  formatLunar,
  formatVnd,
  LEGAL_STATUS,
  mapUrl,
} from "./compose/index.ts";
export {
  computeDeadlines,
  computeFine,
  type ComputedDeadline,
  type FineBracket,
  type FineQuery,
  type FineResult,
} from "./find/index.ts";
export {
  lazyOpenAiToolModel,
  openAiChatModel,
  type ChatMessage,
  type ChatModel,
  type ChatOptions,
} from "./model/chat-model.ts";
// Types only: the LangChain modules load when a tool model is used (bot/langchain.ts has the values).
export type {
  LazyToolModel,
  ToolCallingModel,
  ToolLoop,
  ToolLoopInput,
  ToolLoopResult,
} from "./model/tool-loop.ts";
export type { KnowledgeToolsOptions, ToolSources } from "./tools/index.ts";
export {
  INTENTS,
  type Answer,
  type AnswerImage,
  type AnswerPlace,
  type AnswerSource,
  type FrameCoverage,
  type Intent,
  type Question,
  type QuestionPhoto,
} from "./types.ts";
export {
  isoOf,
  localToday,
  parseDeadlineQuery,
  type DeadlineQuery,
  type LocalDate,
} from "./understand/index.ts";

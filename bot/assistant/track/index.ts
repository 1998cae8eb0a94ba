/** Tracking the conversation: the dialogue state as a pure reduction over its turns. */
export { ConversationMemory } from "./memory.ts";
export {
  dialogueDigest,
  memoryDialogue,
  openPostgresDialogue,
  type DialogueStore,
  type PostgresDialogue,
  type PostgresDialogueOptions,
} from "./dialogue.ts";
export {
  framesFor,
  INITIAL_STATE,
  isLodgingFrame,
  reduce,
  replay,
  type DialogueState,
  type Frame,
  type SubjectSource,
  type TrackedTurn,
} from "./state.ts";
export {
  nextStep,
  reduceReport,
  REPORT_STEPS,
  type ReportDraft,
  type ReportDraftValue,
  type ReportEvent,
  type ReportProgress,
  type ReportStep,
} from "./report.ts";

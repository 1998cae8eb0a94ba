/**
 * A tourist report in progress, as part of the dialogue state: which step it is at and what was given so
 * far. Reduced turn by turn like the rest of the state (`reduceReport(progress, event) → progress`), so
 * it is re-created by replaying the turns and can be stored anywhere. What the steps mean to a visitor,
 * and what ends a report in a case, is bot/reports/'s business; this is only the bookkeeping.
 */

/** The steps, in the order they are asked. */
export const REPORT_STEPS = ["category", "where", "when", "photo", "description"] as const;
export type ReportStep = (typeof REPORT_STEPS)[number];

/** What a report has so far. Values are plain data (strings, numbers). */
export type ReportDraft = {
  category?: string;
  place?: { entryId?: string; name?: string; lat?: number; lng?: number; text?: string };
  when?: string;
  /** The stored photo's file name. */
  photo?: string;
  description?: string;
  /** The report's conversation so far (who said what), kept with the case. */
  lines: { from: "user" | "bot"; text: string; at: string }[];
};

export type ReportProgress = {
  step: ReportStep;
  draft: ReportDraft;
  /** A second report was asked for while this one is open: continue or start over? */
  asking?: "restart";
};

/** One thing that happened to the report in a turn. */
export type ReportEvent =
  | { kind: "start" }
  /** The current step's answer; the report moves to the next step. */
  | { kind: "answer"; value: ReportDraftValue }
  /** The current step skipped. */
  | { kind: "skip" }
  /** A photo sent before its step: kept, and the photo step is then passed over. */
  | { kind: "attach"; photo: string }
  /** Another report asked for while this one is open. */
  | { kind: "interrupt" }
  /** Continue the open report after an interruption. */
  | { kind: "resume" }
  /** A line of the report's conversation. */
  | { kind: "line"; line: ReportDraft["lines"][number] }
  /** Cancelled, or filed as a case: the report is over. */
  | { kind: "end" };

/** The answer to a step, by the step it answers. */
export type ReportDraftValue =
  | { step: "category"; category: string }
  | { step: "where"; place: NonNullable<ReportDraft["place"]> }
  | { step: "when"; when: string }
  | { step: "photo"; photo: string }
  | { step: "description"; description: string };

/** Most lines kept of one report's conversation. */
const MAX_LINES = 40;

/** The step after `step`, or "done" after the last. */
export function nextStep(step: ReportStep): ReportStep | "done" {
  const i = REPORT_STEPS.indexOf(step);
  return REPORT_STEPS[i + 1] ?? "done";
}

/** The step after `step`, passing over the photo step when a photo came already. */
function stepAfter(step: ReportStep, draft: ReportDraft): ReportStep | "done" {
  const next = nextStep(step);
  return next === "photo" && draft.photo !== undefined ? nextStep(next) : next;
}

/**
 * The report after an event. Pure. An answer to the last step leaves the report at "description" with
 * the description set: the caller files it and ends it with an `end` event in the same turn.
 */
export function reduceReport(
  progress: ReportProgress | undefined,
  event: ReportEvent,
): ReportProgress | undefined {
  switch (event.kind) {
    case "start":
      return { step: "category", draft: { lines: [] } };
    case "end":
      return undefined;
    default:
      break;
  }
  if (!progress) return undefined;
  const open: ReportProgress = { step: progress.step, draft: progress.draft };
  switch (event.kind) {
    case "interrupt":
      return { ...progress, asking: "restart" };
    case "resume":
      return open;
    case "line":
      return {
        ...progress,
        draft: { ...progress.draft, lines: [...progress.draft.lines, event.line].slice(-MAX_LINES) },
      };
    case "attach":
      return { ...progress, draft: { ...progress.draft, photo: event.photo } };
    case "skip": {
      const next = stepAfter(progress.step, progress.draft);
      return next === "done" ? open : { ...open, step: next };
    }
    case "answer": {
      const v = event.value;
      if (v.step !== progress.step) return progress;
      const draft: ReportDraft = { ...progress.draft };
      if (v.step === "category") draft.category = v.category;
      else if (v.step === "where") draft.place = { ...v.place };
      else if (v.step === "when") draft.when = v.when;
      else if (v.step === "photo") draft.photo = v.photo;
      else draft.description = v.description;
      const next = stepAfter(progress.step, draft);
      return { ...open, step: next === "done" ? progress.step : next, draft };
    }
  }
}

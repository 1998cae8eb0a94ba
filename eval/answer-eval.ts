import { z } from "zod";
import { createAssistant, type Answer } from "../bot/assistant/index.ts";
import { fold, type KnowledgeIndex } from "../indexer/index.ts";
import { loadJsonl, rate } from "./jsonl.ts";

/**
 * Answer-level evaluation (eval/answers.jsonl): for each question, the expected entry among the answer's
 * sources, the expected facts in its text, its language and intent; out-of-scope questions must be
 * refused and in-scope ones must not be. No model: this measures the extractive answers.
 */

const fact = z.union([z.string(), z.array(z.string())]);
const lineSchema = z.object({
  id: z.string(),
  group: z.string(),
  lang: z.enum(["vi", "en"]),
  q: z.string().optional(),
  turns: z.array(z.string()).optional(),
  now: z.string().optional(),
  location: z.object({ lat: z.number(), lng: z.number() }).optional(),
  langOverride: z.enum(["vi", "en"]).optional(),
  sources: z.array(z.string()).optional(),
  facts: z.array(fact).optional(),
  intent: z.string().optional(),
  refuse: z.boolean().optional(),
  missing: z.boolean().optional(),
});
export type AnswerCase = z.infer<typeof lineSchema>;

export const DEFAULT_NOW = "2026-11-22T09:00:00+07:00";

/** Loads eval/answers.jsonl. */
export async function loadAnswerCases(file: string): Promise<AnswerCase[]> {
  return loadJsonl(file, lineSchema);
}

export type CaseResult = {
  c: AnswerCase;
  answer: Answer;
  sourceOk: boolean;
  factsOk: boolean;
  missingFacts: string[];
  langOk: boolean;
  intentOk: boolean;
  refused: boolean;
};

const squash = (s: string) => fold(s).replace(/\s+/g, " ");

/** Runs every case through a fresh assistant (fixed clock per case; one conversation per case). */
export async function runAnswerCases(index: KnowledgeIndex, cases: AnswerCase[]): Promise<CaseResult[]> {
  let now = new Date(DEFAULT_NOW);
  const assistant = createAssistant({ index, clock: { now: () => now } });
  const out: CaseResult[] = [];
  for (const [i, c] of cases.entries()) {
    now = new Date(c.now ?? DEFAULT_NOW);
    const turns = c.turns ?? [c.q ?? ""];
    let answer: Answer | undefined;
    for (const text of turns) {
      answer = await assistant.ask({
        text,
        conversationId: `eval-${i}`,
        channel: "eval",
        ...(c.langOverride ? { lang: c.langOverride } : {}),
        ...(c.location ? { location: c.location } : {}),
      });
    }
    const a = answer as Answer;
    const text = squash(a.answer);
    const missingFacts = (c.facts ?? [])
      .map((f) => (Array.isArray(f) ? f : [f]))
      .filter((alts) => !alts.some((alt) => text.includes(squash(alt))))
      .map((alts) => alts.join(" | "));
    out.push({
      c,
      answer: a,
      sourceOk: !c.sources || c.sources.some((id) => a.sources.some((s) => s.id === id)),
      factsOk: missingFacts.length === 0,
      missingFacts,
      langOk: a.language === c.lang,
      intentOk: !c.intent || c.intent === a.intent,
      refused: a.intent === "out_of_scope",
    });
  }
  return out;
}

export type AnswerReport = {
  n: number;
  /** Dated (event-date) and deadline questions with expected facts: share with every fact present. */
  datedFacts: { n: number; ok: number; rate: number };
  allFacts: { n: number; ok: number; rate: number };
  sources: { n: number; ok: number; rate: number };
  language: { n: number; ok: number; rate: number };
  intent: { n: number; ok: number; rate: number };
  outOfScopeRefused: { n: number; ok: number; rate: number };
  inScopeRefused: { n: number; ok: number; rate: number };
  byGroup: Record<string, { n: number; ok: number; rate: number }>;
};

/** Sums the results; `extraInScope` are refusal flags of further in-scope questions (the retrieval set). */
export function summarize(results: CaseResult[], extraInScope: boolean[] = []): AnswerReport {
  const dated = results.filter(
    (r) => (r.c.group === "event-date" || r.c.group === "deadline") && r.c.facts?.length,
  );
  const groups = [...new Set(results.map((r) => r.c.group))];
  const passed = (r: CaseResult) =>
    r.c.refuse
      ? r.refused && r.answer.sources.length === 0
      : r.sourceOk && r.factsOk && r.langOk && r.intentOk && !r.refused;
  return {
    n: results.length,
    datedFacts: rate(dated.map((r) => r.factsOk)),
    allFacts: rate(results.filter((r) => r.c.facts?.length).map((r) => r.factsOk)),
    sources: rate(results.filter((r) => r.c.sources).map((r) => r.sourceOk)),
    language: rate(results.map((r) => r.langOk)),
    intent: rate(results.filter((r) => r.c.intent).map((r) => r.intentOk)),
    outOfScopeRefused: rate(
      results.filter((r) => r.c.refuse).map((r) => r.refused && r.answer.sources.length === 0),
    ),
    inScopeRefused: rate([...results.filter((r) => !r.c.refuse).map((r) => r.refused), ...extraInScope]),
    byGroup: Object.fromEntries(
      groups.map((g) => [g, rate(results.filter((r) => r.c.group === g).map(passed))]),
    ),
  };
}

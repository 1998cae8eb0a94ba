/**
 * `npm run eval [-- --misses] [--json]`: retrieval quality on the public question set (eval/questions.jsonl)
 * for lexical only, vector only and hybrid search: hit@1, hit@3 and MRR, overall and per group.
 * Also reports how often the query language is detected as the group's language, and then answer quality
 * (eval/answers.jsonl, see answer-eval.ts): facts, sources, language, refusals.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { buildFromEntries } from "../indexer/build.ts";
import { loadContent, formatProblem } from "../indexer/content/load.ts";
import type { KnowledgeIndex, SearchMode } from "../indexer/knowledge-index.ts";
import { detectLanguage } from "../indexer/text/normalize.ts";
import { createAssistant } from "../bot/assistant/index.ts";
import { loadJsonl } from "./jsonl.ts";
import { printDialogueSets } from "./run-dialogues.ts";
import {
  loadAnswerCases,
  runAnswerCases,
  summarize,
  type AnswerReport,
  type CaseResult,
} from "./answer-eval.ts";

const questionSchema = z.object({
  q: z.string().min(1),
  group: z.enum(["vi", "vi-nodiacritics", "en", "typo"]),
  expected: z.array(z.string()).min(1),
});
type Question = z.infer<typeof questionSchema>;

export type Metrics = { n: number; hit1: number; hit3: number; mrr: number };

/** Scores ranked id lists against expected ids: hit@k = any expected id in the top k; MRR of the first. */
export function score(results: { expected: string[]; ranked: string[] }[]): Metrics {
  let hit1 = 0;
  let hit3 = 0;
  let rr = 0;
  for (const r of results) {
    const rank = r.ranked.findIndex((id) => r.expected.includes(id));
    if (rank === 0) hit1++;
    if (rank >= 0 && rank < 3) hit3++;
    if (rank >= 0) rr += 1 / (rank + 1);
  }
  const n = results.length || 1;
  return { n: results.length, hit1: hit1 / n, hit3: hit3 / n, mrr: rr / n };
}

/** Loads and validates the question file. */
export async function loadQuestions(file: string): Promise<Question[]> {
  return loadJsonl(file, questionSchema);
}

/** Runs every question through one search mode. */
export async function evaluate(index: KnowledgeIndex, questions: Question[], mode: SearchMode) {
  const out: { question: Question; ranked: string[] }[] = [];
  for (const question of questions) {
    const hits = await index.search(question.q, { k: 10, mode });
    out.push({ question, ranked: hits.map((h) => h.id) });
  }
  return out;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      misses: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      dialogues: { type: "boolean", default: false },
    },
  });
  const root = path.resolve(import.meta.dirname, "..");
  const { entries, problems } = await loadContent(path.join(root, "content"));
  if (problems.length) throw new Error(problems.map(formatProblem).join("\n"));
  const questions = await loadQuestions(path.join(root, "eval", "questions.jsonl"));
  const known = new Set(entries.map((e) => e.id));
  for (const q of questions)
    for (const id of q.expected) if (!known.has(id)) throw new Error(`unknown id ${id} in "${q.q}"`);

  const { index } = await buildFromEntries(entries, "0".repeat(64));
  if (values.dialogues) {
    await printDialogueSets(index, root, values.misses);
    return;
  }
  const groups = ["vi", "vi-nodiacritics", "en", "typo"] as const;
  const report: Record<string, Record<string, Metrics>> = {};
  for (const mode of ["lexical", "vector", "hybrid"] as const) {
    const results = await evaluate(index, questions, mode);
    const flat = results.map((r) => ({ expected: r.question.expected, ranked: r.ranked }));
    report[mode] = { all: score(flat) };
    for (const g of groups) report[mode][g] = score(flat.filter((_, i) => questions[i]?.group === g));
    if (values.misses && mode === "hybrid") {
      for (const r of results) {
        const rank = r.ranked.findIndex((id) => r.question.expected.includes(id));
        if (rank !== 0)
          console.log(
            `miss@${rank < 0 ? "-" : rank + 1} [${r.question.group}] ${r.question.q} → ${r.ranked.slice(0, 3).join(", ")} (want ${r.question.expected.join("|")})`,
          );
      }
    }
  }
  const langOk = questions.filter(
    (q) => detectLanguage(q.q) === (q.group === "en" ? "en" : "vi") || q.group === "typo",
  ).length;
  const langTotal = questions.filter((q) => q.group !== "typo").length;

  const cases = await loadAnswerCases(path.join(root, "eval", "answers.jsonl"));
  const answerResults = await runAnswerCases(index, cases);
  // The retrieval questions are all in scope: none of them may be refused.
  const plain = createAssistant({ index });
  const retrievalRefused: boolean[] = [];
  for (const q of questions)
    retrievalRefused.push((await plain.ask({ text: q.q })).intent === "out_of_scope");
  const answers = summarize(answerResults, retrievalRefused);
  const holdout = await runHoldout(index, path.join(root, "eval", "scope-holdout.jsonl"));

  if (values.json) {
    console.log(JSON.stringify({ questions: questions.length, report, answers, holdout }, null, 2));
    return;
  }
  const pct = (x: number) => x.toFixed(3);
  console.log(
    `${questions.length} questions, ${entries.length} entries; language detected correctly for ${langOk - questions.filter((q) => q.group === "typo").length}/${langTotal} (non-typo groups)\n`,
  );
  console.log(`${"mode".padEnd(8)} ${"group".padEnd(16)} ${"n".padStart(4)}  hit@1  hit@3   MRR`);
  for (const [mode, byGroup] of Object.entries(report)) {
    for (const [group, m] of Object.entries(byGroup)) {
      console.log(
        `${mode.padEnd(8)} ${group.padEnd(16)} ${String(m.n).padStart(4)}  ${pct(m.hit1)}  ${pct(m.hit3)}  ${pct(m.mrr)}`,
      );
    }
  }
  printAnswers(
    answers,
    answerResults,
    values.misses,
    questions.filter((_, i) => retrievalRefused[i]).map((q) => q.q),
  );
  console.log(
    `\nHeld-out scope set (eval/scope-holdout.jsonl, written blind to the rules, never used for tuning):\n` +
      `  out-of-scope refused ${holdout.outRefused}/${holdout.out} (${(holdout.outRefused / holdout.out).toFixed(3)}); ` +
      `in-scope refused ${holdout.inRefused}/${holdout.in} (${(holdout.inRefused / holdout.in).toFixed(3)}); ` +
      `in-scope answered "not sure" ${holdout.inUnsure}/${holdout.in}; ` +
      `out-of-scope answered "not sure" (no facts stated) ${holdout.outUnsure}/${holdout.out}`,
  );
  await printDialogueSets(index, root, values.misses);
}

/** Refusals on the held-out scope set: reported only, so that it keeps measuring what tuning cannot see. */
async function runHoldout(index: KnowledgeIndex, file: string) {
  const schema = z.object({
    id: z.string(),
    q: z.string(),
    lang: z.enum(["vi", "en"]),
    inScope: z.boolean(),
  });
  const lines = (await readFile(file, "utf8")).split("\n").filter((l) => l.trim());
  const cases = lines.map((l) => schema.parse(JSON.parse(l)));
  const assistant = createAssistant({ index, clock: { now: () => new Date("2026-11-22T09:00:00+07:00") } });
  const out = { in: 0, out: 0, inRefused: 0, outRefused: 0, inUnsure: 0, outUnsure: 0 };
  for (const c of cases) {
    const a = await assistant.ask({ text: c.q });
    const refused = a.intent === "out_of_scope";
    if (c.inScope) {
      out.in++;
      if (refused) out.inRefused++;
      else if (a.confidence < 0.3) out.inUnsure++;
    } else {
      out.out++;
      if (refused) out.outRefused++;
      else if (a.confidence < 0.3) out.outUnsure++;
    }
  }
  return out;
}

function printAnswers(
  r: AnswerReport,
  results: CaseResult[],
  misses: boolean,
  refusedRetrieval: string[],
): void {
  const line = (label: string, m: { n: number; ok: number; rate: number }, target = "") =>
    console.log(
      `  ${label.padEnd(44)} ${String(m.ok).padStart(4)}/${String(m.n).padEnd(4)} ${m.rate.toFixed(3)} ${target}`,
    );
  console.log(
    `\nAnswers without a model (${r.n} cases in eval/answers.jsonl + the retrieval questions as in-scope):`,
  );
  line("facts present, dated and deadline questions", r.datedFacts, "(target >= 0.95)");
  line("facts present, all questions with facts", r.allFacts);
  line("expected entry among the sources", r.sources);
  line("answer language", r.language);
  line("intent", r.intent);
  line("out-of-scope questions refused", r.outOfScopeRefused, "(target >= 0.95)");
  line("in-scope questions refused", r.inScopeRefused, "(target <= 0.02)");
  for (const [g, m] of Object.entries(r.byGroup)) line(`group ${g}: all checks pass`, m);
  if (!misses) return;
  for (const x of results) {
    const problems = [
      x.c.refuse ? (x.refused ? "" : `not refused (${x.answer.intent})`) : x.refused ? "refused" : "",
      x.sourceOk
        ? ""
        : `sources ${x.answer.sources.map((s) => s.id).join(",") || "-"} (want ${x.c.sources?.join("|")})`,
      x.factsOk ? "" : `missing ${x.missingFacts.join("; ")}`,
      x.langOk ? "" : `lang ${x.answer.language}`,
      x.intentOk ? "" : `intent ${x.answer.intent} (want ${x.c.intent})`,
    ].filter(Boolean);
    if (problems.length)
      console.log(`answer-miss [${x.c.id}] ${x.c.q ?? x.c.turns?.join(" / ")} → ${problems.join("; ")}`);
  }
  for (const q of refusedRetrieval) console.log(`answer-miss [retrieval] refused in-scope: ${q}`);
}

if (process.argv[1] && import.meta.filename === path.resolve(process.argv[1])) await main();

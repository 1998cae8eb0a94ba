import { z } from "zod";
import { createAssistant, type Answer } from "../bot/assistant/index.ts";
import { EN_MONTHS } from "../bot/assistant/understand/index.ts";
import { fold, type KnowledgeIndex } from "../indexer/index.ts";
import { loadJsonl, rate, type Rate } from "./jsonl.ts";

export type { Rate };

/**
 * The conversation set and the single-question set (eval/blind/, eval/holdout/): each turn's answer is
 * judged against what a correct, complete answer must contain (facts), must not contain (notFacts), the
 * entries that must or must not back it, and what kind of reply it must be (an answer, "I don't have
 * that", a refusal, the emergency numbers, small talk). Chats run as one conversation each; single
 * questions each in a conversation of their own.
 */

const fact = z.union([z.string(), z.array(z.string())]);
const expectation = {
  expect: z.enum(["answer", "unknown", "refuse", "emergency", "smalltalk"]),
  sources: z.array(z.string()).default([]),
  facts: z.array(fact).default([]),
  notFacts: z.array(fact).default([]),
  notSources: z.array(z.string()).default([]),
};
const turnSchema = z.object({ say: z.string(), kind: z.string(), ...expectation });
const chatSchema = z.object({
  id: z.string(),
  lang: z.enum(["vi", "vi-nodiacritics", "en", "mixed"]),
  now: z.string().optional(),
  turns: z.array(turnSchema).min(1),
});
const questionSchema = z.object({
  id: z.string(),
  q: z.string(),
  lang: z.enum(["vi", "en"]),
  group: z.string(),
  multi: z.boolean().default(false),
  now: z.string().optional(),
  ...expectation,
});
export type Chat = z.infer<typeof chatSchema>;
export type SingleQuestion = z.infer<typeof questionSchema>;
type Expectation = Pick<SingleQuestion, "expect" | "sources" | "facts" | "notFacts" | "notSources">;

export const DIALOGUE_NOW = "2026-12-01T10:00:00+07:00";

export const loadChats = (file: string) => loadJsonl(file, chatSchema);
export const loadSingleQuestions = (file: string) => loadJsonl(file, questionSchema);

// ---------------------------------------------------------------- matching

const MONTHS = EN_MONTHS.map((m) => m.toLowerCase());

/**
 * Text as the checker compares it: folded (no diacritics, lowercase), amounts written out in digits
 * ("4–8 triệu" → "4000000–8000000", "500.000" → "500000"), punctuation other than digits' as spaces.
 */
export function canonical(text: string): string {
  let s = fold(text.normalize("NFC")).replace(/[–—]/g, "-");
  const unit = (u: string) => (/^(?:trieu|million|m)$/.test(u) ? 1e6 : 1e3);
  const num = (x: string) => Number(x.replace(",", "."));
  s = s.replace(
    /(\d+(?:[.,]\d+)?)\s*-\s*(\d+(?:[.,]\d+)?)\s*(trieu|million|nghin|ngan|thousand)\b/g,
    (_, a: string, b: string, u: string) => `${Math.round(num(a) * unit(u))}-${Math.round(num(b) * unit(u))}`,
  );
  s = s.replace(/(\d+(?:[.,]\d+)?)\s*(trieu|million|nghin|ngan|thousand)\b/g, (_, a: string, u: string) =>
    String(Math.round(num(a) * unit(u))),
  );
  s = s.replace(/(\d+)k\b/g, (_, a: string) => String(Number(a) * 1000));
  for (let i = 0; i < 3; i++) s = s.replace(/(\d)[.,](\d{3})(?!\d)/g, "$1$2");
  return s
    .replace(/[^\p{L}\p{N}:/-]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** The forms a fact may take in an answer: an ISO date in the ways dates are written, else itself. */
function forms(f: string): string[] {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(f.trim());
  if (!iso) return [f];
  const [, y, m, d] = iso as unknown as [string, string, string, string];
  const dn = Number(d);
  const mn = Number(m);
  const month = MONTHS[mn - 1] as string;
  return [
    `${dn}/${mn}/${y}`,
    `${d}/${m}/${y}`,
    `${dn} ${month} ${y}`,
    `${month} ${dn} ${y}`,
    `ngay ${dn} thang ${mn} nam ${y}`,
  ];
}

/** True when the canonical answer contains the fact (digits are matched as whole numbers). */
export function contains(answer: string, f: string): boolean {
  return forms(f).some((form) => {
    const c = canonical(form);
    if (!c) return false;
    const startDigit = /^\d/.test(c);
    const endDigit = /\d$/.test(c);
    let from = 0;
    for (;;) {
      const i = answer.indexOf(c, from);
      if (i < 0) return false;
      const before = answer[i - 1] ?? " ";
      const after = answer[i + c.length] ?? " ";
      const okBefore = !startDigit || !/\d/.test(before);
      const okAfter = !endDigit || !/\d/.test(after);
      if (okBefore && okAfter) return true;
      from = i + 1;
    }
  });
}

const UNKNOWN_SAID =
  /\b(?:chua co thong tin|khong co thong tin|toi khong chac|i don t have|i do not have|i am not sure|not confirmed in our sources|chua co nguon|khong co trong du lieu|don t have that|no reliable source)\b/;

export type Verdict = { pass: boolean; problems: string[] };

/** Judges one answer against what was expected of it. */
export function judge(a: Answer, e: Expectation, lang: "vi" | "en" | undefined): Verdict {
  const text = canonical(a.answer);
  const problems: string[] = [];
  const refused = a.intent === "out_of_scope";
  const sources = a.sources.map((s) => s.id);
  const alts = (f: string | string[]) => (Array.isArray(f) ? f : [f]);
  const missing = e.facts
    .filter((f) => !alts(f).some((x) => contains(text, x)))
    .map((f) => alts(f).join("|"));
  const wrong = e.notFacts
    .filter((f) => alts(f).some((x) => contains(text, x)))
    .map((f) => alts(f).join("|"));
  const badSources = e.notSources.filter((id) => sources.includes(id));
  if (lang && a.language !== lang) problems.push(`language ${a.language}`);
  switch (e.expect) {
    case "answer":
      if (refused) problems.push("refused");
      if (missing.length) problems.push(`missing ${missing.join("; ")}`);
      if (e.sources.length && !e.sources.some((id) => sources.includes(id)))
        problems.push(`sources ${sources.join(",") || "-"} (want ${e.sources.join("|")})`);
      break;
    case "unknown": {
      const said = (a.coverage ?? []).some((c) => c.status === "unknown") || UNKNOWN_SAID.test(text);
      if (refused) problems.push("refused");
      else if (!said) problems.push(`did not say it does not know (${a.intent})`);
      break;
    }
    case "refuse":
      if (!refused || sources.length) problems.push(`not refused (${a.intent})`);
      break;
    case "emergency": {
      const head = text.split(" ").slice(0, 12).join(" ");
      if (!/\b11[345]\b/.test(head)) problems.push("emergency numbers not first");
      if (missing.length) problems.push(`missing ${missing.join("; ")}`);
      break;
    }
    case "smalltalk":
      if (refused) problems.push("refused");
      break;
  }
  if (wrong.length) problems.push(`says ${wrong.join("; ")}`);
  if (badSources.length) problems.push(`wrong source ${badSources.join(",")}`);
  return { pass: problems.length === 0, problems };
}

// ---------------------------------------------------------------- running

export type TurnResult = {
  chat: string;
  turn: number;
  kind: string;
  say: string;
  answer: Answer;
  verdict: Verdict;
};
export type QuestionResult = { q: SingleQuestion; answer: Answer; verdict: Verdict };

const chatLang = (l: Chat["lang"]) => (l === "en" ? "en" : l === "mixed" ? undefined : "vi");

/** Runs each chat as one conversation of a fresh assistant's (the clock set per chat). */
export async function runChats(index: KnowledgeIndex, chats: Chat[]): Promise<TurnResult[]> {
  let now = new Date(DIALOGUE_NOW);
  const assistant = createAssistant({ index, clock: { now: () => now } });
  const out: TurnResult[] = [];
  for (const chat of chats) {
    now = new Date(chat.now ?? DIALOGUE_NOW);
    for (const [i, t] of chat.turns.entries()) {
      const answer = await assistant.ask({ text: t.say, conversationId: `chat-${chat.id}`, channel: "eval" });
      // A mixed chat's language is not checked; a turn in English in a Vietnamese chat is answered in English.
      const lang = chatLang(chat.lang);
      out.push({
        chat: chat.id,
        turn: i + 1,
        kind: t.kind,
        say: t.say,
        answer,
        verdict: judge(answer, t, lang),
      });
    }
  }
  return out;
}

/** Runs each question in a conversation of its own. */
export async function runSingleQuestions(
  index: KnowledgeIndex,
  questions: SingleQuestion[],
): Promise<QuestionResult[]> {
  let now = new Date(DIALOGUE_NOW);
  const assistant = createAssistant({ index, clock: { now: () => now } });
  const out: QuestionResult[] = [];
  for (const q of questions) {
    now = new Date(q.now ?? DIALOGUE_NOW);
    const answer = await assistant.ask({ text: q.q, conversationId: `q-${q.id}`, channel: "eval" });
    out.push({ q, answer, verdict: judge(answer, q, q.group === "mixed" ? undefined : q.lang) });
  }
  return out;
}

/** Turn pass per kind of turn, overall, and whole-chat pass. */
export function summarizeChats(results: TurnResult[]) {
  const kinds = [...new Set(results.map((r) => r.kind))].sort();
  const chats = [...new Set(results.map((r) => r.chat))];
  return {
    turns: rate(results.map((r) => r.verdict.pass)),
    chats: rate(chats.map((c) => results.filter((r) => r.chat === c).every((r) => r.verdict.pass))),
    byKind: Object.fromEntries(
      kinds.map((k) => [k, rate(results.filter((r) => r.kind === k).map((r) => r.verdict.pass))]),
    ),
  };
}

/** Pass rate overall, per group, single and multi-part, and per kind of reply expected. */
export function summarizeQuestions(results: QuestionResult[]) {
  const by = (key: (r: QuestionResult) => string) => {
    const keys = [...new Set(results.map(key))].sort();
    return Object.fromEntries(
      keys.map((k) => [k, rate(results.filter((r) => key(r) === k).map((r) => r.verdict.pass))]),
    );
  };
  return {
    all: rate(results.map((r) => r.verdict.pass)),
    byGroup: by((r) => r.q.group),
    byParts: by((r) => (r.q.multi ? "multi-part" : "single")),
    byExpect: by((r) => r.q.expect),
  };
}

// ---------------------------------------------------------------- emergencies

const emergencySchema = z.object({
  id: z.string(),
  text: z.string(),
  lang: z.enum(["vi", "en"]),
  group: z.string(),
  emergency: z.boolean(),
});
export type EmergencyCase = z.infer<typeof emergencySchema>;
export const loadEmergencies = (file: string) => loadJsonl(file, emergencySchema);

/**
 * Each message in its own conversation: an emergency passes when the answer is the emergency answer
 * (the numbers first); a look-alike passes when it is not.
 */
export async function runEmergencies(
  index: KnowledgeIndex,
  cases: EmergencyCase[],
): Promise<{ e: EmergencyCase; pass: boolean }[]> {
  const assistant = createAssistant({ index, clock: { now: () => new Date(DIALOGUE_NOW) } });
  const out: { e: EmergencyCase; pass: boolean }[] = [];
  for (const e of cases) {
    const a = await assistant.ask({ text: e.text, conversationId: `em-${e.id}`, channel: "eval" });
    const numbersFirst = a.intent === "emergency" || /\b11[345]\b/.test(a.answer.slice(0, 200));
    out.push({ e, pass: numbersFirst === e.emergency });
  }
  return out;
}

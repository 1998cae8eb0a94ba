import type { Feedback, InteractionRecord } from "../../bot/index.ts";
import { fold, isStopword, tokenize } from "../../indexer/index.ts";

/**
 * What visitors ask, in numbers: pure functions over recorded interactions (and their feedback) for the
 * admin dashboard, and the CSV form of its tables. Nothing here reads user or conversation hashes: the
 * dashboard only ever shows aggregates per channel.
 */

/** Vietnam is UTC+7 all year (no daylight saving since 1975), so a fixed offset is exact for Asia/Ho_Chi_Minh. */
export const VN_OFFSET_MS = 7 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Below this confidence the assistant said it was not sure (see the extractive composer). */
export const LOW_CONFIDENCE = 0.3;

/** Two questions whose topical words overlap at least this much (Jaccard) are one content gap. */
export const GAP_SIMILARITY = 0.5;

/** The calendar day (YYYY-MM-DD) of an instant in Vietnam. */
export function vnDay(at: Date | string): string {
  const ms = typeof at === "string" ? Date.parse(at) : at.getTime();
  return new Date(ms + VN_OFFSET_MS).toISOString().slice(0, 10);
}

/** The UTC instant (ISO) at which a Vietnamese calendar day begins: "2025-03-02" → "2025-03-01T17:00:00.000Z". */
export function vnDayStart(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - VN_OFFSET_MS).toISOString();
}

/** The day `n` days after (or before, when negative) a YYYY-MM-DD day. */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** How many days from `from` to `to`, both included (0 when `to` is before `from`). */
export function dayCount(from: string, to: string): number {
  return Math.max(
    0,
    Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1,
  );
}

/** True for a real calendar day written YYYY-MM-DD. */
export function isDay(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const ms = Date.parse(`${s}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === s;
}

export type DayCount = { day: string; count: number };
export type ChannelCount = { channel: string; count: number };
export type LanguageCount = { language: InteractionRecord["language"]; count: number };
export type QuestionCount = { question: string; count: number };
export type EntryCount = { entryId: string; count: number };
export type UnhelpfulAnswer = {
  /** When the question was asked (ISO). */
  at: string;
  /** When the feedback came (ISO). */
  feedbackAt: string;
  channel: string;
  question: string;
  /** The start of the answer, at most ANSWER_EXCERPT characters. */
  answer: string;
  comment: string;
};
export type GapGroup = {
  /** How many questions the group holds. */
  size: number;
  /** The most frequent wording of the group's first (most asked) question. */
  representative: string;
  /** Each distinct wording and how often it was asked, the representative first. */
  variants: QuestionCount[];
  /**
   * What the content lacked, from the answers' coverage: "hours of mieu-ba-chua-xu", "fine", "(not
   * understood)"; most frequent first. Empty for records made before coverage was kept.
   */
  missing: string[];
};

/** Questions per Vietnamese day from `from` to `to` (YYYY-MM-DD, both included), days without any as 0. */
export function perDay(records: readonly InteractionRecord[], from: string, to: string): DayCount[] {
  const counts = new Map<string, number>();
  for (const r of records) {
    const day = vnDay(r.at);
    counts.set(day, (counts.get(day) ?? 0) + 1);
  }
  const out: DayCount[] = [];
  for (let day = from, i = dayCount(from, to); i > 0; day = addDays(day, 1), i--) {
    out.push({ day, count: counts.get(day) ?? 0 });
  }
  return out;
}

/** Questions per channel, most first. */
export function perChannel(records: readonly InteractionRecord[]): ChannelCount[] {
  return ranked(countBy(records, (r) => [r.channel])).map(([channel, count]) => ({ channel, count }));
}

/** Questions per answer language, most first. */
export function languages(records: readonly InteractionRecord[]): LanguageCount[] {
  return ranked(countBy(records, (r) => [r.language])).map(([language, count]) => ({
    language: language as InteractionRecord["language"],
    count,
  }));
}

/** A question reduced for counting: NFC, lowercased, punctuation removed, spaces collapsed and trimmed. */
export function normaliseQuestion(question: string): string {
  return question
    .normalize("NFC")
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\s]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** The `n` most asked questions (normalised), most first; ties in Vietnamese alphabetical order. */
export function topQuestions(records: readonly InteractionRecord[], n = Infinity): QuestionCount[] {
  return ranked(countBy(records, (r) => [normaliseQuestion(r.question)]))
    .filter(([question]) => question !== "")
    .slice(0, n)
    .map(([question, count]) => ({ question, count }));
}

/** The `n` entries that appear most often among answers' sources (once per answer), most first. */
export function topEntries(records: readonly InteractionRecord[], n = Infinity): EntryCount[] {
  return ranked(countBy(records, (r) => new Set(r.sources)))
    .slice(0, n)
    .map(([entryId, count]) => ({ entryId, count }));
}

/** How long the answer excerpt of an unhelpful answer is, in characters. */
export const ANSWER_EXCERPT = 200;

/** The start of a text, whitespace collapsed, cut at a word boundary with "…" when longer than `max`. */
export function excerpt(text: string, max = ANSWER_EXCERPT): string {
  const chars = [...text.replace(/\s+/g, " ").trim()];
  if (chars.length <= max) return chars.join("");
  const cut = chars.slice(0, max - 1).join("");
  const space = cut.lastIndexOf(" ");
  return `${space > max / 2 ? cut.slice(0, space) : cut}…`;
}

/**
 * Answers rated unhelpful, with their question: the feedback joined to its interaction (feedback whose
 * interaction is not given is left out), newest question first.
 */
export function unhelpful(
  feedback: readonly Feedback[],
  interactions: ReadonlyMap<string, InteractionRecord>,
): UnhelpfulAnswer[] {
  const out: UnhelpfulAnswer[] = [];
  for (const f of feedback) {
    const r = interactions.get(f.answerId);
    if (f.helpful || !r) continue;
    out.push({
      at: r.at,
      feedbackAt: f.at,
      channel: r.channel,
      question: r.question,
      answer: excerpt(r.answer),
      comment: f.comment ?? "",
    });
  }
  return out.sort(
    (a, b) => Date.parse(b.at) - Date.parse(a.at) || Date.parse(b.feedbackAt) - Date.parse(a.feedbackAt),
  );
}

/**
 * True for a question the assistant could not fully answer: a part of it unknown to the content or not
 * understood (its coverage says so), out of scope, or (in records made before coverage was kept)
 * answered with low confidence. A partly answered question is a gap too: its missing part is content
 * to write.
 */
export function isGap(record: InteractionRecord): boolean {
  if (record.intent === "out_of_scope") return true;
  if (record.coverage && record.coverage.length) return record.coverage.some((c) => c.status !== "answered");
  return record.confidence < LOW_CONFIDENCE;
}

/** What a gap record lacked: each part of its coverage not answered, as "attribute of subject". */
export function missingParts(record: InteractionRecord): string[] {
  if (!record.coverage?.length) return record.intent === "out_of_scope" ? ["(ngoài phạm vi)"] : [];
  return record.coverage
    .filter((c) => c.status !== "answered")
    .map((c) =>
      c.status === "not-understood"
        ? "(ngoài phạm vi / không hiểu)"
        : [c.attribute, c.subject].filter(Boolean).join(" – ") || "(chưa rõ)",
    );
}

/**
 * The words of a question that say what it is about: folded (no diacritics), without stopwords, so
 * "Miếu Bà mở cửa mấy giờ?" and "mieu ba mo cua may gio" give the same set. A question made only of
 * stopwords keeps them all rather than becoming empty.
 */
export function questionWords(question: string): Set<string> {
  const words = tokenize(question).map((t) => t.folded);
  const topical = words.filter((w) => !isStopword(w));
  return new Set(topical.length > 0 ? topical : words);
}

/** |a ∩ b| / |a ∪ b|; 0 when both are empty. */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let shared = 0;
  for (const w of a) if (b.has(w)) shared++;
  const union = a.size + b.size - shared;
  return union === 0 ? 0 : shared / union;
}

/**
 * Unanswered and low-confidence questions grouped by similarity (content gaps), biggest group first.
 * Greedy and dependency-free: distinct questions, most asked first, each join the group whose first
 * question's words are most similar (Jaccard ≥ `threshold`) or start a new one. Comparing with the
 * group's first question rather than with all its members keeps groups from drifting by chaining.
 */
export function gaps(records: readonly InteractionRecord[], threshold = GAP_SIMILARITY): GapGroup[] {
  type Distinct = {
    count: number;
    wordings: Map<string, number>;
    words: Set<string>;
    missing: Map<string, number>;
  };
  const distinct = new Map<string, Distinct>();
  for (const r of records) {
    if (!isGap(r)) continue;
    const key = normaliseQuestion(r.question);
    if (key === "") continue;
    let d = distinct.get(key);
    if (!d) {
      d = { count: 0, wordings: new Map(), words: questionWords(r.question), missing: new Map() };
      distinct.set(key, d);
    }
    d.count++;
    for (const m of missingParts(r)) d.missing.set(m, (d.missing.get(m) ?? 0) + 1);
    const wording = r.question.replace(/\s+/g, " ").trim();
    d.wordings.set(wording, (d.wordings.get(wording) ?? 0) + 1);
  }

  const groups: {
    words: Set<string>;
    size: number;
    variants: QuestionCount[];
    missing: Map<string, number>;
  }[] = [];
  // Most asked first; on a tie, a wording with diacritics first, as it makes the better representative.
  const plain = (key: string) => (fold(key) === key ? 1 : 0);
  const order = [...distinct].sort(
    ([ka, a], [kb, b]) => b.count - a.count || plain(ka) - plain(kb) || ka.localeCompare(kb, "vi"),
  );
  for (const [, d] of order) {
    const variant = { question: mostFrequent(d.wordings), count: d.count };
    let best: (typeof groups)[number] | undefined;
    let bestScore = -1;
    for (const g of groups) {
      const score = jaccard(g.words, d.words);
      if (score >= threshold && score > bestScore) [best, bestScore] = [g, score];
    }
    if (best) {
      best.size += d.count;
      best.variants.push(variant);
      for (const [m, n] of d.missing) best.missing.set(m, (best.missing.get(m) ?? 0) + n);
    } else {
      groups.push({ words: d.words, size: d.count, variants: [variant], missing: new Map(d.missing) });
    }
  }
  return groups
    .map(({ size, variants, missing }) => ({
      size,
      representative: (variants[0] as QuestionCount).question,
      variants,
      missing: [...missing].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([m]) => m),
    }))
    .sort((a, b) => b.size - a.size || a.representative.localeCompare(b.representative, "vi"));
}

/** Everything the dashboard shows for one period, computed from its interactions and unhelpful feedback. */
export type DashboardStats = {
  total: number;
  perDay: DayCount[];
  perChannel: ChannelCount[];
  languages: LanguageCount[];
  topQuestions: QuestionCount[];
  topEntries: EntryCount[];
  unhelpful: UnhelpfulAnswer[];
  gaps: GapGroup[];
};

/**
 * All the dashboard's aggregates over `records`, for the Vietnamese days `from`..`to`. Unhelpful feedback
 * is joined to `answered` (by default the records themselves).
 */
export function dashboardStats(
  records: readonly InteractionRecord[],
  feedback: readonly Feedback[],
  range: { from: string; to: string },
  answered: ReadonlyMap<string, InteractionRecord> = new Map(records.map((r) => [r.answerId, r])),
): DashboardStats {
  return {
    total: records.length,
    perDay: perDay(records, range.from, range.to),
    perChannel: perChannel(records),
    languages: languages(records),
    topQuestions: topQuestions(records),
    topEntries: topEntries(records),
    unhelpful: unhelpful(feedback, answered),
    gaps: gaps(records),
  };
}

export type CsvCell = string | number;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break, quotes doubled. Text
 * starting with =, +, -, @, a tab or a carriage return gets a leading ' so that a spreadsheet shows it
 * instead of running it as a formula (CSV injection); numbers are written as they are.
 */
export function csvCell(value: CsvCell): string {
  let s = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A CSV file: a UTF-8 byte order mark (so Excel reads Vietnamese correctly), the header, the rows, CRLF line ends. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return `\uFEFF${[header, ...rows].map((row) => row.map(csvCell).join(",")).join("\r\n")}\r\n`;
}

function countBy<T>(items: readonly T[], keys: (item: T) => Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) for (const key of keys(item)) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}

/** Entries by count, most first; ties in Vietnamese alphabetical order so that the output is stable. */
function ranked(counts: ReadonlyMap<string, number>): [string, number][] {
  return [...counts].sort(([ka, a], [kb, b]) => b - a || ka.localeCompare(kb, "vi"));
}

/** The key with the highest count; the first seen wins a tie. */
function mostFrequent(counts: ReadonlyMap<string, number>): string {
  let best = "";
  let bestCount = 0;
  for (const [key, count] of counts) {
    if (count > bestCount) [best, bestCount] = [key, count];
  }
  return best;
}

/**
 * Validity of the answer-level evaluation set, eval/answers.jsonl: every line parses, carries the fields its
 * group needs, names entries that exist, and writes its facts in the forms the assistant renders. Date facts
 * of event questions must be dates the content gives for the expected event (computed by the project's
 * calendar, or a known past date), so a slip in a hand-written date fails here rather than in the eval.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { INTENTS } from "../bot/assistant/types.ts";
import { EN_MONTHS } from "../bot/assistant/understand/index.ts";
import { eventOccurrences, formatProblem, loadContent, type ContentEntry } from "../indexer/index.ts";

const FILE = path.resolve(import.meta.dirname, "answers.jsonl");
const CONTENT = path.resolve(import.meta.dirname, "../content");

const GROUPS = [
  "event-date",
  "deadline",
  "place",
  "practical",
  "emergency",
  "out-of-scope",
  "greeting",
  "follow-up",
] as const;
type Group = (typeof GROUPS)[number];

/** The sizes the set was written to; a line lost in an edit shows up here. */
const MIN_PER_GROUP: Record<Group, number> = {
  "event-date": 35,
  deadline: 35,
  place: 25,
  practical: 15,
  emergency: 6,
  "out-of-scope": 60,
  greeting: 4,
  "follow-up": 12,
};

const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const nonEmpty = z.string().trim().min(1);
const fact = z.union([nonEmpty, z.array(nonEmpty).min(2)]);

const lineSchema = z.strictObject({
  id: z.string().regex(KEBAB, "must be kebab-case"),
  group: z.enum(GROUPS),
  lang: z.enum(["vi", "en"]),
  q: nonEmpty.optional(),
  turns: z.array(nonEmpty).min(2).max(3).optional(),
  now: z.iso
    .datetime({ offset: true })
    .refine((s) => !Number.isNaN(Date.parse(s)), "is not a date")
    .optional(),
  location: z
    .strictObject({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) })
    .optional(),
  langOverride: z.enum(["vi", "en"]).optional(),
  sources: z.array(nonEmpty).min(1).optional(),
  facts: z.array(fact).optional(),
  intent: z.enum(INTENTS),
  missing: z.literal(true).optional(),
  refuse: z.literal(true).optional(),
});
type Line = z.infer<typeof lineSchema>;

const MONTHS: readonly string[] = EN_MONTHS;
const VI_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const EN_DATE = new RegExp(`^(\\d{1,2}) (${MONTHS.join("|")}) (\\d{4})$`);

/** A fact written as a full Gregorian date, as ISO YYYY-MM-DD; undefined when it is not one. */
function factDate(f: string): string | undefined {
  const iso = (y: string, m: number, d: string) => `${y}-${String(m).padStart(2, "0")}-${d.padStart(2, "0")}`;
  const vi = VI_DATE.exec(f);
  if (vi) return iso(vi[3] ?? "", Number(vi[2]), vi[1] ?? "");
  const en = EN_DATE.exec(f);
  if (en) return iso(en[3] ?? "", MONTHS.indexOf(en[2] ?? "") + 1, en[1] ?? "");
  return undefined;
}

/** Problems with the way one fact is written for an answer in `lang`. */
function factFormProblems(f: string, lang: "vi" | "en"): string[] {
  const out: string[] = [];
  if (f !== f.normalize("NFC")) out.push(`fact "${f}" is not NFC`);
  if (/(^|[^\d])\d:\d\d/.test(f)) out.push(`fact "${f}": clock times have a two-digit hour ("08:00")`);
  if (lang === "vi") {
    if (EN_DATE.test(f) || /\blunar\b|\bhours?\b|\bVND\b/.test(f))
      out.push(`fact "${f}" is in the English form but the answer is Vietnamese`);
    if (/(^|\D)0\d\/\d|\/0\d\//.test(f)) out.push(`fact "${f}": Vietnamese dates have no leading zeros`);
  } else if (VI_DATE.test(f) || /âm lịch|(?<!\p{L})(giờ|đồng)(?!\p{L})/u.test(f)) {
    out.push(`fact "${f}" is in the Vietnamese form but the answer is English`);
  }
  return out;
}

/** Every date the content gives for an event in a year: computed occurrences and known past dates. */
function eventDates(entries: readonly ContentEntry[], eventId: string, year: number): Set<string> {
  const dates = new Set<string>();
  for (const o of eventOccurrences(entries, `${year}-01-01`, `${year}-12-31`)) {
    if (o.eventId !== eventId) continue;
    dates.add(o.start).add(o.end);
    if (o.main) dates.add(o.main);
  }
  const entry = entries.find((e) => e.id === eventId);
  if (entry?.type === "event")
    for (const k of entry.event.knownDates) {
      dates.add(k.start).add(k.end);
      if (k.main) dates.add(k.main);
    }
  return dates;
}

/** Problems with one parsed line that the schema alone cannot see: the rules of its group. */
function groupProblems(l: Line, entries: readonly ContentEntry[]): string[] {
  const out: string[] = [];
  const need = (ok: boolean, message: string) => {
    if (!ok) out.push(message);
  };
  const facts = l.facts ?? [];
  const ids = new Set(entries.map((e) => e.id));

  if (l.group === "follow-up")
    need(l.turns !== undefined && l.q === undefined, "follow-up uses turns, not q");
  else need(l.q !== undefined && l.turns === undefined, `${l.group} uses q, not turns`);
  for (const text of [l.q, ...(l.turns ?? [])])
    if (text !== undefined) need(text === text.normalize("NFC"), `question "${text}" is not NFC`);

  const refusing = l.group === "out-of-scope";
  need(
    refusing === (l.refuse === true),
    refusing ? "out-of-scope needs refuse: true" : "only out-of-scope refuses",
  );
  need(refusing === (l.intent === "out_of_scope"), "intent out_of_scope goes with group out-of-scope");
  if (refusing || l.group === "greeting") {
    need(l.sources === undefined, `${l.group} has no sources`);
    need(facts.length === 0, `${l.group} has no facts`);
  } else if (l.missing !== true) {
    need(l.sources !== undefined, `${l.group} needs sources`);
    need(l.facts !== undefined, `${l.group} needs facts (an empty array when the content states none)`);
  }
  need(l.missing !== true || l.group === "deadline", "missing: true is only for deadline questions");
  if (l.langOverride) need(l.lang === l.langOverride, "lang must equal langOverride");
  if (l.intent === "nearby") need(l.location !== undefined, "a nearby question needs a location");

  const intents: Record<Group, readonly string[]> = {
    "event-date": ["event"],
    deadline: ["lodging_deadline"],
    place: ["place", "nearby"],
    practical: ["info", "place", "event", "emergency", "lodging_deadline", "lodging_fine"],
    emergency: ["emergency"],
    "out-of-scope": ["out_of_scope"],
    greeting: ["greeting", "help"],
    "follow-up": ["event", "lodging_deadline", "place", "nearby", "emergency", "info"],
  };
  need(intents[l.group].includes(l.intent), `intent ${l.intent} does not fit group ${l.group}`);
  if (l.group === "emergency") need(facts.length > 0, "an emergency question needs the number(s) as facts");
  if (l.group === "deadline" && l.missing !== true) need(facts.length > 0, "a deadline question needs facts");

  const sources = l.sources ?? [];
  need(new Set(sources).size === sources.length, "sources are listed twice");
  for (const id of sources) need(ids.has(id), `source "${id}" is not an entry in content/`);

  for (const f of facts.flat()) out.push(...factFormProblems(f, l.lang));

  if (l.intent === "event") {
    for (const alternatives of facts) {
      const options = [alternatives].flat();
      const dated = options.map(factDate).filter((d) => d !== undefined);
      if (dated.length === 0) continue;
      const ok = dated.some((d) =>
        sources.some((id) => eventDates(entries, id, Number(d.slice(0, 4))).has(d)),
      );
      need(
        ok,
        `date fact ${JSON.stringify(alternatives)} is not a date the content gives for ${sources.join(", ")}`,
      );
    }
  }
  return out;
}

type Checked = { lines: Line[]; problems: string[] };

/** Parses and checks the whole file; every problem is `answers.jsonl:<line> <id>: <reason>`. */
function checkAnswers(text: string, entries: readonly ContentEntry[]): Checked {
  const lines: Line[] = [];
  const problems: string[] = [];
  const seen = new Map<string, number>();
  text.split("\n").forEach((raw, i) => {
    const at = `answers.jsonl:${i + 1}`;
    if (raw.trim() === "") return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (e) {
      problems.push(`${at}: not JSON (${(e as Error).message})`);
      return;
    }
    const parsed = lineSchema.safeParse(json);
    if (!parsed.success) {
      problems.push(`${at}: ${z.prettifyError(parsed.error).replace(/\n/g, "; ")}`);
      return;
    }
    const l = parsed.data;
    const first = seen.get(l.id);
    if (first !== undefined) problems.push(`${at} ${l.id}: id already used on line ${first}`);
    seen.set(l.id, i + 1);
    for (const p of groupProblems(l, entries)) problems.push(`${at} ${l.id}: ${p}`);
    lines.push(l);
  });
  return { lines, problems };
}

let entries: ContentEntry[] = [];
let checked: Checked;

beforeAll(async () => {
  const loaded = await loadContent(CONTENT);
  if (loaded.problems.length > 0)
    throw new Error(`content/ does not load:\n${loaded.problems.map(formatProblem).join("\n")}`);
  entries = loaded.entries;
  checked = checkAnswers(await readFile(FILE, "utf8"), entries);
});

describe("eval/answers.jsonl", () => {
  it("every line is valid for its group", () => {
    expect(checked.problems).toEqual([]);
  });

  it("has enough questions in each group", () => {
    const counts = Object.fromEntries(
      GROUPS.map((g) => [g, checked.lines.filter((l) => l.group === g).length]),
    );
    for (const g of GROUPS) expect(counts[g], g).toBeGreaterThanOrEqual(MIN_PER_GROUP[g]);
  });

  it("covers both answer languages in every group", () => {
    for (const g of GROUPS) {
      const langs = new Set(checked.lines.filter((l) => l.group === g).map((l) => l.lang));
      expect([...langs].sort(), g).toEqual(["en", "vi"]);
    }
  });

  it("asks back on 4 to 6 deadline questions that lack the guest type or the arrival time", () => {
    const missing = checked.lines.filter((l) => l.missing === true).length;
    expect(missing).toBeGreaterThanOrEqual(4);
    expect(missing).toBeLessThanOrEqual(6);
  });
});

describe("the answers.jsonl check", () => {
  const good = {
    id: "ev-x",
    group: "event-date",
    lang: "vi",
    q: "lễ vía Bà 2027 ngày nào",
    sources: ["via-ba-chua-xu"],
    facts: ["27/5/2027"],
    intent: "event",
  };
  const run = (...objects: (object | string)[]) =>
    checkAnswers(objects.map((o) => (typeof o === "string" ? o : JSON.stringify(o))).join("\n"), entries)
      .problems;

  it("accepts a good line", () => {
    expect(run(good)).toEqual([]);
  });

  it.each([
    ["a line that is not JSON", '{"id": "x",'],
    ["an unknown field", { ...good, source: ["via-ba-chua-xu"] }],
    ["a language other than vi/en", { ...good, lang: "fr" }],
    ["an unknown intent", { ...good, intent: "festival" }],
    ["a now that is not a date", { ...good, now: "next sunday" }],
    ["a source that is not in content/", { ...good, sources: ["via-ba-chua-xuu"] }],
    ["a wrong computed date", { ...good, facts: ["21/5/2027"] }],
    ["an English date in a Vietnamese answer", { ...good, facts: ["27 May 2027"] }],
    ["a Vietnamese unit in an English answer", { ...good, lang: "en", facts: ["27 May 2027", "12 giờ"] }],
    ["a one-digit clock hour", { ...good, group: "deadline", intent: "lodging_deadline", facts: ["8:00"] }],
    ["out-of-scope with sources", { ...good, group: "out-of-scope", intent: "out_of_scope", refuse: true }],
    [
      "out-of-scope without refuse",
      { id: "o", group: "out-of-scope", lang: "en", q: "hi", intent: "out_of_scope" },
    ],
    ["a follow-up with q instead of turns", { ...good, group: "follow-up" }],
    [
      "a place question without sources",
      { id: "p", group: "place", lang: "vi", q: "ở đâu", facts: [], intent: "place" },
    ],
  ])("rejects %s", (_name, line) => {
    expect(run(line)).not.toEqual([]);
  });

  it("rejects a duplicate id", () => {
    expect(run(good, good)).toEqual([expect.stringMatching(/already used on line 1/)]);
  });
});

import { fold, type ContentEntry, type Lang } from "../../../indexer/index.ts";
import { factAttributes, familiesOf, type Attribute } from "../understand/index.ts";

/**
 * Fact units: each entry split into the sentences and bullets of its body (in both languages) and its
 * structured fields, each labelled with the attributes it states (understand/attributes.ts reads the
 * labels off the text). A frame is answered from the units of its subject that state what it asks.
 */
export type FactUnit = {
  entryId: string;
  lang: Lang;
  text: string;
  /** The body section it comes from, or the structured field ("field:openingHours"). */
  heading: string;
  attributes: ReadonlySet<Attribute>;
  /** What the sentence itself states, its section's heading aside. */
  own: ReadonlySet<Attribute>;
  /** Folded words of the unit (and of its section's heading). */
  words: ReadonlySet<string>;
  /** Its words of five letters or more, for matching word forms by their first five letters. */
  longWords: readonly string[];
  /** The word families it has a member of (understand/word-families.ts). */
  families: ReadonlySet<string>;
  /** Position in the entry, for a stable order among equals. */
  order: number;
  /** A structured field: stated once for both languages, and preferred for its attribute. */
  field?: string;
  /** The attributes a structured field is made for (the tickets field states a price). */
  forced?: readonly Attribute[];
};

export type FactIndex = {
  /** The units of an entry in one language. */
  of(entryId: string, lang: Lang): readonly FactUnit[];
};

/** Builds the fact units of every entry; a few ms for the real content. */
export function buildFactIndex(entries: readonly ContentEntry[]): FactIndex {
  const units = new Map<string, FactUnit[]>();
  for (const e of entries) {
    for (const lang of ["vi", "en"] as const) units.set(`${e.id}\u0000${lang}`, unitsOf(e, lang));
  }
  return { of: (id, lang) => units.get(`${id}\u0000${lang}`) ?? [] };
}

function unitsOf(e: ContentEntry, lang: Lang): FactUnit[] {
  const out: FactUnit[] = [];
  const add = (text: string, heading: string, field?: string, forced?: Attribute[]) => {
    const clean = text.replace(/\s+/g, " ").trim();
    if (!clean) return;
    const own = new Set(factAttributes(clean, ""));
    for (const a of forced ?? []) own.add(a);
    const attributes = new Set([...own, ...(field ? [] : factAttributes(clean, heading))]);
    const words = wordsOf(`${clean} ${field ? "" : heading}`);
    out.push({
      entryId: e.id,
      lang,
      text: clean,
      heading,
      attributes,
      own,
      words,
      longWords: [...words].filter((w) => w.length >= 5),
      families: new Set(familiesOf(clean)),
      order: out.length,
      ...(field ? { field } : {}),
      ...(forced ? { forced } : {}),
    });
  };
  if (e.type === "attraction") {
    const p = e.place;
    add(p.address[lang], "", "address", ["where"]);
    if (p.distanceFromCentreKm) {
      const d = p.distanceFromCentreKm;
      const km = d.min === d.max ? `${d.min}` : `${d.min}–${d.max}`;
      add(
        lang === "vi"
          ? `Cách trung tâm Châu Đốc khoảng ${km} km.`
          : `About ${km} km from the centre of Châu Đốc.`,
        "",
        "distanceFromCentreKm",
        ["distance"],
      );
    }
    if (p.openingHours) add(p.openingHours[lang], "", "openingHours", ["hours"]);
    if (p.tickets) add(p.tickets[lang], "", "tickets", ["price"]);
    if (p.gettingThere) add(p.gettingThere[lang], "", "gettingThere", ["getting-there"]);
  } else if (e.type === "event") {
    add(e.event.where[lang], "", "where", ["where"]);
  } else if (e.type === "practical") {
    for (const c of e.practical.contacts) add(`${c.label[lang]}: ${c.phone}`, "", "contacts", ["contact"]);
    for (const f of e.practical.facts) add(`${f.label[lang]}: ${f.value[lang]}`, f.label[lang], "facts");
  } else if (e.type === "lodging-rule") {
    const l = e.lodging;
    if (l.guestDetails) add(l.guestDetails[lang].join("; "), "", "guestDetails", ["documents"]);
    for (const c of l.channels) add(c.name[lang], "", "channels", ["how-to-register"]);
  }
  for (const { heading, text } of bodyUnits(e.body[lang])) add(text, heading);
  return out;
}

/** The sentences and bullets of a Markdown body, each with the heading of its section. */
export function bodyUnits(body: string): { heading: string; text: string }[] {
  const out: { heading: string; text: string }[] = [];
  let heading = "";
  let paragraph: string[] = [];
  const flush = () => {
    const text = paragraph.join(" ").trim();
    paragraph = [];
    if (text) for (const s of sentences(plain(text))) out.push({ heading, text: s });
  };
  for (const line of body.split("\n")) {
    const h = /^#{1,6}\s+(.*)$/.exec(line);
    if (h) {
      flush();
      heading = (h[1] ?? "").trim();
      continue;
    }
    const bullet = /^\s*(?:[-*+]|\d+\.)\s+(.*)$/.exec(line);
    if (bullet) {
      flush();
      out.push({ heading, text: plain(bullet[1] ?? "") });
      continue;
    }
    if (line.trim() === "") flush();
    else paragraph.push(line.trim());
  }
  flush();
  return out.filter((u) => u.text.length > 0);
}

function plain(md: string): string {
  return md
    .replace(/!\[[^\]]*\]\([^)]*\)/g, "")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/[*_`]{1,3}([^*_`]+)[*_`]{1,3}/g, "$1")
    .trim();
}

/**
 * Splits a paragraph into sentences at ". " before a capital letter, but not after an abbreviation
 * ("TP. Châu Đốc", "Q. 1", "St. ") or an initial.
 */
export function sentences(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  const re = /[.!?](?=\s+["“(]?\p{Lu})/gu;
  for (const m of text.matchAll(re)) {
    const end = (m.index ?? 0) + 1;
    const before = text.slice(start, end);
    const lastWord = /(\S+)$/.exec(before)?.[1] ?? "";
    if (/^(?:\p{Lu}{1,3}|\p{Lu}\p{Ll}{0,2}|TP|Tp|St|Mr|Mrs|Dr|No|nr|tr|Q|P|H|X|km|ca)\.$/u.test(lastWord))
      continue;
    out.push(text.slice(start, end).trim());
    start = end;
  }
  const rest = text.slice(start).trim();
  if (rest) out.push(rest);
  return out;
}

/**
 * Folded words of a text. The currency after an amount ("20.000 đồng") is left out: folded it is
 * "dong", the same as "đông" (crowded), and an amount is no topic.
 */
export function wordsOf(text: string): Set<string> {
  return new Set(
    fold(text.toLowerCase().replace(/(\d)\s*đồng\b/gu, "$1"))
      .split(/[^\p{L}\p{N}]+/u)
      .filter((w) => w.length > 0),
  );
}

/**
 * The units of an entry that state an attribute, best first. Each unit is scored, not just kept:
 * - how surely it states the attribute: a structured field made for it (2), the sentence's own words
 *   (1), only its section's heading (0.4);
 * - the question's words it shares, each weighted by how rare the word is among the entry's units
 *   ("lăng" is in every sentence of the tomb's entry; "an táng" in one), the cue's words at half;
 * - a number, when the question asks "how many / which year".
 */
export function unitsStating(
  units: readonly FactUnit[],
  attribute: Attribute,
  asked: { topicTerms: readonly string[]; cueTerms?: readonly string[]; wantsNumber?: boolean },
): FactUnit[] {
  return rankStating(units, attribute, asked).map((x) => x.u);
}

/** unitsStating with each unit's score. */
export function rankStating(
  units: readonly FactUnit[],
  attribute: Attribute,
  asked: {
    topicTerms: readonly string[];
    cueTerms?: readonly string[];
    wantsNumber?: boolean;
    years?: readonly number[];
    contextTerms?: readonly string[];
    families?: readonly string[];
  },
): { u: FactUnit; score: number }[] {
  const weight = weightsOf(units);
  const years = asked.years ?? [];
  const out: { u: FactUnit; score: number }[] = [];
  for (const u of units) {
    const labelled = u.attributes.has(attribute);
    // The conversation's topic words count for less than the question's own.
    // A word family shared with the question ("trùng tu" asked, "xây lại" written) counts like a word.
    const topical =
      overlap(u, asked.topicTerms, weight) +
      CONTEXT_WEIGHT * overlap(u, asked.contextTerms ?? [], weight) +
      FAMILY_WEIGHT * Math.min(2, (asked.families ?? []).filter((f) => u.families.has(f)).length);
    // A sentence without the label still answers when it has the question's own rare words ("phim" of
    // "which film was shot there"): the labels miss what no cue names.
    if (!labelled && (u.field || topical < UNLABELLED_MIN)) continue;
    out.push({
      u,
      score:
        (labelled ? sureness(u, attribute) + topical : UNLABELLED_WEIGHT * topical) +
        Math.min(CUE_CAP, CUE_W * overlap(u, asked.cueTerms ?? [], weight)) +
        (asked.wantsNumber && /\d/.test(u.text) ? 0.3 : 0) +
        (years.some((y) => u.text.includes(String(y))) ? 0.5 : 0),
    });
  }
  return out.sort((a, b) => b.score - a.score || a.u.order - b.u.order);
}

/** An unlabelled sentence needs this much of the question's own words, and counts them at this weight. */
const UNLABELLED_MIN = 1.2;
const UNLABELLED_WEIGHT = 0.8;
const CONTEXT_WEIGHT = 0.3;
const FAMILY_WEIGHT = 0.5;
/** A field made for the attribute asked; a field stating it by the way; the cue's words, at most. */
const FIELD_SURE = 2;
const FIELD_OTHER = 0.3;
const CUE_W = 0.5;
const CUE_CAP = 1;

function sureness(u: FactUnit, attribute: Attribute): number {
  if (u.field && u.field !== "facts") return u.forced?.includes(attribute) ? FIELD_SURE : FIELD_OTHER;
  if (u.field) return u.own.has(attribute) ? 1.5 : 0.4;
  return u.own.has(attribute) ? 1 : 0.4;
}

const weights = new WeakMap<readonly FactUnit[], (word: string) => number>();

/**
 * A shared word's weight among an entry's units: 1 for a word in one unit, down to 0.3 the more units
 * share it ("lăng" is in every sentence of the tomb's entry; "an táng" in one).
 */
function weightsOf(units: readonly FactUnit[]): (word: string) => number {
  let weight = weights.get(units);
  if (weight) return weight;
  const df = new Map<string, number>();
  for (const u of units) for (const w of u.words) df.set(w, (df.get(w) ?? 0) + 1);
  const n = Math.max(1, units.length);
  weight = (w) => {
    const d = df.get(w) ?? 1;
    return 0.3 + 0.7 * Math.min(1, Math.log(1 + n / d) / Math.log(1 + n / 1.5));
  };
  weights.set(units, weight);
  return weight;
}

/** Units sharing the question's topic words, best first (at least `min` of them). */
export function unitsMatching(
  units: readonly FactUnit[],
  topicTerms: readonly string[],
  min = 1,
): FactUnit[] {
  return units
    .map((u) => ({ u, score: overlap(u, topicTerms) }))
    .filter((x) => x.score >= min)
    .sort((a, b) => b.score - a.score || a.u.order - b.u.order)
    .map((x) => x.u);
}

/**
 * How many of the topic words a unit has, each counted at its weight (1 unless given): a word of 5+
 * letters counts at 0.7 when matched by a shared prefix.
 */
export function overlap(
  u: FactUnit,
  topicTerms: readonly string[],
  weight: (word: string) => number = () => 1,
): number {
  let n = 0;
  for (const t of topicTerms) {
    if (u.words.has(t)) n += weight(t);
    else if (t.length >= 5) {
      const stem = t.slice(0, 5);
      const w = u.longWords.find((w) => w.startsWith(stem) || t.startsWith(w.slice(0, 5)));
      if (w) n += 0.7 * weight(w);
    }
  }
  return n;
}

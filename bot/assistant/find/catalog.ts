import {
  fold,
  isStopword,
  tokenize,
  withinOneEdit,
  type ContentEntry,
  type KnowledgeIndex,
} from "../../../indexer/index.ts";

/**
 * What the assistant knows about the content beyond search: the names people call each entry by (to
 * recognise "lăng Thoại Ngọc Hầu" in a follow-up), and the weight of each word (to tell a question the
 * content can answer from one it only brushes against).
 */
export type Catalog = {
  entries: ContentEntry[];
  get(id: string): ContentEntry | undefined;
  /** Entries named in the text (longest names first), e.g. "mieu ba chua xu" → mieu-ba-chua-xu. */
  namedEntries(folded: string): { id: string; name: string }[];
  /** Content words of a question (folded, no stopwords or question words) with their weight. */
  questionTerms(text: string): Term[];
  /** Share (0..1) of the question's weight that occurs in an entry's text. */
  coverage(terms: Term[], id: string): number;
  /** True when a folded word (or a word one typo away) occurs anywhere in the content. */
  knows(folded: string): boolean;
};

/** A content word of a question (or a pair of neighbouring words, "mo_cua"), with its weight. */
export type Term = { term: string; weight: number; known: boolean; pair: boolean };

/** Words that shape a question but name no topic; they do not count towards coverage. */
const QUESTION_WORDS = new Set(
  (
    "gi nao dau may bao nhieu lau sao the nhe a ha khong chua roi duoc co cho xin hoi oi ban minh toi " +
    "o tai den di nam thang ngay tuan gio luc hom nay mai sau toi sap con thi ve " +
    "what where when how which who why whose does is are can could should would will tell me about please " +
    "much many far long time open there here get go visit " +
    // Chat shorthand: "ko" (không), "dc" (được), "j" (gì), "v" (vậy) …
    "ko k kg khg hok hem hong dc j z v ak ah ad mn"
  ).split(/\s+/),
);

/** Builds the catalog once per index; O(total words) and a few MB for the real content. */
export function buildCatalog(index: KnowledgeIndex): Catalog {
  const entries = index.list();
  const byId = new Map(entries.map((e) => [e.id, e]));
  const vocab = entries.map((e) => wordsAndPairs(entryText(e)));
  const df = new Map<string, number>();
  for (const words of vocab) for (const w of words) df.set(w, (df.get(w) ?? 0) + 1);
  const byLength = new Map<number, string[]>();
  for (const w of df.keys()) {
    if (w.includes("_")) continue;
    const list = byLength.get(w.length) ?? [];
    list.push(w);
    byLength.set(w.length, list);
  }
  const n = entries.length;
  const idf = (w: string) => Math.log(1 + n / (df.get(w) ?? 0.5));
  const unknownWeight = idf("\u0000");

  const names = new Map<string, string[]>();
  for (const e of entries) {
    // A one-word title ("Tết") is a name even when the word is common in the content.
    const wholeTitles = new Set(
      [e.title.vi, e.title.en].map((t) =>
        fold(t.replace(/\([^)]*\)/g, " "))
          .replace(/[^\p{L}\p{N}]+/gu, " ")
          .trim(),
      ),
    );
    const titleMains = new Set(
      [e.title.vi, e.title.en].map((t) =>
        fold(t.split(/\s[–-]\s|\(/)[0] ?? t)
          .replace(/[^\p{L}\p{N}]+/gu, " ")
          .trim(),
      ),
    );
    for (const name of entryNames(e)) {
      const key = fold(name)
        .replace(/[^\p{L}\p{N}]+/gu, " ")
        .trim();
      if (key.length < 3 || (key.split(" ").length < 2 && !isDistinctive(key, df) && !wholeTitles.has(key)))
        continue;
      // "đi Châu Đốc": without the town's name nothing specific is left, unless it is the entry's own
      // title ("Chợ Châu Đốc").
      const rest = ` ${key} `
        .replace(/ (chau doc|an giang) /g, " ")
        .trim()
        .split(" ")
        .filter(isContentWord);
      if (rest.length === 0 && !titleMains.has(key)) continue;
      const ids = names.get(key) ?? [];
      if (!ids.includes(e.id)) ids.push(e.id);
      names.set(key, ids);
    }
  }
  const sortedNames = [...names.keys()].sort((a, b) => b.length - a.length);
  const namePattern = new RegExp(
    `(?<=^|[^\\p{L}\\p{N}])(${sortedNames.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})(?=$|[^\\p{L}\\p{N}])`,
    "gu",
  );
  const position = new Map(entries.map((e, i) => [e.id, i]));

  return {
    entries,
    get: (id) => byId.get(id),
    namedEntries(folded) {
      const out: { id: string; name: string }[] = [];
      for (const m of folded.matchAll(namePattern)) {
        for (const id of names.get(m[1] as string) ?? []) {
          if (!out.some((o) => o.id === id)) out.push({ id, name: m[1] as string });
        }
      }
      return out.sort((a, b) => b.name.length - a.name.length);
    },
    questionTerms(text) {
      const seen = new Set<string>();
      const out: Term[] = [];
      const words = tokenize(text).map((t) => t.folded);
      for (const [i, w] of words.entries()) {
        if (isContentWord(w)) {
          const near = df.has(w) ? w : nearWord(w);
          const word = near ?? w;
          if (!seen.has(word)) {
            seen.add(word);
            out.push({
              term: word,
              weight: near ? idf(word) : unknownWeight,
              known: near !== undefined,
              pair: false,
            });
          }
        }
        // Neighbouring words as typed: Vietnamese compounds ("thủ đô", "mở cửa") live in pairs.
        const next = words[i + 1];
        if (next !== undefined && (isContentWord(w) || isContentWord(next))) {
          const pair = `${w}_${next}`;
          if (!seen.has(pair)) {
            seen.add(pair);
            out.push({ term: pair, weight: 1, known: df.has(pair), pair: true });
          }
        }
      }
      return out;
    },
    knows(w) {
      return df.has(w) || (w.length >= 4 && nearWord(w) !== undefined);
    },
    coverage(terms, id) {
      const i = position.get(id);
      if (i === undefined) return 0;
      const words = vocab[i] as Set<string>;
      // Words and pairs count half each: folded Vietnamese syllables collide ("thu do" is both the
      // capital and "thủ tục ... độ"), but neighbouring pairs rarely do.
      const share = (list: Term[]) => {
        let hit = 0;
        let total = 0;
        for (const t of list) {
          total += t.weight;
          if (words.has(t.term)) hit += t.weight;
        }
        return total > 0 ? hit / total : undefined;
      };
      const single = share(terms.filter((t) => !t.pair));
      const pairs = share(terms.filter((t) => t.pair));
      if (single === undefined) return 0;
      return pairs === undefined ? single : PAIR_SHARE * pairs + (1 - PAIR_SHARE) * single;
    },
  };

  /** A known word one edit away (a typo: "pagdoa" → "pagoda"), for words of five letters or more. */
  function nearWord(w: string): string | undefined {
    if (w.length < 4) return undefined;
    for (const candidate of byLength.get(w.length) ?? []) if (withinOneEdit(w, candidate)) return candidate;
    for (const len of [w.length - 1, w.length + 1])
      for (const candidate of byLength.get(len) ?? []) if (withinOneEdit(w, candidate)) return candidate;
    return undefined;
  }
}

/** A one-word name is kept only when few entries use the word ("Tết", "Ramadan"; not "chùa"). */
function isDistinctive(word: string, df: Map<string, number>): boolean {
  return (df.get(word) ?? 0) <= 3;
}

function entryNames(e: ContentEntry): string[] {
  const titles = [e.title.vi, e.title.en].flatMap((t) => {
    const inner = [...t.matchAll(/\(([^)]+)\)/g)].map((m) => m[1] as string);
    return [t.replace(/\([^)]*\)/g, " ").trim(), ...inner];
  });
  return [...titles, ...(e.aliases?.vi ?? []), ...(e.aliases?.en ?? [])];
}

/** How much neighbouring pairs of content words count in coverage, against single words. */
const PAIR_SHARE = 0.5;

/** A word that names a topic: not a stopword, a question word or a small number. */
/** A pair of two content words ("cap_treo"), not one with a question word ("co_cap", "treo_khong"). */
export function contentPair(pair: string): boolean {
  return pair.split("_").every(isContentWord);
}

function isContentWord(w: string): boolean {
  return !isStopword(w) && !QUESTION_WORDS.has(w) && !/^\d{1,2}$/.test(w);
}

/** Folded words of a text and the pairs of neighbouring words ("mo_cua", "thu_tuc"). */
function wordsAndPairs(text: string): Set<string> {
  const out = new Set<string>();
  for (const line of text.split("\n")) {
    let prev = "";
    for (const t of tokenize(line)) {
      out.add(t.folded);
      if (prev) out.add(`${prev}_${t.folded}`);
      prev = t.folded;
    }
  }
  return out;
}

/** All the text of an entry in both languages, structured fields included. */
export function entryText(e: ContentEntry): string {
  const parts: string[] = [
    e.title.vi,
    e.title.en,
    e.summary.vi,
    e.summary.en,
    e.body.vi,
    e.body.en,
    ...e.tags,
    ...(e.aliases?.vi ?? []),
    ...(e.aliases?.en ?? []),
  ];
  if (e.type === "attraction") {
    const p = e.place;
    parts.push(p.address.vi, p.address.en, ...p.formerNames);
    for (const b of [p.openingHours, p.tickets, p.gettingThere]) if (b) parts.push(b.vi, b.en);
  } else if (e.type === "event") {
    parts.push(e.event.where.vi, e.event.where.en, ...e.event.venues);
  } else if (e.type === "practical") {
    for (const c of e.practical.contacts) parts.push(c.label.vi, c.label.en, c.phone);
    for (const f of e.practical.facts) parts.push(f.label.vi, f.label.en, f.value.vi, f.value.en);
  } else if (e.type === "lodging-rule") {
    for (const c of e.lodging.channels) parts.push(c.name.vi, c.name.en);
    for (const b of e.lodging.legalBasis) parts.push(b.document, b.article ?? "");
  }
  return parts.join("\n");
}

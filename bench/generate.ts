/**
 * Synthetic knowledge bases for the benchmark, generated at run time and never written into content/.
 *
 * The text is resampled from the real entries (their sentences, words and section headings), so the
 * generated vocabulary is the same Vietnamese+English mix the index sees in production, with a realistic
 * skew: words are drawn from the running text, so frequent words stay frequent. Structured fields are
 * copied from a real entry of the same type, which keeps every generated entry valid for the schema.
 */
import { stringify } from "yaml";
import { plainText } from "../indexer/content/chunk.ts";
import {
  ENTRY_TYPES,
  TYPE_FOLDERS,
  type ContentEntry,
  type EntryType,
  type Lang,
} from "../indexer/content/schema.ts";
import { fold } from "../indexer/text/normalize.ts";
import { mulberry32 } from "../indexer/util/random.ts";

/** A seeded random source; every draw of the generator goes through one, so runs are reproducible. */
export type Rng = {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
};

/** A seeded Rng over mulberry32. */
export function createRng(seed: number): Rng {
  const next = mulberry32(seed);
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new Error("pick from an empty list");
      return items[int(0, items.length - 1)] as T;
    },
    chance: (p) => next() < p,
  };
}

/** What generated text is sampled from, per language, plus the real entries used as templates. */
export type Corpus = {
  sentences: Record<Lang, string[]>;
  /** Running words (with repetitions), so uniform draws follow the real word frequencies. */
  words: Record<Lang, string[]>;
  headings: Record<Lang, string[]>;
  templates: Record<EntryType, ContentEntry[]>;
};

const LANGS = ["vi", "en"] as const;
const WORD = /\p{L}+/gu;
const SENTENCE_END = /(?<=[.!?;])\s+|\n+/;

/** Collects sentences, words and headings from the real entries' bodies. */
export function buildCorpus(entries: ContentEntry[]): Corpus {
  const corpus: Corpus = {
    sentences: { vi: [], en: [] },
    words: { vi: [], en: [] },
    headings: { vi: [], en: [] },
    templates: { attraction: [], event: [], "lodging-rule": [], practical: [], itinerary: [] },
  };
  for (const entry of entries) {
    corpus.templates[entry.type].push(entry);
    for (const lang of LANGS) {
      const prose: string[] = [];
      for (const line of entry.body[lang].split("\n")) {
        const h = /^#{2,6}\s+(.*)$/.exec(line);
        if (h) corpus.headings[lang].push((h[1] ?? "").trim());
        else prose.push(line);
      }
      const text = plainText(prose.join("\n"));
      for (const s of text.split(SENTENCE_END)) {
        const n = s.trim().split(/\s+/).length;
        // Very short fragments are list items or table debris; very long ones would blow the word budget.
        if (n >= 5 && n <= 40) corpus.sentences[lang].push(s.trim());
      }
      for (const m of text.matchAll(WORD)) if (m[0].length > 1) corpus.words[lang].push(m[0]);
    }
  }
  for (const type of ENTRY_TYPES) {
    if (corpus.templates[type].length === 0) throw new Error(`no real entry of type ${type} to copy`);
  }
  return corpus;
}

/** Id of the i-th generated entry (0-based); the type is fixed by the position so ids can be predicted. */
export function generatedId(i: number): string {
  return `gen-${ENTRY_TYPES[i % ENTRY_TYPES.length]}-${i + 1}`;
}

const capitalize = (s: string) => (s ? (s[0] as string).toUpperCase() + s.slice(1) : s);

function words(corpus: Corpus, rng: Rng, lang: Lang, min: number, max: number): string[] {
  return Array.from({ length: rng.int(min, max) }, () => rng.pick(corpus.words[lang]));
}

function syntheticSentence(corpus: Corpus, rng: Rng, lang: Lang, title: string): string {
  const w = words(corpus, rng, lang, 6, 14);
  // Real entries name their subject in the text; doing the same keeps title queries realistic.
  if (rng.chance(0.3)) w.splice(rng.int(0, w.length), 0, title);
  return `${capitalize(w.join(" ").toLowerCase())}.`;
}

const wordCount = (s: string) => s.split(/\s+/).length;

/** 2–4 "## " sections (mostly 2–3) of ~100–200 words in all: about 8–10 passages per entry with facts. */
function body(corpus: Corpus, rng: Rng, lang: Lang, title: string): string {
  const sections = rng.chance(0.15) ? 4 : rng.int(2, 3);
  const perSection = rng.int(100, 200) / sections;
  const out: string[] = [];
  for (let s = 0; s < sections; s++) {
    const sentences: string[] = [];
    let n = 0;
    while (n < perSection) {
      // Alternating real and resampled sentences: real grammar, and word combinations the index has not seen.
      const sentence =
        sentences.length % 2 === 0
          ? rng.pick(corpus.sentences[lang])
          : syntheticSentence(corpus, rng, lang, title);
      sentences.push(sentence);
      n += wordCount(sentence);
    }
    out.push(`## ${rng.pick(corpus.headings[lang])}\n\n${sentences.join(" ")}`);
  }
  return out.join("\n\n");
}

/**
 * `count` valid entries of all four types (in turn), deterministic for a given seed. Related ids and event
 * venues point at other generated entries, so the set also passes loadContent's cross-entry checks.
 */
export function generateEntries(corpus: Corpus, count: number, seed = 1): ContentEntry[] {
  const rng = createRng(seed);
  const out: ContentEntry[] = [];
  for (let i = 0; i < count; i++) {
    const type = ENTRY_TYPES[i % ENTRY_TYPES.length] as EntryType;
    const template = rng.pick(corpus.templates[type]);
    const id = generatedId(i);
    const title = {
      vi: `${capitalize(words(corpus, rng, "vi", 2, 4).join(" "))} ${i + 1}`,
      en: `${capitalize(words(corpus, rng, "en", 2, 4).join(" "))} ${i + 1}`,
    };
    const tags = [...words(corpus, rng, "vi", 1, 2), ...words(corpus, rng, "en", 1, 2)].map((t) =>
      t.toLowerCase(),
    );
    const related =
      i > 0 && template.related.length > 0
        ? [...new Set(Array.from({ length: rng.int(1, 3) }, () => generatedId(rng.int(0, i - 1))))]
        : [];
    const entry = {
      ...structuredClone(template),
      id,
      title,
      summary: { vi: rng.pick(corpus.sentences.vi), en: rng.pick(corpus.sentences.en) },
      aliases: {
        vi: [words(corpus, rng, "vi", 2, 3).join(" ")],
        en: [words(corpus, rng, "en", 2, 3).join(" ")],
      },
      tags: [...new Set(tags)],
      related,
      body: { vi: body(corpus, rng, "vi", title.vi), en: body(corpus, rng, "en", title.en) },
      file: `${TYPE_FOLDERS[type]}/${id}.md`,
    } as ContentEntry;
    if (entry.type === "event") {
      // Venues must name attractions; the entry just before an event is always one (types come in turn).
      entry.event.venues = entry.event.venues.length > 0 && i > 0 ? [generatedId(i - 1)] : [];
    }
    out.push(entry);
  }
  return out;
}

/** The Markdown file content/ would hold for an entry, for the write-to-disk-and-rebuild measurement. */
export function entryToMarkdown(entry: ContentEntry): string {
  const frontMatter: Partial<ContentEntry> = { ...entry };
  delete frontMatter.body;
  delete frontMatter.file;
  const { vi, en } = entry.body;
  return `---\n${stringify(frontMatter, { lineWidth: 0 })}---\n\n# Tiếng Việt\n\n${vi}\n\n# English\n\n${en}\n`;
}

/** One plausible typing mistake in a word: a letter dropped, doubled, swapped with the next, or wrong. */
export function typo(word: string, rng: Rng): string {
  const i = rng.int(1, word.length - 2);
  switch (rng.int(0, 3)) {
    case 0:
      return word.slice(0, i) + word.slice(i + 1);
    case 1:
      return word.slice(0, i) + word[i] + word.slice(i);
    case 2:
      return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
    default:
      return word.slice(0, i) + rng.pick([..."aeioucnhtgmdr"]) + word.slice(i + 1);
  }
}

/**
 * A mix of queries over generated entries: real eval questions (30%), generated titles with or without
 * their number (30%) and 3–8-word fragments of generated bodies (40%). A quarter lose their diacritics
 * and a sixth get a typo, as people type them; the typo path also exercises the spelling corrector.
 */
export function generateQueries(
  entries: ContentEntry[],
  questions: string[],
  count: number,
  seed = 2,
): string[] {
  const rng = createRng(seed);
  const out: string[] = [];
  for (let n = 0; n < count; n++) {
    const r = rng.next();
    let q: string;
    if (r < 0.3) {
      q = rng.pick(questions);
    } else {
      const entry = rng.pick(entries);
      const lang = rng.pick(LANGS);
      if (r < 0.6) {
        q = rng.chance(0.5) ? entry.title[lang] : entry.title[lang].replace(/\s+\d+$/, "");
      } else {
        const sentences = plainText(entry.body[lang].replace(/^#{2,6}\s+.*$/gm, "")).split(SENTENCE_END);
        const w = rng.pick(sentences.filter((s) => s.trim() !== "")).split(/\s+/);
        const len = Math.min(w.length, rng.int(3, 8));
        const start = rng.int(0, w.length - len);
        q = w.slice(start, start + len).join(" ");
      }
    }
    if (rng.chance(0.25)) q = fold(q);
    if (rng.chance(1 / 6)) {
      const w = q.split(/\s+/);
      const long = w.map((x, i) => [x, i] as const).filter(([x]) => x.length >= 4);
      if (long.length > 0) {
        const [word, i] = rng.pick(long);
        w[i] = typo(word, rng);
        q = w.join(" ");
      }
    }
    out.push(q);
  }
  return out;
}

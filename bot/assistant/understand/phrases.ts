import { fold } from "../../../indexer/index.ts";

/**
 * Phrase matching on folded text. Questions arrive with diacritics, without them, or with some wrong, so
 * intent rules match the folded form ("le hoi") on word boundaries; where folding makes two words collide
 * ("cháy" fire / "chay" vegetarian) a rule matches the exact form instead.
 */

/** Lowercased NFC text and its folded form, with words separated by single spaces. */
export type Normalized = { exact: string; folded: string };

/** Normalises once per question; every rule then matches against the same two strings. */
export function normalize(text: string): Normalized {
  const exact = ` ${text
    .normalize("NFC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}:/.]+/gu, " ")
    .trim()} `;
  return { exact, folded: fold(exact) };
}

/** A compiled list of phrases; `test` is true when one of them occurs as whole words. */
export type PhraseSet = { test(s: string): boolean; match(s: string): string | undefined };

/** Compiles phrases (already in the form they are matched against) into one word-bounded regex. */
export function phrases(list: readonly string[]): PhraseSet {
  // Phrases go through the same clean-up as questions ("what's on" → "what s on").
  const sorted = list
    .map((p) =>
      p
        .normalize("NFC")
        .toLowerCase()
        .replace(/[^\p{L}\p{N}:/.]+/gu, " ")
        .trim(),
    )
    .filter(Boolean)
    .sort((a, b) => b.length - a.length);
  const re = new RegExp(`(?<=[^\\p{L}\\p{N}])(?:${sorted.map(escape).join("|")})(?=[^\\p{L}\\p{N}])`, "u");
  return {
    test: (s) => re.test(s),
    match: (s) => re.exec(s)?.[0],
  };
}

/** Phrases written with diacritics, matched against the folded text. */
export function foldedPhrases(list: readonly string[]): PhraseSet {
  return phrases(list.map((p) => fold(p)));
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/ /g, "\\s+");
}

import { fold, isStopword, tokenize, type Token } from "../text/normalize.ts";
import { SYNONYM_GROUPS } from "./synonyms.ts";

/**
 * Terms, as the lexical and latent indexes see them:
 * - `chau`: a folded syllable or word;
 * - `chau_doc`: two adjacent folded words, so that names and terms of several syllables match as phrases;
 * - `=châu`: the exact form of a word typed with diacritics, a small boost that separates "bà" from "ba".
 */
export type WeightedTerm = { term: string; weight: number };

const HAS_DIACRITIC = /[^\x20-\x7e]/;

/** The terms of a document text, with repetitions (term frequency counts). */
export function documentTerms(text: string): string[] {
  return termsOfTokens(tokenize(text), true);
}

/** Folded unigrams and bigrams (no exact forms); what the latent index learns from. */
export function conceptTerms(text: string): string[] {
  return termsOfTokens(tokenize(text), false);
}

/** Unigrams without stopwords, bigrams unless both words are stopwords, optionally exact forms. */
export function termsOfTokens(tokens: Token[], withExact: boolean): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    const stop = isStopword(t.folded);
    if (!stop) {
      out.push(t.folded);
      if (withExact && HAS_DIACRITIC.test(t.exact)) out.push(`=${t.exact}`);
    }
    const next = tokens[i + 1];
    if (next && !(stop && isStopword(next.folded))) out.push(`${t.folded}_${next.folded}`);
  }
  return out;
}

type SynonymMember = { exact: boolean; words: string[] };
type CompiledGroup = SynonymMember[];

const GROUPS: CompiledGroup[] = SYNONYM_GROUPS.map((group) =>
  group.map((phrase) => {
    const exact = HAS_DIACRITIC.test(phrase);
    const words = tokenize(phrase).map((t) => (exact ? t.exact : t.folded));
    return { exact, words };
  }),
);

/** Synonym phrases to add for a query (each as tokens), excluding phrases already in the query. */
export function synonymExpansions(tokens: Token[]): Token[][] {
  const exact = tokens.map((t) => t.exact);
  const folded = tokens.map((t) => t.folded);
  const out: Token[][] = [];
  for (const group of GROUPS) {
    const hit = group.find((m) => containsPhrase(m.exact ? exact : folded, m.words));
    if (!hit) continue;
    for (const member of group) {
      if (member === hit || containsPhrase(member.exact ? exact : folded, member.words)) continue;
      out.push(member.words.map((w) => ({ exact: w, folded: member.exact ? fold(w) : w })));
    }
  }
  return out;
}

function containsPhrase(haystack: string[], needle: string[]): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

import type { Lang } from "./schema.ts";

/**
 * What visitors read must read as finished: no editor's marker ("cần kiểm tra", "[UNCONFIRMED]", "TODO")
 * and no text of the other language in a language's field. Notes for editors belong in staffNote.
 * Unconfirmed facts are still allowed, said plainly ("chưa được xác nhận; hãy hỏi công an phường").
 */

/** Phrases editors write for each other, never for visitors; matched without case on NFC text. */
const INTERNAL_MARKERS: { pattern: RegExp; label: string }[] = [
  { pattern: /\[(?:unconfirmed|conflict|computed|todo|check)[^\]]*\]/iu, label: "a [BRACKETED] research tag" },
  { pattern: /\b(?:TODO|FIXME|TBD|XXX)\b/u, label: "TODO" },
  { pattern: /cần kiểm tra/iu, label: "cần kiểm tra" },
  { pattern: /danh sách dự kiến/iu, label: "danh sách dự kiến" },
  { pattern: /chưa (?:được )?đọc/iu, label: "chưa đọc" },
  { pattern: /chưa (?:được )?mở (?:trang|để)/iu, label: "chưa mở trang" },
  { pattern: /nhóm nghiên cứu/iu, label: "nhóm nghiên cứu" },
  { pattern: /\b(?:was|were|has not been|have not been|not) (?:read|opened)\b/iu, label: "not read" },
  { pattern: /\b(?:must|should) be (?:verified|checked)\b/iu, label: "should be checked" },
  { pattern: /\bnote to (?:self|editors?)\b/iu, label: "note to editors" },
];

/** The editor's marker a text holds (its label), or undefined. */
export function internalMarker(text: string): string | undefined {
  const t = text.normalize("NFC");
  return INTERNAL_MARKERS.find((m) => m.pattern.test(t))?.label;
}

const VI_LETTER = /[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]/iu;

/** A folded Vietnamese syllable (initial, nucleus, final); English words mostly are not one. */
const VI_SYLLABLE =
  /^(b|c|ch|d|g|gh|gi|h|k|kh|l|m|n|ng|ngh|nh|p|ph|qu|r|s|t|th|tr|v|x)?(a|ai|ao|au|ay|e|eo|i|ia|iu|o|oa|oai|oay|oe|oi|oo|u|ua|uai|uay|ue|ui|uo|uoi|uu|uy|uya|uye|uyu|y|ye|yeu|ieu|uou)(c|ch|m|n|ng|nh|p|t|u|o|i|y)?$/;

/** English words that read as Vietnamese syllables but are plainly English in running text. */
const EN_SHORT = new Set(
  "the and of is are was be by on at in or it if but not for as this that has have had who can may".split(" "),
);

/**
 * How much of a text looks Vietnamese and how much English: words with Vietnamese letters against words
 * that cannot be a Vietnamese syllable or are common English short words. Place names (Châu Đốc, Núi Sam)
 * count as Vietnamese, so an English text may hold a few; a text mostly of one kind is that language.
 */
function languageScores(text: string): { vi: number; en: number } {
  let vi = 0;
  let en = 0;
  for (const m of text.normalize("NFC").matchAll(/\p{L}+/gu)) {
    const w = m[0];
    if (VI_LETTER.test(w)) vi++;
    else if (/^[a-z]+$/i.test(w)) {
      const lower = w.toLowerCase();
      if (EN_SHORT.has(lower) || !VI_SYLLABLE.test(lower)) en++;
    }
  }
  return { vi, en };
}

/**
 * True when a text given for `lang` is written in the other language: an English field that is mostly
 * Vietnamese words, or a Vietnamese field with more English words than Vietnamese ones. Short texts
 * (names, numbers) never count.
 */
export function inOtherLanguage(text: string, lang: Lang): boolean {
  const { vi, en } = languageScores(text);
  if (lang === "en") return vi >= 4 && vi > en * 4;
  return en >= 3 && en > vi;
}

export type PublicTextProblem = { where: (string | number)[]; reason: string };

/** Fields that are not visitor text: links, ids, dates and codes, and the staff's own note. */
const NOT_PUBLIC = new Set(["staffNote", "url", "source", "id", "related", "venues", "aliases"]);

/**
 * The editor's markers and wrong-language texts in an entry's front matter: every string is checked for
 * markers, and every `{ vi, en }` pair (and `{ vi: [...], en: [...] }` list) for its language.
 */
export function publicTextProblems(frontMatter: unknown): PublicTextProblem[] {
  const out: PublicTextProblem[] = [];
  const visit = (value: unknown, where: (string | number)[], lang?: Lang) => {
    if (typeof value === "string") {
      const marker = internalMarker(value);
      if (marker) out.push({ where, reason: markerReason(marker) });
      else if (lang && inOtherLanguage(value, lang)) out.push({ where, reason: languageReason(lang) });
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((v, i) => visit(v, [...where, i], lang));
      return;
    }
    if (!value || typeof value !== "object") return;
    const entries = Object.entries(value as Record<string, unknown>);
    const pair = entries.length === 2 && "vi" in value && "en" in value;
    for (const [k, v] of entries) {
      if (NOT_PUBLIC.has(k)) continue;
      visit(v, [...where, k], pair ? (k as Lang) : lang);
    }
  };
  visit(frontMatter, []);
  return out;
}

/** One problem in a body section: the line it starts on (counted from the section's first line). */
export type BodyTextProblem = { offset: number; reason: string };

/**
 * The markers and wrong-language paragraphs of one language's body, given as its lines; `offset` is the
 * index of the line at fault.
 */
export function bodyTextProblems(lines: string[], lang: Lang): BodyTextProblem[] {
  const out: BodyTextProblem[] = [];
  let para: { start: number; text: string[] } | undefined;
  const close = () => {
    if (para && inOtherLanguage(para.text.join(" "), lang))
      out.push({ offset: para.start, reason: languageReason(lang) });
    para = undefined;
  };
  lines.forEach((line, i) => {
    const marker = internalMarker(line);
    if (marker) out.push({ offset: i, reason: markerReason(marker) });
    if (line.trim() === "" || /^#{1,6}\s/.test(line)) {
      close();
      return;
    }
    para ??= { start: i, text: [] };
    para.text.push(line);
  });
  close();
  return out;
}

function markerReason(marker: string): string {
  return `holds an editor's note ("${marker}"): say plainly what is unconfirmed and where to check, and move notes for editors to staffNote`;
}

function languageReason(lang: Lang): string {
  return lang === "vi"
    ? "is written in English but is the Vietnamese text: write it in Vietnamese"
    : "is written in Vietnamese but is the English text: write it in English";
}

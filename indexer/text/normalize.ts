/**
 * Vietnamese-aware text normalisation shared by the index and the assistant.
 *
 * People type Vietnamese with full diacritics, with none, or with some wrong; so every token is indexed
 * folded (no diacritics, đ→d), and tokens that carry diacritics are also indexed exactly, so that a query
 * typed with diacritics can tell "lăng" (tomb) from "làng" (village) while a query without them still
 * matches both.
 */

/** A word as typed (lowercased, NFC) and folded (no diacritics, đ→d). */
export type Token = { exact: string; folded: string };

const COMBINING_MARKS = /[\u0300-\u036f]/g;

/** Removes Vietnamese diacritics and lowercases: "Châu Đốc" → "chau doc". NFD alone leaves đ, hence the replace. */
export function fold(s: string): string {
  return s.normalize("NFD").replace(COMBINING_MARKS, "").replace(/đ/g, "d").replace(/Đ/g, "d").toLowerCase();
}

const WORD = /[\p{L}\p{N}]+/gu;

/** Splits text into words (letters and digits), keeping both the exact and the folded form. */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.normalize("NFC").toLowerCase().matchAll(WORD)) {
    const exact = m[0];
    let folded = FOLDED.get(exact);
    if (folded === undefined) {
      folded = stem(fold(exact));
      if (FOLDED.size < 500_000) FOLDED.set(exact, folded);
    }
    out.push({ exact, folded });
  }
  return out;
}

/** Folded form of each word seen: a language has few distinct words, and NFD folding is the slow part. */
const FOLDED = new Map<string, string>();

/**
 * A light English plural stemmer. Vietnamese syllables never end in "s", so stripping it is safe for
 * both languages: "temples" → "temple", "guests" → "guest", "ferries" → "ferry".
 */
function stem(w: string): string {
  if (w.length > 4 && w.endsWith("ies")) return `${w.slice(0, -3)}y`;
  if (w.length > 3 && w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("us")) return w.slice(0, -1);
  return w;
}

/**
 * Words that carry no topic in questions, in folded form. Kept short on purpose: BM25's idf already
 * discounts frequent words, and folded Vietnamese collides ("bao" is also "báo", report), so only
 * words that are never a topic are listed.
 */
export const STOPWORDS = new Set(
  // Vietnamese (folded)
  (
    "la cua va co khong o thi nao gi dau nhu nay do duoc voi cac nhung mot toi minh ban em anh a " +
    "nhe vay sao may khi hay hoac tai tu ra vao len xuong can phai muon cho biet hoi xin chao ah nha " +
    "the thu ai bi lam ma neu roi con nua chi duoc " +
    // English
    "an the is are was were be been do doe did of to in on at for from with by and or what where when " +
    "how which who why can could should would will i you we my me it its this that there here any about " +
    "please tell much many get go there have ha need want know"
  ).split(/\s+/),
);

/** True when a folded word is a stopword. */
export function isStopword(folded: string): boolean {
  return STOPWORDS.has(folded);
}

const VI_DIACRITIC = /[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]/i;

/**
 * A folded Vietnamese syllable: optional initial consonant, vowel nucleus, optional final.
 * Used to tell Vietnamese typed without diacritics from English: "mieu ba chua xu o dau" passes,
 * "where is the temple" mostly does not.
 */
const VI_SYLLABLE =
  /^(b|c|ch|d|g|gh|gi|h|k|kh|l|m|n|ng|ngh|nh|p|ph|qu|r|s|t|th|tr|v|x)?(a|ai|ao|au|ay|e|eo|i|ia|iu|o|oa|oai|oay|oe|oi|oo|u|ua|uai|uay|ue|ui|uo|uoi|uu|uy|uya|uye|uyu|y|ye|yeu|ieu|iu|uou|ươ)(c|ch|m|n|ng|nh|p|t|u|o|i|y)?$/;

/** English function words: decisive when they are not also Vietnamese syllables ("how", "from"). */
const EN_FUNCTION_WORDS = new Set(
  (
    "the is are was were where what when how which who why does can could should would will you your my " +
    "our from with near there this that and or for of in on at do get any about it tell me hi hello thanks " +
    "help am be by if not but some than into just"
  ).split(/\s+/),
);

/** Common English content words of tourism questions. */
const EN_WORDS = new Set(
  (
    "open opening hours ticket price festival temple pagoda mountain hotel guest guests police register " +
    "registration boat bus forest village market food visit best time tomb lake hill cham mosque floating " +
    "emergency number city far way go eat buy stay need rules fine foreign"
  ).split(/\s+/),
);

/** Syllables of place names that both languages use; they say nothing about the language. */
const NAME_SYLLABLES = new Set(
  "chau doc ho chi minh sam can tho giang phnom penh tra su thoai ngoc hau tay ba chua xu".split(" "),
);

/** Detects Vietnamese (with or without diacritics) or English; "unknown" when there is nothing to go on. */
export function detectLanguage(text: string): "vi" | "en" | "unknown" {
  if (VI_DIACRITIC.test(text)) return "vi";
  const words = text.toLowerCase().match(/[a-z]+/g) ?? [];
  if (words.length === 0) return "unknown";
  let vi = 0;
  let en = 0;
  for (const w of words) {
    if (NAME_SYLLABLES.has(w)) continue;
    const syllable = VI_SYLLABLE.test(w);
    if (EN_FUNCTION_WORDS.has(w)) en += syllable ? 1 : 2;
    else if (EN_WORDS.has(w)) en += syllable ? 0.6 : 1;
    else if (syllable) vi += 1;
    else en += 0.8;
  }
  if (vi === 0 && en === 0) return "vi";
  return vi > en ? "vi" : "en";
}

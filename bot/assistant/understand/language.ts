import { detectLanguage, type Lang } from "../../../indexer/index.ts";

/** Scripts of languages the assistant does not speak; a question in them gets an English answer. */
const OTHER_SCRIPT =
  /[\p{Script=Han}\p{Script=Hangul}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Khmer}\p{Script=Cyrillic}\p{Script=Arabic}\p{Script=Lao}\p{Script=Devanagari}]/u;

const OTHER_SCRIPT_ALL = new RegExp(OTHER_SCRIPT.source, "gu");

/** Function words of the Latin-script languages visitors most often write in, besides English. */
const OTHER_LATIN = new Set(
  // French
  (
    "est les du des une où quand comment pour avec je nous vous est-ce quel quelle bonjour merci " +
    "trouve combien coûte entrée forêt aller faut pagode visiter fête ouvert " +
    // German
    "ist der die das und wo wann wie ich nicht mit für ein eine hallo danke " +
    // Spanish / Portuguese / Italian
    "el los las dónde donde cuándo cuando cómo qué para una hola gracias onde quando como é il che dove"
  ).split(/\s+/),
);

export type LanguageChoice = {
  lang: Lang;
  /** True when the question is in a language the assistant does not speak (answered in English). */
  other: boolean;
  /** True when the language came from the question itself (explicit or detected), not from memory. */
  fromQuestion: boolean;
};

/**
 * The answer's language: an explicit choice wins, then what the question is written in, then the
 * conversation's earlier language (short replies such as "ok" or "2027" say nothing), then Vietnamese.
 * `remembered` is called only when the question itself does not settle the language.
 */
export function chooseLanguage(
  text: string,
  explicit?: Lang,
  remembered: () => Lang | undefined = () => undefined,
): LanguageChoice {
  if (explicit) return { lang: explicit, other: false, fromQuestion: true };
  // Two letters of another script are enough: Vietnamese names inside a Chinese question stay names.
  if ((text.match(OTHER_SCRIPT_ALL) ?? []).length >= 2)
    return { lang: "en", other: true, fromQuestion: true };
  const words = text.toLowerCase().match(/[\p{L}-]+/gu) ?? [];
  const foreign = words.filter((w) => OTHER_LATIN.has(w)).length;
  if (foreign >= 2 && foreign >= words.length / 6) return { lang: "en", other: true, fromQuestion: true };
  const detected = detectLanguage(text);
  // A bare number, a name or one short word is not enough to switch an ongoing conversation.
  const informative =
    words.length >= 3 || /[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]/iu.test(text);
  if (detected !== "unknown" && informative) return { lang: detected, other: false, fromQuestion: true };
  const earlier = remembered();
  if (detected !== "unknown" && !earlier) return { lang: detected, other: false, fromQuestion: true };
  return {
    lang: earlier ?? (detected === "unknown" ? "vi" : detected),
    other: false,
    fromQuestion: false,
  };
}

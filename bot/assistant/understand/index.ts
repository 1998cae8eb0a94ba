/** Understanding a turn: text → act and clauses (subjects, attributes, constraints). Pure, no I/O. */
export {
  ATTRIBUTES,
  attributeCues,
  factAttributes,
  LODGING_ATTRIBUTES,
  type Attribute,
} from "./attributes.ts";
export { AREA, DOMAIN, isEmergencyText, OTHER_DESTINATIONS } from "./cues.ts";
export { EN_MONTHS, isoOf, localToday, resolveDateRange, type DateRange, type LocalDate } from "./dates.ts";
export { chooseLanguage, type LanguageChoice } from "./language.ts";
export {
  parseArrivalTime,
  parseDeadlineQuery,
  parseGuestCount,
  parseLodgingDetails,
  LODGING_TOPIC,
  type DeadlineQuery,
  type LodgingDetails,
} from "./lodging-details.ts";
export { foldedPhrases, normalize, phrases, type Normalized, type PhraseSet } from "./phrases.ts";
export {
  MAX_QUESTION,
  splitClauses,
  understandTurn,
  type Act,
  type Clause,
  type Lexicon,
  type Reading,
  type SmallTalk,
  smallTalkKind,
} from "./understand.ts";
export { familiesOf, type WordFamily } from "./word-families.ts";

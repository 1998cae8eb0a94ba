/** Composing the answer: findings → text in the user's language, with sources and what was not known. */
export { composeFindings, type ComposeContext } from "./compose.ts";
export {
  askLocationDraft,
  deadlineText,
  emergencyDraft,
  greetingDraft,
  nearbyDraft,
  outOfScopeDraft,
  sourceOf,
  suggestionFor,
  type Draft,
} from "./drafts.ts";
export { entryUrl, formatDate, formatLunar, formatVnd, LEGAL_STATUS, mapUrl } from "./format.ts";

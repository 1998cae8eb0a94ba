import type { Lang } from "../../indexer/index.ts";
import { emergencyDraft } from "./compose/index.ts";
import { chooseLanguage, isEmergencyText, MAX_QUESTION } from "./understand/index.ts";

/**
 * The assistant's own emergency reading and answer, for callers that must not run a whole turn (a chat
 * handed to staff still gets the emergency numbers): understand's emergency test and language choice
 * (the ones a turn starts with), and compose's emergency draft with 113 / 114 / 115.
 */
export function emergencyReply(
  text: string,
  options: { lang?: Lang } = {},
): { lang: Lang; text: string } | undefined {
  const typed = text.normalize("NFC").trim().slice(0, MAX_QUESTION);
  if (!isEmergencyText(typed)) return undefined;
  const lang = chooseLanguage(typed, options.lang).lang;
  return { lang, text: emergencyDraft(undefined, lang).answer };
}

import type { Lang } from "../../indexer/index.ts";
import { emergencyDraft } from "./compose/index.ts";
import { understandTurn } from "./understand/index.ts";

/**
 * The assistant's own emergency reading and answer, for callers that must not run a whole turn (a chat
 * handed to staff still gets the emergency numbers): understand's act, and compose's emergency draft
 * with the numbers of the content's emergency entry or, without it, 113 / 114 / 115.
 */
export function emergencyReply(
  text: string,
  options: { now: Date; lang?: Lang },
): { lang: Lang; text: string } | undefined {
  const reading = understandTurn(text, {
    now: options.now,
    lexicon: { namedEntries: () => [] },
    ...(options.lang ? { lang: options.lang } : {}),
  });
  if (reading.act !== "emergency") return undefined;
  const lang = reading.language.lang;
  return { lang, text: emergencyDraft(undefined, lang).answer };
}

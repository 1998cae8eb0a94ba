import { fold, type KnowledgeIndex } from "../../indexer/index.ts";
import type { CasePlace } from "../store/index.ts";

/**
 * The place of the knowledge base a report's "where" names: the attraction whose title or alias appears
 * in the text (the longest such name wins), with its coordinates when known.
 */
export function placeFinder(index: Pick<KnowledgeIndex, "list">): (text: string) => CasePlace | undefined {
  const names: { name: string; place: CasePlace }[] = [];
  for (const e of index.list("attraction")) {
    if (e.type !== "attraction") continue;
    const c = e.place.coordinates;
    const place: CasePlace = { entryId: e.id, name: e.title.vi, ...(c ? { lat: c.lat, lng: c.lng } : {}) };
    for (const n of [e.title.vi, e.title.en, ...(e.aliases?.vi ?? []), ...(e.aliases?.en ?? [])]) {
      const folded = fold(n)
        .replace(/[^a-z0-9 ]+/g, " ")
        .trim();
      if (folded.length >= 3) names.push({ name: folded, place });
    }
  }
  names.sort((a, b) => b.name.length - a.name.length);
  return (text) => {
    const t = ` ${fold(text)
      .replace(/[^a-z0-9 ]+/g, " ")
      .replace(/\s+/g, " ")} `;
    return names.find((n) => t.includes(` ${n.name} `))?.place;
  };
}

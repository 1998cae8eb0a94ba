import type { ContentEntry, Lang } from "../../indexer/index.ts";

/**
 * The order of lists on the portal: entries with a `featured` rank first (1, 2, …), then the others by
 * their title in the page's language, so an English list follows the English titles.
 */
export function byFeaturedThenTitle<E extends ContentEntry>(entries: readonly E[], lang: Lang): E[] {
  const collator = new Intl.Collator(lang === "vi" ? "vi" : "en", { sensitivity: "base" });
  return [...entries].sort((a, b) => {
    const ra = a.featured ?? Number.POSITIVE_INFINITY;
    const rb = b.featured ?? Number.POSITIVE_INFINITY;
    if (ra !== rb) return ra - rb;
    return collator.compare(a.title[lang], b.title[lang]);
  });
}

/** The entries that have a `featured` rank, in rank order. */
export function featuredOnly<E extends ContentEntry>(entries: readonly E[], lang: Lang): E[] {
  return byFeaturedThenTitle(
    entries.filter((e) => e.featured !== undefined),
    lang,
  );
}

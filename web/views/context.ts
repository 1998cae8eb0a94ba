import type { Lang } from "../../indexer/index.ts";

/** What every page needs to know about the request it answers. */
export type PageContext = {
  lang: Lang;
  /**
   * Absolute origin of the site (PUBLIC_URL), without a trailing slash: https://du-lich.example.vn. Unset
   * when PUBLIC_URL is: the pages then have no absolute links (never the request's Host, pages are cached).
   */
  base?: string;
  /** The page's path without the language prefix: "/", "/attractions/nui-sam". */
  path: string;
  /** Query kept in the canonical and alternate links ("?tag=ch%C3%B9a"), or "". */
  canonicalQuery: string;
  /** The whole query, kept by the language switch so it leads to the same view ("?q=…"), or "". */
  query: string;
  /** Today in Asia/Ho_Chi_Minh, YYYY-MM-DD. */
  today: string;
  /** Map tiles and their attribution; no maps are drawn without them. */
  map?: { tileUrl: string; attribution: string };
};

/** Picks the Vietnamese or the English text. */
export function t<T>(lang: Lang, vi: T, en: T): T {
  return lang === "vi" ? vi : en;
}

/** The path of a page in a language: Vietnamese at the root, English under /en. */
export function localPath(lang: Lang, path: string): string {
  if (lang === "vi") return path;
  return path === "/" ? "/en" : `/en${path}`;
}

/** A site path in the page's language. */
export function href(ctx: PageContext, path: string): string {
  return localPath(ctx.lang, path);
}

/** The other language. */
export function otherLang(lang: Lang): Lang {
  return lang === "vi" ? "en" : "vi";
}

import { entryUrl, formatDate, formatLunar } from "../../bot/index.ts";
import {
  detectLanguage,
  imageUrl,
  type ContentEntry,
  type EntryImage,
  type EntryType,
  type Lang,
  type Occurrence,
} from "../../indexer/index.ts";
import { href, t, type PageContext } from "./context.ts";
import { html, raw, safeUrl, type HtmlValue, type SafeHtml } from "./html.ts";

/** Fragments shared by several pages. */

/** What a page says for a field its sources do not give. */
export function unknownText(lang: Lang): string {
  return t(lang, "chưa có thông tin xác nhận", "not confirmed in our sources");
}

/** A heading of a level the caller computes (2–6), so nested fragments keep the page's heading order. */
export function heading(level: number, content: HtmlValue, id?: string): SafeHtml {
  const n = Math.min(6, Math.max(2, Math.round(level)));
  return html`${raw(`<h${n}`)}${id ? html` id="${id}"` : ""}>${content}${raw(`</h${n}>`)}`;
}

/** A date in the page's language, machine-readable too. */
export function dateHtml(iso: string, lang: Lang): SafeHtml {
  return html`<time datetime="${iso}">${formatDate(iso, lang)}</time>`;
}

/** The portal link of an entry in the page's language. */
export function entryHref(ctx: PageContext, type: EntryType, id: string): string {
  return href(ctx, entryUrl(type, id));
}

/** An external link, or plain text when the URL is not a safe http(s) link. */
export function externalLink(url: string, text: HtmlValue): SafeHtml {
  const safe = safeUrl(url);
  return safe ? html`<a href="${safe}" rel="noopener noreferrer">${text}</a>` : html`${text}`;
}

const TYPE_LABEL: Record<EntryType, { vi: string; en: string }> = {
  attraction: { vi: "Điểm tham quan", en: "Attraction" },
  event: { vi: "Lễ hội, sự kiện", en: "Event" },
  "lodging-rule": { vi: "Quy định lưu trú", en: "Lodging rule" },
  practical: { vi: "Thông tin thiết thực", en: "Practical info" },
  itinerary: { vi: "Lịch trình gợi ý", en: "Itinerary" },
};

/** "Điểm tham quan", "Event", …. */
export function typeLabel(type: EntryType, lang: Lang): string {
  return TYPE_LABEL[type][lang];
}

/** The sources of an entry as links, and the day they were last checked. */
export function sourcesSection(ctx: PageContext, entry: ContentEntry, level = 2): SafeHtml {
  const { lang } = ctx;
  return html`<section class="sources" aria-labelledby="sources-heading">
    ${heading(level, t(lang, "Nguồn", "Sources"), "sources-heading")}
    <ul>
      ${entry.sources.map(
        (s) =>
          html`<li>
            ${externalLink(s.url, s.title ? html`<span${langAttr(s.title, lang)}>${s.title}</span>` : hostOf(s.url))}${s.note ? html` <span class="muted">– ${s.note[lang]}</span>` : ""}
          </li>`,
      )}
    </ul>
    ${lastVerified(entry, lang)}
  </section>`;
}

/** ` lang="en"` when a text is not in the page's language (source notes are often English only). */
export function langAttr(text: string, pageLang: Lang): SafeHtml | "" {
  const detected = detectLanguage(text);
  return detected !== "unknown" && detected !== pageLang ? html` lang="${detected}"` : "";
}

/** "Kiểm tra lần cuối: 21/11/2026". */
export function lastVerified(entry: ContentEntry, lang: Lang): SafeHtml {
  return html`<p class="verified">
    ${t(lang, "Kiểm tra lần cuối", "Last verified")}: ${dateHtml(entry.lastVerified, lang)}
  </p>`;
}

/** Links to the entries an entry names as related (unknown ids are skipped). */
export function relatedSection(
  ctx: PageContext,
  entry: ContentEntry,
  get: (id: string) => ContentEntry | undefined,
): SafeHtml | undefined {
  const related = entry.related.map(get).filter((e): e is ContentEntry => e !== undefined);
  if (related.length === 0) return undefined;
  return html`<section aria-labelledby="related-heading">
    <h2 id="related-heading">${t(ctx.lang, "Xem thêm", "See also")}</h2>
    <ul>
      ${related.map(
        (e) =>
          html`<li>
            <a href="${entryHref(ctx, e.type, e.id)}">${e.title[ctx.lang]}</a>
            <span class="muted">(${typeLabel(e.type, ctx.lang)})</span>
          </li>`,
      )}
    </ul>
  </section>`;
}

/**
 * One occurrence: Gregorian dates with the lunar dates beside them, the main day, and what kind of date
 * it is (computed, a past date from a source, or a usual window whose dates are announced each year).
 */
export function occurrenceHtml(o: Occurrence, lang: Lang): SafeHtml {
  const dates =
    o.start === o.end ? dateHtml(o.start, lang) : html`${dateHtml(o.start, lang)} – ${dateHtml(o.end, lang)}`;
  const lunar = o.lunar
    ? html` <span class="lunar"
        >(${o.lunar.start.day === o.lunar.end.day && o.lunar.start.month === o.lunar.end.month ? formatLunar(o.lunar.start, lang) : `${formatLunar(o.lunar.start, lang)} – ${formatLunar(o.lunar.end, lang)}`})</span
      >`
    : "";
  const main =
    o.main && o.main !== o.start
      ? html`; ${t(lang, "ngày chính", "main day")}
        ${dateHtml(o.main, lang)}${o.lunar?.main ? html` <span class="lunar">(${formatLunar(o.lunar.main, lang)})</span>` : ""}`
      : "";
  const note =
    o.status === "known"
      ? t(lang, "ngày đã diễn ra, theo nguồn", "past dates, from sources")
      : o.status === "usual-window"
        ? t(
            lang,
            "khoảng thời gian thường lệ; ngày chính thức được công bố hằng năm",
            "the usual window; exact dates are announced each year",
          )
        : o.approximate
          ? t(lang, "ước lượng", "approximate")
          : o.lunar
            ? t(lang, "tính từ âm lịch", "computed from the lunar calendar")
            : "";
  return html`<span class="dates">${dates}</span
    >${lunar}${main}${note ? html` <span class="note">(${note})</span>` : ""}`;
}

/** The search form; `id` keeps the ids unique when a page has more than one. */
export function searchForm(ctx: PageContext, query = "", id = "q"): SafeHtml {
  const { lang } = ctx;
  return html`<form class="search" action="${href(ctx, "/search")}" method="get" role="search">
    <label for="${id}"
      >${t(lang, "Tìm điểm tham quan, lễ hội, quy định", "Search places, festivals, rules")}</label
    >
    <div class="search-row">
      <input id="${id}" name="q" type="search" value="${query}" maxlength="200" autocomplete="off" />
      <button type="submit">${t(lang, "Tìm", "Search")}</button>
    </div>
  </form>`;
}

/** The host of a URL, as the text of a source link without a title. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host.replace(/^www\./, "");
  } catch {
    return url;
  }
}

/** A whole number or decimal in the page's language ("2,5" in Vietnamese). */
export function formatNumber(n: number, lang: Lang): string {
  return lang === "vi" ? String(n).replace(".", ",") : String(n);
}

/** The designed picture shown when an entry has no photo: one per type, and per kind of place. */
export function placeholderOf(entry: ContentEntry): string {
  if (entry.type !== "attraction")
    return `/static/placeholders/${entry.type === "lodging-rule" ? "lodging" : entry.type}.svg`;
  const id = entry.id;
  const kind = /^(nui|doi)-/.test(id)
    ? "mountain"
    : /(lang-be|tra-su|bung|song)/.test(id)
      ? "water"
      : /^cho-/.test(id)
        ? "market"
        : "temple";
  return `/static/placeholders/${kind}.svg`;
}

/** "Ảnh: Author · CC BY-SA 4.0 · nguồn" under a picture. */
export function imageCredit(image: EntryImage, lang: Lang): SafeHtml {
  return html`<figcaption class="credit">
    ${t(lang, "Ảnh", "Photo")}: ${image.author} · ${image.licence} ·
    ${externalLink(image.sourceUrl, t(lang, "nguồn ảnh", "image source"))}
  </figcaption>`;
}

/** The hero of an entry page: its first picture with the credit, or the designed placeholder. */
export function heroImage(entry: ContentEntry, lang: Lang): SafeHtml {
  const image = entry.images[0];
  if (!image)
    return html`<div class="hero hero-placeholder" aria-hidden="true">
      <img src="${placeholderOf(entry)}" alt="" width="320" height="180" />
    </div>`;
  return html`<figure class="hero">
    <img src="${imageUrl(image)}" alt="${image.alt[lang]}" />
    ${imageCredit(image, lang)}
  </figure>`;
}

/** A card's small picture (decorative: the card's title says what it is). */
export function thumbnail(entry: ContentEntry): SafeHtml {
  const image = entry.images[0];
  return html`<img class="thumb${image ? "" : " thumb-placeholder"}" src="${image ? imageUrl(image) : placeholderOf(entry)}" alt="" loading="lazy" width="320" height="180" />`;
}

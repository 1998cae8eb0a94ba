import { entryUrl } from "../../../bot/index.ts";
import { eventOccurrences, LANGS, type ContentEntry, type Lang } from "../../../indexer/index.ts";
import { addDays, addMonths } from "../../views/calendar.ts";
import type { PageContext } from "../../views/context.ts";
import { eventPage } from "../../views/events.ts";
import { html, raw, type SafeHtml } from "../../views/html.ts";
import { lodgingRulePage } from "../../views/lodging.ts";
import { attractionPage } from "../../views/places.ts";
import { itineraryPage } from "../../views/itineraries.ts";
import { practicalPage } from "../../views/practical.ts";

/**
 * An entry as the portal shows it, rendered by the portal's own page views from the entries on disk (not
 * the published index), so a change can be seen before it is saved or published.
 */

/** The portal page of an entry in one language (a whole HTML document). */
export function portalPageOf(
  entry: ContentEntry,
  all: readonly ContentEntry[],
  lang: Lang,
  today: string,
): string {
  const others = all.filter((e) => e.id !== entry.id);
  const entries = [...others, entry];
  const byId = new Map(entries.map((e) => [e.id, e]));
  const get = (id: string) => byId.get(id);
  const ctx: PageContext = {
    lang,
    base: "",
    path: entryUrl(entry.type, entry.id),
    canonicalQuery: "",
    query: "",
    today,
  };
  switch (entry.type) {
    case "attraction": {
      const events = eventOccurrences(entries, today, addDays(addMonths(today, 12), -1)).filter((o) => {
        const ev = byId.get(o.eventId);
        return ev?.type === "event" && ev.event.venues.includes(entry.id);
      });
      return attractionPage(ctx, { entry, events, get });
    }
    case "event": {
      const upcoming = eventOccurrences([entry], today, addDays(addMonths(today, 36), -1));
      return eventPage(ctx, { entry, upcoming, get });
    }
    case "lodging-rule":
      return lodgingRulePage(ctx, { entry, get });
    case "practical":
      return practicalPage(ctx, entry, get);
    case "itinerary":
      return itineraryPage(ctx, { entry, get });
  }
}

/** The `<main>` of a portal page: what the preview shows inside the admin page. */
function mainOf(page: string): string {
  const open = /<main\b[^>]*>/.exec(page);
  const close = page.lastIndexOf("</main>");
  if (!open || close < open.index) return "";
  return page.slice(open.index + open[0].length, close);
}

/** The preview of an entry in both languages. */
export function entryPreview(entry: ContentEntry, all: readonly ContentEntry[], today: string): SafeHtml {
  return html`<section class="preview-area" aria-labelledby="h-preview">
    <h2 id="h-preview">Xem trước (chưa lưu, chưa xuất bản)</h2>
    <div class="previews">
      ${LANGS.map(
        (lang) =>
          html`<section class="preview" lang="${lang}" aria-label="${lang === "vi" ? "Tiếng Việt" : "English"}">
            <p class="preview-label" lang="vi">${lang === "vi" ? "Trang tiếng Việt" : "Trang tiếng Anh"}</p>
            <div class="preview-page">${raw(mainOf(portalPageOf(entry, all, lang, today)))}</div>
          </section>`,
      )}
    </div>
  </section>`;
}

import type { ContentEntry, Occurrence, SearchHit } from "../../indexer/index.ts";
import { href, t, type PageContext } from "./context.ts";
import { html } from "./html.ts";
import { layout, siteName } from "./layout.ts";
import { itineraryCards } from "./itineraries.ts";
import { byFeaturedThenTitle, featuredOnly } from "./order.ts";
import { entryHref, occurrenceHtml, searchForm, thumbnail, typeLabel } from "./parts.ts";

/** How many places the home page shows (the first ranked ones); the rest are a link away. */
const MAX_FEATURED = 6;

export type HomeData = {
  attractions: ContentEntry[];
  /** Occurrences of the next 90 days. */
  upcoming: Occurrence[];
  lodging: ContentEntry[];
  practical: ContentEntry[];
  itineraries: ContentEntry[];
  /** The first festival with a known date in the next twelve months, if any. */
  nextFestival?: Occurrence;
};

/** The home page: search, featured places, the next 90 days of events, lodging rules and practical info. */
export function homePage(ctx: PageContext, data: HomeData): string {
  const { lang } = ctx;
  // The ranked places lead (Miếu Bà Chúa Xứ, then Núi Sam's sites); without ranks, every place by title.
  const ranked = featuredOnly(data.attractions, lang);
  const featured = ranked.length
    ? ranked.slice(0, MAX_FEATURED)
    : byFeaturedThenTitle(data.attractions, lang);
  const next = data.nextFestival;
  const main = html`<h1>${siteName(lang)}</h1>
    <p class="lead">
      ${t(
        lang,
        "Điểm tham quan, lễ hội và quy định lưu trú ở Châu Đốc (An Giang), viết từ các nguồn được ghi rõ ở mỗi trang.",
        "Attractions, festivals and lodging rules in Châu Đốc (An Giang, Vietnam), written from the sources listed on each page.",
      )}
    </p>
    ${searchForm(ctx)}
    <section aria-labelledby="places-heading">
      <h2 id="places-heading">${t(lang, "Nên đến trước", "Where to start")}</h2>
      <ul class="cards featured">
        ${featured.map(
          (e) =>
            html`<li>
              ${thumbnail(e)}
              <h3><a href="${entryHref(ctx, e.type, e.id)}">${e.title[lang]}</a></h3>
              <p>${e.summary[lang]}</p>
            </li>`,
        )}
      </ul>
      <p>
        <a href="${href(ctx, "/attractions")}"
          >${t(lang, `Tất cả ${data.attractions.length} điểm tham quan, theo khu vực`, `All ${data.attractions.length} places, by area`)}</a
        >
      </p>
    </section>
    ${
      next
        ? html`<section class="next-festival" aria-labelledby="next-festival-heading">
            <h2 id="next-festival-heading">${t(lang, "Lễ hội sắp tới", "The next festival")}</h2>
            <p class="next-festival-title">
              <a href="${entryHref(ctx, "event", next.eventId)}">${next.title[lang]}</a>
            </p>
            <p>${occurrenceHtml(next, lang)}</p>
          </section>`
        : ""
    }
    <section aria-labelledby="itineraries-heading">
      <h2 id="itineraries-heading">${t(lang, "Lịch trình gợi ý", "Suggested itineraries")}</h2>
      ${itineraryCards(ctx, data.itineraries)}
    </section>
    <section aria-labelledby="events-heading">
      <h2 id="events-heading">${t(lang, "Lễ hội trong 90 ngày tới", "Events in the next 90 days")}</h2>
      ${
        data.upcoming.length
          ? html`<ul class="events">
              ${data.upcoming.map(
                (o) =>
                  html`<li>
                    <a href="${entryHref(ctx, "event", o.eventId)}">${o.title[lang]}</a>:
                    ${occurrenceHtml(o, lang)}
                  </li>`,
              )}
            </ul>`
          : html`<p>
              ${t(lang, "Không có lễ hội nào có ngày xác định trong 90 ngày tới.", "No events with known dates in the next 90 days.")}
            </p>`
      }
      <p>
        <a href="${href(ctx, "/events")}"
          >${t(lang, "Lịch lễ hội 12 tháng tới", "Event calendar for the next 12 months")}</a
        >
      </p>
    </section>
    <section aria-labelledby="lodging-heading">
      <h2 id="lodging-heading">
        ${t(lang, "Cho khách sạn, nhà nghỉ, homestay", "For hotels, guesthouses and homestays")}
      </h2>
      <ul>
        <li>
          <a href="${href(ctx, "/lodging")}"
            >${t(lang, "Tính thời hạn thông báo lưu trú, khai báo tạm trú", "Work out the guest-registration deadline")}</a
          >
        </li>
        ${data.lodging.map((e) => html`<li><a href="${entryHref(ctx, e.type, e.id)}">${e.title[lang]}</a></li>`)}
      </ul>
    </section>
    <section aria-labelledby="practical-heading">
      <h2 id="practical-heading">${t(lang, "Thông tin thiết thực", "Practical information")}</h2>
      <ul>
        ${data.practical.map((e) => html`<li><a href="${entryHref(ctx, e.type, e.id)}">${e.title[lang]}</a></li>`)}
      </ul>
    </section>`;
  return layout(
    ctx,
    {
      title: t(
        lang,
        "Du lịch Châu Đốc – điểm tham quan, lễ hội, lưu trú",
        "Châu Đốc Travel Guide – places, festivals, lodging rules",
      ),
      description: t(
        lang,
        "Hướng dẫn du lịch Châu Đốc, An Giang: Miếu Bà Chúa Xứ, núi Sam, lịch lễ hội theo âm lịch, quy định thông báo lưu trú cho khách sạn và homestay.",
        "A guide to Châu Đốc, An Giang: the Ba Chua Xu Temple, Sam Mountain, festival dates from the lunar calendar, and guest-registration rules for hotels and homestays.",
      ),
      section: "home",
    },
    main,
  );
}

export type SearchData = {
  query: string;
  /** Undefined when no query was given. */
  hits?: SearchHit[];
  tooLong?: boolean;
};

/** The search page; works without JavaScript (a GET form). */
export function searchPage(ctx: PageContext, data: SearchData): string {
  const { lang } = ctx;
  const { query, hits } = data;
  let results = html``;
  if (hits === undefined) {
    results = html`<p>
      ${t(lang, "Hãy nhập từ cần tìm, ví dụ “Miếu Bà Chúa Xứ” hoặc “khai báo tạm trú”.", "Type what you are looking for, for example “Ba Chua Xu Temple” or “register foreign guests”.")}
    </p>`;
  } else {
    results = html`<section aria-labelledby="results-heading">
      <h2 id="results-heading">${t(lang, `Kết quả cho “${query}”`, `Results for “${query}”`)}</h2>
      ${data.tooLong ? html`<p class="note">${t(lang, "Câu tìm kiếm quá dài nên đã được rút gọn.", "The search was too long and has been shortened.")}</p>` : ""}
      ${
        hits.length
          ? html`<ol class="results">
              ${hits.map(
                (h) =>
                  html`<li>
                    <h3><a href="${entryHref(ctx, h.type, h.id)}">${h.title}</a></h3>
                    <p class="muted">${typeLabel(h.type, lang)}</p>
                    <p>${snippet(h.passage.text)}</p>
                  </li>`,
              )}
            </ol>`
          : html`<p>
              ${t(lang, "Không tìm thấy kết quả. Hãy thử từ khác.", "Nothing found. Try other words.")}
            </p>`
      }
    </section>`;
  }
  const main = html`<h1>${t(lang, "Tìm kiếm", "Search")}</h1>
    ${searchForm(ctx, query)} ${results}`;
  return layout(
    ctx,
    {
      title: query ? t(lang, `Tìm kiếm: ${query}`, `Search: ${query}`) : t(lang, "Tìm kiếm", "Search"),
      description: t(
        lang,
        "Tìm điểm tham quan, lễ hội, quy định lưu trú và thông tin thiết thực ở Châu Đốc.",
        "Search the places, festivals, lodging rules and practical information of Châu Đốc.",
      ),
      section: "search",
      noindex: query !== "",
    },
    main,
  );
}

function snippet(text: string, max = 240): string {
  const clean = text.replace(/\s+/g, " ").trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max);
  const space = cut.lastIndexOf(" ");
  return `${space > max / 2 ? cut.slice(0, space) : cut}…`;
}

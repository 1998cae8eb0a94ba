import { AREAS, type Area, type ContentEntry, type Lang, type Occurrence } from "../../indexer/index.ts";
import { byFeaturedThenTitle } from "./order.ts";
import { href, t, type PageContext } from "./context.ts";
import { html, type SafeHtml } from "./html.ts";
import { layout } from "./layout.ts";
import { mapLinks, mapSection, type MapPoint } from "./map.ts";
import { renderMarkdown } from "./markdown.ts";
import {
  entryHref,
  formatNumber,
  heroImage,
  thumbnail,
  occurrenceHtml,
  relatedSection,
  sourcesSection,
  unknownText,
} from "./parts.ts";

type Attraction = Extract<ContentEntry, { type: "attraction" }>;

/** The places with coordinates as map points, in the page's language. */
export function placePoints(ctx: PageContext, places: Attraction[]): MapPoint[] {
  return places.flatMap((e) =>
    e.place.coordinates
      ? [
          {
            name: e.title[ctx.lang],
            href: entryHref(ctx, e.type, e.id),
            lat: e.place.coordinates.lat,
            lng: e.place.coordinates.lng,
            approximate: e.place.coordinates.approximate,
          },
        ]
      : [],
  );
}

type AreaKey = Area | "other";

/** The name of each area, as the list of places heads its groups (the admin's area choice uses it too). */
export const AREA_NAME: Record<AreaKey, Record<Lang, string>> = {
  "nui-sam": { vi: "Núi Sam", en: "Sam Mountain (Núi Sam)" },
  "town-river": { vi: "Trong thị xã và trên sông", en: "The town and the river" },
  "further-out": {
    vi: "Xa hơn: Trà Sư, Núi Cấm, Tri Tôn, An Phú",
    en: "Further out: Trà Sư, Núi Cấm, Tri Tôn, An Phú",
  },
  other: { vi: "Những điểm khác", en: "Other places" },
};

const AREA_NOTE: Record<AreaKey, Record<Lang, string>> = {
  "nui-sam": {
    vi: "Miếu, chùa, lăng quanh chân núi Sam, cách trung tâm khoảng 5 km.",
    en: "The temple, pagodas and tomb around the foot of Sam Mountain, about 5 km from the centre.",
  },
  "town-river": {
    vi: "Chợ, làng nổi và làng Chăm, đi bộ hoặc đi đò từ trung tâm.",
    en: "The market, the floating village and the Cham village, on foot or by boat from the centre.",
  },
  "further-out": {
    vi: "Đi trong ngày bằng xe, từ 20 đến khoảng 40 km.",
    en: "Day trips by road, from 20 to about 40 km.",
  },
  other: { vi: "", en: "" },
};

/** The distance from the centre as a visitor reads it ("5 km", "20–30 km"), or undefined when unknown. */
export function distanceText(e: Attraction, lang: Lang): string | undefined {
  const d = e.place.distanceFromCentreKm;
  if (!d) return undefined;
  return d.min === d.max
    ? `${formatNumber(d.min, lang)} km`
    : `${formatNumber(d.min, lang)}–${formatNumber(d.max, lang)} km`;
}

/**
 * The places grouped by their `area` (Núi Sam, the town and the river, further out; places without an
 * area last), each group in the portal's order: featured rank, then title in the page's language.
 */
export function areaGroups(places: Attraction[], lang: Lang): { key: AreaKey; places: Attraction[] }[] {
  const keys: AreaKey[] = [...AREAS, "other"];
  return keys
    .map((key) => ({
      key,
      places: byFeaturedThenTitle(
        places.filter((e) => (e.place.area ?? "other") === key),
        lang,
      ),
    }))
    .filter((g) => g.places.length > 0);
}

/** How many filter chips the list of places offers at most. */
const MAX_TAGS = 6;

/**
 * The few tags a visitor filters by: those of the page's language that at least two places share, the
 * most shared first (first seen breaks ties), at most MAX_TAGS; the tag asked for is kept. A tag that is
 * not offered still filters when typed into the address.
 */
export function filterTags(places: Attraction[], lang: Lang, asked?: string): string[] {
  const counts: { tag: string; n: number }[] = [];
  for (const e of places)
    for (const tg of e.tags) {
      if (tagLang(tg) !== lang) continue;
      const seen = counts.find((c) => sameTag(c.tag, tg));
      if (seen) seen.n++;
      else counts.push({ tag: tg, n: 1 });
    }
  const offered = counts
    .filter((c) => c.n >= 2)
    .sort((a, b) => b.n - a.n)
    .slice(0, MAX_TAGS)
    .map((c) => c.tag);
  const current = asked ? counts.find((c) => sameTag(c.tag, asked)) : undefined;
  if (current && !offered.some((tg) => sameTag(tg, current.tag))) offered.push(current.tag);
  return offered;
}

/**
 * The language a tag is written in. Tags are one mixed list per entry; Vietnamese ones carry diacritics,
 * so a tag with none is shown on the English pages.
 */
export function tagLang(tag: string): Lang {
  return /[\u0080-\uffff]/.test(tag) ? "vi" : "en";
}

/** Tags compare without case and Unicode-form differences. */
export function sameTag(a: string, b: string): boolean {
  return a.normalize("NFC").toLowerCase() === b.normalize("NFC").toLowerCase();
}

export type AttractionsData = {
  places: Attraction[];
  /** The tags offered as filters, in the page's language (see filterTags). */
  tags: string[];
  /** The tag asked for (?tag=…), when there is one. */
  tag?: string;
};

/** The list of places, with a filter link for each tag. */
export function attractionsPage(ctx: PageContext, data: AttractionsData): string {
  const { lang } = ctx;
  const { tag, places } = data;
  const tagHref = (tg: string) => `${href(ctx, "/attractions")}?tag=${encodeURIComponent(tg)}`;
  const main = html`<h1>${t(lang, "Điểm tham quan ở Châu Đốc", "Places to visit in Châu Đốc")}</h1>
    <p class="lead">
      ${t(
        lang,
        "Đền, chùa, lăng, làng nổi, chợ và thiên nhiên quanh Châu Đốc. Chọn một chủ đề để lọc.",
        "Temples, pagodas, tombs, floating villages, markets and nature around Châu Đốc. Choose a theme to filter.",
      )}
    </p>
    <nav class="tags" aria-label="${t(lang, "Lọc theo chủ đề", "Filter by theme")}">
      <ul>
        <li>
          <a href="${href(ctx, "/attractions")}" ${tag ? "" : html` aria-current="page"`}
            >${t(lang, "Tất cả", "All")}</a
          >
        </li>
        ${data.tags.map(
          (tg) =>
            html`<li>
              <a href="${tagHref(tg)}" ${tag && sameTag(tg, tag) ? html` aria-current="page"` : ""}>${tg}</a>
            </li>`,
        )}
      </ul>
    </nav>
    ${mapSection(ctx, placePoints(ctx, places), {
      id: "places-map",
      heading: t(lang, "Bản đồ các điểm tham quan", "Map of the places"),
    })}
    <section aria-labelledby="list-heading">
      <h2 id="list-heading">
        ${
          tag
            ? t(
                lang,
                `Chủ đề “${tag}”: ${places.length} điểm`,
                `Theme “${tag}”: ${places.length} ${places.length === 1 ? "place" : "places"}`,
              )
            : t(lang, `Tất cả ${places.length} điểm`, `All ${places.length} places`)
        }
      </h2>
      ${
        places.length
          ? areaGroups(places, lang).map(
              (g) =>
                html`<section class="area" aria-labelledby="area-${g.key}">
                  <h3 id="area-${g.key}">${AREA_NAME[g.key][lang]}</h3>
                  <p class="muted">${AREA_NOTE[g.key][lang]}</p>
                  <ul class="cards">
                    ${g.places.map((e) => {
                      const km = distanceText(e, lang);
                      return html`<li>
                        ${thumbnail(e)}
                        <h4><a href="${entryHref(ctx, e.type, e.id)}">${e.title[lang]}</a></h4>
                        ${km ? html`<p class="distance">${t(lang, `Cách trung tâm ${km}`, `${km} from the centre`)}</p>` : ""}
                        <p>${e.summary[lang]}</p>
                        <p class="muted">${e.place.address[lang]}</p>
                      </li>`;
                    })}
                  </ul>
                </section>`,
            )
          : html`<p>
              ${t(lang, "Không có điểm nào với chủ đề này.", "No places with this theme.")}
              <a href="${href(ctx, "/attractions")}">${t(lang, "Xem tất cả", "See all places")}</a>
            </p>`
      }
    </section>`;
  return layout(
    ctx,
    {
      title: tag
        ? t(lang, `Điểm tham quan: ${tag}`, `Places to visit: ${tag}`)
        : t(lang, "Điểm tham quan", "Places to visit"),
      description: t(
        lang,
        "Các điểm tham quan ở Châu Đốc và quanh vùng: Miếu Bà Chúa Xứ, núi Sam, chùa Tây An, làng bè, rừng tràm Trà Sư, với địa chỉ, khoảng cách và cách đi.",
        "Places to visit in and around Châu Đốc: the Ba Chua Xu Temple, Sam Mountain, Tây An Pagoda, the floating village, Trà Sư forest, with addresses, distances and how to get there.",
      ),
      section: "attractions",
      map: true,
    },
    main,
  );
}

export type AttractionData = {
  entry: Attraction;
  /** Upcoming events held at this place. */
  events: Occurrence[];
  get: (id: string) => ContentEntry | undefined;
};

/** One place: the facts (unknown ones said plainly), a map link, the body, sources and last check. */
export function attractionPage(ctx: PageContext, data: AttractionData): string {
  const { lang } = ctx;
  const { entry } = data;
  const p = entry.place;
  const unknown = html`<span class="unknown">${unknownText(lang)}</span>`;
  const bilingual = (v: { vi: string; en: string } | null): SafeHtml | string => (v ? v[lang] : unknown);
  const distance = distanceText(entry, lang) ?? unknown;
  const c = p.coordinates;
  const map = c
    ? html`${mapLinks(ctx, c.lat, c.lng)} <span class="muted">(${c.lat}, ${c.lng})</span>${c.approximate ? html` <span class="note">(${t(lang, "vị trí gần đúng", "approximate location")})</span>` : ""}`
    : html`<span class="unknown">${t(lang, "chưa có tọa độ xác nhận", "no confirmed coordinates")}</span>`;
  const main = html`<p class="crumbs">
      <a href="${href(ctx, "/attractions")}">${t(lang, "Điểm tham quan", "Places to visit")}</a>
    </p>
    <h1>${entry.title[lang]}</h1>
    ${heroImage(entry, lang)}
    <p class="lead">${entry.summary[lang]}</p>
    <section aria-labelledby="facts-heading">
      <h2 id="facts-heading">${t(lang, "Thông tin cho chuyến đi", "Visiting")}</h2>
      <dl class="facts">
        <div>
          <dt>${t(lang, "Địa chỉ", "Address")}</dt>
          <dd>
            ${p.address[lang]}${
              p.formerNames.length
                ? html`<br /><span class="muted"
                      >${t(lang, "Tên cũ", "Former names")}: ${p.formerNames.join(", ")}</span
                    >`
                : ""
            }
          </dd>
        </div>
        <div>
          <dt>${t(lang, "Khoảng cách từ trung tâm Châu Đốc", "Distance from the centre of Châu Đốc")}</dt>
          <dd>${distance}</dd>
        </div>
        <div>
          <dt>${t(lang, "Giờ mở cửa", "Opening hours")}</dt>
          <dd>${bilingual(p.openingHours)}</dd>
        </div>
        <div>
          <dt>${t(lang, "Vé", "Tickets")}</dt>
          <dd>${bilingual(p.tickets)}</dd>
        </div>
        <div>
          <dt>${t(lang, "Cách đi", "Getting there")}</dt>
          <dd>${bilingual(p.gettingThere)}</dd>
        </div>
        <div>
          <dt>${t(lang, "Bản đồ", "Map")}</dt>
          <dd>${map}</dd>
        </div>
      </dl>
    </section>
    ${mapSection(ctx, placePoints(ctx, [entry]), {
      id: "place-map",
      heading: t(lang, "Trên bản đồ", "On the map"),
      small: true,
    })}
    ${
      data.events.length
        ? html`<section aria-labelledby="events-heading">
            <h2 id="events-heading">${t(lang, "Lễ hội tại đây", "Festivals here")}</h2>
            <ul class="events">
              ${data.events.map(
                (o) =>
                  html`<li>
                    <a href="${entryHref(ctx, "event", o.eventId)}">${o.title[lang]}</a>:
                    ${occurrenceHtml(o, lang)}
                  </li>`,
              )}
            </ul>
          </section>`
        : ""
    }
    <section class="body" aria-labelledby="about-heading">
      <h2 id="about-heading">${t(lang, "Giới thiệu", "About")}</h2>
      ${renderMarkdown(entry.body[lang], 3)}
    </section>
    ${relatedSection(ctx, entry, data.get)} ${sourcesSection(ctx, entry)}`;
  return layout(
    ctx,
    {
      title: entry.title[lang],
      description: entry.summary[lang],
      section: "attractions",
      ogType: "article",
      map: p.coordinates !== null,
    },
    main,
  );
}

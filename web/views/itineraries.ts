import type { ContentEntry } from "../../indexer/index.ts";
import { href, t, type PageContext } from "./context.ts";
import { html, type SafeHtml } from "./html.ts";
import { layout } from "./layout.ts";
import { mapSection, type MapPoint } from "./map.ts";
import { renderMarkdown } from "./markdown.ts";
import { entryHref, heroImage, relatedSection, sourcesSection, thumbnail } from "./parts.ts";

type Itinerary = Extract<ContentEntry, { type: "itinerary" }>;
type Stop = Itinerary["itinerary"]["stops"][number];

/** A stop's name and link: the attraction's title and page, or its own name. */
function stopName(ctx: PageContext, stop: Stop, get: (id: string) => ContentEntry | undefined) {
  const place = stop.place ? get(stop.place) : undefined;
  const name = place ? place.title[ctx.lang] : (stop.name?.[ctx.lang] ?? "");
  return { name, place, href: place ? entryHref(ctx, place.type, place.id) : undefined };
}

/** The stops that have a place with coordinates, numbered in visiting order. */
function routePoints(
  ctx: PageContext,
  e: Itinerary,
  get: (id: string) => ContentEntry | undefined,
): MapPoint[] {
  return e.itinerary.stops.flatMap((stop, i) => {
    const { name, place, href: link } = stopName(ctx, stop, get);
    if (place?.type !== "attraction" || !place.place.coordinates || !link) return [];
    const c = place.place.coordinates;
    return [
      { name: `${i + 1}. ${name}`, href: link, lat: c.lat, lng: c.lng, approximate: c.approximate, n: i + 1 },
    ];
  });
}

/** The itineraries as cards (home page, list page). */
export function itineraryCards(ctx: PageContext, list: ContentEntry[]): SafeHtml {
  const { lang } = ctx;
  return html`<ul class="cards itineraries">
    ${list.map((e) =>
      e.type === "itinerary"
        ? html`<li>
            ${thumbnail(e)}
            <h3><a href="${entryHref(ctx, e.type, e.id)}">${e.title[lang]}</a></h3>
            <p>${e.summary[lang]}</p>
            <p class="muted">
              ${t(lang, `${e.itinerary.days} ngày · ${e.itinerary.stops.length} điểm dừng`, `${e.itinerary.days} ${e.itinerary.days === 1 ? "day" : "days"} · ${e.itinerary.stops.length} stops`)}
            </p>
          </li>`
        : "",
    )}
  </ul>`;
}

/** All itineraries. */
export function itinerariesPage(ctx: PageContext, list: ContentEntry[]): string {
  const { lang } = ctx;
  const main = html`<h1>${t(lang, "Lịch trình gợi ý", "Suggested itineraries")}</h1>
    <p class="lead">
      ${t(lang, "Một hoặc hai ngày ở Châu Đốc: các điểm dừng theo thứ tự, giờ nên đến, cách đi từ điểm này sang điểm kia và thời gian ở mỗi nơi.", "One or two days in Châu Đốc: the stops in order, when to be there, how to get from one to the next and how long to stay.")}
    </p>
    ${itineraryCards(ctx, list)}`;
  return layout(
    ctx,
    {
      title: t(lang, "Lịch trình gợi ý", "Suggested itineraries"),
      description: t(
        lang,
        "Lịch trình một ngày, hai ngày ở Châu Đốc: núi Sam, Trà Sư, núi Cấm, hành hương Vía Bà, một ngày trên sông.",
        "One- and two-day itineraries in Châu Đốc: Sam Mountain, Trà Sư, Cam Mountain, the Ba Chua Xu pilgrimage, a day on the river.",
      ),
      section: "itineraries",
    },
    main,
  );
}

export type ItineraryData = { entry: Itinerary; get: (id: string) => ContentEntry | undefined };

/** One itinerary: its stops in order (day, time, how to get there, how long), on a map, then the body. */
export function itineraryPage(ctx: PageContext, data: ItineraryData): string {
  const { lang } = ctx;
  const { entry, get } = data;
  const it = entry.itinerary;
  const points = routePoints(ctx, entry, get);
  const stops = html`<ol class="stops">
    ${it.stops.map((stop, i) => {
      const { name, href: link } = stopName(ctx, stop, get);
      const newDay = it.days > 1 && (i === 0 || it.stops[i - 1]?.day !== stop.day);
      return html`${newDay ? html`<li class="day-label" aria-hidden="true">${t(lang, `Ngày ${stop.day}`, `Day ${stop.day}`)}</li>` : ""}
        <li class="stop" data-stop="${i + 1}">
          ${stop.travel ? html`<p class="travel"><span class="visually-hidden">${t(lang, "Đường đi", "Getting there")}: </span>${stop.travel[lang]}</p>` : ""}
          <h3><span class="stop-n">${i + 1}</span> ${link ? html`<a href="${link}">${name}</a>` : name}</h3>
          <p class="when">
            ${it.days > 1 ? html`${t(lang, `Ngày ${stop.day}`, `Day ${stop.day}`)} · ` : ""}${stop.time[lang]} ·
            ${t(lang, "ở lại", "stay")} ${stop.duration[lang]}
          </p>
          <p>${stop.what[lang]}</p>
        </li>`;
    })}
  </ol>`;
  const main = html`<p class="crumbs">
      <a href="${href(ctx, "/itineraries")}">${t(lang, "Lịch trình gợi ý", "Suggested itineraries")}</a>
    </p>
    <h1>${entry.title[lang]}</h1>
    ${heroImage(entry, lang)}
    <p class="lead">${entry.summary[lang]}</p>
    <section aria-labelledby="stops-heading">
      <h2 id="stops-heading">${t(lang, "Các điểm dừng theo thứ tự", "The stops, in order")}</h2>
      ${stops}
    </section>
    ${mapSection(ctx, points, { id: "route-map", heading: t(lang, "Lộ trình trên bản đồ", "The route on the map"), route: true })}
    <section class="body" aria-labelledby="about-heading">
      <h2 id="about-heading">${t(lang, "Lưu ý cho chuyến đi", "Before you go")}</h2>
      ${renderMarkdown(entry.body[lang], 3)}
    </section>
    ${relatedSection(ctx, entry, get)} ${sourcesSection(ctx, entry)}`;
  return layout(
    ctx,
    {
      title: entry.title[lang],
      description: entry.summary[lang],
      section: "itineraries",
      ogType: "article",
      map: points.length > 0,
    },
    main,
  );
}

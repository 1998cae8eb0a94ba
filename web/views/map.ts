import { mapUrl } from "../../bot/index.ts";
import { t, type PageContext } from "./context.ts";
import { html, type SafeHtml } from "./html.ts";

/** One point on a map: a place with coordinates, the page it links to, and its number on a route. */
export type MapPoint = {
  name: string;
  href: string;
  lat: number;
  lng: number;
  approximate: boolean;
  n?: number;
};

/** The OpenStreetMap link of a point, beside the Google Maps one. */
export function osmUrl(lat: number, lng: number): string {
  return `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lng}#map=16/${lat}/${lng}`;
}

/** "Google Maps · OpenStreetMap": the links that work without the map, and offline maps apps. */
export function mapLinks(ctx: PageContext, lat: number, lng: number): SafeHtml {
  return html`<a href="${mapUrl(lat, lng)}" rel="noopener noreferrer">Google Maps</a> ·
    <a href="${osmUrl(lat, lng)}" rel="noopener noreferrer">OpenStreetMap</a>`;
}

/**
 * A map of points, drawn by /static/map.js with Leaflet from the list under it: the list (names, page
 * links, Google Maps and OpenStreetMap links) is the page's content, so without JavaScript or without
 * tiles the page stays usable, and the map area says when the map cannot load.
 */
export function mapSection(
  ctx: PageContext,
  points: MapPoint[],
  o: { id: string; heading: string; level?: 2 | 3; small?: boolean; route?: boolean },
): SafeHtml {
  const { lang } = ctx;
  if (points.length === 0 || !ctx.map) return html``;
  const level = o.level ?? 2;
  const h =
    level === 2
      ? html`<h2 id="${o.id}-heading">${o.heading}</h2>`
      : html`<h3 id="${o.id}-heading">${o.heading}</h3>`;
  return html`<section class="map-block${o.small ? " map-small" : ""}" aria-labelledby="${o.id}-heading">
    ${h}
    <div
      class="map"
      id="${o.id}"
      data-map
      data-tiles="${ctx.map.tileUrl}"
      data-attribution="${ctx.map.attribution}"
      data-offline="${t(lang, "Bản đồ nền không tải được (có thể đang ngoại tuyến). Danh sách và các liên kết bản đồ bên dưới vẫn dùng được.", "The map tiles could not load (you may be offline). The list and the map links below still work.")}"
      ${o.route ? html` data-route` : ""}
      role="region"
      aria-label="${t(lang, "Bản đồ", "Map")}: ${o.heading}"
    >
      <p class="map-note">
        ${t(lang, "Bản đồ cần JavaScript; danh sách bên dưới có các liên kết bản đồ.", "The map needs JavaScript; the list below has map links.")}
      </p>
    </div>
    <p class="map-offline" role="status" hidden></p>
    <${o.route ? "ol" : "ul"} class="map-places">
      ${points.map(
        (p) =>
          html`<li data-map-point data-lat="${p.lat}" data-lng="${p.lng}" data-name="${p.name}" data-href="${p.href}"${p.n ? html` data-n="${p.n}"` : ""}>
            <a href="${p.href}">${p.name}</a>
            <span class="muted">(${mapLinks(ctx, p.lat, p.lng)}${p.approximate ? html`; ${t(lang, "vị trí gần đúng", "approximate location")}` : ""})</span>
          </li>`,
      )}
    </${o.route ? "ol" : "ul"}>
  </section>`;
}

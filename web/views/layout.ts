import type { Lang } from "../../indexer/index.ts";
import { href, localPath, otherLang, t, type PageContext } from "./context.ts";
import { html, type SafeHtml } from "./html.ts";

/** The sections of the main navigation. */
export type Section =
  | "home"
  | "attractions"
  | "itineraries"
  | "events"
  | "lodging"
  | "practical"
  | "search"
  /** Tourist reports: a case's status, the published figures. */
  | "reports"
  /** A page outside every section (the 404 page). */
  | "error";

export type PageMeta = {
  /** The page's own title; the site name is added after it. */
  title: string;
  /** One or two sentences for search engines and link previews. */
  description: string;
  section: Section;
  ogType?: "website" | "article";
  /** Search results and other pages that should not be indexed. */
  noindex?: boolean;
  /** The page has a map: Leaflet and the map script are loaded. */
  map?: boolean;
};

const SITE = { vi: "Du lịch Châu Đốc", en: "Châu Đốc Travel Guide" };
const OG_LOCALE: Record<Lang, string> = { vi: "vi_VN", en: "en_US" };
const LANG_NAME: Record<Lang, string> = { vi: "Tiếng Việt", en: "English" };

const NAV: { section: Section; path: string; vi: string; en: string }[] = [
  { section: "home", path: "/", vi: "Trang chủ", en: "Home" },
  { section: "attractions", path: "/attractions", vi: "Điểm tham quan", en: "Attractions" },
  { section: "itineraries", path: "/itineraries", vi: "Lịch trình", en: "Itineraries" },
  { section: "events", path: "/events", vi: "Lễ hội", en: "Events" },
  { section: "lodging", path: "/lodging", vi: "Lưu trú", en: "Lodging rules" },
  { section: "practical", path: "/practical", vi: "Thông tin thiết thực", en: "Practical info" },
];

/** The site name in a language. */
export function siteName(lang: Lang): string {
  return SITE[lang];
}

/**
 * A whole page: head (title, description, canonical, hreflang, Open Graph), header, main, footer, widget.
 * The absolute links (canonical, hreflang, og:url) need the site's public URL and are left out without it.
 */
export function layout(ctx: PageContext, meta: PageMeta, main: SafeHtml): string {
  const { lang } = ctx;
  const other = otherLang(lang);
  const url = (l: Lang) => `${ctx.base}${localPath(l, ctx.path)}${ctx.canonicalQuery}`;
  const canonical = url(lang);
  const fullTitle = meta.section === "home" ? meta.title : `${meta.title} – ${SITE[lang]}`;
  const switchHref = `${localPath(other, ctx.path)}${ctx.query}`;
  return html`<!doctype html>
    <html lang="${lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${fullTitle}</title>
        <meta name="description" content="${meta.description}" />
        ${meta.noindex && html`<meta name="robots" content="noindex" />`}
        ${
          ctx.base !== undefined &&
          html`<link rel="canonical" href="${canonical}" />
          <link rel="alternate" hreflang="vi" href="${url("vi")}" />
          <link rel="alternate" hreflang="en" href="${url("en")}" />
          <link rel="alternate" hreflang="x-default" href="${url("vi")}" />`
        }
        <meta property="og:type" content="${meta.ogType ?? "website"}" />
        <meta property="og:site_name" content="${SITE[lang]}" />
        <meta property="og:title" content="${meta.title}" />
        <meta property="og:description" content="${meta.description}" />
        ${ctx.base !== undefined && html`<meta property="og:url" content="${canonical}" />`}
        <meta property="og:locale" content="${OG_LOCALE[lang]}" />
        <meta property="og:locale:alternate" content="${OG_LOCALE[other]}" />
        <link rel="icon" href="data:," />
        ${meta.map ? html`<link rel="stylesheet" href="/static/leaflet/leaflet.css" />` : ""}
        <link rel="stylesheet" href="/static/portal.css" />
        ${
          meta.map
            ? html`<script src="/static/leaflet/leaflet.js" defer></script>
              <script src="/static/map.js" defer></script>`
            : ""
        }
      </head>
      <body>
        <header class="site-header">
          <a class="skip-link" href="#main"
            >${t(lang, "Bỏ qua, đến nội dung chính", "Skip to main content")}</a
          >
          <div class="bar">
            <a class="brand" href="${href(ctx, "/")}">${SITE[lang]}</a>
            <a class="lang-switch" href="${switchHref}" hreflang="${other}" lang="${other}"
              >${LANG_NAME[other]}</a
            >
          </div>
          <nav aria-label="${t(lang, "Mục chính", "Main")}">
            <ul>
              ${NAV.map(
                (n) =>
                  html`<li>
                    <a
                      href="${href(ctx, n.path)}"
                      ${n.section === meta.section ? html` aria-current="${ctx.path === n.path ? "page" : "true"}"` : ""}
                      >${t(lang, n.vi, n.en)}</a
                    >
                  </li>`,
              )}
            </ul>
          </nav>
        </header>
        <main id="main" tabindex="-1">${main}</main>
        <footer class="site-footer">
          <p>
            ${t(
              lang,
              "Thông tin được viết lại từ các nguồn công khai; mỗi trang ghi nguồn và ngày kiểm tra gần nhất. Quy định lưu trú có thể thay đổi: hãy hỏi công an phường trước khi làm theo.",
              "Written from public sources; every page lists its sources and the day they were last checked. Lodging rules can change: check with the ward police before relying on them.",
            )}
          </p>
          <p>
            <a href="${href(ctx, "/search")}">${t(lang, "Tìm kiếm", "Search")}</a> ·
            <a href="${href(ctx, "/practical")}"
              >${t(lang, "Số khẩn cấp và thông tin thiết thực", "Emergency numbers and practical info")}</a
            >
            ·
            <a href="${href(ctx, "/phan-anh")}"
              >${t(lang, "Phản ánh của du khách: kết quả xử lý", "Visitors' reports: how they were handled")}</a
            >
          </p>
        </footer>
        <script src="/widget.js" data-lang="${lang}" async></script>
      </body>
    </html> `.value;
}

import { html, type SafeHtml } from "../views/html.ts";
import type { AdminUser } from "./types.ts";

/** The sections of the admin navigation. */
export type AdminSection = "dashboard" | "reports" | "handoffs" | "entries" | "publish" | "audit";

const NAV: { section: AdminSection; path: string; label: string }[] = [
  { section: "dashboard", path: "/admin", label: "Câu hỏi của du khách" },
  { section: "reports", path: "/admin/reports", label: "Phản ánh" },
  { section: "handoffs", path: "/admin/handoffs", label: "Trò chuyện" },
  { section: "entries", path: "/admin/entries", label: "Nội dung" },
  { section: "publish", path: "/admin/publish", label: "Xuất bản" },
  { section: "audit", path: "/admin/audit", label: "Nhật ký thay đổi" },
];

/**
 * An admin page (in Vietnamese: the users are the tourism office's staff). No inline scripts or styles
 * (the CSP forbids them): /static/portal.css and /static/admin.css for looks, /admin/static/*.js for
 * behaviour. `scripts` are extra script paths under /admin/static.
 */
export function adminLayout(
  page: {
    title: string;
    section: AdminSection;
    user?: AdminUser;
    csrfToken?: string;
    scripts?: string[];
    /** The page has a map (Leaflet and the portal's map script, as on the portal). */
    map?: boolean;
  },
  main: SafeHtml,
): string {
  return html`<!doctype html>
    <html lang="vi">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex, nofollow" />
        <title>${page.title} – Quản trị Du lịch Châu Đốc</title>
        <link rel="icon" href="data:," />
        ${page.map ? html`<link rel="stylesheet" href="/static/leaflet/leaflet.css" />` : ""}
        <link rel="stylesheet" href="/static/portal.css" />
        <link rel="stylesheet" href="/static/admin.css" />
        ${
          page.map
            ? html`<script src="/static/leaflet/leaflet.js" defer></script>
                <script src="/static/map.js" defer></script>`
            : ""
        }
      </head>
      <body class="admin">
        <header class="site-header">
          <a class="skip-link" href="#main">Bỏ qua, đến nội dung chính</a>
          <div class="bar">
            <a class="brand" href="/admin">Quản trị Du lịch Châu Đốc</a>
            ${
              page.user &&
              html`<form class="logout" method="post" action="/admin/logout">
                <input type="hidden" name="_csrf" value="${page.csrfToken ?? ""}" />
                <span>${page.user.name} (${page.user.role === "editor" ? "biên tập" : "chỉ xem"})</span>
                <button type="submit">Đăng xuất</button>
              </form>`
            }
          </div>
          ${
            page.user &&
            html`<nav aria-label="Quản trị">
              <ul>
                ${NAV.map(
                  (n) =>
                    html`<li>
                      <a href="${n.path}" ${n.section === page.section ? html`aria-current="page"` : ""}
                        >${n.label}</a
                      >
                    </li>`,
                )}
              </ul>
            </nav>`
          }
        </header>
        <main id="main">${main}</main>
        ${(page.scripts ?? []).map((s) => html`<script src="/admin/static/${s}" defer></script>`)}
      </body>
    </html>`.toString();
}

import { href, t, type PageContext } from "./context.ts";
import { html } from "./html.ts";
import { layout } from "./layout.ts";
import { searchForm } from "./parts.ts";

/** The page for a path the portal does not have, in the site's layout (header, navigation, search). */
export function notFoundPage(ctx: PageContext): string {
  const { lang } = ctx;
  const main = html`<h1>404</h1>
    <p class="lead">
      ${t(
        lang,
        "Không tìm thấy trang này. Có thể đường dẫn đã đổi hoặc gõ nhầm.",
        "This page was not found. The link may have changed or been mistyped.",
      )}
    </p>
    ${searchForm(ctx)}
    <ul>
      <li><a href="${href(ctx, "/")}">${t(lang, "Trang chủ", "Home")}</a></li>
      <li><a href="${href(ctx, "/attractions")}">${t(lang, "Điểm tham quan", "Attractions")}</a></li>
      <li><a href="${href(ctx, "/events")}">${t(lang, "Lễ hội", "Events")}</a></li>
    </ul>`;
  return layout(
    ctx,
    {
      title: t(lang, "Không tìm thấy trang", "Page not found"),
      description: t(lang, "Không tìm thấy trang.", "Page not found."),
      section: "error",
      noindex: true,
    },
    main,
  );
}

import type { ContentEntry } from "../../indexer/index.ts";
import { href, t, type PageContext } from "./context.ts";
import { html } from "./html.ts";
import { layout } from "./layout.ts";
import { renderMarkdown } from "./markdown.ts";
import { entryHref, relatedSection, sourcesSection } from "./parts.ts";

type PracticalEntry = Extract<ContentEntry, { type: "practical" }>;

/** A phone number as a tel: link target ("+84 296 …" → "+84296…"). */
export function telHref(phone: string): string {
  return `tel:${phone.replace(/[^0-9+]/g, "")}`;
}

function contactsList(e: PracticalEntry, lang: "vi" | "en") {
  return html`<ul class="contacts">
    ${e.practical.contacts.map(
      (c) => html`<li><a class="tel" href="${telHref(c.phone)}">${c.phone}</a> ${c.label[lang]}</li>`,
    )}
  </ul>`;
}

/** The practical topics: getting there, emergency numbers, seasons, food, safety, administration. */
export function practicalListPage(ctx: PageContext, entries: PracticalEntry[]): string {
  const { lang } = ctx;
  const emergency = entries.find((e) => e.practical.topic === "emergency");
  const main = html`<h1>${t(lang, "Thông tin thiết thực", "Practical information")}</h1>
    <p class="lead">
      ${t(
        lang,
        "Đi lại, số khẩn cấp, mùa du lịch, ẩm thực, an toàn và địa giới hành chính mới của Châu Đốc.",
        "Getting there, emergency numbers, seasons, food, safety and Châu Đốc's new administrative units.",
      )}
    </p>
    ${
      emergency && emergency.practical.contacts.length
        ? html`<section class="emergency" aria-labelledby="emergency-heading">
            <h2 id="emergency-heading">
              ${t(lang, "Số khẩn cấp (gọi miễn phí)", "Emergency numbers (free calls)")}
            </h2>
            ${contactsList(emergency, lang)}
          </section>`
        : ""
    }
    <section aria-labelledby="topics-heading">
      <h2 id="topics-heading">${t(lang, "Các chủ đề", "Topics")}</h2>
      <ul class="cards">
        ${entries.map(
          (e) =>
            html`<li>
              <h3><a href="${entryHref(ctx, e.type, e.id)}">${e.title[lang]}</a></h3>
              <p>${e.summary[lang]}</p>
            </li>`,
        )}
      </ul>
    </section>`;
  return layout(
    ctx,
    {
      title: t(lang, "Thông tin thiết thực", "Practical information"),
      description: t(
        lang,
        "Thông tin thiết thực cho chuyến đi Châu Đốc: cách đi, số điện thoại khẩn cấp, mùa du lịch, đặc sản, an toàn, hành chính.",
        "Practical information for a trip to Châu Đốc: getting there, emergency numbers, seasons, food, safety, administration.",
      ),
      section: "practical",
    },
    main,
  );
}

/** One practical topic: contacts as tel: links, short facts, the body, sources and last check. */
export function practicalPage(
  ctx: PageContext,
  entry: PracticalEntry,
  get: (id: string) => ContentEntry | undefined,
): string {
  const { lang } = ctx;
  const p = entry.practical;
  const main = html`<p class="crumbs">
      <a href="${href(ctx, "/practical")}">${t(lang, "Thông tin thiết thực", "Practical information")}</a>
    </p>
    <h1>${entry.title[lang]}</h1>
    <p class="lead">${entry.summary[lang]}</p>
    ${
      p.contacts.length
        ? html`<section aria-labelledby="contacts-heading">
            <h2 id="contacts-heading">${t(lang, "Số điện thoại", "Phone numbers")}</h2>
            ${contactsList(entry, lang)}
          </section>`
        : ""
    }
    ${
      p.facts.length
        ? html`<section aria-labelledby="facts-heading">
            <h2 id="facts-heading">${t(lang, "Tóm tắt", "Key facts")}</h2>
            <dl class="facts">
              ${p.facts.map(
                (f) =>
                  html`<div>
                    <dt>${f.label[lang]}</dt>
                    <dd>${f.value[lang]}</dd>
                  </div>`,
              )}
            </dl>
          </section>`
        : ""
    }
    <section class="body" aria-labelledby="about-heading">
      <h2 id="about-heading">${t(lang, "Chi tiết", "In detail")}</h2>
      ${renderMarkdown(entry.body[lang], 3)}
    </section>
    ${relatedSection(ctx, entry, get)} ${sourcesSection(ctx, entry)}`;
  return layout(
    ctx,
    { title: entry.title[lang], description: entry.summary[lang], section: "practical", ogType: "article" },
    main,
  );
}

import type { ContentEntry, Lang, Occurrence } from "../../indexer/index.ts";
import { monthLabel } from "./calendar.ts";
import { href, t, type PageContext } from "./context.ts";
import { html, type SafeHtml } from "./html.ts";
import { layout } from "./layout.ts";
import { renderMarkdown } from "./markdown.ts";
import {
  dateHtml,
  entryHref,
  externalLink,
  heroImage,
  occurrenceHtml,
  relatedSection,
  sourcesSection,
} from "./parts.ts";

type EventEntry = Extract<ContentEntry, { type: "event" }>;

/** "Khmer" or "Hồi giáo" / "Islamic": the calendar an announced-yearly event follows. */
function calendarName(e: EventEntry, lang: Lang): string {
  return e.event.calendar === "khmer" ? "Khmer" : t(lang, "Hồi giáo", "Islamic");
}

/** The wording for events whose dates the project cannot compute. */
export function announcedText(e: EventEntry, lang: Lang): string {
  return t(
    lang,
    `Lễ này theo lịch ${calendarName(e, lang)}; ngày được công bố hằng năm, chúng tôi không tự tính.`,
    `This event follows the ${calendarName(e, lang)} calendar; its dates are announced each year, so we do not compute them.`,
  );
}

function knownDatesList(e: EventEntry, lang: Lang): SafeHtml {
  const known = e.event.knownDates;
  if (known.length === 0)
    return html`<p>
      ${t(lang, "Chưa có ngày đã xác nhận trong nguồn của chúng tôi.", "Our sources have no confirmed past dates.")}
    </p>`;
  return html`<ul>
    ${known.map(
      (k) =>
        html`<li>
          ${k.start === k.end ? dateHtml(k.start, lang) : html`${dateHtml(k.start, lang)} – ${dateHtml(k.end, lang)}`}${
            k.main && k.main !== k.start
              ? html`; ${t(lang, "ngày chính", "main day")} ${dateHtml(k.main, lang)}`
              : ""
          }${k.note ? html` <span class="muted">(${k.note[lang]})</span>` : ""}
          – ${externalLink(k.source, t(lang, "nguồn", "source"))}
        </li>`,
    )}
  </ul>`;
}

export type EventsData = {
  from: string;
  to: string;
  occurrences: Occurrence[];
  /** Events whose dates are announced each year (Khmer, Islamic). */
  announced: EventEntry[];
  get: (id: string) => ContentEntry | undefined;
};

/** The calendar of the next 12 months, grouped by month, then the events announced each year. */
export function eventsPage(ctx: PageContext, data: EventsData): string {
  const { lang } = ctx;
  const months = new Map<string, Occurrence[]>();
  for (const o of data.occurrences) {
    // An event already under way is listed under the current month.
    const key = (o.start < data.from ? data.from : o.start).slice(0, 7);
    months.set(key, [...(months.get(key) ?? []), o]);
  }
  const where = (id: string) => {
    const e = data.get(id);
    return e?.type === "event" ? html` <span class="muted">– ${e.event.where[lang]}</span>` : "";
  };
  const main = html`<h1>${t(lang, "Lịch lễ hội 12 tháng tới", "Event calendar: the next 12 months")}</h1>
    <p class="lead">
      ${t(lang, "Từ", "From")} ${dateHtml(data.from, lang)} ${t(lang, "đến", "to")}
      ${dateHtml(data.to, lang)}.
      ${t(
        lang,
        "Ngày dương lịch của lễ theo âm lịch được tính từ lịch âm Việt Nam, ngày âm lịch ghi bên cạnh; hãy xem thông báo của ban tổ chức trước khi đi.",
        "Gregorian dates of lunar-calendar festivals are computed from the Vietnamese lunar calendar, with the lunar dates beside them; check the organisers' announcement before you travel.",
      )}
    </p>
    ${[...months].map(
      ([month, list]) =>
        html`<section aria-labelledby="m-${month}">
          <h2 id="m-${month}">${monthLabel(month, lang)}</h2>
          <ul class="events">
            ${list.map(
              (o) =>
                html`<li>
                  <a href="${entryHref(ctx, "event", o.eventId)}">${o.title[lang]}</a>:
                  ${occurrenceHtml(o, lang)}${where(o.eventId)}
                </li>`,
            )}
          </ul>
        </section>`,
    )}
    ${
      data.announced.length
        ? html`<section aria-labelledby="announced-heading">
            <h2 id="announced-heading">
              ${t(lang, "Lễ hội Khmer và Chăm: ngày công bố hằng năm", "Khmer and Cham festivals: dates announced each year")}
            </h2>
            <p>
              ${t(
                lang,
                "Ngày của các lễ theo lịch Khmer và lịch Hồi giáo được công bố mỗi năm; chúng tôi ghi các ngày đã diễn ra theo nguồn, không đoán ngày sắp tới.",
                "The dates of Khmer and Islamic-calendar festivals are announced each year; we list past dates from sources and do not guess future ones.",
              )}
            </p>
            ${data.announced.map(
              (e) =>
                html`<h3><a href="${entryHref(ctx, e.type, e.id)}">${e.title[lang]}</a></h3>
                  <p>${announcedText(e, lang)}</p>
                  <p>${t(lang, "Các lần đã diễn ra", "Known past dates")}:</p>
                  ${knownDatesList(e, lang)}`,
            )}
          </section>`
        : ""
    }`;
  return layout(
    ctx,
    {
      title: t(lang, "Lịch lễ hội", "Event calendar"),
      description: t(
        lang,
        "Lịch lễ hội Châu Đốc 12 tháng tới: Vía Bà Chúa Xứ, Tết, mùa nước nổi, lễ hội Khmer và Chăm, với ngày dương lịch và âm lịch.",
        "Châu Đốc's festivals in the next 12 months: the Ba Chua Xu Festival, Tết, the flood season, Khmer and Cham festivals, with Gregorian and lunar dates.",
      ),
      section: "events",
    },
    main,
  );
}

export type EventData = {
  entry: EventEntry;
  /** Occurrences of the next three years. */
  upcoming: Occurrence[];
  get: (id: string) => ContentEntry | undefined;
};

/** One event: upcoming dates, where, known past dates, body, sources, last check. */
export function eventPage(ctx: PageContext, data: EventData): string {
  const { lang } = ctx;
  const { entry } = data;
  const e = entry.event;
  const computable = e.calendar === "lunar-vn" || e.calendar === "solar";
  const shown = data.upcoming.filter((o) => o.status !== "known" || !computable);
  const venues = e.venues
    .map(data.get)
    .filter((v): v is ContentEntry => v !== undefined)
    .map((v) => html`<li><a href="${entryHref(ctx, v.type, v.id)}">${v.title[lang]}</a></li>`);
  const main = html`<p class="crumbs">
      <a href="${href(ctx, "/events")}">${t(lang, "Lịch lễ hội", "Event calendar")}</a>
    </p>
    <h1>${entry.title[lang]}</h1>
    ${heroImage(entry, lang)}
    <p class="lead">${entry.summary[lang]}</p>
    <section aria-labelledby="dates-heading">
      <h2 id="dates-heading">${t(lang, "Ngày diễn ra trong 3 năm tới", "Dates in the next three years")}</h2>
      ${computable ? "" : html`<p>${announcedText(entry, lang)}</p>`}
      ${
        shown.length
          ? html`<ul class="events">
              ${shown.map((o) => html`<li>${occurrenceHtml(o, lang)}</li>`)}
            </ul>`
          : html`<p>
              ${
                computable
                  ? t(
                      lang,
                      "Không có lần nào trong 3 năm tới.",
                      "It does not take place in the next three years.",
                    )
                  : t(lang, "Chưa có ngày nào được công bố.", "No dates have been announced yet.")
              }
            </p>`
      }
      <p class="note">
        ${
          e.calendar === "lunar-vn"
            ? t(
                lang,
                "Ngày dương lịch được tính từ âm lịch; hãy xem thông báo của ban tổ chức trước khi đi.",
                "Gregorian dates are computed from the lunar calendar; check the organisers' announcement before you travel.",
              )
            : computable
              ? e.approximate
                ? t(
                    lang,
                    "Thời gian ước lượng, thay đổi theo từng năm.",
                    "The dates are approximate and vary from year to year.",
                  )
                : t(
                    lang,
                    "Hãy xem thông báo của ban tổ chức trước khi đi.",
                    "Check the organisers' announcement before you travel.",
                  )
              : t(
                  lang,
                  "Hãy hỏi ban tổ chức hoặc xem báo An Giang gần ngày.",
                  "Ask the organisers or check the An Giang news nearer the time.",
                )
        }
      </p>
    </section>
    <section aria-labelledby="where-heading">
      <h2 id="where-heading">${t(lang, "Địa điểm", "Where")}</h2>
      <p>${e.where[lang]}</p>
      ${
        venues.length
          ? html`<ul>
              ${venues}
            </ul>`
          : ""
      }
    </section>
    ${
      e.knownDates.length || !computable
        ? html`<section aria-labelledby="known-heading">
            <h2 id="known-heading">${t(lang, "Các lần đã diễn ra", "Known past dates")}</h2>
            ${knownDatesList(entry, lang)}
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
    { title: entry.title[lang], description: entry.summary[lang], section: "events", ogType: "article" },
    main,
  );
}

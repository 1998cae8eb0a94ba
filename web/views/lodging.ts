import {
  deadlineText,
  formatVnd,
  LEGAL_STATUS,
  type ComputedDeadline,
  type FineResult,
} from "../../bot/index.ts";
import type { ContentEntry, DeadlineRule, Lang } from "../../indexer/index.ts";
import { href, t, type PageContext } from "./context.ts";
import { html, type SafeHtml } from "./html.ts";
import { layout } from "./layout.ts";
import { renderMarkdown } from "./markdown.ts";
import {
  dateHtml,
  entryHref,
  externalLink,
  heading,
  langAttr,
  relatedSection,
  sourcesSection,
  unknownText,
} from "./parts.ts";

type LodgingEntry = Extract<ContentEntry, { type: "lodging-rule" }>;
type Legal = LodgingEntry["lodging"]["legalBasis"][number];

/** What the deadline form was given: the raw values (to fill the form again) and what was wrong. */
export type CalculatorState = {
  submitted: boolean;
  values: { guest: string; time: string; remote: boolean; method: string };
  errors: { guest?: "missing" | "invalid"; time?: "missing" | "invalid"; method?: "invalid" };
  /** Present when the inputs were valid. */
  result?: { guest: "vn" | "foreign"; arrival: string; remote: boolean; deadlines: ComputedDeadline[] };
};

const APPLIES: Record<LodgingEntry["lodging"]["appliesTo"][number], { vi: string; en: string }> = {
  "vietnamese-guests": { vi: "khách Việt Nam", en: "Vietnamese guests" },
  "foreign-guests": { vi: "khách nước ngoài", en: "foreign guests" },
  "stays-30-days-or-more": { vi: "người ở từ 30 ngày trở lên", en: "stays of 30 days or more" },
  "lodging-operators": {
    vi: "cơ sở lưu trú (khách sạn, nhà nghỉ, homestay)",
    en: "lodging operators (hotels, guesthouses, homestays)",
  },
};

const METHOD_LABEL = {
  any: { vi: "", en: "" },
  paper: { vi: "bằng phiếu giấy", en: "on a paper form" },
  electronic: { vi: "khai báo điện tử", en: "online" },
};

/** A deadline rule of the content in plain words: who, when they arrive, how, and by when. */
function ruleText(r: DeadlineRule, lang: Lang): string {
  const who =
    r.guest === "vn"
      ? t(lang, "Khách Việt Nam", "Vietnamese guests")
      : t(lang, "Khách nước ngoài", "Foreign guests");
  const to = r.arrival?.to === "24:00" ? "00:00" : r.arrival?.to;
  const when = r.arrival
    ? t(lang, ` đến từ ${r.arrival.from} đến trước ${to}`, ` arriving from ${r.arrival.from} to before ${to}`)
    : "";
  const where =
    r.remote === true
      ? t(lang, " ở vùng sâu, vùng xa", " in remote areas")
      : r.remote === false
        ? t(lang, " (không phải vùng sâu, vùng xa)", " (not in a remote area)")
        : "";
  const method = METHOD_LABEL[r.method][lang];
  const due =
    r.due.kind === "same-day"
      ? t(lang, `trước ${r.due.before} cùng ngày khách đến`, `before ${r.due.before} on the day of arrival`)
      : r.due.kind === "next-day"
        ? t(lang, `trước ${r.due.before} sáng hôm sau`, `before ${r.due.before} the next day`)
        : r.due.kind === "hours-after-arrival"
          ? t(lang, `trong ${r.due.hours} giờ kể từ khi khách đến`, `within ${r.due.hours} hours of arrival`)
          : t(lang, "ngay khi khách nhận phòng", "at check-in");
  return `${who}${when}${where}${method ? `, ${method}` : ""}: ${due}.`;
}

function legalItem(b: Legal, lang: Lang): SafeHtml {
  const name = html`${b.document}${b.article ? `, ${b.article}` : ""}`;
  const status = LEGAL_STATUS[b.status][lang];
  return html`<li><strong${langAttr(b.document, lang)}>${b.url ? externalLink(b.url, name) : name}</strong>
<br>${b.issued ? html`${t(lang, "Ban hành", "Issued")}: ${dateHtml(b.issued, lang)}; ` : ""}${t(lang, "Hiệu lực từ", "In force from")}: ${
    b.inForce ? dateHtml(b.inForce, lang) : html`<span class="unknown">${unknownText(lang)}</span>`
  }; ${t(lang, "Tình trạng", "Status")}: <span class="${b.status === "reported-change-unconfirmed" ? "status unconfirmed" : "status"}">${status}</span>${
    b.note ? html`<br /><span class="muted">${b.note[lang]}</span>` : ""
  }</li>`;
}

function penaltyItem(p: LodgingEntry["lodging"]["penalties"][number], lang: Lang): SafeHtml {
  const payer =
    p.payer === "organisation" ? t(lang, "tổ chức", "organisation") : t(lang, "cá nhân", "individual");
  return html`<li>
    ${p.violation[lang]}:
    <strong>${formatVnd(p.minVnd, lang)} – ${formatVnd(p.maxVnd, lang)}</strong>
    (${t(lang, "mức cho", "for an")} ${payer};
    ${p.basis})${
      p.confirmed
        ? ""
        : html` <span class="status unconfirmed">${t(lang, "chưa xác nhận", "unconfirmed")}</span>`
    }
  </li>`;
}

/**
 * Everything a rule says, headings from `level`: who it applies to, deadlines, channels, details to
 * collect, legal basis, penalties. The verify note is shown by the caller, near the top.
 */
function ruleFacts(ctx: PageContext, e: LodgingEntry, level: number): SafeHtml {
  const { lang } = ctx;
  const l = e.lodging;
  const id = (s: string) => `${e.id}-${s}`;
  return html`<p>
      ${t(lang, "Áp dụng cho", "Applies to")}:
      ${l.appliesTo.map((a) => APPLIES[a][lang]).join("; ")}${
        l.thresholdDays
          ? t(lang, `; từ ${l.thresholdDays} ngày lưu trú`, `; from a stay of ${l.thresholdDays} days`)
          : ""
      }.
    </p>
    ${
      l.deadlines.length
        ? html`${heading(level, t(lang, "Thời hạn", "Deadlines"), id("deadlines"))}
            <ul>
              ${l.deadlines.map(
                (r) => html`<li>
                    ${ruleText(r, lang)} <span class="muted">(${r.basis})</span>${r.note ? html`<br />${r.note[lang]}` : ""}
                  </li>`,
              )}
            </ul>`
        : ""
    }
    ${
      l.channels.length
        ? html`${heading(level, t(lang, "Cách khai báo", "How to report"), id("channels"))}
            <ul>
              ${l.channels.map((c) => html`<li>${c.url ? externalLink(c.url, c.name[lang]) : c.name[lang]}</li>`)}
            </ul>`
        : ""
    }
    ${
      l.guestDetails
        ? html`${heading(level, t(lang, "Thông tin cơ sở cần ghi", "Details the lodging records"), id("details"))}
            <ul>
              ${l.guestDetails[lang].map((d) => html`<li>${d}</li>`)}
            </ul>`
        : ""
    }
    ${heading(level, t(lang, "Căn cứ pháp lý", "Legal basis"), id("legal"))}
    <ul class="legal">
      ${l.legalBasis.map((b) => legalItem(b, lang))}
    </ul>
    ${
      l.penalties.length
        ? html`${heading(level, t(lang, "Mức phạt", "Penalties"), id("penalties"))}
            <ul>
              ${l.penalties.map((p) => penaltyItem(p, lang))}
            </ul>`
        : ""
    }`;
}

function verifyNote(e: LodgingEntry, lang: Lang): SafeHtml {
  return html`<p class="verify">
    <strong>${t(lang, "Trước khi làm theo", "Before you rely on this")}:</strong> ${e.lodging.verifyNote[lang]}
  </p>`;
}

const ERROR_TEXT = {
  guest: {
    missing: {
      vi: "Hãy chọn khách là người Việt Nam hay người nước ngoài.",
      en: "Choose whether the guest is Vietnamese or foreign.",
    },
    invalid: {
      vi: "Loại khách không hợp lệ: hãy chọn một trong hai lựa chọn.",
      en: "That guest type is not valid: choose one of the two options.",
    },
  },
  time: {
    missing: { vi: "Hãy nhập giờ khách đến, ví dụ 22:30.", en: "Enter the arrival time, for example 22:30." },
    invalid: {
      vi: "Giờ không hợp lệ: hãy nhập theo dạng giờ:phút (HH:MM), ví dụ 22:30.",
      en: "That is not a valid time: use hours and minutes (HH:MM), for example 22:30.",
    },
  },
  method: {
    invalid: {
      vi: "Cách khai báo không hợp lệ: hãy chọn một lựa chọn trong danh sách.",
      en: "That way of declaring is not valid: choose one of the options.",
    },
  },
} as const;

/** The deadline calculator: a GET form that works without JavaScript, and its result. */
function calculator(ctx: PageContext, s: CalculatorState, rules: LodgingEntry[]): SafeHtml {
  const { lang } = ctx;
  const v = s.values;
  const err = s.errors;
  const message = (field: "guest" | "time" | "method") => {
    const kind = err[field];
    if (!kind) return "";
    const text = (ERROR_TEXT[field] as Record<string, { vi: string; en: string }>)[kind];
    return text ? html`<p class="field-error" id="${field}-error">${text[lang]}</p>` : "";
  };
  const radio = (name: string, value: string, label: string, checked: boolean) =>
    html`<label class="choice"
      ><input type="radio" name="${name}" value="${value}" ${checked ? html` checked` : ""} /> ${label}</label
    >`;
  const result = s.result;
  const byId = new Map(rules.map((e) => [e.id, e]));
  const resultHtml = result
    ? html`<section class="result" id="result" aria-labelledby="result-heading">
        <h3 id="result-heading">
          ${result.guest === "vn" ? t(lang, "Khách Việt Nam", "A Vietnamese guest") : t(lang, "Khách nước ngoài", "A foreign guest")}
          ${t(lang, "đến lúc", "arriving at")}
          ${result.arrival}${result.remote ? t(lang, " (vùng sâu, vùng xa)", " (remote area)") : ""}
        </h3>
        ${
          result.deadlines.length
            ? html`<ul>
                  ${result.deadlines.map((d) => {
                    const rule = byId.get(d.entryId);
                    return html`<li>
                      <strong>${deadlineText(d, lang)}.</strong> ${t(lang, "Căn cứ", "Legal basis")}:
                      ${d.basis}.${
                        rule
                          ? html` <a href="${entryHref(ctx, rule.type, rule.id)}">${rule.title[lang]}</a>`
                          : ""
                      }
                    </li>`;
                  })}
                </ul>
                ${[...new Set(result.deadlines.map((d) => d.entryId))].map((id) => {
                  const rule = byId.get(id);
                  return rule ? verifyNote(rule, lang) : "";
                })}`
            : html`<p>
                ${t(lang, "Không có quy định nào khớp với các lựa chọn này trong nội dung của chúng tôi. Hãy hỏi công an phường.", "None of our rules matches these choices. Ask the ward police.")}
              </p>`
        }
      </section>`
    : "";
  const guestDescribed = err.guest ? html` aria-describedby="guest-error"` : "";
  const methodDescribed = err.method ? html` aria-describedby="method-error"` : "";
  // The form leads to its result (#result), so that the page does not reopen at the top; with errors
  // and no result, the form itself carries the id and the visitor lands on the messages beside the fields.
  const formId = !result && Object.keys(err).length > 0 ? html` id="result"` : "";
  return html`<form class="calculator"${formId} action="${href(ctx, "/lodging")}#result" method="get">
<p>${t(
    lang,
    "Chọn loại khách và giờ khách đến; trang sẽ tính hạn chót và cho biết căn cứ pháp lý. Không cần và không lưu thông tin cá nhân nào của khách.",
    "Choose the kind of guest and the arrival time; the page works out the deadline and gives its legal basis. No personal details of the guest are asked for or stored.",
  )}</p>
<fieldset${guestDescribed}>
<legend>${t(lang, "Khách là", "The guest is")}</legend>
${message("guest")}
${radio("guest", "vn", t(lang, "Người Việt Nam", "Vietnamese"), v.guest === "vn")}
${radio("guest", "foreign", t(lang, "Người nước ngoài", "Foreign"), v.guest === "foreign")}
</fieldset>
<div class="field">
<label for="time">${t(lang, "Giờ khách đến (HH:MM, 24 giờ)", "Arrival time (HH:MM, 24-hour)")}</label>
${message("time")}
<input id="time" name="time" type="time" value="${v.time}"${err.time ? html` aria-invalid="true" aria-describedby="time-error"` : ""}>
</div>
<fieldset${methodDescribed}>
<legend>${t(lang, "Cách khai báo (khách nước ngoài)", "How you declare (foreign guests)")}</legend>
${message("method")}
${radio("method", "", t(lang, "Chưa biết, xem cả hai", "Not sure, show both"), v.method !== "paper" && v.method !== "electronic")}
${radio("method", "paper", t(lang, "Phiếu giấy", "Paper form"), v.method === "paper")}
${radio("method", "electronic", t(lang, "Điện tử (trực tuyến)", "Electronic (online)"), v.method === "electronic")}
</fieldset>
<div class="field">
<label class="choice"><input type="checkbox" name="remote" value="on"${v.remote ? html` checked` : ""}> ${t(lang, "Cơ sở ở vùng sâu, vùng xa", "The lodging is in a remote area")}</label>
</div>
<button type="submit">${t(lang, "Tính thời hạn", "Work out the deadline")}</button>
</form>
${resultHtml}`;
}

/** What the fine form was given, and the fine when the inputs were valid. */
export type FineCalculatorState = {
  submitted: boolean;
  values: { guest: string; guests: string; payer: string };
  errors: { guest?: "missing" | "invalid"; guests?: "invalid"; payer?: "invalid" };
  result?: FineResult;
};

const FINE_ERRORS = {
  guest: {
    vi: "Hãy chọn khách Việt Nam hay khách nước ngoài.",
    en: "Choose Vietnamese or foreign guests.",
  },
  guests: {
    vi: "Số khách phải là một số nguyên từ 1 trở lên.",
    en: "The number of guests must be a whole number, 1 or more.",
  },
  payer: { vi: "Hãy chọn một lựa chọn trong danh sách.", en: "Choose one of the options." },
} as const;

/** The fine calculator: guest kind, number of guests, individual or organisation → the bracket and its basis. */
function fineCalculator(ctx: PageContext, s: FineCalculatorState, rules: LodgingEntry[]): SafeHtml {
  const { lang } = ctx;
  const v = s.values;
  const radio = (name: string, value: string, label: string, checked: boolean) =>
    html`<label class="choice"
      ><input type="radio" name="${name}" value="${value}" ${checked ? html` checked` : ""} /> ${label}</label
    >`;
  const error = (field: keyof FineCalculatorState["errors"]) =>
    s.errors[field] ? html`<p class="field-error" id="f${field}-error">${FINE_ERRORS[field][lang]}</p>` : "";
  const r = s.result;
  const rule = r ? rules.find((e) => e.id === r.entryId) : undefined;
  const range = (b: { minVnd: number; maxVnd: number }) =>
    `${formatVnd(b.minVnd, lang)} – ${formatVnd(b.maxVnd, lang)}`;
  const guests = (b: { guestsMin: number; guestsMax?: number }) =>
    b.guestsMax === undefined
      ? t(lang, `từ ${b.guestsMin} khách trở lên`, `${b.guestsMin} or more guests`)
      : t(lang, `${b.guestsMin}–${b.guestsMax} khách`, `${b.guestsMin}–${b.guestsMax} guests`);
  const resultHtml = r
    ? html`<section class="result" id="fine-result" aria-labelledby="fine-result-heading">
        <h3 id="fine-result-heading">
          ${r.guest === "vn" ? t(lang, "Không thông báo lưu trú cho khách Việt Nam", "Not reporting Vietnamese guests") : t(lang, "Không khai báo tạm trú cho khách nước ngoài", "Not declaring foreign guests")}${r.guests !== undefined ? `: ${t(lang, `${r.guests} khách`, `${r.guests} guests`)}` : ""},
          ${r.payer === "organisation" ? t(lang, "tổ chức", "an organisation") : t(lang, "cá nhân, hộ kinh doanh", "an individual or household business")}
        </h3>
        ${
          r.bracket
            ? html`<p><strong>${range(r.bracket)}</strong> (${guests(r.bracket)}). ${t(lang, "Căn cứ", "Legal basis")}: ${r.bracket.basis}${r.bracket.confirmed ? "" : t(lang, "; khoản chưa được xác nhận", "; the clause is unconfirmed")}.</p>`
            : r.guests !== undefined
              ? html`<p>${t(lang, "Nguồn của chúng tôi chưa xác nhận mức phạt cho số khách này.", "Our sources do not confirm the fine for that many guests.")}</p>`
              : ""
        }
        <ul>
          ${r.brackets.map((b) => html`<li>${guests(b)}: ${range(b)}${b.doubled ? t(lang, " (gấp đôi mức cá nhân)", " (double the individual amount)") : ""}${b.confirmed ? "" : t(lang, " – khoản chưa được xác nhận", " – clause unconfirmed")}</li>`)}
        </ul>
        ${r.payer === "individual" ? html`<p>${t(lang, "Tổ chức (công ty) bị phạt gấp đôi.", "Organisations (companies) pay double.")}</p>` : ""}
        ${rule ? verifyNote(rule, lang) : ""}
      </section>`
    : "";
  return html`<form class="fine-calculator" action="${href(ctx, "/lodging")}#fine-result" method="get">
<fieldset${s.errors.guest ? html` aria-describedby="fguest-error"` : ""}>
<legend>${t(lang, "Khách chưa được khai báo là", "The undeclared guests are")}</legend>
${error("guest")}
${radio("fguest", "vn", t(lang, "Khách Việt Nam", "Vietnamese guests"), v.guest === "vn")}
${radio("fguest", "foreign", t(lang, "Khách nước ngoài", "Guests from abroad"), v.guest === "foreign")}
</fieldset>
<div class="field">
<label for="fguests">${t(lang, "Số khách", "Number of guests")}</label>
${error("guests")}
<input id="fguests" name="fguests" type="number" min="1" inputmode="numeric" value="${v.guests}"${s.errors.guests ? html` aria-invalid="true" aria-describedby="fguests-error"` : ""}>
</div>
<fieldset${s.errors.payer ? html` aria-describedby="fpayer-error"` : ""}>
<legend>${t(lang, "Cơ sở do ai đứng tên", "Who runs the lodging")}</legend>
${error("payer")}
${radio("fpayer", "individual", t(lang, "Cá nhân, hộ kinh doanh", "An individual or household business"), v.payer !== "organisation")}
${radio("fpayer", "organisation", t(lang, "Tổ chức (công ty)", "An organisation (a company)"), v.payer === "organisation")}
</fieldset>
<button type="submit">${t(lang, "Xem mức phạt", "Show the fine")}</button>
</form>
${resultHtml}`;
}

export type LodgingData = { rules: LodgingEntry[]; calculator: CalculatorState; fine: FineCalculatorState };

/** The lodging rules for hotels and homestays, with the deadline calculator. */
export function lodgingPage(ctx: PageContext, data: LodgingData): string {
  const { lang } = ctx;
  const main = html`<h1>
      ${t(lang, "Quy định lưu trú cho khách sạn, nhà nghỉ, homestay", "Lodging rules for hotels, guesthouses and homestays")}
    </h1>
    <p class="lead">
      ${t(
        lang,
        "Khi nhận khách, cơ sở lưu trú phải báo cho công an xã, phường: thông báo lưu trú với khách Việt Nam, khai báo tạm trú với khách nước ngoài. Dưới đây là thời hạn, cách khai báo, căn cứ pháp lý và mức phạt, viết lại bằng lời dễ hiểu.",
        "When a guest checks in, the lodging must tell the ward or commune police: a stay report for Vietnamese guests, a temporary-residence declaration for foreign guests. Below are the deadlines, the ways to report, the legal basis and the fines, in plain words.",
      )}
    </p>
    <section aria-labelledby="calc-heading">
      <h2 id="calc-heading">${t(lang, "Tính thời hạn khai báo", "Work out the deadline")}</h2>
      ${calculator(ctx, data.calculator, data.rules)}
    </section>
    <section aria-labelledby="fine-heading">
      <h2 id="fine-heading">${t(lang, "Tra mức phạt khi không khai báo", "Look up the fine for not reporting guests")}</h2>
      ${fineCalculator(ctx, data.fine, data.rules)}
    </section>
    ${data.rules.map(
      (e) =>
        html`<section class="rule" aria-labelledby="${e.id}">
          <h2 id="${e.id}"><a href="${entryHref(ctx, e.type, e.id)}">${e.title[lang]}</a></h2>
          <p class="lead">${e.summary[lang]}</p>
          ${verifyNote(e, lang)} ${ruleFacts(ctx, e, 3)}
          <details>
            <summary>${t(lang, "Đọc toàn bộ quy định", "Read the whole rule")}</summary>
            ${renderMarkdown(e.body[lang], 3)}
          </details>
        </section>`,
    )}`;
  return layout(
    ctx,
    {
      title: t(lang, "Quy định lưu trú và thời hạn khai báo", "Lodging rules and registration deadlines"),
      description: t(
        lang,
        "Thông báo lưu trú, khai báo tạm trú cho khách nước ngoài, thời hạn, kênh khai báo, căn cứ pháp lý và mức phạt cho khách sạn, homestay ở Châu Đốc; kèm công cụ tính thời hạn.",
        "Reporting guests' stays and declaring foreign guests: deadlines, channels, legal basis and fines for hotels and homestays in Châu Đốc, with a deadline calculator.",
      ),
      section: "lodging",
    },
    main,
  );
}

export type LodgingRuleData = { entry: LodgingEntry; get: (id: string) => ContentEntry | undefined };

/** One lodging rule in full. */
export function lodgingRulePage(ctx: PageContext, data: LodgingRuleData): string {
  const { lang } = ctx;
  const { entry } = data;
  const main = html`<p class="crumbs">
      <a href="${href(ctx, "/lodging")}">${t(lang, "Quy định lưu trú", "Lodging rules")}</a>
    </p>
    <h1>${entry.title[lang]}</h1>
    <p class="lead">${entry.summary[lang]}</p>
    ${verifyNote(entry, lang)}
    <section aria-labelledby="rule-heading">
      <h2 id="rule-heading">${t(lang, "Tóm tắt quy định", "The rule in short")}</h2>
      ${ruleFacts(ctx, entry, 3)}
      ${
        entry.lodging.deadlines.length
          ? html`<p>
              <a href="${href(ctx, "/lodging")}#calc-heading"
                >${t(lang, "Tính thời hạn cho một khách cụ thể", "Work out the deadline for a guest")}</a
              >
            </p>`
          : ""
      }
    </section>
    <section class="body" aria-labelledby="about-heading">
      <h2 id="about-heading">${t(lang, "Chi tiết", "In detail")}</h2>
      ${renderMarkdown(entry.body[lang], 3)}
    </section>
    ${relatedSection(ctx, entry, data.get)} ${sourcesSection(ctx, entry)}`;
  return layout(
    ctx,
    { title: entry.title[lang], description: entry.summary[lang], section: "lodging", ogType: "article" },
    main,
  );
}

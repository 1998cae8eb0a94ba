import type { Lang } from "../../indexer/index.ts";
import {
  CASE_CATEGORIES,
  CATEGORY_LABEL,
  STATUS_LABEL,
  type CaseFigures,
  type CaseRecord,
} from "../../bot/reports/index.ts";
import { t, type PageContext } from "./context.ts";
import { html } from "./html.ts";
import { layout } from "./layout.ts";
import { formatNumber } from "./parts.ts";

/** The portal's report pages: one case's status (for its link's holder) and the published figures. */

/** A case's status for the holder of its link: no personal data (no description, no chat). */
export function caseStatusPage(ctx: PageContext, c: CaseRecord | undefined): string {
  const { lang } = ctx;
  const title = t(lang, "Trạng thái phản ánh", "Report status");
  const main = c
    ? html`<h1>${title} ${c.code}</h1>
        <dl class="facts">
          <dt>${t(lang, "Loại", "Category")}</dt>
          <dd>${CATEGORY_LABEL[c.category][lang]}</dd>
          <dt>${t(lang, "Trạng thái", "Status")}</dt>
          <dd><strong>${STATUS_LABEL[c.status][lang]}</strong></dd>
          ${
            c.status === "rejected" && c.reason
              ? html`<dt>${t(lang, "Lý do", "Reason")}</dt>
                <dd>${c.reason}</dd>`
              : ""
          }
          <dt>${t(lang, "Gửi lúc", "Sent")}</dt>
          <dd>${when(c.createdAt, lang)}</dd>
          <dt>${t(lang, "Cập nhật", "Updated")}</dt>
          <dd>${when(c.updatedAt, lang)}</dd>
        </dl>
        <p>
          ${t(
            lang,
            "Cơ quan du lịch trả lời bạn trong cuộc trò chuyện bạn đã gửi phản ánh.",
            "The tourism office replies to you in the chat you sent the report from.",
          )}
        </p>`
    : html`<h1>${title}</h1>
        <p>
          ${t(
            lang,
            "Không tìm thấy phản ánh với đường dẫn này. Hãy kiểm tra lại đường dẫn bạn nhận được.",
            "No report was found for this link. Please check the link you received.",
          )}
        </p>`;
  return layout(
    ctx,
    {
      title,
      description: t(lang, "Trạng thái một phản ánh của du khách.", "The status of a visitor's report."),
      section: "reports",
      noindex: true,
    },
    main,
  );
}

function when(iso: string, lang: Lang): string {
  return new Date(iso).toLocaleString(lang === "vi" ? "vi-VN" : "en-GB", {
    timeZone: "Asia/Ho_Chi_Minh",
    dateStyle: "medium",
    timeStyle: "short",
  });
}

/** Hours as "3,5 giờ" / "2.1 days". */
export function durationText(hours: number | undefined, lang: Lang): string {
  if (hours === undefined) return "–";
  if (hours < 48) return `${formatNumber(Math.round(hours * 10) / 10, lang)} ${t(lang, "giờ", "hours")}`;
  return `${formatNumber(Math.round((hours / 24) * 10) / 10, lang)} ${t(lang, "ngày", "days")}`;
}

/** The published figures: per month and category, resolved share, median time, overdue. */
export function figuresPage(ctx: PageContext, f: CaseFigures): string {
  const { lang } = ctx;
  const title = t(lang, "Phản ánh của du khách: kết quả xử lý", "Visitors' reports: how they were handled");
  const pct = (x: number) => `${formatNumber(Math.round(x * 1000) / 10, lang)}%`;
  const main = html`<h1>${title}</h1>
    <p>
      ${t(
        lang,
        "Du khách gửi phản ánh qua trợ lý trên Telegram, Zalo và trang web. Trang này công bố số phản ánh và kết quả xử lý, không có thông tin cá nhân.",
        "Visitors send reports through the assistant on Telegram, Zalo and the website. This page publishes how many there were and how they were handled, with no personal data.",
      )}
    </p>
    <dl class="facts figures-summary">
      <dt>${t(lang, "Tổng số phản ánh", "Reports in total")}</dt>
      <dd>${formatNumber(f.total, lang)}</dd>
      <dt>${t(lang, "Đã giải quyết", "Resolved")}</dt>
      <dd>${formatNumber(f.resolved, lang)} (${pct(f.resolvedShare)})</dd>
      <dt>${t(lang, "Thời gian giải quyết (trung vị)", "Median time to resolve")}</dt>
      <dd>${durationText(f.medianHoursToResolve, lang)}</dd>
      <dt>${t(lang, "Đang mở, quá hạn", "Open and overdue")}</dt>
      <dd>${formatNumber(f.openOverdue, lang)} / ${formatNumber(f.open, lang)}</dd>
    </dl>
    <h2>${t(lang, "Theo tháng và loại", "By month and category")}</h2>
    ${
      f.months.length === 0
        ? html`<p>${t(lang, "Chưa có phản ánh nào.", "No reports yet.")}</p>`
        : html`<div class="table-scroll">
          <table class="figures">
            <caption>
              ${t(lang, "Số phản ánh mỗi tháng, theo loại", "Reports per month, by category")}
            </caption>
            <thead>
              <tr>
                <th scope="col">${t(lang, "Tháng", "Month")}</th>
                ${CASE_CATEGORIES.map((c) => html`<th scope="col">${CATEGORY_LABEL[c][lang]}</th>`)}
                <th scope="col">${t(lang, "Tổng", "Total")}</th>
                <th scope="col">${t(lang, "Đã giải quyết", "Resolved")}</th>
                <th scope="col">${t(lang, "Trung vị thời gian", "Median time")}</th>
                <th scope="col">${t(lang, "Quá hạn", "Overdue")}</th>
              </tr>
            </thead>
            <tbody>
              ${f.months.map(
                (m) =>
                  html`<tr>
                    <th scope="row">${m.month}</th>
                    ${CASE_CATEGORIES.map((c) => html`<td>${formatNumber(m.byCategory[c], lang)}</td>`)}
                    <td>${formatNumber(m.total, lang)}</td>
                    <td>${formatNumber(m.resolved, lang)} (${pct(m.total ? m.resolved / m.total : 0)})</td>
                    <td>${durationText(m.medianHoursToResolve, lang)}</td>
                    <td>${formatNumber(m.overdue, lang)}</td>
                  </tr>`,
              )}
            </tbody>
          </table>
        </div>`
    }
    <p>
      ${t(
        lang,
        "Để gửi phản ánh, hãy nhắn “phản ánh” cho trợ lý (nút trò chuyện ở góc trang, Telegram hoặc Zalo). Khi khẩn cấp, gọi 113 (công an), 114 (cứu hỏa), 115 (cấp cứu).",
        "To send a report, write “report” to the assistant (the chat button on this page, Telegram or Zalo). In an emergency, call 113 (police), 114 (fire), 115 (ambulance).",
      )}
    </p>`;
  return layout(
    ctx,
    {
      title,
      description: t(
        lang,
        "Số phản ánh của du khách ở Châu Đốc theo tháng và loại, tỉ lệ đã giải quyết và thời gian xử lý.",
        "Visitors' reports in Châu Đốc per month and category, the share resolved and the time to resolve.",
      ),
      section: "reports",
    },
    main,
  );
}

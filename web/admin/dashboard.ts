import { Router, type Request, type Response } from "express";
import { entryUrl } from "../../bot/index.ts";
import { AppError, type ContentEntry } from "../../indexer/index.ts";
import { html, raw, type HtmlValue, type SafeHtml } from "../views/html.ts";
import { adminLayout } from "./layout.ts";
import { reportsDashboardSection } from "./reports.ts";
import {
  addDays,
  dashboardStats,
  dayCount,
  isDay,
  toCsv,
  vnDay,
  vnDayStart,
  VN_OFFSET_MS,
  type CsvCell,
  type DashboardStats,
} from "./stats.ts";
import type { AdminDeps, AdminUser } from "./types.ts";

/**
 * "What visitors ask": GET /admin shows, for a period and a channel, questions per day and per channel
 * (Chart.js, drawn by static/dashboard.js from a JSON data island, each chart followed by its table),
 * languages, the most asked questions, the most used entries, answers rated unhelpful and the questions
 * the assistant could not answer, grouped (content gaps). GET /admin/stats/<table>.csv exports each table.
 * Only aggregates per channel are shown: never a user or conversation hash.
 */

export type DashboardOptions = {
  /** At most this many interactions are read for one period (the newest); the page says when it is hit. */
  maxRows?: number;
};

/** How many interactions one period reads at most, by default. */
export const DASHBOARD_MAX_ROWS = 50_000;
/** The default period: the last 30 days, today included. */
const DEFAULT_DAYS = 30;
/** The longest period one view may cover (bounds the per-day series). */
const MAX_DAYS = 366;
/** Rows shown on the page per table; the CSV files hold all of them. */
const PAGE_ROWS = { topQuestions: 20, topEntries: 20, unhelpful: 100, gaps: 50 } as const;

/** Channels offered in the filter even when the period has no question from them. */
const KNOWN_CHANNELS = ["web", "telegram", "zalo-oa", "zalo-bot", "cli"];
const CHANNEL_LABELS: Record<string, string> = {
  web: "Trang web",
  telegram: "Telegram",
  "zalo-oa": "Zalo OA",
  "zalo-bot": "Zalo Bot",
  cli: "Dòng lệnh",
};
const LANGUAGE_LABELS: Record<string, string> = { vi: "Tiếng Việt", en: "Tiếng Anh" };
/** What a channel filter may be: channels are short kebab-case names, and the name goes into a file name. */
const CHANNEL_NAME = /^[a-z0-9][a-z0-9_-]{0,39}$/i;

type Filter = { from: string; to: string; channel?: string };
type FilterField = "from" | "to" | "channel";
type FilterProblem = { field: FilterField; message: string };

/** One exported table: the name in its URL, its title, the CSV header and rows. */
type CsvTable = {
  title: string;
  header: string[];
  rows: (stats: DashboardStats, titleOf: (id: string) => string) => CsvCell[][];
};

const CSV_TABLES: Record<string, CsvTable> = {
  "per-day": {
    title: "Số câu hỏi mỗi ngày",
    header: ["Ngày", "Số câu hỏi"],
    rows: (s) => s.perDay.map((d) => [d.day, d.count]),
  },
  "per-channel": {
    title: "Số câu hỏi theo kênh",
    header: ["Kênh", "Số câu hỏi"],
    rows: (s) => s.perChannel.map((c) => [c.channel, c.count]),
  },
  languages: {
    title: "Ngôn ngữ",
    header: ["Ngôn ngữ", "Số câu hỏi"],
    rows: (s) => s.languages.map((l) => [l.language, l.count]),
  },
  "top-questions": {
    title: "Câu hỏi thường gặp",
    header: ["Câu hỏi (chuẩn hoá)", "Số lần"],
    rows: (s) => s.topQuestions.map((q) => [q.question, q.count]),
  },
  "top-entries": {
    title: "Mục nội dung được dùng nhiều nhất",
    header: ["Mã mục", "Tiêu đề", "Số câu trả lời"],
    rows: (s, titleOf) => s.topEntries.map((e) => [e.entryId, titleOf(e.entryId), e.count]),
  },
  unhelpful: {
    title: "Câu trả lời bị đánh giá không hữu ích",
    header: ["Thời gian hỏi", "Thời gian góp ý", "Kênh", "Câu hỏi", "Trích câu trả lời", "Góp ý"],
    rows: (s) => s.unhelpful.map((u) => [u.at, u.feedbackAt, u.channel, u.question, u.answer, u.comment]),
  },
  gaps: {
    title: "Câu hỏi chưa trả lời được",
    header: ["Nhóm", "Số câu trong nhóm", "Câu hỏi đại diện", "Còn thiếu", "Cách hỏi", "Số lần"],
    rows: (s) =>
      s.gaps.flatMap((g, i) =>
        g.variants.map((v): CsvCell[] => [
          i + 1,
          g.size,
          g.representative,
          g.missing.join("; "),
          v.question,
          v.count,
        ]),
      ),
  },
};

/** The dashboard of visitors' questions and its CSV exports; every route needs a viewer. */
export function dashboardRouter(deps: AdminDeps, options: DashboardOptions = {}): Router {
  const router = Router();
  const viewer = deps.auth.require("viewer");
  const maxRows = options.maxRows ?? DASHBOARD_MAX_ROWS;

  /** An entry of the live index; undefined when it is no longer there. */
  function entryOf(id: string): ContentEntry | undefined {
    return deps.live().index.get(id);
  }

  router.get("/", viewer, async (req, res) => {
    const today = vnDay(deps.clock.now());
    const { filter, problems } = parseFilter(req, today);
    const data = await load(deps, filter, maxRows);
    // Tourist reports' figures, when reports are enabled: the same the portal publishes, with charts.
    const reports = deps.reports ? await reportsDashboardSection(deps) : html``;
    noStore(res);
    res.type("html").send(
      adminLayout(
        {
          title: "Câu hỏi của du khách",
          section: "dashboard",
          user: res.locals.adminUser as AdminUser,
          csrfToken: res.locals.csrfToken as string,
          scripts: ["chart.umd.min.js", "dashboard.js", ...(deps.reports ? ["reports-chart.js"] : [])],
        },
        html`${dashboardPage({ req, filter, problems, ...data, maxRows, entryOf })}${reports}`,
      ),
    );
  });

  for (const [name, table] of Object.entries(CSV_TABLES)) {
    router.get(`/stats/${name}.csv`, viewer, async (req, res) => {
      const { filter, problems } = parseFilter(req, vnDay(deps.clock.now()));
      if (problems.length > 0) {
        throw new AppError("bad_request:stats", problems.map((p) => p.message).join(" "), { expose: true });
      }
      const { stats } = await load(deps, filter, maxRows);
      const file = `${name}_${filter.from}_${filter.to}${filter.channel ? `_${filter.channel}` : ""}.csv`;
      noStore(res);
      res.setHeader("Content-Type", "text/csv; charset=utf-8");
      res.setHeader("Content-Disposition", `attachment; filename="${file}"`);
      res.send(
        toCsv(
          table.header,
          table.rows(stats, (id) => entryOf(id)?.title.vi ?? ""),
        ),
      );
    });
  }

  return router;
}

/** The period and channel asked for; a bad value is reported and its default used instead. */
function parseFilter(req: Request, today: string): { filter: Filter; problems: FilterProblem[] } {
  const problems: FilterProblem[] = [];
  const given = (field: FilterField): string | undefined => {
    const value = req.query[field];
    if (value === undefined || value === "") return undefined;
    if (typeof value === "string") return value.trim();
    problems.push({ field, message: `Chỉ được chọn một giá trị cho “${field}”.` });
    return undefined;
  };
  const day = (field: "from" | "to", label: string): string | undefined => {
    const value = given(field);
    if (value === undefined || isDay(value)) return value;
    problems.push({ field, message: `${label} phải là một ngày có thật, viết YYYY-MM-DD.` });
    return undefined;
  };

  const fromGiven = day("from", "Ngày bắt đầu");
  const toGiven = day("to", "Ngày kết thúc");
  let to = toGiven ?? today;
  let from = fromGiven ?? addDays(to, -(DEFAULT_DAYS - 1));
  if (from > to) {
    problems.push({ field: "from", message: "Ngày bắt đầu phải trước hoặc trùng ngày kết thúc." });
  } else if (dayCount(from, to) > MAX_DAYS) {
    problems.push({ field: "from", message: `Mỗi lần chỉ xem được tối đa ${MAX_DAYS} ngày.` });
  }
  if (problems.some((p) => p.field !== "channel")) {
    to = today;
    from = addDays(today, -(DEFAULT_DAYS - 1));
  }

  const filter: Filter = { from, to };
  const channel = given("channel");
  if (channel !== undefined) {
    if (CHANNEL_NAME.test(channel)) filter.channel = channel;
    else problems.push({ field: "channel", message: "Kênh không hợp lệ." });
  }
  return { filter, problems };
}

/** Reads the period's interactions and unhelpful feedback and computes the statistics. */
async function load(
  deps: AdminDeps,
  filter: Filter,
  maxRows: number,
): Promise<{ stats: DashboardStats; limitHit: boolean }> {
  const range = {
    since: vnDayStart(filter.from),
    until: vnDayStart(addDays(filter.to, 1)),
    ...(filter.channel === undefined ? {} : { channel: filter.channel }),
  };
  const [records, feedback] = await Promise.all([
    deps.store.listInteractions({ ...range, limit: maxRows }),
    deps.store.listFeedback({ ...range, helpful: false, limit: maxRows }),
  ]);
  // When the row limit cut the period short, unhelpful answers among the older questions still belong in
  // their table: fetch those few interactions one by one (they do not count anywhere else).
  const known = new Map(records.map((r) => [r.answerId, r]));
  const missing = feedback.filter((f) => !known.has(f.answerId));
  for (const r of await Promise.all(missing.map((f) => deps.store.getInteraction(f.answerId)))) {
    if (r) known.set(r.answerId, r);
  }
  return {
    stats: dashboardStats(records, feedback, filter, known),
    limitHit: records.length >= maxRows,
  };
}

function noStore(res: Response): void {
  res.setHeader("Cache-Control", "private, no-store");
}

const number = (n: number): string => n.toLocaleString("vi-VN");

/** "2025-03-02" → "02/03/2025". */
function dayLabel(day: string): string {
  const [y, m, d] = day.split("-");
  return `${d}/${m}/${y}`;
}

/** An instant as Vietnamese date and time: "02/03/2025 07:05". */
function timeLabel(iso: string): string {
  const vn = new Date(Date.parse(iso) + VN_OFFSET_MS).toISOString();
  return `${dayLabel(vn.slice(0, 10))} ${vn.slice(11, 16)}`;
}

const channelLabel = (channel: string): string => CHANNEL_LABELS[channel] ?? channel;

/** The filter as a query string, for the CSV links. */
function query(filter: Filter): string {
  const params = new URLSearchParams({ from: filter.from, to: filter.to });
  if (filter.channel !== undefined) params.set("channel", filter.channel);
  return params.toString();
}

/**
 * The chart data for static/dashboard.js, as JSON in a `<script type="application/json">` block: the
 * browser never runs it (the CSP allows it), and "<", ">" and "&" are escaped so that no text in it can
 * close the element.
 */
function dataIsland(stats: DashboardStats): SafeHtml {
  const data = {
    perDay: {
      labels: stats.perDay.map((d) => dayLabel(d.day).slice(0, 5)),
      values: stats.perDay.map((d) => d.count),
    },
    perChannel: {
      labels: stats.perChannel.map((c) => channelLabel(c.channel)),
      values: stats.perChannel.map((c) => c.count),
    },
  };
  const json = JSON.stringify(data).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  return html`<script type="application/json" id="stats-data">
    ${raw(json)}
  </script>`;
}

/** A data table: a caption, column headers, the first cell of each row as its row header. */
function table(caption: string, head: string[], rows: HtmlValue[][], numeric: number[] = []): SafeHtml {
  const cls = (i: number) => numeric.includes(i) && html`class="num"`;
  return html`<div class="table-wrap">
    <table>
      <caption>
        ${caption}
      </caption>
      <thead>
        <tr>
          ${head.map((h, i) => html`<th scope="col" ${cls(i)}>${h}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          (row) =>
            html`<tr>
              ${row.map((cell, i) =>
                i === 0 ? html`<th scope="row">${cell}</th>` : html`<td ${cls(i)}>${cell}</td>`,
              )}
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

function csvLink(name: keyof typeof CSV_TABLES & string, filter: Filter): SafeHtml {
  const title = CSV_TABLES[name]?.title ?? name;
  return html`<p class="csv">
    <a href="/admin/stats/${name}.csv?${query(filter)}" download
      >Tải CSV<span class="visually-hidden">: ${title}</span></a
    >
  </p>`;
}

/** "Showing 20 of 120" when a table is cut on the page. */
function cutNote(shown: number, total: number): HtmlValue {
  return (
    total > shown &&
    html`<p class="note">Đang hiển thị ${number(shown)} trên ${number(total)} dòng; tệp CSV có đầy đủ.</p>`
  );
}

const EMPTY = html`<p class="empty">Không có dữ liệu trong khoảng thời gian này.</p>`;

function dashboardPage(view: {
  req: Request;
  filter: Filter;
  problems: FilterProblem[];
  stats: DashboardStats;
  limitHit: boolean;
  maxRows: number;
  entryOf: (id: string) => ContentEntry | undefined;
}): SafeHtml {
  const { filter, problems, stats } = view;
  const problemOf = (field: FilterField) => problems.find((p) => p.field === field);
  const shownValue = (field: FilterField, fallback: string) => {
    const value = view.req.query[field];
    return problemOf(field) && typeof value === "string" ? value : fallback;
  };
  const invalid = (field: FilterField) =>
    problemOf(field) && html`aria-invalid="true" aria-describedby="filter-errors"`;
  const channels = [...new Set([...KNOWN_CHANNELS, ...stats.perChannel.map((c) => c.channel)])].filter((c) =>
    CHANNEL_NAME.test(c),
  );
  if (filter.channel !== undefined && !channels.includes(filter.channel)) channels.push(filter.channel);
  const gapCount = stats.gaps.reduce((n, g) => n + g.size, 0);

  const topQuestions = stats.topQuestions.slice(0, PAGE_ROWS.topQuestions);
  const topEntries = stats.topEntries.slice(0, PAGE_ROWS.topEntries);
  const unhelpful = stats.unhelpful.slice(0, PAGE_ROWS.unhelpful);
  const gaps = stats.gaps.slice(0, PAGE_ROWS.gaps);

  return html`<div class="dashboard">
    <h1>Câu hỏi của du khách</h1>
    <form class="filters" method="get" action="/admin">
      <div class="field">
        <label for="filter-from">Từ ngày</label>
        <input
          type="date"
          id="filter-from"
          name="from"
          value="${shownValue("from", filter.from)}"
          ${invalid("from")}
        />
      </div>
      <div class="field">
        <label for="filter-to">Đến ngày</label>
        <input type="date" id="filter-to" name="to" value="${shownValue("to", filter.to)}" ${invalid("to")} />
      </div>
      <div class="field">
        <label for="filter-channel">Kênh</label>
        <select id="filter-channel" name="channel" ${invalid("channel")}>
          <option value="">Tất cả các kênh</option>
          ${channels.map(
            (c) =>
              html`<option value="${c}" ${c === filter.channel ? html`selected` : ""}>
                ${channelLabel(c)}
              </option>`,
          )}
        </select>
      </div>
      <button type="submit">Xem</button>
    </form>
    ${
      problems.length > 0 &&
      html`<div class="error" id="filter-errors" role="alert">
        <p>Bộ lọc chưa đúng, đang hiển thị 30 ngày gần nhất:</p>
        <ul>
          ${problems.map((p) => html`<li>${p.message}</li>`)}
        </ul>
      </div>`
    }
    <p class="lead">
      ${number(stats.total)} câu hỏi từ ${dayLabel(filter.from)} đến ${dayLabel(filter.to)}
      (${filter.channel === undefined ? "mọi kênh" : `kênh ${channelLabel(filter.channel)}`}); giờ Việt Nam.
      ${number(gapCount)} câu chưa trả lời được, ${number(stats.unhelpful.length)} câu trả lời bị đánh giá
      không hữu ích.
    </p>
    ${
      view.limitHit &&
      html`<p class="note" role="status">
        Khoảng này có từ ${number(view.maxRows)} câu hỏi trở lên: chỉ ${number(view.maxRows)} câu mới nhất
        được tính, nên những ngày đầu có thể thiếu. Hãy chọn khoảng ngắn hơn để có số liệu đầy đủ.
      </p>`
    }
    ${dataIsland(stats)}

    <section aria-labelledby="h-per-day">
      <h2 id="h-per-day">Số câu hỏi mỗi ngày</h2>
      <div
        class="chart-box"
        data-chart="perDay"
        data-label="Biểu đồ cột: số câu hỏi mỗi ngày. Số liệu nằm trong bảng ngay dưới."
        hidden
      ></div>
      <details>
        <summary>Bảng số liệu theo ngày</summary>
        ${table(
          "Số câu hỏi mỗi ngày",
          ["Ngày", "Số câu hỏi"],
          stats.perDay.map((d) => [dayLabel(d.day), number(d.count)]),
          [1],
        )}
      </details>
      ${csvLink("per-day", filter)}
    </section>

    <div class="stats-pair">
      <section aria-labelledby="h-per-channel">
        <h2 id="h-per-channel">Theo kênh</h2>
        <div
          class="chart-box chart-small"
          data-chart="perChannel"
          data-label="Biểu đồ thanh: số câu hỏi theo kênh. Số liệu nằm trong bảng ngay dưới."
          hidden
        ></div>
        ${
          stats.perChannel.length === 0
            ? EMPTY
            : table(
                "Số câu hỏi theo kênh",
                ["Kênh", "Số câu hỏi", "Tỉ lệ"],
                stats.perChannel.map((c) => [
                  channelLabel(c.channel),
                  number(c.count),
                  percent(c.count, stats.total),
                ]),
                [1, 2],
              )
        }
        ${csvLink("per-channel", filter)}
      </section>

      <section aria-labelledby="h-languages">
        <h2 id="h-languages">Ngôn ngữ</h2>
        ${
          stats.languages.length === 0
            ? EMPTY
            : table(
                "Số câu hỏi theo ngôn ngữ của câu trả lời",
                ["Ngôn ngữ", "Số câu hỏi", "Tỉ lệ"],
                stats.languages.map((l) => [
                  LANGUAGE_LABELS[l.language] ?? l.language,
                  number(l.count),
                  percent(l.count, stats.total),
                ]),
                [1, 2],
              )
        }
        ${csvLink("languages", filter)}
      </section>
    </div>

    <section aria-labelledby="h-top-questions">
      <h2 id="h-top-questions">Câu hỏi thường gặp</h2>
      <p class="hint">Câu hỏi được gộp sau khi bỏ chữ hoa, dấu câu và khoảng trắng thừa.</p>
      ${
        topQuestions.length === 0
          ? EMPTY
          : table(
              "Câu hỏi được hỏi nhiều nhất",
              ["Câu hỏi", "Số lần"],
              topQuestions.map((q) => [q.question, number(q.count)]),
              [1],
            )
      }
      ${cutNote(topQuestions.length, stats.topQuestions.length)} ${csvLink("top-questions", filter)}
    </section>

    <section aria-labelledby="h-top-entries">
      <h2 id="h-top-entries">Mục nội dung được dùng nhiều nhất</h2>
      ${
        topEntries.length === 0
          ? EMPTY
          : table(
              "Mục nội dung xuất hiện trong nguồn của câu trả lời",
              ["Mục", "Mã mục", "Số câu trả lời"],
              topEntries.map((e) => {
                const entry = view.entryOf(e.entryId);
                return [
                  entry
                    ? html`<a href="${entryUrl(entry.type, e.entryId)}">${entry.title.vi}</a>`
                    : "(không còn trong nội dung)",
                  html`<code>${e.entryId}</code>`,
                  number(e.count),
                ];
              }),
              [2],
            )
      }
      ${cutNote(topEntries.length, stats.topEntries.length)} ${csvLink("top-entries", filter)}
    </section>

    <section aria-labelledby="h-unhelpful">
      <h2 id="h-unhelpful">Câu trả lời bị đánh giá không hữu ích</h2>
      ${
        unhelpful.length === 0
          ? EMPTY
          : table(
              "Câu trả lời du khách đánh giá là không hữu ích, mới nhất trước",
              ["Câu hỏi", "Thời gian hỏi", "Kênh", "Trích câu trả lời", "Góp ý"],
              unhelpful.map((u) => [
                u.question,
                html`<time datetime="${u.at}">${timeLabel(u.at)}</time>`,
                channelLabel(u.channel),
                u.answer,
                u.comment === "" ? html`<span class="muted">(không có)</span>` : u.comment,
              ]),
            )
      }
      ${cutNote(unhelpful.length, stats.unhelpful.length)} ${csvLink("unhelpful", filter)}
    </section>

    <section aria-labelledby="h-gaps">
      <h2 id="h-gaps">Câu hỏi chưa trả lời được</h2>
      <p class="hint">
        Câu hỏi ngoài phạm vi, hoặc có phần nội dung chưa có (trả lời được một phần cũng tính), gộp theo từ
        khoá giống nhau, kèm phần còn thiếu: gợi ý những mục nội dung nên viết thêm.
      </p>
      ${
        gaps.length === 0
          ? EMPTY
          : table(
              "Nhóm câu hỏi chưa trả lời được, nhóm lớn nhất trước",
              ["Câu hỏi đại diện", "Số câu", "Còn thiếu", "Các cách hỏi khác", "Nội dung"],
              gaps.map((g) => [
                g.representative,
                number(g.size),
                g.missing.length
                  ? g.missing.slice(0, 3).join("; ")
                  : html`<span class="muted">(không rõ)</span>`,
                g.variants.length > 1
                  ? html`<ul class="variants">
                      ${g.variants
                        .slice(1)
                        .map(
                          (v) => html`<li>${v.question} <span class="muted">(${number(v.count)})</span></li>`,
                        )}
                    </ul>`
                  : html`<span class="muted">(không có)</span>`,
                html`<a
                  href="/admin/entries/new?${new URLSearchParams({ "from-question": g.representative }).toString()}"
                  >Viết mục mới<span class="visually-hidden">: ${g.representative}</span></a
                >`,
              ]),
              [1],
            )
      }
      ${cutNote(gaps.length, stats.gaps.length)} ${csvLink("gaps", filter)}
    </section>
  </div>`;
}

function percent(count: number, total: number): string {
  return total === 0
    ? "0 %"
    : `${(Math.round((count / total) * 1000) / 10).toLocaleString("vi-VN", { maximumFractionDigits: 1 })} %`;
}

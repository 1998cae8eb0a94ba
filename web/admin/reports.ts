import { Router, type Request, type Response } from "express";
import { z } from "zod";
import {
  CASE_CATEGORIES,
  CASE_STATUSES,
  CATEGORY_LABEL,
  caseFigures,
  canMove,
  isOverdue,
  MAX_STAFF_TEXT,
  parseCaseCodeStrict,
  photoContentType,
  STATUS_LABEL,
  type CaseFigures,
  type CaseRecord,
  type CaseStatus,
  type ListCasesOptions,
} from "../../bot/reports/index.ts";
import { AppError } from "../../indexer/index.ts";
import type { MapOptions } from "../app.ts";
import type { ReportsWeb } from "../routes/reports.ts";
import { html, raw, type SafeHtml } from "../views/html.ts";
import { mapSection } from "../views/map.ts";
import { adminLayout } from "./layout.ts";
import { toCsv } from "./stats.ts";
import type { AdminDeps, AdminUser } from "./types.ts";

/**
 * The office's inbox of tourist reports at /admin/reports: the list with filters (status, category,
 * place, age) and overdue marks, a case's page (map, photo for staff only, the report's conversation,
 * internal notes, history, delivery of replies), status changes, assignment, notes, replies, and the
 * CSV export. Viewers read, editors change; every read and change goes to the audit log.
 */

export type ReportsAdminDeps = {
  web: ReportsWeb;
  /** The staff accounts a case can be assigned to (read per request: another replica may add one). */
  staff: () => Promise<string[]>;
  map?: MapOptions;
};

const AGES = {
  "": "Mọi lúc",
  d1: "Dưới 1 ngày",
  d3: "1–3 ngày",
  d7: "3–7 ngày",
  old: "Trên 7 ngày",
} as const;
type Age = keyof typeof AGES;
const DAY = 86_400_000;

const listQuery = z.object({
  status: z.enum(CASE_STATUSES).optional().catch(undefined),
  category: z.enum(CASE_CATEGORIES).optional().catch(undefined),
  place: z.string().max(100).optional().catch(undefined),
  age: z.enum(["", "d1", "d3", "d7", "old"]).optional().catch(undefined),
  overdue: z.enum(["1"]).optional().catch(undefined),
});
type ListQuery = z.infer<typeof listQuery>;

const statusForm = z.object({ status: z.enum(CASE_STATUSES), reason: z.string().max(500).optional() });
const assignForm = z.object({ assignee: z.string().max(100) });
const textForm = z.object({ text: z.string().max(MAX_STAFF_TEXT * 2) });

const when = (iso: string) => iso.replace("T", " ").slice(0, 16);

/** The list's filters as store options and the extra ones applied here. */
function selection(q: ListQuery, now: Date): ListCasesOptions {
  const t = now.getTime();
  const window: Record<Age, { since?: number; until?: number }> = {
    "": {},
    d1: { since: t - DAY },
    d3: { since: t - 3 * DAY, until: t - DAY },
    d7: { since: t - 7 * DAY, until: t - 3 * DAY },
    old: { until: t - 7 * DAY },
  };
  const w = window[(q.age ?? "") as Age];
  return {
    ...(q.status ? { status: q.status } : {}),
    ...(q.category ? { category: q.category } : {}),
    ...(q.place?.trim() ? { place: q.place.trim() } : {}),
    ...(w.since !== undefined ? { since: new Date(w.since).toISOString() } : {}),
    ...(w.until !== undefined ? { until: new Date(w.until).toISOString() } : {}),
    limit: Number.MAX_SAFE_INTEGER,
  };
}

function queryString(q: ListQuery): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v) p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : "";
}

export function reportsAdminRouter(deps: AdminDeps, r: ReportsAdminDeps): Router {
  const router = Router();
  const viewer = deps.auth.require("viewer");
  const editor = deps.auth.require("editor");
  const { store } = deps;
  const { office, photos } = r.web;
  const userOf = (res: Response) => (res.locals.adminUser as AdminUser).name;
  const page = (
    res: Response,
    title: string,
    main: SafeHtml,
    extra: { map?: boolean; scripts?: string[] } = {},
  ) =>
    res
      .set("Cache-Control", "no-store")
      .type("html")
      .send(
        adminLayout(
          {
            title,
            section: "reports",
            user: res.locals.adminUser as AdminUser,
            csrfToken: res.locals.csrfToken as string,
            ...extra,
          },
          main,
        ),
      );

  async function listed(req: Request) {
    const q = listQuery.parse(req.query);
    const now = deps.clock.now();
    let cases = await store.listCases(selection(q, now));
    if (q.overdue) cases = cases.filter((c) => isOverdue(c, now) && !c.closedAt);
    return { q, cases, now };
  }

  router.get("/reports", viewer, async (req, res) => {
    const { q, cases, now } = await listed(req);
    await deps.audit.record({ user: userOf(res), action: "cases.list", detail: queryString(q) || "(all)" });
    const option = (value: string, label: string, current: string | undefined) =>
      html`<option value="${value}" ${value === (current ?? "") ? html`selected` : ""}>${label}</option>`;
    const main = html`<h1>Phản ánh của du khách</h1>
      <form class="filters" method="get" action="/admin/reports">
        <label
          >Trạng thái
          <select name="status">
            ${option("", "Tất cả", q.status)}
            ${CASE_STATUSES.map((s) => option(s, STATUS_LABEL[s].vi, q.status))}
          </select></label
        >
        <label
          >Loại
          <select name="category">
            ${option("", "Tất cả", q.category)}
            ${CASE_CATEGORIES.map((c) => option(c, CATEGORY_LABEL[c].vi, q.category))}
          </select></label
        >
        <label>Địa điểm <input name="place" value="${q.place ?? ""}" maxlength="100" /></label>
        <label
          >Thời gian
          <select name="age">
            ${Object.entries(AGES).map(([k, v]) => option(k, v, q.age))}
          </select></label
        >
        <label
          ><input type="checkbox" name="overdue" value="1" ${q.overdue ? html`checked` : ""} /> Chỉ quá
          hạn</label
        >
        <button type="submit">Lọc</button>
      </form>
      <p><a href="/admin/reports.csv${queryString(q)}">Tải CSV (${cases.length} phản ánh)</a></p>
      <table class="admin-table cases">
        <caption>
          ${cases.length} phản ánh, mới nhất trước
        </caption>
        <thead>
          <tr>
            <th scope="col">Mã</th>
            <th scope="col">Gửi lúc (UTC)</th>
            <th scope="col">Loại</th>
            <th scope="col">Địa điểm</th>
            <th scope="col">Trạng thái</th>
            <th scope="col">Hạn xử lý</th>
            <th scope="col">Người phụ trách</th>
            <th scope="col">Kênh</th>
          </tr>
        </thead>
        <tbody>
          ${cases.map((c) => {
            const late = isOverdue(c, now) && !c.closedAt;
            return html`<tr ${late ? html`class="overdue"` : ""}>
              <th scope="row"><a href="/admin/reports/${c.code}">${c.code}</a></th>
              <td>${when(c.createdAt)}</td>
              <td>${CATEGORY_LABEL[c.category].vi}</td>
              <td>${placeText(c)}</td>
              <td>${STATUS_LABEL[c.status].vi}</td>
              <td>${when(c.dueAt)} ${late ? html`<strong class="badge-overdue">Quá hạn</strong>` : ""}</td>
              <td>${c.assignee ?? "–"}</td>
              <td>${c.channel}</td>
            </tr>`;
          })}
        </tbody>
      </table>`;
    page(res, "Phản ánh", main);
  });

  router.get("/reports.csv", viewer, async (req, res) => {
    const { q, cases, now } = await listed(req);
    await deps.audit.record({ user: userOf(res), action: "cases.export", detail: queryString(q) || "(all)" });
    // No chat ids, reporter hashes, tokens or conversations: the export leaves the office.
    const header = [
      "code",
      "created_at",
      "category",
      "status",
      "reason",
      "place",
      "lat",
      "lng",
      "when",
      "description",
      "due_at",
      "overdue",
      "closed_at",
      "assignee",
      "channel",
      "photo",
    ];
    const rows = cases.map((c) => [
      c.code,
      c.createdAt,
      c.category,
      c.status,
      c.reason ?? "",
      placeText(c),
      c.place?.lat ?? "",
      c.place?.lng ?? "",
      c.when ?? "",
      c.description,
      c.dueAt,
      isOverdue(c, now) ? "yes" : "no",
      c.closedAt ?? "",
      c.assignee ?? "",
      c.channel,
      c.photo ? "yes" : "no",
    ]);
    res
      .set("Cache-Control", "no-store")
      .type("text/csv; charset=utf-8")
      .attachment("phan-anh.csv")
      .send(toCsv(header, rows));
  });

  async function caseOf(req: Request): Promise<CaseRecord> {
    const code = parseCaseCodeStrict(String(req.params.code));
    const c = code ? await store.getCase(code) : undefined;
    if (!c) throw new AppError("not_found:case", "no such report", { expose: true });
    return c;
  }

  router.get("/reports/:code", viewer, async (req, res) => {
    const c = await caseOf(req);
    await deps.audit.record({ user: userOf(res), action: "case.view", target: c.code });
    const events = await store.listCaseEvents(c.code);
    const deliveries = new Map<string, string>();
    for (const e of events)
      if (e.kind === "reply" && e.detail) {
        const d = await office.deliveryOf(e.detail);
        deliveries.set(e.detail, d ? deliveryText(d.status, d.reason) : "chưa rõ");
      }
    const now = deps.clock.now();
    const canEdit = (res.locals.adminUser as AdminUser).role === "editor";
    const staff = canEdit ? await r.staff() : [];
    const csrf = html`<input type="hidden" name="_csrf" value="${res.locals.csrfToken as string}" />`;
    const point =
      c.place?.lat !== undefined && c.place.lng !== undefined
        ? [
            {
              lat: c.place.lat,
              lng: c.place.lng,
              name: c.place.name ?? `${c.place.lat}, ${c.place.lng}`,
              href: `https://www.openstreetmap.org/?mlat=${c.place.lat}&mlon=${c.place.lng}#map=17/${c.place.lat}/${c.place.lng}`,
              approximate: false,
            },
          ]
        : [];
    const ctx = {
      lang: "vi" as const,
      path: `/admin/reports/${c.code}`,
      canonicalQuery: "",
      query: "",
      today: now.toISOString().slice(0, 10),
      ...(r.map ? { map: r.map } : {}),
    };
    const late = isOverdue(c, now) && !c.closedAt;
    const nextStatuses = CASE_STATUSES.filter((s) => canMove(c.status, s));
    const main = html`<p><a href="/admin/reports">← Danh sách phản ánh</a></p>
      <h1>Phản ánh ${c.code}</h1>
      <dl class="facts case-facts">
        <dt>Trạng thái</dt>
        <dd>
          <strong>${STATUS_LABEL[c.status].vi}</strong>${c.reason ? html` (lý do: ${c.reason})` : ""}
          ${late ? html`<strong class="badge-overdue">Quá hạn</strong>` : ""}
        </dd>
        <dt>Loại</dt>
        <dd>${CATEGORY_LABEL[c.category].vi}</dd>
        <dt>Gửi lúc (UTC)</dt>
        <dd>${when(c.createdAt)} qua ${c.channel} (${c.lang === "vi" ? "tiếng Việt" : "tiếng Anh"})</dd>
        <dt>Hạn xử lý (UTC)</dt>
        <dd>${when(c.dueAt)}</dd>
        <dt>Địa điểm</dt>
        <dd>${placeText(c) || "Không rõ"}</dd>
        <dt>Thời gian xảy ra</dt>
        <dd>${c.when ?? "Không rõ"}</dd>
        <dt>Người phụ trách</dt>
        <dd>${c.assignee ?? "Chưa giao"}</dd>
        <dt>Mô tả</dt>
        <dd class="case-description">${c.description}</dd>
        <dt>Liên lạc với người gửi</dt>
        <dd>${c.conversationId ? "Còn (trả lời được)" : "Đã xóa theo thời hạn lưu trữ"}</dd>
      </dl>
      ${mapSection(ctx, point, { id: "case-map", heading: "Vị trí trên bản đồ", small: true })}
      ${
        c.photo
          ? html`<section aria-labelledby="photo-heading">
              <h2 id="photo-heading">Ảnh</h2>
              <img
                class="case-photo"
                src="/admin/reports/${c.code}/photo"
                alt="Ảnh người gửi kèm phản ánh ${c.code}"
              />
            </section>`
          : ""
      }
      <section aria-labelledby="conv-heading">
        <h2 id="conv-heading">Hội thoại của phản ánh</h2>
        <ol class="case-transcript">
          ${c.transcript.map(
            (l) =>
              html`<li class="line-${l.from}">
                <span class="who">${l.from === "user" ? "Du khách" : "Trợ lý / cơ quan"}</span>
                <span class="muted">${when(l.at)}</span>
                <p>${l.text}</p>
              </li>`,
          )}
        </ol>
      </section>
      <section aria-labelledby="history-heading">
        <h2 id="history-heading">Lịch sử và ghi chú nội bộ</h2>
        <ol class="case-history">
          ${events.map(
            (e) =>
              html`<li>
                <span class="muted">${when(e.at)}</span> <strong>${e.by}</strong>:
                ${eventText(e.kind, e.detail)} ${e.text ? html`<p>${e.text}</p>` : ""}
                ${
                  e.kind === "reply" && e.detail
                    ? html`<p class="delivery">Gửi tới du khách: ${deliveries.get(e.detail) ?? ""}</p>`
                    : ""
                }
              </li>`,
          )}
        </ol>
      </section>
      ${
        canEdit
          ? html`<section aria-labelledby="act-heading" class="case-actions">
              <h2 id="act-heading">Xử lý</h2>
              ${
                nextStatuses.length
                  ? html`<form method="post" action="/admin/reports/${c.code}/status">
                      ${csrf}
                      <label
                        >Chuyển trạng thái
                        <select name="status">
                          ${nextStatuses.map((s) => html`<option value="${s}">${STATUS_LABEL[s].vi}</option>`)}
                        </select></label
                      >
                      <label>Lý do (bắt buộc khi không xử lý) <input name="reason" maxlength="500" /></label>
                      <button type="submit">Lưu trạng thái</button>
                    </form>`
                  : ""
              }
              <form method="post" action="/admin/reports/${c.code}/assign">
                ${csrf}
                <label
                  >Giao cho
                  <select name="assignee">
                    <option value="">(không ai)</option>
                    ${staff.map(
                      (n) =>
                        html`<option value="${n}" ${n === c.assignee ? html`selected` : ""}>${n}</option>`,
                    )}
                  </select></label
                >
                <button type="submit">Giao việc</button>
              </form>
              <form method="post" action="/admin/reports/${c.code}/reply">
                ${csrf}
                <label
                  >Trả lời du khách (gửi qua ${c.channel})
                  <textarea name="text" rows="4" maxlength="${MAX_STAFF_TEXT}" required></textarea>
                </label>
                <button type="submit" ${c.conversationId ? "" : html`disabled`}>Gửi trả lời</button>
              </form>
              <form method="post" action="/admin/reports/${c.code}/note">
                ${csrf}
                <label
                  >Ghi chú nội bộ (du khách không thấy)
                  <textarea name="text" rows="3" maxlength="${MAX_STAFF_TEXT}" required></textarea>
                </label>
                <button type="submit">Lưu ghi chú</button>
              </form>
            </section>`
          : ""
      }`;
    page(res, `Phản ánh ${c.code}`, main, { map: point.length > 0 && r.map !== undefined });
  });

  router.get("/reports/:code/photo", viewer, async (req, res) => {
    const c = await caseOf(req);
    const bytes = c.photo ? await photos.read(c.photo) : undefined;
    if (!c.photo || !bytes) throw new AppError("not_found:photo", "no photo", { expose: true });
    await deps.audit.record({ user: userOf(res), action: "case.photo", target: c.code });
    res
      .set({
        "Cache-Control": "private, no-store",
        "Content-Type": photoContentType(c.photo),
        "X-Content-Type-Options": "nosniff",
        "Content-Disposition": "inline",
      })
      .send(Buffer.from(bytes));
  });

  const back = (res: Response, code: string) => res.redirect(303, `/admin/reports/${code}`);
  const formOf = <T>(schema: z.ZodType<T>, req: Request, what: string): T => {
    const parsed = schema.safeParse(req.body ?? {});
    if (!parsed.success) throw new AppError(`bad_request:${what}`, "the form is not valid", { expose: true });
    return parsed.data;
  };

  router.post("/reports/:code/status", editor, async (req, res) => {
    const c = await caseOf(req);
    const f = formOf(statusForm, req, "case_status");
    await office.setStatus(c.code, f.status as CaseStatus, userOf(res), f.reason);
    await deps.audit.record({
      user: userOf(res),
      action: "case.status",
      target: c.code,
      detail: `${c.status} → ${f.status}${f.reason ? `: ${f.reason}` : ""}`,
    });
    back(res, c.code);
  });

  router.post("/reports/:code/assign", editor, async (req, res) => {
    const c = await caseOf(req);
    const f = formOf(assignForm, req, "case_assign");
    const assignee = f.assignee.trim();
    if (assignee && !(await r.staff()).includes(assignee))
      throw new AppError("bad_request:case_assign", "no such staff account", { expose: true });
    await office.assign(c.code, assignee || undefined, userOf(res));
    await deps.audit.record({
      user: userOf(res),
      action: "case.assign",
      target: c.code,
      detail: assignee || "(none)",
    });
    back(res, c.code);
  });

  router.post("/reports/:code/note", editor, async (req, res) => {
    const c = await caseOf(req);
    const f = formOf(textForm, req, "case_note");
    await office.note(c.code, f.text, userOf(res));
    await deps.audit.record({ user: userOf(res), action: "case.note", target: c.code });
    back(res, c.code);
  });

  router.post("/reports/:code/reply", editor, async (req, res) => {
    const c = await caseOf(req);
    const f = formOf(textForm, req, "case_reply");
    const result = await office.reply(c.code, f.text, userOf(res));
    await deps.audit.record({
      user: userOf(res),
      action: "case.reply",
      target: c.code,
      detail: `${result.status}${result.reason ? `: ${result.reason}` : ""}`,
    });
    back(res, c.code);
  });

  return router;
}

function placeText(c: CaseRecord): string {
  const p = c.place;
  if (!p) return "";
  const parts = [p.name, p.text && p.text !== p.name ? p.text : undefined].filter(Boolean);
  if (parts.length === 0 && p.lat !== undefined) return `${p.lat}, ${p.lng}`;
  return parts.join(" – ");
}

function eventText(kind: string, detail: string | undefined): string {
  switch (kind) {
    case "created":
      return "gửi phản ánh";
    case "status":
      return `chuyển trạng thái: ${STATUS_LABEL[detail as CaseStatus]?.vi ?? detail}`;
    case "assign":
      return detail ? `giao cho ${detail}` : "bỏ giao việc";
    case "note":
      return "ghi chú nội bộ";
    case "reply":
      return "trả lời du khách";
    default:
      return kind;
  }
}

function deliveryText(status: string, reason?: string): string {
  const label: Record<string, string> = {
    sent: "đã gửi",
    held: "đang chờ (ngoài khung trả lời của Zalo OA; gửi khi du khách nhắn lại)",
    pending: "đang thử lại",
    failed: "không gửi được",
  };
  return `${label[status] ?? status}${reason && status !== "sent" ? ` – ${reason}` : ""}`;
}

/** The figures for the admin dashboard's charts, as JSON for a data island. */
export function figuresIsland(f: CaseFigures): SafeHtml {
  const months = [...f.months].reverse();
  const data = {
    perMonth: {
      labels: months.map((m) => m.month),
      series: CASE_CATEGORIES.map((c) => ({
        label: CATEGORY_LABEL[c].vi,
        values: months.map((m) => m.byCategory[c]),
      })),
    },
    resolved: {
      labels: months.map((m) => m.month),
      values: months.map((m) => m.resolved),
      overdue: months.map((m) => m.overdue),
    },
  };
  const json = JSON.stringify(data).replace(
    /[<>&\u2028\u2029]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  return html`<script type="application/json" id="reports-data">
    ${raw(json)}
  </script>`;
}

/** The reports section of the admin dashboard: the summary, the charts (with their tables). */
export async function reportsDashboardSection(deps: AdminDeps): Promise<SafeHtml> {
  const f = caseFigures(await deps.store.listCases({ limit: Number.MAX_SAFE_INTEGER }), deps.clock.now());
  const pct = `${Math.round(f.resolvedShare * 1000) / 10}%`;
  return html`<section aria-labelledby="reports-heading" class="reports-figures">
    <h2 id="reports-heading">Phản ánh của du khách</h2>
    <p>
      ${f.total} phản ánh; đã giải quyết ${f.resolved} (${pct}); thời gian giải quyết trung vị
      ${f.medianHoursToResolve === undefined ? "–" : `${f.medianHoursToResolve} giờ`}; đang mở ${f.open}, quá
      hạn ${f.openOverdue}. <a href="/admin/reports">Mở hộp phản ánh</a> ·
      <a href="/phan-anh">Trang công bố</a>
    </p>
    <div
      class="chart-box"
      data-reports-chart="perMonth"
      data-label="Số phản ánh mỗi tháng theo loại"
      hidden
    ></div>
    <div
      class="chart-box chart-small"
      data-reports-chart="resolved"
      data-label="Đã giải quyết và quá hạn mỗi tháng"
      hidden
    ></div>
    <div class="table-wrap">
      <table>
        <caption>
          Phản ánh mỗi tháng
        </caption>
        <thead>
          <tr>
            <th scope="col">Tháng</th>
            ${CASE_CATEGORIES.map((c) => html`<th scope="col" class="num">${CATEGORY_LABEL[c].vi}</th>`)}
            <th scope="col" class="num">Tổng</th>
            <th scope="col" class="num">Đã giải quyết</th>
            <th scope="col" class="num">Trung vị (giờ)</th>
            <th scope="col" class="num">Quá hạn</th>
          </tr>
        </thead>
        <tbody>
          ${f.months.map(
            (m) =>
              html`<tr>
                <th scope="row">${m.month}</th>
                ${CASE_CATEGORIES.map((c) => html`<td class="num">${m.byCategory[c]}</td>`)}
                <td class="num">${m.total}</td>
                <td class="num">${m.resolved}</td>
                <td class="num">${m.medianHoursToResolve ?? "–"}</td>
                <td class="num">${m.overdue}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
    ${figuresIsland(f)}
  </section>`;
}

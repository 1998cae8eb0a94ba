import { ENTRY_TYPES, type EntryType } from "../../../indexer/index.ts";
import { html } from "../../views/html.ts";
import { typeLabel } from "../../views/parts.ts";
import { adminLayout } from "../layout.ts";
import type { AdminUser } from "../types.ts";

/** The list of entries: search, filters, and how long ago each was last checked. */

export type EntryListRow = {
  id: string;
  type: EntryType;
  file: string;
  title: { vi: string; en: string };
  lastVerified?: string;
  /** Days since lastVerified. */
  ageDays?: number;
  /** Problems the file has on its own (0 for a valid file). */
  problems: number;
  /** False for a file whose name is not a valid id (it cannot be opened here). */
  editable: boolean;
};

export type EntryListFilters = { q: string; type: string; tag: string; lang: string; sort: string };

export type EntryListData = {
  rows: EntryListRow[];
  total: number;
  filters: EntryListFilters;
  tags: string[];
  user: AdminUser;
  csrfToken: string;
  canEdit: boolean;
  notice?: string;
};

/** An entry not checked for this many days is marked. */
const STALE_DAYS = 180;

function option(value: string, label: string, current: string) {
  return html`<option value="${value}"${value === current ? html` selected` : ""}>${label}</option>`;
}

/** The page. */
export function entryListPage(d: EntryListData): string {
  const f = d.filters;
  const main = html`<div class="editor">
    <h1>Nội dung</h1>
    ${d.notice ? html`<p class="notice" role="status">${d.notice}</p>` : ""}
    ${
      d.canEdit
        ? html`<p class="new-entry">
            Thêm mục mới:
            ${ENTRY_TYPES.map(
              (t, i) =>
                html`${i ? " · " : ""}<a href="/admin/entries/new?type=${t}">${typeLabel(t, "vi")}</a>`,
            )}
          </p>`
        : ""
    }
    <form method="get" action="/admin/entries" class="filters" role="search">
      <div class="field">
        <label for="f-q">Tìm</label>
        <input type="search" id="f-q" name="q" value="${f.q}" aria-describedby="f-q-hint" />
        <p class="hint" id="f-q-hint">Theo id và tiêu đề; chọn một ngôn ngữ để tìm trong toàn bộ nội dung của ngôn ngữ đó.</p>
      </div>
      <div class="field">
        <label for="f-lang">Tìm trong</label>
        <select id="f-lang" name="lang">
          ${option("", "Id và tiêu đề", f.lang)} ${option("vi", "Nội dung tiếng Việt", f.lang)}
          ${option("en", "Nội dung tiếng Anh", f.lang)}
        </select>
      </div>
      <div class="field">
        <label for="f-type">Loại</label>
        <select id="f-type" name="type">
          ${option("", "Tất cả", f.type)} ${ENTRY_TYPES.map((t) => option(t, typeLabel(t, "vi"), f.type))}
        </select>
      </div>
      <div class="field">
        <label for="f-tag">Thẻ</label>
        <select id="f-tag" name="tag">
          ${option("", "Tất cả", f.tag)} ${d.tags.map((t) => option(t, t, f.tag))}
        </select>
      </div>
      <div class="field">
        <label for="f-sort">Sắp xếp</label>
        <select id="f-sort" name="sort">
          ${option("", "Theo loại và id", f.sort)} ${option("age", "Lâu chưa kiểm tra nhất trước", f.sort)}
        </select>
      </div>
      <button type="submit">Lọc</button>
    </form>
    <p id="count">${d.rows.length === d.total ? `${d.total} mục` : `${d.rows.length} / ${d.total} mục`}</p>
    ${
      d.rows.length
        ? html`<table class="entries" aria-describedby="count">
            <thead>
              <tr>
                <th scope="col">Mục</th>
                <th scope="col">Loại</th>
                <th scope="col">Kiểm tra lần cuối</th>
                <th scope="col"><span class="visually-hidden">Thao tác</span></th>
              </tr>
            </thead>
            <tbody>
              ${d.rows.map(
                (r) =>
                  html`<tr data-id="${r.id}">
                    <td>
                      <span lang="vi">${r.title.vi || r.id}</span><br /><span class="muted" lang="en">${r.title.en}</span
                      ><br /><code>${r.id}</code>
                      ${r.problems ? html`<strong class="bad"> · ${r.problems} lỗi</strong>` : ""}
                    </td>
                    <td>${typeLabel(r.type, "vi")}</td>
                    <td class="age${r.ageDays !== undefined && r.ageDays > STALE_DAYS ? " stale" : ""}">
                      ${
                        r.lastVerified
                          ? html`<time datetime="${r.lastVerified}">${r.lastVerified}</time><br /><span class="days"
                                >${r.ageDays ?? 0} ngày trước</span
                              >`
                          : html`<span class="bad">chưa có</span>`
                      }
                    </td>
                    <td>
                      ${
                        r.editable
                          ? html`<a href="/admin/entries/${r.id}/edit">${d.canEdit ? "Sửa" : "Xem"}</a> ·
                              <a href="/admin/entries/${r.id}/preview">Xem trước</a>`
                          : html`<span class="muted">sửa tay tệp ${r.file}</span>`
                      }
                    </td>
                  </tr>`,
              )}
            </tbody>
          </table>`
        : html`<p>Không có mục nào khớp. <a href="/admin/entries">Xem tất cả</a></p>`
    }
  </div>`;
  return adminLayout({ title: "Nội dung", section: "entries", user: d.user, csrfToken: d.csrfToken }, main);
}

import { diffLines, ENTRY_TYPES, type EntryType } from "../../../indexer/index.ts";
import { html, type SafeHtml } from "../../views/html.ts";
import { typeLabel } from "../../views/parts.ts";
import { adminLayout } from "../layout.ts";
import type { AdminUser } from "../types.ts";

/** The editor's smaller pages: a message, the type chooser, a conflict, deleting, an uploaded image. */

type PageUser = { user?: AdminUser; csrfToken?: string };

function page(title: string, who: PageUser, main: SafeHtml): string {
  return adminLayout(
    {
      title,
      section: "entries",
      ...(who.user ? { user: who.user } : {}),
      ...(who.csrfToken ? { csrfToken: who.csrfToken } : {}),
    },
    html`<div class="editor">${main}</div>`,
  );
}

/** A page with a heading, a message and a way back (errors: bad id, not found, refused upload). */
export function messagePage(
  who: PageUser,
  title: string,
  message: string,
  back: { href: string; label: string } = { href: "/admin/entries", label: "Về danh sách nội dung" },
): string {
  return page(
    title,
    who,
    html`<h1>${title}</h1>
      <p>${message}</p>
      <p><a href="${back.href}">${back.label}</a></p>`,
  );
}

/** Which kind of entry to create. */
export function typeChooserPage(who: PageUser): string {
  return page(
    "Mục mới",
    who,
    html`<p class="crumbs"><a href="/admin/entries">Nội dung</a></p>
      <h1>Mục mới</h1>
      <p>Chọn loại mục:</p>
      <ul>
        ${ENTRY_TYPES.map((t) => html`<li><a href="/admin/entries/new?type=${t}">${typeLabel(t, "vi")}</a></li>`)}
      </ul>`,
  );
}

/**
 * Someone saved the entry after this form was opened: both versions side by side, what saving would change
 * in the current file, and the form again (with the current version) so the writer can merge by hand.
 */
export function conflictSection(current: string, yours: string): SafeHtml {
  const diff = diffLines(current, yours).filter((d, i, all) => {
    // Changed lines with two lines of context around them.
    if (d.op !== "same") return true;
    return all.slice(Math.max(0, i - 2), i + 3).some((n) => n.op !== "same");
  });
  return html`<section class="conflict" aria-labelledby="h-conflict" role="alert">
    <h2 id="h-conflict">Có người khác đã lưu mục này trước bạn</h2>
    <p>
      Thay đổi của bạn <strong>chưa được lưu</strong>, để không ghi đè lên bản của người kia. Hãy xem hai bản dưới
      đây, sửa lại biểu mẫu (đang giữ những gì bạn đã nhập) rồi lưu lại nếu vẫn muốn.
    </p>
    <h3>Nếu lưu biểu mẫu này, tệp hiện tại sẽ thay đổi như sau</h3>
    ${
      diff.length
        ? html`<pre class="diff">${diff.map(
            (d) =>
              html`<span class="${d.op}">${d.op === "add" ? "+ " : d.op === "del" ? "- " : "  "}${d.text}</span>\n`,
          )}</pre>`
        : html`<p>Không khác gì: bản hiện tại đã giống bản của bạn.</p>`
    }
    <div class="versions">
      <section aria-labelledby="h-theirs">
        <h3 id="h-theirs">Bản hiện tại (đã lưu)</h3>
        <pre class="file">${current}</pre>
      </section>
      <section aria-labelledby="h-yours">
        <h3 id="h-yours">Bản của bạn (chưa lưu)</h3>
        <pre class="file">${yours}</pre>
      </section>
    </div>
  </section>`;
}

export type Reference = { id: string; title: string; field: "related" | "venues" };

/** The confirmation before deleting, or why the entry cannot be deleted yet. */
export function deletePage(
  who: Required<PageUser>,
  d: { id: string; type: EntryType; title: string; file: string; version: string; references: Reference[] },
): string {
  const refs = d.references;
  return page(
    `Xóa: ${d.title}`,
    who,
    html`<p class="crumbs"><a href="/admin/entries">Nội dung</a> › <a href="/admin/entries/${d.id}/edit">${d.title}</a></p>
      <h1>Xóa “${d.title}”?</h1>
      <p>Tệp <code>${d.file}</code> (${typeLabel(d.type, "vi")}).</p>
      ${
        refs.length
          ? html`<div class="error-summary" role="alert">
              <h2>Chưa xóa được: ${refs.length} mục khác đang liên kết đến mục này</h2>
              <p>Hãy bỏ id <code>${d.id}</code> khỏi các mục sau trước:</p>
              <ul>
                ${refs.map(
                  (r) =>
                    html`<li>
                      <a href="/admin/entries/${r.id}/edit">${r.title}</a> (<code>${r.id}</code>, trong
                      ${r.field === "related" ? "mục liên quan" : "địa điểm của lễ hội"})
                    </li>`,
                )}
              </ul>
            </div>`
          : html`<p>Mục sẽ bị xóa khỏi nội dung và khỏi trang sau lần xuất bản tới. Không hoàn tác được ở đây.</p>
              <form method="post" action="/admin/entries/${d.id}/delete">
                <input type="hidden" name="_csrf" value="${who.csrfToken}" />
                <input type="hidden" name="version" value="${d.version}" />
                <button type="submit" class="danger">Xóa vĩnh viễn</button>
                <a href="/admin/entries/${d.id}/edit">Không, quay lại</a>
              </form>`
      }`,
  );
}

/** After an upload: the image's address to paste into the body. */
export function uploadedPage(who: Required<PageUser>, d: { id: string; url: string }): string {
  return page(
    "Đã tải ảnh lên",
    who,
    html`<h1>Đã tải ảnh lên</h1>
      <p role="status">Địa chỉ của ảnh (chép vào nội dung):</p>
      <p><code class="url">${d.url}</code></p>
      <p><img src="${d.url}" alt="Ảnh vừa tải lên" class="uploaded" /></p>
      <p><a href="/admin/entries/${d.id}/edit">Quay lại trang sửa</a></p>`,
  );
}

/** The saved entry as the portal shows it, or why it cannot be shown. */
export function previewPage(
  who: Required<PageUser>,
  d: { id: string; title: string; preview?: SafeHtml; problems: string[] },
): string {
  return page(
    `Xem trước: ${d.title}`,
    who,
    html`<p class="crumbs"><a href="/admin/entries">Nội dung</a> › <a href="/admin/entries/${d.id}/edit">${d.title}</a></p>
      <h1>Xem trước: ${d.title}</h1>
      ${
        d.preview ??
        html`<div class="error-summary" role="alert">
          <h2>Tệp đang có lỗi, chưa xem trước được</h2>
          <ul>
            ${d.problems.map((p) => html`<li>${p}</li>`)}
          </ul>
        </div>`
      }`,
  );
}

import { Router, type Request, type Response } from "express";
import {
  AppError,
  ENTRY_TYPES,
  entryFileOf,
  findEntryFile,
  fold,
  formatProblem,
  isEntryId,
  newEntryFile,
  readEntryFiles,
  vietnamToday,
  readEntryParts,
  removeEntryFile,
  updateEntryFile,
  validateEntryText,
  writeEntryFile,
  type ContentEntry,
  type EntryFile,
  type EntryType,
} from "../../indexer/index.ts";
import { html } from "../views/html.ts";
import { buildChanges, formValuesFrom, formValuesOf } from "./entry-form.ts";
import type { AdminDeps, AdminUser } from "./types.ts";
import { imageProblem, listImages, storeImage, type ReceivedForm } from "./uploads.ts";
import { entryFormPage, type EntryFormData, type ShownProblem } from "./views/entry-form.ts";
import { entryListPage, type EntryListRow } from "./views/entry-list.ts";
import {
  conflictSection,
  deletePage,
  messagePage,
  previewPage,
  typeChooserPage,
  uploadedPage,
  type Reference,
} from "./views/entry-pages.ts";
import { entryPreview } from "./views/entry-preview.ts";

/**
 * The content editor at /admin/entries: list, edit form, preview, new entries, deleting and images.
 * Viewers read; editors change. A save is checked like `npm run content:check` before anything is
 * written, refused when someone saved the file since the form was opened, written atomically, audited,
 * and followed by a publish in the background.
 */

const NOTICES: Record<string, string> = {
  saved: "Đã lưu; đang xuất bản…",
  created: "Đã tạo mục; đang xuất bản…",
  deleted: "Đã xóa mục; đang xuất bản…",
  unchanged: "Không có thay đổi nào để lưu.",
};

/** Longest visitor question used to pre-fill a new entry. */
const MAX_QUESTION = 300;

type Who = { user: AdminUser; csrfToken: string };

/** The editor's routes; mounted under /admin by adminRouter. */
export function editorRouter(deps: AdminDeps): Router {
  const router = Router();
  const viewer = deps.auth.require("viewer");
  const editor = deps.auth.require("editor");
  const root = deps.contentDir;
  // The day the content checks take as today (indexer/content/load.ts), so a new entry is never "in the future".
  const today = () => vietnamToday(deps.clock.now());
  const serialised = keyedQueue();

  const who = (res: Response): Who => ({
    user: res.locals.adminUser as AdminUser,
    csrfToken: String(res.locals.csrfToken ?? ""),
  });

  /** The entry of `:id`, or undefined after answering 400 (not an id) or 404 (no such entry). */
  async function entryOf(req: Request, res: Response): Promise<EntryFile | undefined> {
    const id = String(req.params.id ?? "");
    if (!isEntryId(id)) {
      send(
        res,
        400,
        messagePage(who(res), "Id không hợp lệ", "Id chỉ gồm chữ thường không dấu, số và dấu gạch ngang."),
      );
      return undefined;
    }
    const found = await findEntryFile(root, id);
    if (!found)
      send(res, 404, messagePage(who(res), "Không tìm thấy mục", `Không có mục nào có id “${id}”.`));
    return found;
  }

  function audit(res: Response, action: string, target: string, detail?: string): Promise<void> {
    return deps.audit
      .record({ user: who(res).user.name, action, target, ...(detail ? { detail } : {}) })
      .catch((err: unknown) => deps.log.error({ err, action, target }, "audit record failed"));
  }

  /** Starts a publish and does not wait for it: the page says it is under way, /admin/publish shows how it went. */
  function publishInBackground(reason: string): void {
    deps.publisher.publish(reason).catch((err: unknown) => deps.log.error({ err, reason }, "publish failed"));
  }

  function formPage(
    res: Response,
    status: number,
    d: Omit<EntryFormData, "user" | "csrfToken" | "canEdit"> & { canEdit?: boolean },
  ) {
    const w = who(res);
    send(res, status, entryFormPage({ ...d, ...w, canEdit: d.canEdit ?? w.user.role === "editor" }));
  }

  router.get("/entries", viewer, async (req, res) => {
    const files = await readEntryFiles(root);
    const filters = {
      q: queryOf(req, "q").trim().slice(0, 200),
      type: queryOf(req, "type"),
      tag: queryOf(req, "tag"),
      lang: queryOf(req, "lang"),
      sort: queryOf(req, "sort"),
    };
    const views = files.map(listViewOf);
    const tags = [...new Set(views.flatMap((v) => v.tags))].sort((a, b) => a.localeCompare(b, "vi"));
    const q = fold(filters.q);
    const tag = sameTagKey(filters.tag);
    const shown = views.filter((v) => {
      if (filters.type && v.type !== filters.type) return false;
      if (tag && !v.tags.some((t) => sameTagKey(t) === tag)) return false;
      if (!q) return true;
      const hay =
        filters.lang === "vi" || filters.lang === "en"
          ? v.text[filters.lang]
          : `${v.id} ${v.title.vi} ${v.title.en}`;
      return fold(hay).includes(q);
    });
    const t = today();
    const rows: EntryListRow[] = shown.map((v) => ({
      id: v.id,
      type: v.type,
      file: v.file,
      title: v.title,
      problems: v.problems,
      editable: isEntryId(v.id),
      ...(v.lastVerified ? { lastVerified: v.lastVerified } : {}),
      ...(v.lastVerified && daysBetween(v.lastVerified, t) !== undefined
        ? { ageDays: daysBetween(v.lastVerified, t) }
        : {}),
    }));
    if (filters.sort === "age") {
      rows.sort(
        (a, b) => (a.lastVerified ?? "").localeCompare(b.lastVerified ?? "") || a.id.localeCompare(b.id),
      );
    }
    const w = who(res);
    const notice = NOTICES[queryOf(req, "notice")];
    send(
      res,
      200,
      entryListPage({
        rows,
        total: files.length,
        filters,
        tags,
        ...w,
        canEdit: w.user.role === "editor",
        ...(notice ? { notice } : {}),
      }),
    );
  });

  router.get("/entries/new", editor, (req, res) => {
    const question = queryOf(req, "from-question").replace(/\s+/g, " ").trim().slice(0, MAX_QUESTION);
    const asked = queryOf(req, "type");
    const type = isEntryType(asked) ? asked : question ? "practical" : undefined;
    if (!type) return void send(res, 200, typeChooserPage(who(res)));
    const values = formValuesOf(type, newEntryFile(type, "moi", { lastVerified: today() }));
    values.id = question ? slugOf(question) : "";
    if (question) {
      values["title.vi"] = question;
      values["summary.vi"] = question;
    }
    formPage(res, 200, {
      mode: "new",
      type,
      id: values.id,
      values,
      problems: [],
      rows: {},
      ...(question
        ? {
            intro: html`<div class="note">
              <p>Câu hỏi của du khách chưa có câu trả lời tốt: “${question}”.</p>
              <p>
                Tiêu đề và tóm tắt tiếng Việt được điền sẵn từ câu hỏi: hãy viết lại cho đúng, thêm bản tiếng
                Anh và nguồn.
              </p>
            </div>`,
          }
        : {}),
    });
  });

  router.post("/entries", editor, async (req, res) => {
    const form = formValuesFrom(req.body);
    const type = form.type;
    if (!isEntryType(type)) {
      return void send(
        res,
        400,
        messagePage(who(res), "Loại mục không hợp lệ", "Hãy chọn loại mục rồi thử lại."),
      );
    }
    const id = (form.id ?? "").trim();
    form.id = id;
    const t = today();
    const files = await readEntryFiles(root);
    const problems: ShownProblem[] = [];
    const validId = isEntryId(id);
    if (!validId) problems.push({ field: "id", reason: "must be lowercase kebab-case (a-z, 0-9, -)" });
    const taken = validId ? files.find((f) => f.id === id) : undefined;
    if (taken) problems.push({ field: "id", reason: `duplicate id '${id}', already used by ${taken.file}` });
    // With an id that cannot be used, the other fields are still checked (under a stand-in id).
    const fileId = validId ? id : "moi";
    const template = newEntryFile(type, fileId, { lastVerified: t });
    const built = buildChanges(type, form, readEntryParts(template)?.frontMatter ?? {}, t);
    const text = updateEntryFile(template, built);
    const file = entryFileOf(type, fileId);
    const result = validateEntryText(text, file, entriesOf(files), {
      today: t,
      brokenIds: brokenIdsOf(files),
    });
    problems.push(...built.problems, ...result.problems.filter((p) => p.field !== "id"));
    const base = { mode: "new" as const, type, id, values: form, rows: built.rows };
    if (problems.length > 0 || !result.entry) return void formPage(res, 422, { ...base, problems });
    if (form.action === "preview") {
      return void formPage(res, 200, {
        ...base,
        problems: [],
        preview: entryPreview(result.entry, [...entriesOf(files), result.entry], t),
      });
    }
    try {
      await writeEntryFile(root, file, text, { create: true });
    } catch (err) {
      if (err instanceof AppError && err.code === "conflict:entry-exists") {
        return void formPage(res, 422, {
          ...base,
          problems: [{ field: "id", reason: `duplicate id '${id}', already used by ${file}` }],
        });
      }
      throw err;
    }
    await audit(res, "entry.create", id);
    publishInBackground(`create ${id}`);
    res.redirect(303, `/admin/entries/${id}/edit?notice=created`);
  });

  router.get("/entries/:id/edit", viewer, async (req, res) => {
    const f = await entryOf(req, res);
    if (!f) return;
    const files = await readEntryFiles(root);
    const problems = f.entry
      ? validateEntryText(f.text, f.file, entriesOf(files), { today: today(), brokenIds: brokenIdsOf(files) })
          .problems
      : f.problems;
    const readable = readEntryParts(f.text) !== undefined;
    const notice = NOTICES[queryOf(req, "notice")];
    formPage(res, 200, {
      mode: "edit",
      type: f.type,
      id: f.id,
      file: f.file,
      values: formValuesOf(f.type, f.text),
      version: f.version,
      problems,
      rows: {},
      images: (await listImages(deps.uploadsDir, f.id)).map((n) => `/media/${n}`),
      ...(notice ? { notice } : {}),
      ...(readable
        ? {}
        : {
            canEdit: false,
            intro: html`<p class="note">
              Phần đầu (front matter) của tệp không đọc được, nên chưa sửa được bằng biểu mẫu. Hãy sửa trực
              tiếp tệp
              <code>${f.file}</code> theo các lỗi dưới đây.
            </p>`,
          }),
    });
  });

  router.get("/entries/:id/preview", viewer, async (req, res) => {
    const f = await entryOf(req, res);
    if (!f) return;
    const files = await readEntryFiles(root);
    const title = f.entry?.title.vi ?? f.id;
    send(
      res,
      200,
      previewPage(who(res), {
        id: f.id,
        title,
        problems: f.problems.map(formatProblem),
        ...(f.entry ? { preview: entryPreview(f.entry, entriesOf(files), today()) } : {}),
      }),
    );
  });

  router.post("/entries/:id", editor, async (req, res) => {
    const f = await entryOf(req, res);
    if (!f) return;
    const form = formValuesFrom(req.body);
    const saving = form.action !== "preview";
    const parts = readEntryParts(f.text);
    if (!parts) {
      return void send(
        res,
        422,
        messagePage(who(res), "Tệp có lỗi", `Phần đầu của ${f.file} không đọc được; hãy sửa trực tiếp tệp.`),
      );
    }
    const t = today();
    const built = buildChanges(f.type, form, parts.frontMatter, t);
    const text = updateEntryFile(f.text, built);
    const base = {
      mode: "edit" as const,
      type: f.type,
      id: f.id,
      file: f.file,
      values: form,
      rows: built.rows,
    };
    if (saving && form.version !== f.version) {
      // Someone saved since this form was opened: never write over it. The form comes back with the
      // current version, so saving it again is a decision taken with both versions in view.
      return void formPage(res, 409, {
        ...base,
        version: f.version,
        problems: built.problems,
        intro: conflictSection(f.text, text),
      });
    }
    const files = await readEntryFiles(root);
    const result = validateEntryText(text, f.file, entriesOf(files), {
      today: t,
      brokenIds: brokenIdsOf(files),
    });
    const problems: ShownProblem[] = [...built.problems, ...result.problems];
    const version = form.version ?? f.version;
    if (problems.length > 0 || !result.entry) return void formPage(res, 422, { ...base, version, problems });
    if (!saving) {
      const others = entriesOf(files).filter((e) => e.file !== f.file);
      return void formPage(res, 200, {
        ...base,
        version,
        problems: [],
        preview: entryPreview(result.entry, [...others, result.entry], t),
      });
    }
    const outcome = await serialised(f.file, async () => {
      const current = await findEntryFile(root, f.id);
      if (!current || current.file !== f.file) return "gone";
      if (current.version !== form.version) return "conflict";
      if (current.text === text) return "unchanged";
      await writeEntryFile(root, f.file, text);
      return "saved";
    });
    if (outcome === "gone") {
      return void send(
        res,
        409,
        messagePage(who(res), "Mục đã bị xóa", "Có người đã xóa mục này trong lúc bạn sửa."),
      );
    }
    if (outcome === "conflict") {
      const current = (await findEntryFile(root, f.id)) ?? f;
      return void formPage(res, 409, {
        ...base,
        version: current.version,
        problems: [],
        intro: conflictSection(current.text, updateEntryFile(current.text, built)),
      });
    }
    if (outcome === "saved") {
      await audit(res, "entry.update", f.id);
      publishInBackground(`edit ${f.id}`);
    }
    res.redirect(303, `/admin/entries/${f.id}/edit?notice=${outcome}`);
  });

  router.get("/entries/:id/delete", editor, async (req, res) => {
    const f = await entryOf(req, res);
    if (!f) return;
    const references = referencesTo(f.id, await readEntryFiles(root));
    send(res, 200, deletePage(who(res), { ...deleteInfo(f), references }));
  });

  router.post("/entries/:id/delete", editor, async (req, res) => {
    const f = await entryOf(req, res);
    if (!f) return;
    const form = formValuesFrom(req.body);
    const references = referencesTo(f.id, await readEntryFiles(root));
    if (references.length > 0)
      return void send(res, 409, deletePage(who(res), { ...deleteInfo(f), references }));
    const outcome = await serialised(f.file, async () => {
      const current = await findEntryFile(root, f.id);
      if (!current || current.version !== form.version) return "conflict";
      await removeEntryFile(root, f.file);
      return "deleted";
    });
    if (outcome === "conflict") {
      return void send(
        res,
        409,
        messagePage(
          who(res),
          "Mục đã thay đổi",
          "Có người đã sửa mục này sau khi bạn mở trang xóa. Hãy xem lại rồi thử lại.",
          {
            href: `/admin/entries/${f.id}/delete`,
            label: "Mở lại trang xóa",
          },
        ),
      );
    }
    await audit(res, "entry.delete", f.id);
    publishInBackground(`delete ${f.id}`);
    res.redirect(303, "/admin/entries?notice=deleted");
  });

  router.post("/entries/:id/images", editor, async (req, res) => {
    const f = await entryOf(req, res);
    if (!f) return;
    const back = { href: `/admin/entries/${f.id}/edit`, label: "Quay lại trang sửa" };
    // The guard has read the multipart form (and checked its CSRF token); anything else is no upload.
    const received = res.locals.multipart as ReceivedForm | undefined;
    if (!received) {
      return void send(
        res,
        400,
        messagePage(who(res), "Không tải lên được", "Biểu mẫu tải ảnh không hợp lệ.", back),
      );
    }
    const problem = imageProblem(received.file);
    if (problem || !received.file) {
      return void send(
        res,
        problem?.status ?? 400,
        messagePage(who(res), "Không tải lên được", problem?.message ?? "", back),
      );
    }
    const name = await storeImage(deps.uploadsDir, f.id, received.file.bytes);
    deps.onUploaded?.();
    await audit(res, "entry.image", f.id, name);
    const url = `/media/${name}`;
    if (req.accepts(["html", "json"]) === "json") return void res.status(201).json({ url });
    send(res, 201, uploadedPage(who(res), { id: f.id, url }));
  });

  return router;
}

// ---------------------------------------------------------------------------------------------------------

function send(res: Response, status: number, page: string): void {
  res.status(status).set("Cache-Control", "no-store").type("html").send(page);
}

function queryOf(req: Request, name: string): string {
  const v: unknown = req.query[name];
  const last = Array.isArray(v) ? v[v.length - 1] : v;
  return typeof last === "string" ? last : "";
}

function isEntryType(t: unknown): t is EntryType {
  return typeof t === "string" && (ENTRY_TYPES as readonly string[]).includes(t);
}

function entriesOf(files: EntryFile[]): ContentEntry[] {
  return files.flatMap((f) => (f.entry ? [f.entry] : []));
}

function brokenIdsOf(files: EntryFile[]): string[] {
  return files.filter((f) => !f.entry).map((f) => f.id);
}

/** What the list needs of a file, valid or not (a broken file is listed with what can be read of it). */
function listViewOf(f: EntryFile) {
  const raw = readEntryParts(f.text);
  const fm = (f.entry ?? raw?.frontMatter ?? {}) as Record<string, unknown>;
  const body = f.entry?.body ?? raw?.body ?? { vi: "", en: "" };
  const bi = (v: unknown) => {
    const o = (v && typeof v === "object" ? v : {}) as Record<string, unknown>;
    return { vi: typeof o.vi === "string" ? o.vi : "", en: typeof o.en === "string" ? o.en : "" };
  };
  const strings = (v: unknown) =>
    Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : [];
  const title = bi(fm.title);
  const summary = bi(fm.summary);
  const aliases = (fm.aliases ?? {}) as Record<string, unknown>;
  const tags = strings(fm.tags);
  return {
    id: f.id,
    type: f.type,
    file: f.file,
    title,
    tags,
    problems: f.problems.length,
    lastVerified: typeof fm.lastVerified === "string" ? fm.lastVerified : undefined,
    text: {
      vi: [f.id, title.vi, summary.vi, ...strings(aliases.vi), body.vi].join("\n"),
      en: [f.id, title.en, summary.en, ...strings(aliases.en), body.en].join("\n"),
    },
  };
}

function sameTagKey(tag: string): string {
  return tag.normalize("NFC").toLowerCase().trim();
}

/** Whole days from one YYYY-MM-DD date to another; undefined for a date that does not parse. */
function daysBetween(from: string, to: string): number | undefined {
  const a = Date.parse(`${from}T00:00:00Z`);
  const b = Date.parse(`${to}T00:00:00Z`);
  return Number.isFinite(a) && Number.isFinite(b) ? Math.round((b - a) / 86_400_000) : undefined;
}

/** An id suggested from a question: its first words, without diacritics, in kebab-case. */
function slugOf(text: string): string {
  const words = fold(text)
    .replace(/[^a-z0-9]+/g, " ")
    .trim()
    .split(" ")
    .filter(Boolean)
    .slice(0, 8);
  return words.join("-").slice(0, 60).replace(/-+$/, "");
}

/** The entries that name an id in `related` or (events) in `venues`, read from the raw front matter. */
function referencesTo(id: string, files: EntryFile[]): Reference[] {
  const out: Reference[] = [];
  for (const f of files) {
    if (f.id === id) continue;
    const fm = readEntryParts(f.text)?.frontMatter;
    if (!fm) continue;
    const vi: unknown = (fm.title as Record<string, unknown> | undefined)?.vi;
    const title = typeof vi === "string" ? vi : f.id;
    const has = (v: unknown) => Array.isArray(v) && v.includes(id);
    if (has(fm.related)) out.push({ id: f.id, title, field: "related" });
    if (has((fm.event as Record<string, unknown> | undefined)?.venues))
      out.push({ id: f.id, title, field: "venues" });
  }
  return out;
}

function deleteInfo(f: EntryFile) {
  return { id: f.id, type: f.type, title: f.entry?.title.vi ?? f.id, file: f.file, version: f.version };
}

/** Runs tasks one at a time per key (one file's check-then-write), in order of arrival. */
function keyedQueue() {
  const tails = new Map<string, Promise<unknown>>();
  return async function run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const next = (tails.get(key) ?? Promise.resolve()).catch(() => undefined).then(task);
    tails.set(key, next);
    try {
      return await next;
    } finally {
      if (tails.get(key) === next) tails.delete(key);
    }
  };
}

import express, { Router, type RequestHandler } from "express";
import { once } from "node:events";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import type http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createMemoryStore } from "../../bot/index.ts";
import { contentVersion, loadContent, newEntryFile } from "../../indexer/index.ts";
import { editorRouter } from "./editor.ts";
import { MAX_IMAGE_BYTES, receiveImageForm, type ReceivedForm } from "./uploads.ts";
import type { AdminAuth, AdminDeps, AdminRole, AuditLog, Publisher } from "./types.ts";
import { closeServer } from "../testing/servers.ts";

/**
 * The editor's routes in a tiny express app on an ephemeral port, over a temporary copy of content/, with
 * a fake auth (role from the `x-test-role` header, CSRF token "t"), a recording audit log and a recording
 * publisher whose publish never finishes (a handler that awaited it would never answer). Forms are read
 * from the pages and sent back as a browser would.
 */

const CONTENT = path.resolve(import.meta.dirname, "../../content");
/** Today in Vietnam: the editor stamps it, and no entry of the real content is verified after it. */
const TODAY = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
const MIEU = "attractions/mieu-ba-chua-xu.md";
/** A 1×1 PNG. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=",
  "base64",
);

let tmp = "";
let contentDir = "";
let uploadsDir = "";
let base = "";
let server: http.Server;
let audits: { user: string; action: string; target?: string; detail?: string }[];
let publishes: string[];

const fakeAuth: AdminAuth = {
  router: Router(),
  require:
    (role: AdminRole): RequestHandler =>
    async (req, res, next) => {
      const own: AdminRole = req.get("x-test-role") === "viewer" ? "viewer" : "editor";
      res.locals.adminUser = { name: "lan", role: own };
      res.locals.csrfToken = "t";
      // As the real guard: a multipart form is read before the check and handed on in res.locals.
      if (req.is("multipart/form-data")) {
        try {
          res.locals.multipart = await receiveImageForm(req);
        } catch {
          return void res.status(400).end();
        }
      }
      const form = (res.locals.multipart as ReceivedForm | undefined)?.fields;
      const body = (form ?? req.body) as Record<string, unknown> | undefined;
      if (req.method !== "GET" && (req.get("x-csrf-token") ?? body?._csrf) !== "t") {
        return void res.status(403).end();
      }
      if (role === "editor" && own !== "editor") return void res.status(403).end();
      next();
    },
};

beforeEach(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), "editor-"));
  contentDir = path.join(tmp, "content");
  uploadsDir = path.join(tmp, "uploads");
  await cp(CONTENT, contentDir, { recursive: true });
  await writeFile(path.join(tmp, "package.md"), "---\nid: package\n---\nSECRET-OUTSIDE\n");
  audits = [];
  publishes = [];
  const audit: AuditLog = {
    record: async (e) => void audits.push(e),
    list: async () => [],
  };
  const publisher: Publisher = {
    publish: (reason) => {
      publishes.push(reason);
      return new Promise(() => {});
    },
    status: () => ({ running: false }),
  };
  const log = { info: () => {}, warn: () => {}, error: () => {} };
  const deps: AdminDeps = {
    contentDir,
    uploadsDir,
    live: () => {
      throw new Error("the editor does not use the live index");
    },
    store: createMemoryStore(),
    auth: fakeAuth,
    audit,
    publisher,
    log,
    clock: { now: () => new Date(`${TODAY}T09:00:00+07:00`) },
  };
  const app = express();
  app.use(express.urlencoded({ extended: false }));
  app.use(editorRouter(deps));
  server = app.listen(0, "127.0.0.1");
  await once(server, "listening");
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await closeServer(server);
  await rm(tmp, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------------------
// Helpers

type Page = { status: number; text: string; location: string | null };

async function get(p: string, role?: AdminRole): Promise<Page> {
  const res = await fetch(base + p, { redirect: "manual", headers: role ? { "x-test-role": role } : {} });
  return { status: res.status, text: await res.text(), location: res.headers.get("location") };
}

async function post(p: string, form: Record<string, string>, role?: AdminRole): Promise<Page> {
  const res = await fetch(base + p, {
    method: "POST",
    redirect: "manual",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      ...(role ? { "x-test-role": role } : {}),
    },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, text: await res.text(), location: res.headers.get("location") };
}

async function upload(id: string, name: string, bytes: Buffer, csrf = "t"): Promise<Page> {
  const form = new FormData();
  form.append("_csrf", csrf);
  form.append("image", new Blob([bytes], { type: "image/png" }), name);
  const res = await fetch(`${base}/entries/${id}/images`, { method: "POST", redirect: "manual", body: form });
  return { status: res.status, text: await res.text(), location: res.headers.get("location") };
}

const read = (file: string) => readFile(path.join(contentDir, file), "utf8");

function decode(s: string): string {
  return s.replace(
    /&(amp|lt|gt|quot|#39);/g,
    (_, e: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'" })[e] ?? "",
  );
}

function attrs(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([\w-]+)(?:="([^"]*)")?/g)) out[m[1] as string] = decode(m[2] ?? "");
  return out;
}

/** The values a browser would send from the page's entry form (not the logout or upload forms). */
function formOf(page: string): Record<string, string> {
  const start = page.indexOf('class="entry-form"');
  expect(start).toBeGreaterThan(0);
  const form = page.slice(start, page.indexOf("</form>", start));
  const out: Record<string, string> = {};
  for (const m of form.matchAll(/<input\b([^>]*)>/g)) {
    const a = attrs(m[1] as string);
    if (!a.name || a.type === "file") continue;
    if (a.type === "checkbox") {
      if ("checked" in a) out[a.name] = a.value ?? "on";
    } else out[a.name] = a.value ?? "";
  }
  for (const m of form.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) {
    const name = attrs(m[1] as string).name;
    if (name) out[name] = decode(m[2] as string);
  }
  for (const m of form.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
    const name = attrs(m[1] as string).name;
    const selected = /<option value="([^"]*)" selected>/.exec(m[2] as string);
    if (name) out[name] = decode(selected?.[1] ?? "");
  }
  return out;
}

/** The text of the element with an id (its first closing tag of the same name ends it). */
function elementText(page: string, id: string): string {
  const open = new RegExp(`<(\\w+)[^>]*\\bid="${id}"[^>]*>`).exec(page);
  if (!open) return "";
  const end = page.indexOf(`</${open[1]}>`, open.index);
  return decode(page.slice(open.index + open[0].length, end).replace(/<[^>]+>/g, ""));
}

/** The lines that differ between two texts after their common start and end. */
function changedLines(a: string, b: string): { removed: string[]; added: string[] } {
  const x = a.split("\n");
  const y = b.split("\n");
  let s = 0;
  while (s < x.length && s < y.length && x[s] === y[s]) s++;
  let e = 0;
  while (e < x.length - s && e < y.length - s && x[x.length - 1 - e] === y[y.length - 1 - e]) e++;
  return { removed: x.slice(s, x.length - e), added: y.slice(s, y.length - e) };
}

const rowIds = (page: string) => [...page.matchAll(/<tr data-id="([^"]+)"/g)].map((m) => m[1]);

// ---------------------------------------------------------------------------------------------------------

describe("GET /entries", () => {
  it("lists every entry, and filters by type, tag and search", async () => {
    const all = await get("/entries");
    expect(all.status).toBe(200);
    const count = (await readdir(contentDir, { recursive: true })).filter(
      (f) => f.endsWith(".md") && f !== "README.md",
    );
    expect(rowIds(all.text)).toHaveLength(count.length);
    expect(all.text).toContain(`${count.length} mục`);

    const events = rowIds((await get("/entries?type=event")).text);
    expect(events).toContain("via-ba-chua-xu");
    expect(events.every((id) => count.includes(`events/${id}.md`))).toBe(true);
    expect(events).toHaveLength(count.filter((f) => f.startsWith("events/")).length);

    expect(rowIds((await get("/entries?tag=UNESCO")).text)).toEqual(["via-ba-chua-xu"]);
    // Id and titles, without diacritics.
    expect(rowIds((await get(`/entries?q=${encodeURIComponent("ba chua xu")}`)).text).sort()).toEqual([
      "hanh-huong-via-ba",
      "mieu-ba-chua-xu",
      "via-ba-chua-xu",
    ]);
  });

  it("searches the whole text of one language", async () => {
    expect(rowIds((await get("/entries?lang=en&q=cable+car")).text).sort()).toEqual([
      "hai-ngay-nui-sam-tra-su-nui-cam",
      "nui-cam",
      "nui-sam",
    ]);
    expect(rowIds((await get("/entries?lang=vi&q=cable+car")).text)).toEqual([]);
    expect(rowIds((await get("/entries?q=cable+car")).text)).toEqual([]);
  });

  it("sorts by the age of lastVerified, oldest first, and shows the age in days", async () => {
    const file = "attractions/chua-hang.md";
    await writeFile(
      path.join(contentDir, file),
      (await read(file)).replace(/lastVerified: .*/, "lastVerified: 2025-01-10"),
    );
    const page = (await get("/entries?sort=age")).text;
    expect(rowIds(page)[0]).toBe("chua-hang");
    const row = page.slice(
      page.indexOf('<tr data-id="chua-hang"'),
      page.indexOf("</tr>", page.indexOf('data-id="chua-hang"')),
    );
    const days = Math.round(
      (Date.parse(`${TODAY}T00:00:00Z`) - Date.parse("2025-01-10T00:00:00Z")) / 86_400_000,
    );
    expect(row).toContain(`${days} ngày trước`); // 690 on 2026-12-01
    expect(row).toContain("stale");
    expect(rowIds((await get("/entries")).text)[0]).not.toBe("chua-hang");
  });
});

describe("editing an entry", () => {
  it("shows the structured fields with the Vietnamese and English text side by side", async () => {
    const page = await get("/entries/mieu-ba-chua-xu/edit");
    expect(page.status).toBe(200);
    const form = formOf(page.text);
    expect(form["title.vi"]).toBe("Miếu Bà Chúa Xứ Núi Sam");
    expect(form["title.en"]).toBe("Lady Chua Xu Temple (Ba Chua Xu Temple) on Sam Mountain");
    expect(form["place.coordinates.lat"]).toBe("10.6787");
    expect(form["place.coordinates.approximate"]).toBe("on");
    expect(form["place.openingHours.vi"]).toBe("");
    expect(form["body.en"]).toMatch(/^Lady Chua Xu Temple \(Miếu Bà Chúa Xứ;/);
    expect(form.version).toBe(contentVersion(await read(MIEU)));
    expect(form._csrf).toBe("t");
    expect(page.text).toMatch(/<input type="text" id="f-title-en" name="title.en" value="[^"]*" lang="en"/);
    expect(page.text).toMatch(/<textarea id="f-body-vi" name="body.vi" rows="22" lang="vi"/);
  });

  it("saves a valid change of opening hours: only those lines change, then audit and publish", async () => {
    const original = await read(MIEU);
    const form = formOf((await get("/entries/mieu-ba-chua-xu/edit")).text);
    form["place.openingHours.vi"] = "5:00–22:00 hằng ngày";
    form["place.openingHours.en"] = "5:00–22:00 every day";
    const res = await post("/entries/mieu-ba-chua-xu", { ...form, action: "save" });
    expect(res.status).toBe(303);
    expect(res.location).toBe("/admin/entries/mieu-ba-chua-xu/edit?notice=saved");
    expect(changedLines(original, await read(MIEU))).toEqual({
      removed: ["  openingHours: null"],
      added: ["  openingHours:", "    vi: 5:00–22:00 hằng ngày", "    en: 5:00–22:00 every day"],
    });
    expect(audits).toEqual([{ user: "lan", action: "entry.update", target: "mieu-ba-chua-xu" }]);
    expect(publishes).toEqual(["edit mieu-ba-chua-xu"]);
    const after = await get("/entries/mieu-ba-chua-xu/edit?notice=saved");
    expect(after.text).toContain("Đã lưu; đang xuất bản…");
    expect(formOf(after.text)["place.openingHours.en"]).toBe("5:00–22:00 every day");
  });

  it("saving an untouched form writes nothing and publishes nothing, for every entry", async () => {
    const files = (await readdir(contentDir, { recursive: true })).filter(
      (f) => f.endsWith(".md") && f !== "README.md",
    );
    for (const file of files) {
      const id = path.basename(file, ".md");
      const before = await read(file);
      const form = formOf((await get(`/entries/${id}/edit`)).text);
      const res = await post(`/entries/${id}`, { ...form, action: "save" });
      expect(res.location, file).toBe(`/admin/entries/${id}/edit?notice=unchanged`);
      expect(await read(file), file).toBe(before);
    }
    expect(publishes).toEqual([]);
    expect(audits).toEqual([]);
  });

  it("refuses an invalid edit with 422, the error beside the latitude field, the typed values kept", async () => {
    const original = await read(MIEU);
    const form = formOf((await get("/entries/mieu-ba-chua-xu/edit")).text);
    form["place.coordinates.lat"] = "200";
    form["title.en"] = "Ba Chua Xu Temple (typed)";
    const res = await post("/entries/mieu-ba-chua-xu", { ...form, action: "save" });
    expect(res.status).toBe(422);
    expect(elementText(res.text, "f-place-coordinates-lat-err")).toContain("200 nằm ngoài vùng Châu Đốc");
    expect(res.text).toMatch(
      /name="place.coordinates.lat" value="200"[^>]*aria-describedby="f-place-coordinates-lat-err"/,
    );
    expect(res.text).toMatch(/name="place.coordinates.lat" value="200"[^>]*aria-invalid="true"/);
    expect(res.text).toContain("Chưa lưu: có 1 lỗi cần sửa");
    expect(res.text).toContain('<a href="#f-place-coordinates-lat">Vĩ độ (lat)</a>');
    const again = formOf(res.text);
    expect(again["title.en"]).toBe("Ba Chua Xu Temple (typed)");
    expect(again.version).toBe(form.version);
    expect(await read(MIEU)).toBe(original);
    expect(publishes).toEqual([]);
    expect(audits).toEqual([]);
  });

  it("places an unknown related id and a missing English title beside their fields", async () => {
    const form = formOf((await get("/entries/mieu-ba-chua-xu/edit")).text);
    const unknown = await post("/entries/mieu-ba-chua-xu", {
      ...form,
      related: "nui-sam\nkhong-co",
      action: "save",
    });
    expect(unknown.status).toBe(422);
    expect(elementText(unknown.text, "f-related-err")).toContain(
      "related[1]: không có mục nào có id “khong-co”",
    );
    const missing = await post("/entries/mieu-ba-chua-xu", { ...form, "title.en": " ", action: "save" });
    expect(missing.status).toBe(422);
    expect(elementText(missing.text, "f-title-en-err")).toContain("không được để trống");
    expect(elementText(missing.text, "f-title-vi-err")).toBe("");
  });

  it("answers 409 and writes nothing when someone saved since the form was opened", async () => {
    const form = formOf((await get("/entries/mieu-ba-chua-xu/edit")).text);
    // Another editor saves first.
    const theirs = (await read(MIEU)).replace(
      "  distanceFromCentreKm: { min: 5, max: 5 }",
      "  distanceFromCentreKm:\n    min: 4\n    max: 5",
    );
    expect(theirs).not.toBe(await read(MIEU));
    await writeFile(path.join(contentDir, MIEU), theirs);
    form["place.openingHours.vi"] = "Cả ngày";
    form["place.openingHours.en"] = "All day";
    const res = await post("/entries/mieu-ba-chua-xu", { ...form, action: "save" });
    expect(res.status).toBe(409);
    expect(await read(MIEU)).toBe(theirs);
    expect(res.text).toContain("Có người khác đã lưu mục này trước bạn");
    expect(elementText(res.text, "h-theirs")).toBe("Bản hiện tại (đã lưu)");
    expect(res.text).toContain("    min: 4"); // theirs, shown
    expect(res.text).toContain("    vi: Cả ngày"); // yours, shown
    // The form keeps what was typed and now carries the current version.
    const again = formOf(res.text);
    expect(again["place.openingHours.vi"]).toBe("Cả ngày");
    expect(again.version).toBe(contentVersion(theirs));
    expect(publishes).toEqual([]);
  });

  it("lets a viewer read the form but not save it", async () => {
    const original = await read(MIEU);
    const page = await get("/entries/mieu-ba-chua-xu/edit", "viewer");
    expect(page.status).toBe(200);
    expect(page.text).toContain('<fieldset class="plain" disabled>');
    const form = formOf(page.text);
    form["place.openingHours.vi"] = "x";
    form["place.openingHours.en"] = "x";
    expect((await post("/entries/mieu-ba-chua-xu", { ...form, action: "save" }, "viewer")).status).toBe(403);
    expect(await read(MIEU)).toBe(original);
    // The same form from an editor is saved (so the 403 above was the role, not the form).
    expect((await post("/entries/mieu-ba-chua-xu", { ...form, action: "save" })).status).toBe(303);
  });

  it("refuses a POST without the CSRF token", async () => {
    const form = formOf((await get("/entries/mieu-ba-chua-xu/edit")).text);
    const { _csrf, ...rest } = form;
    expect(_csrf).toBe("t");
    expect((await post("/entries/mieu-ba-chua-xu", { ...rest, action: "save" })).status).toBe(403);
  });

  it("edits the lodging lists through the raw-YAML box, and reports a YAML error under it", async () => {
    const file = "lodging/thong-bao-luu-tru.md";
    const original = await read(file);
    const form = formOf((await get("/entries/thong-bao-luu-tru/edit")).text);
    expect(form["lodging.yaml"]).toContain("\n    maxVnd: 1000000\n");
    expect(form["lodging.appliesTo.vietnamese-guests"]).toBe("on");
    const bad = await post("/entries/thong-bao-luu-tru", {
      ...form,
      "lodging.yaml": "deadlines: [",
      action: "save",
    });
    expect(bad.status).toBe(422);
    expect(elementText(bad.text, "f-lodging-yaml-err")).toMatch(/line \d/);
    const wrongType = form["lodging.yaml"]?.replace('before: "23:00"', 'before: "25:00"') ?? "";
    const invalid = await post("/entries/thong-bao-luu-tru", {
      ...form,
      "lodging.yaml": wrongType,
      action: "save",
    });
    expect(invalid.status).toBe(422);
    expect(elementText(invalid.text, "f-lodging-yaml-err")).toContain("lodging.deadlines[1].due.before");
    expect(await read(file)).toBe(original);
    const yaml = form["lodging.yaml"]?.replace("maxVnd: 1000000", "maxVnd: 2000000") ?? "";
    expect(
      (await post("/entries/thong-bao-luu-tru", { ...form, "lodging.yaml": yaml, action: "save" })).status,
    ).toBe(303);
    expect(changedLines(original, await read(file))).toEqual({
      removed: ["      maxVnd: 1000000"],
      added: ["      maxVnd: 2000000"],
    });
  });

  it("adds a contact row to a practical entry", async () => {
    const file = "practical/so-dien-thoai-khan-cap.md";
    const form = formOf((await get("/entries/so-dien-thoai-khan-cap/edit")).text);
    expect(form["practical.contacts.4.phone"]).toBe("111");
    expect(form).toHaveProperty(["practical.contacts.5.phone"], ""); // a blank row to add one
    Object.assign(form, {
      "practical.contacts.5.label.vi": "Đường dây nóng",
      "practical.contacts.5.label.en": "Hotline",
      "practical.contacts.5.phone": "1900 1234",
    });
    expect((await post("/entries/so-dien-thoai-khan-cap", { ...form, action: "save" })).status).toBe(303);
    const { added, removed } = changedLines(
      await readFile(path.join(CONTENT, file), "utf8"),
      await read(file),
    );
    expect(removed).toEqual([]);
    expect(added).toEqual(["    - label: { vi: Đường dây nóng, en: Hotline }", "      phone: 1900 1234"]);
    const { problems } = await loadContent(contentDir);
    expect(problems).toEqual([]);
  });

  it("edits the staff note and the source notes in both languages", async () => {
    const file = "lodging/muc-phat-luu-tru.md";
    const form = formOf((await get("/entries/muc-phat-luu-tru/edit")).text);
    expect(form.staffNote).toContain("chưa ai mở trang này");
    form.staffNote = "Hỏi lại công an phường về khoản 3.";
    form["sources.0.note.vi"] = "mức phạt mới và cũ";
    form["sources.0.note.en"] = "the new and the old fines";
    expect((await post("/entries/muc-phat-luu-tru", { ...form, action: "save" })).status).toBe(303);
    const saved = await read(file);
    expect(saved).toMatch(/\nstaffNote: "?Hỏi lại công an phường về khoản 3\."?\n/);
    expect(saved).toContain("note: { vi: mức phạt mới và cũ, en: the new and the old fines }");
    // One language missing is reported beside its field.
    const again = formOf((await get("/entries/muc-phat-luu-tru/edit")).text);
    again["sources.0.note.en"] = "";
    const refused = await post("/entries/muc-phat-luu-tru", { ...again, action: "save" });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('id="f-sources-0-note-en-err"');
  });

  it("ticking 'verified' writes today's date", async () => {
    const form = formOf((await get("/entries/nui-sam/edit")).text);
    expect((await post("/entries/nui-sam", { ...form, verified: "on", action: "save" })).status).toBe(303);
    expect(await read("attractions/nui-sam.md")).toContain(`\nlastVerified: ${TODAY}\n`);
  });
});

describe("preview", () => {
  it("shows the saved entry as the portal does, in both languages", async () => {
    const page = await get("/entries/mieu-ba-chua-xu/preview", "viewer");
    expect(page.status).toBe(200);
    expect(page.text).toContain("<h1>Miếu Bà Chúa Xứ Núi Sam</h1>");
    expect(page.text).toContain("<h1>Lady Chua Xu Temple (Ba Chua Xu Temple) on Sam Mountain</h1>");
    expect(page.text).toContain("chưa có thông tin xác nhận"); // opening hours unknown
    expect(page.text).not.toContain('<html lang="en"'); // inside the admin page, not a second document
  });

  it("renders unsaved changes without writing them", async () => {
    const original = await read(MIEU);
    const form = formOf((await get("/entries/mieu-ba-chua-xu/edit")).text);
    form["place.openingHours.vi"] = "Từ 5 giờ đến 22 giờ";
    form["place.openingHours.en"] = "From 5 am to 10 pm";
    const res = await post("/entries/mieu-ba-chua-xu", { ...form, action: "preview" });
    expect(res.status).toBe(200);
    expect(res.text).toContain("<dd>Từ 5 giờ đến 22 giờ</dd>");
    expect(res.text).toContain("<dd>From 5 am to 10 pm</dd>");
    expect(formOf(res.text)["place.openingHours.en"]).toBe("From 5 am to 10 pm");
    expect(await read(MIEU)).toBe(original);
    expect(publishes).toEqual([]);
  });
});

describe("new entries", () => {
  const fill = (form: Record<string, string>) => ({
    ...form,
    "title.vi": "Bến đò Châu Giang",
    "title.en": "Châu Giang ferry",
    "summary.vi": "Bến đò qua sông Hậu.",
    "summary.en": "The ferry across the Hậu river.",
    tags: "đi lại\ntransport",
    "sources.0.url": "https://example.vn/ben-do",
    related: "lang-cham-chau-giang",
    "body.vi": "Đò chạy cả ngày.",
    "body.en": "The ferry runs all day.",
    action: "save",
  });

  it("creates an entry from the template of its type", async () => {
    const page = await get("/entries/new?type=practical");
    expect(page.status).toBe(200);
    const form = formOf(page.text);
    expect(form.type).toBe("practical");
    expect(form.lastVerified).toBe(TODAY);
    const res = await post("/entries", { ...fill(form), id: "ben-do-chau-giang" });
    expect(res.status).toBe(303);
    expect(res.location).toBe("/admin/entries/ben-do-chau-giang/edit?notice=created");
    const text = await read("practical/ben-do-chau-giang.md");
    expect(text).toContain("id: ben-do-chau-giang\ntype: practical\n");
    expect(text).toContain("tags: [đi lại, transport]\n");
    const { problems, entries } = await loadContent(contentDir);
    expect(problems).toEqual([]);
    expect(entries.find((e) => e.id === "ben-do-chau-giang")?.body.en).toBe("The ferry runs all day.");
    expect(audits).toEqual([{ user: "lan", action: "entry.create", target: "ben-do-chau-giang" }]);
    expect(publishes).toEqual(["create ben-do-chau-giang"]);
  });

  it("refuses an existing id and an id that is not kebab-case, beside the id field, writing nothing", async () => {
    const form = fill(formOf((await get("/entries/new?type=practical")).text));
    const before = await readdir(path.join(contentDir, "practical"));
    const taken = await post("/entries", { ...form, id: "nui-sam" });
    expect(taken.status).toBe(422);
    expect(elementText(taken.text, "f-id-err")).toContain(
      "id “nui-sam” đã được dùng ở attractions/nui-sam.md",
    );
    const bad = await post("/entries", { ...form, id: "../../evil" });
    expect(bad.status).toBe(422);
    expect(elementText(bad.text, "f-id-err")).toContain("chỉ dùng chữ thường không dấu");
    expect(await readdir(path.join(contentDir, "practical"))).toEqual(before);
    expect(await readdir(tmp)).toEqual(expect.not.arrayContaining(["evil.md"]));
    expect(publishes).toEqual([]);
  });

  it("pre-fills a practical entry from a visitor's question", async () => {
    const q = "Chùa Hang mở cửa mấy giờ?";
    const page = await get(`/entries/new?from-question=${encodeURIComponent(q)}`);
    expect(page.status).toBe(200);
    const form = formOf(page.text);
    expect(form.type).toBe("practical");
    expect(form["title.vi"]).toBe(q);
    expect(form["summary.vi"]).toBe(q);
    expect(form.id).toBe("chua-hang-mo-cua-may-gio");
    expect(page.text).toContain("Câu hỏi của du khách");
  });

  it("asks for the type when none is given", async () => {
    const page = await get("/entries/new");
    expect(page.text).toContain('href="/admin/entries/new?type=attraction"');
    expect(page.text).not.toContain('class="entry-form"');
  });
});

describe("deleting", () => {
  it("refuses while other entries reference the entry, and lists them", async () => {
    const page = await get("/entries/mieu-ba-chua-xu/delete");
    expect(page.status).toBe(200);
    expect(page.text).toContain("Chưa xóa được");
    expect(page.text).toContain('href="/admin/entries/via-ba-chua-xu/edit"');
    expect(page.text).not.toContain('action="/admin/entries/mieu-ba-chua-xu/delete"');
    const res = await post("/entries/mieu-ba-chua-xu/delete", {
      _csrf: "t",
      version: contentVersion(await read(MIEU)),
    });
    expect(res.status).toBe(409);
    expect(await read(MIEU)).toContain("id: mieu-ba-chua-xu");
    expect(audits).toEqual([]);
  });

  it("deletes an unreferenced entry after the confirmation page", async () => {
    const text = newEntryFile("practical", "muc-tam", { lastVerified: TODAY });
    await writeFile(path.join(contentDir, "practical/muc-tam.md"), text);
    const page = await get("/entries/muc-tam/delete");
    expect(page.text).toContain("Xóa vĩnh viễn");
    const version = /name="version" value="([0-9a-f]{64})"/.exec(page.text)?.[1] ?? "";
    expect(version).toBe(contentVersion(text));
    // A stale version is refused.
    expect((await post("/entries/muc-tam/delete", { _csrf: "t", version: "0".repeat(64) })).status).toBe(409);
    expect(await read("practical/muc-tam.md")).toBe(text);
    const res = await post("/entries/muc-tam/delete", { _csrf: "t", version });
    expect(res.status).toBe(303);
    expect(res.location).toBe("/admin/entries?notice=deleted");
    await expect(read("practical/muc-tam.md")).rejects.toThrow(/ENOENT/);
    expect(audits).toEqual([{ user: "lan", action: "entry.delete", target: "muc-tam" }]);
    expect(publishes).toEqual(["delete muc-tam"]);
  });

  it("is for editors only", async () => {
    expect((await get("/entries/nui-sam/delete", "viewer")).status).toBe(403);
    const version = contentVersion(await read("attractions/nui-sam.md"));
    expect((await post("/entries/nui-sam/delete", { _csrf: "t", version }, "viewer")).status).toBe(403);
  });
});

describe("featured rank and area", () => {
  it("shows and saves the featured rank and the area: only those lines change", async () => {
    const original = await read(MIEU);
    const page = (await get("/entries/mieu-ba-chua-xu/edit")).text;
    const form = formOf(page);
    expect(form.featured).toBe("1");
    expect(form["place.area"]).toBe("nui-sam");
    for (const area of ["nui-sam", "town-river", "further-out"])
      expect(page).toContain(`<option value="${area}"`);
    const res = await post("/entries/mieu-ba-chua-xu", {
      ...form,
      featured: "12",
      "place.area": "town-river",
      action: "save",
    });
    expect(res.status).toBe(303);
    // The two lines are far apart in the file; every other line stays as it was.
    const before = original.split("\n");
    const after = (await read(MIEU)).split("\n");
    expect(after).toHaveLength(before.length);
    expect(before.filter((l, n) => l !== after[n])).toEqual(["featured: 1", "  area: nui-sam"]);
    expect(after.filter((l, n) => l !== before[n])).toEqual(["featured: 12", "  area: town-river"]);
    expect(formOf((await get("/entries/mieu-ba-chua-xu/edit")).text)["place.area"]).toBe("town-river");
  });

  it("removes the rank and the area when they are left blank, and offers the rank on every type", async () => {
    const form = formOf((await get("/entries/mieu-ba-chua-xu/edit")).text);
    const res = await post("/entries/mieu-ba-chua-xu", {
      ...form,
      featured: "",
      "place.area": "",
      action: "save",
    });
    expect(res.status).toBe(303);
    const after = await read(MIEU);
    expect(after).not.toMatch(/^featured:/m);
    expect(after).not.toMatch(/^ {2}area:/m);
    // Events, lodging rules, practical entries and itineraries have a rank too, but no area.
    const event = (await get("/entries/via-ba-chua-xu/edit")).text;
    expect(event).toContain('name="featured"');
    expect(event).not.toContain('name="place.area"');
  });

  it("refuses a rank that is not a whole number from 1 to 99, and an unknown area, with 422 at the field", async () => {
    const original = await read(MIEU);
    const form = formOf((await get("/entries/mieu-ba-chua-xu/edit")).text);
    for (const featured of ["0", "100", "2.5", "abc", "-3"]) {
      const res = await post("/entries/mieu-ba-chua-xu", { ...form, featured, action: "save" });
      expect(res.status, featured).toBe(422);
      expect(elementText(res.text, "f-featured-err"), featured).toMatch(
        /phải là (số nguyên từ 1 đến 99|một số)/,
      );
      expect(formOf(res.text).featured).toBe(featured);
    }
    const area = await post("/entries/mieu-ba-chua-xu", {
      ...form,
      "place.area": "sai-khu-vuc",
      action: "save",
    });
    expect(area.status).toBe(422);
    expect(elementText(area.text, "f-place-area-err")).toContain("nui-sam");
    expect(await read(MIEU)).toBe(original);
    expect(publishes).toEqual([]);
  });
});

describe("image picker", () => {
  it("offers uploaded images, refuses a picture without its credit, and saves one with it", async () => {
    expect((await upload("mieu-ba-chua-xu", "mieu.png", PNG)).status).toBe(201);
    const [name] = await readdir(uploadsDir);
    const url = `/media/${name}`;
    const page = (await get("/entries/mieu-ba-chua-xu/edit")).text;
    expect(page).toMatch(/<select id="f-images-0-file" name="images.0.file"/);
    expect(page).toContain(`<option value="${url}">`);
    const original = await read(MIEU);
    const form = formOf(page);
    const chosen = { ...form, "images.0.file": url, "images.0.alt.vi": "Miếu Bà nhìn từ quảng trường" };
    const refused = await post("/entries/mieu-ba-chua-xu", { ...chosen, action: "save" });
    expect(refused.status).toBe(422);
    for (const field of ["alt-en", "author", "licence", "sourceUrl"]) {
      expect(elementText(refused.text, `f-images-0-${field}-err`), field).not.toBe("");
    }
    expect(formOf(refused.text)["images.0.file"]).toBe(url);
    expect(await read(MIEU)).toBe(original);

    const saved = await post("/entries/mieu-ba-chua-xu", {
      ...chosen,
      "images.0.alt.en": "The temple from the square",
      "images.0.author": "Nguyễn Văn A",
      "images.0.licence": "CC BY-SA 4.0",
      "images.0.sourceUrl": "ftp://example.org/x",
      action: "save",
    });
    expect(saved.status).toBe(422);
    expect(elementText(saved.text, "f-images-0-sourceUrl-err")).toContain("phải là liên kết http");
    const ok = await post("/entries/mieu-ba-chua-xu", {
      ...formOf(saved.text),
      "images.0.sourceUrl": "https://commons.wikimedia.org/wiki/File:Mieu.png",
      action: "save",
    });
    expect(ok.status).toBe(303);
    const { entries, problems } = await loadContent(contentDir);
    expect(problems).toEqual([]);
    expect(entries.find((e) => e.id === "mieu-ba-chua-xu")?.images).toEqual([
      {
        file: url,
        alt: { vi: "Miếu Bà nhìn từ quảng trường", en: "The temple from the square" },
        author: "Nguyễn Văn A",
        licence: "CC BY-SA 4.0",
        sourceUrl: "https://commons.wikimedia.org/wiki/File:Mieu.png",
      },
    ]);
  });
});

describe("image upload", () => {
  it("accepts a real PNG under a generated name and shows its URL", async () => {
    const res = await upload("mieu-ba-chua-xu", "anh mieu.png", PNG);
    expect(res.status).toBe(201);
    const names = await readdir(uploadsDir);
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/^mieu-ba-chua-xu-[0-9a-f]{12}\.png$/);
    expect(await readFile(path.join(uploadsDir, names[0] as string))).toEqual(PNG);
    expect(res.text).toContain(`/media/${names[0]}`);
    expect(audits).toEqual([
      { user: "lan", action: "entry.image", target: "mieu-ba-chua-xu", detail: names[0] },
    ]);
    expect((await get("/entries/mieu-ba-chua-xu/edit")).text).toContain(`/media/${names[0]}`);
  });

  it("refuses a .png that is not a PNG, and a file over 2 MB with 413", async () => {
    const fake = await upload("mieu-ba-chua-xu", "x.png", Buffer.from("GIF89a not really a png"));
    expect(fake.status).toBe(415);
    expect(fake.text).toContain("Chỉ nhận ảnh JPEG, PNG hoặc WebP");
    const big = Buffer.concat([PNG, Buffer.alloc(2 * 1024 * 1024)]);
    const tooBig = await upload("mieu-ba-chua-xu", "big.png", big);
    expect(tooBig.status).toBe(413);
    expect(tooBig.text).toContain("tối đa 2 MB");
    const mismatch = await upload("mieu-ba-chua-xu", "x.webp", PNG);
    expect(mismatch.status).toBe(415);
    expect(await readdir(uploadsDir).catch(() => [])).toEqual([]);
  });

  it("accepts an image of exactly the size limit, and refuses one byte more", async () => {
    const exact = Buffer.concat([PNG, Buffer.alloc(MAX_IMAGE_BYTES - PNG.length)]);
    expect(exact.length).toBe(MAX_IMAGE_BYTES);
    const res = await upload("mieu-ba-chua-xu", "exact.png", exact);
    expect(res.status).toBe(201);
    const names = await readdir(uploadsDir);
    expect(names).toHaveLength(1);
    expect((await readFile(path.join(uploadsDir, names[0] as string))).length).toBe(MAX_IMAGE_BYTES);
    const over = await upload("mieu-ba-chua-xu", "over.png", Buffer.concat([exact, Buffer.from([0])]));
    expect(over.status).toBe(413);
    expect(await readdir(uploadsDir)).toHaveLength(1);
  });

  it("never lets the uploaded name choose the path", async () => {
    const res = await upload("mieu-ba-chua-xu", "../../x.png", PNG);
    expect(res.status).toBe(201);
    expect(await readdir(uploadsDir)).toEqual([expect.stringMatching(/^mieu-ba-chua-xu-[0-9a-f]{12}\.png$/)]);
    expect((await readdir(tmp)).sort()).toEqual(["content", "package.md", "uploads"]);
    await expect(readFile(path.resolve(uploadsDir, "../../x.png"))).rejects.toThrow(/ENOENT/);
  });

  it("stores nothing when the guard refuses the form's CSRF field", async () => {
    const res = await upload("mieu-ba-chua-xu", "x.png", PNG, "wrong");
    expect(res.status).toBe(403);
    expect(await readdir(uploadsDir).catch(() => [])).toEqual([]);
  });

  it("answers 400 to an upload that is not a multipart form", async () => {
    const res = await post("/entries/mieu-ba-chua-xu/images", { _csrf: "t", image: "x" });
    expect(res.status).toBe(400);
    expect(res.text).toContain("Biểu mẫu tải ảnh không hợp lệ");
  });
});

describe("ids in the URL", () => {
  it("refuses path traversal before reading anything", async () => {
    for (const p of [
      "/entries/..%2F..%2Fpackage/edit",
      "/entries/..%2Fpackage/edit",
      "/entries/..%2Fpackage/preview",
      "/entries/%2E%2E/edit",
      "/entries/..%2Fpackage/delete",
    ]) {
      const res = await get(p);
      expect([400, 404], p).toContain(res.status);
      expect(res.text, p).not.toContain("SECRET-OUTSIDE");
    }
    const posted = await post("/entries/..%2F..%2Fpackage", { _csrf: "t", "title.vi": "x" });
    expect(posted.status).toBe(400);
    await mkdir(path.join(tmp, "x"), { recursive: true });
    expect(await readFile(path.join(tmp, "package.md"), "utf8")).toContain("SECRET-OUTSIDE");
    expect((await upload("..%2Fpackage", "x.png", PNG)).status).toBe(400);
  });

  it("answers 404 for an id without an entry", async () => {
    const res = await get("/entries/khong-co/edit");
    expect(res.status).toBe(404);
    expect(res.text).toContain("Không có mục nào có id “khong-co”");
  });
});

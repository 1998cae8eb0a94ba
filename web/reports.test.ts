import { readdir } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  EDITOR,
  hidden,
  login,
  request,
  startReportsApp,
  VIEWER,
  type ReportsApp,
} from "./testing/reports-app.ts";

/**
 * Tourist reports over HTTP, in-process on 127.0.0.1 with the real store, admin auth and assistant: the
 * widget's report through /api/ask and /api/reports/photo (a wrong file type, an oversized photo, a
 * malformed upload), the status API and page for the link's holder only (a forged or guessed code shows
 * nothing), the photo never public, the inbox (filters, overdue, case page, status, assignment, notes,
 * reply delivered to the widget's mailbox), the audit log, the CSV export, and the public figures.
 */

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(300, 9)]);
const CONV = "widget-conv-0001-abcd";

let app: ReportsApp;
let code = "";
let token = "";

beforeAll(async () => {
  app = await startReportsApp({ now: "2026-11-22T02:00:00Z", maxPhotoBytes: 4096 });
}, 60_000);
afterAll(async () => {
  await app?.close();
});

async function ask(message: string, conversationId = CONV) {
  const res = await request(app.origin, "/api/ask", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ message, conversationId }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { answer: string; suggestions: string[]; intent: string };
}

async function upload(
  bytes: Buffer,
  fields: Record<string, string> = { conversationId: CONV },
  type = "image/jpeg",
) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  form.set("photo", new Blob([bytes], { type }), "anh.jpg");
  return fetch(`${app.origin}/api/reports/photo`, { method: "POST", body: form });
}

describe("a report from the widget", () => {
  it("goes through the steps with a photo upload; bad uploads get a 4xx or a clear message", async () => {
    expect((await ask("tôi muốn phản ánh")).answer).toContain("Chọn một mục");
    await ask("3");
    // A location out of range is a 400; the widget's shared location is taken with the typed place.
    const bad = await request(app.origin, "/api/ask", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ message: "[Vị trí]", conversationId: CONV, location: { lat: 200, lng: 0 } }),
    });
    expect(bad.status).toBe(400);
    await ask("Bến đò Châu Giang");
    await ask("sáng nay");
    // Before the photo step is done: a page that is not a picture, an oversized photo, a malformed upload.
    const wrong = await upload(
      Buffer.from("<html>not a picture</html>"),
      { conversationId: CONV },
      "image/png",
    );
    expect(wrong.status).toBe(200);
    expect(((await wrong.json()) as { answer: string }).answer).toContain(
      "không phải ảnh JPEG, PNG hoặc WebP",
    );
    const big = await upload(Buffer.concat([JPEG, Buffer.alloc(5000)]));
    expect(((await big.json()) as { answer: string }).answer).toContain("Ảnh lớn quá");
    expect((await upload(JPEG, { conversationId: "bad id!" })).status).toBe(400);
    expect(
      (
        await fetch(`${app.origin}/api/reports/photo`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: "{}",
        })
      ).status,
    ).toBe(415);
    expect(
      (
        await fetch(`${app.origin}/api/reports/photo`, {
          method: "POST",
          headers: { "content-type": "multipart/form-data; boundary=x" },
          body: "--x\r\nbroken",
        })
      ).status,
    ).toBeGreaterThanOrEqual(400);
    const ok = await upload(JPEG);
    expect(((await ok.json()) as { answer: string }).answer).toContain("Đã nhận ảnh");
    const filed = await ask("Rác thải đầy bến, không có thùng rác");
    code = /CD-2026-\d{6}/.exec(filed.answer)?.[0] as string;
    token = /\?t=([A-Za-z0-9_-]{22})/.exec(filed.answer)?.[1] as string;
    expect(code).toBeDefined();
    expect(token).toBeDefined();
    expect((await app.store.getCase(code))?.category).toBe("cleanliness");
    // The photo is stored in the private folder, and nowhere under the public uploads.
    expect(await readdir(app.photoDir)).toHaveLength(1);
    expect(await readdir(app.uploadsDir)).toEqual([]);
  });

  it("shows the status to the link's holder only; a forged or guessed code looks like an unknown one", async () => {
    const ok = await request(app.origin, `/api/reports/${code}?token=${token}`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ code, status: "received", category: "cleanliness" });
    const forged = await request(app.origin, `/api/reports/${code}?token=${"A".repeat(22)}`);
    const unknown = await request(app.origin, `/api/reports/CD-2026-999999?token=${token}`);
    const malformed = await request(app.origin, `/api/reports/CD-2026-1?token=x`);
    expect([forged.status, unknown.status, malformed.status]).toEqual([404, 404, 404]);
    expect(await forged.text()).toBe(await unknown.text());

    const page = await request(app.origin, `/bao-cao/${code}?t=${token}`);
    expect(page.status).toBe(200);
    expect(page.headers.get("cache-control")).toBe("no-store");
    expect(page.headers.get("referrer-policy")).toBe("no-referrer");
    const body = await page.text();
    expect(body).toContain("Đã tiếp nhận");
    expect(body).not.toContain("Rác thải đầy bến");
    const en = await (await request(app.origin, `/en/bao-cao/${code}?t=${token}`)).text();
    expect(en).toContain("Received");
    expect((await request(app.origin, `/bao-cao/${code}?t=${"B".repeat(22)}`)).status).toBe(404);
    // Another widget conversation asking in the chat gets nothing.
    expect((await ask(`trạng thái ${code}`, "someone-else")).answer).toContain("Không tìm thấy");
  });

  it("never serves the photo publicly; staff see it after login", async () => {
    const c = await app.store.getCase(code);
    expect(c?.photo).toBeDefined();
    expect((await request(app.origin, `/media/${c?.photo}`)).status).toBe(404);
    expect((await request(app.origin, `/media/report-photos/${c?.photo}`)).status).toBe(404);
    const anon = await request(app.origin, `/admin/reports/${code}/photo`);
    expect(anon.status).toBe(303);
    const jar = await login(app.origin, VIEWER);
    const photo = await request(app.origin, `/admin/reports/${code}/photo`, { jar });
    expect(photo.status).toBe(200);
    expect(photo.headers.get("content-type")).toBe("image/jpeg");
    expect(Buffer.from(await photo.arrayBuffer()).equals(JPEG)).toBe(true);
  });
});

describe("the office's inbox", () => {
  it("lists with filters and overdue marks, and a viewer cannot change a case", async () => {
    const jar = await login(app.origin, VIEWER);
    const list = await (await request(app.origin, "/admin/reports", { jar })).text();
    expect(list).toContain(code);
    expect(await (await request(app.origin, "/admin/reports?category=prices", { jar })).text()).not.toContain(
      code,
    );
    expect(
      await (await request(app.origin, "/admin/reports?place=ch%C3%A2u%20giang", { jar })).text(),
    ).toContain(code);
    expect(await (await request(app.origin, "/admin/reports?age=old", { jar })).text()).not.toContain(code);
    // Cleanliness has the default 5 days; six days later it is overdue (and the session has expired).
    app.clock.advance(6 * 86_400_000);
    const again = await login(app.origin, VIEWER);
    const late = await (await request(app.origin, "/admin/reports?overdue=1", { jar: again })).text();
    expect(late).toContain(code);
    expect(late).toContain("Quá hạn");
    const page = await (await request(app.origin, `/admin/reports/${code}`, { jar: again })).text();
    const csrf = hidden(page, "_csrf");
    const refused = await request(app.origin, `/admin/reports/${code}/status`, {
      jar: again,
      form: { _csrf: csrf, status: "in_progress" },
    });
    expect(refused.status).toBe(403);
  });

  it("an editor moves the case, assigns it, notes, replies (delivered to the widget's mailbox); all audited", async () => {
    const jar = await login(app.origin, EDITOR);
    const page = await (await request(app.origin, `/admin/reports/${code}`, { jar })).text();
    expect(page).toContain("Rác thải đầy bến");
    expect(page).toContain("data-map");
    expect(page).toContain(`/admin/reports/${code}/photo`);
    const csrf = hidden(page, "_csrf");
    const post = (action: string, form: Record<string, string>) =>
      request(app.origin, `/admin/reports/${code}/${action}`, { jar, form: { _csrf: csrf, ...form } });
    expect((await post("status", { status: "rejected" })).status).toBe(400);
    expect((await post("status", { status: "bogus" })).status).toBe(400);
    expect((await post("status", { status: "in_progress" })).status).toBe(303);
    expect((await post("assign", { assignee: "minh" })).status).toBe(303);
    expect((await post("assign", { assignee: "nobody" })).status).toBe(400);
    expect((await post("note", { text: "Đã gọi đội vệ sinh" })).status).toBe(303);
    expect((await post("reply", { text: "Đội vệ sinh sẽ dọn trong hôm nay. Cảm ơn bạn!" })).status).toBe(303);
    const after = await (await request(app.origin, `/admin/reports/${code}`, { jar })).text();
    expect(after).toContain("Đang xử lý");
    expect(after).toContain("giao cho minh");
    expect(after).toContain("Đã gọi đội vệ sinh");
    expect(after).toContain("Gửi tới du khách: đã gửi");

    const box = await request(app.origin, `/api/conversations/${CONV}/messages`);
    const mailbox = (await box.json()) as {
      messages: { from: string; text: string }[];
    };
    expect(box.status, JSON.stringify(mailbox)).toBe(200);
    const texts = mailbox.messages.map((m) => `${m.from}: ${m.text}`).join("\n");
    expect(texts).toContain("Đội vệ sinh sẽ dọn trong hôm nay");
    expect(texts).toContain("Đang xử lý");
    // The note stays internal.
    expect(texts).not.toContain("Đã gọi đội vệ sinh");

    expect((await post("status", { status: "resolved" })).status).toBe(303);
    expect((await app.store.getCase(code))?.closedAt).toBeDefined();
    const audit = await (await request(app.origin, "/admin/audit", { jar })).text();
    for (const action of [
      "case.view",
      "case.status",
      "case.assign",
      "case.note",
      "case.reply",
      "case.photo",
      "cases.list",
      // The reporter's reads through the case link (page and API), earlier in this file.
      "case.view-by-link",
    ])
      expect(audit, action).toContain(action);
  });

  it("exports CSV without chat ids, escaped and safe from formula injection", async () => {
    await ask("tôi muốn phản ánh", "csv-conv-0002-efgh");
    await ask("7", "csv-conv-0002-efgh");
    for (let i = 0; i < 3; i++) await ask("bỏ qua", "csv-conv-0002-efgh");
    await ask('=HYPERLINK("http://evil") và "ngoặc", dấu phẩy\nxuống dòng', "csv-conv-0002-efgh");
    const jar = await login(app.origin, VIEWER);
    const res = await request(app.origin, "/admin/reports.csv", { jar });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    const csv = await res.text();
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"") và ""ngoặc"", dấu phẩy\nxuống dòng"`);
    expect(csv).not.toContain("csv-conv-0002-efgh");
    expect(csv).not.toContain(CONV);
    expect(csv.split("\r\n")[0]).toContain("code,created_at,category,status");
    expect((await request(app.origin, "/admin/reports.csv")).status).toBe(303);
  });

  it("publishes the figures without personal data, in both languages", async () => {
    const vi = await (await request(app.origin, "/phan-anh")).text();
    expect(vi).toContain("Phản ánh của du khách: kết quả xử lý");
    expect(vi).toMatch(/Tổng số phản ánh<\/dt>\s*<dd>2<\/dd>/);
    expect(vi).toContain("2026-11");
    expect(vi).not.toContain("Rác thải");
    expect(vi).not.toContain(code);
    const en = await (await request(app.origin, "/en/phan-anh")).text();
    expect(en).toContain("Median time to resolve");
    expect(en, en.slice(en.indexOf("figures-summary"), en.indexOf("figures-summary") + 600)).toMatch(
      /Resolved<\/dt>\s*<dd>1 \(50%\)<\/dd>/,
    );
    const jar = await login(app.origin, VIEWER);
    const dashboard = await (await request(app.origin, "/admin", { jar })).text();
    expect(dashboard).toContain('id="reports-data"');
    expect(dashboard).toContain("reports-chart.js");
  });
});

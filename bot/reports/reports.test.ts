import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildFromEntries, loadContent, type KnowledgeIndex } from "../../indexer/index.ts";
import {
  createAssistant,
  replay,
  type Assistant,
  type Clock,
  type Logger,
  type QuestionPhoto,
  type TrackedTurn,
} from "../assistant/index.ts";
import { openSqliteStore, type Store } from "../store/index.ts";
import { folderPhotoStore, type PhotoStore } from "./photos.ts";
import { placeFinder } from "./places.ts";
import { readCategory, readControl, readReportIntent } from "./intent.ts";
import { createReports, type Reports } from "./reports.ts";
import { HTML, JPEG } from "./test-photos.ts";

/**
 * The report dialogue through the real assistant over the real content, with the real SQLite store
 * and photos in a folder: the steps, skipping, cancelling, an emergency in the middle, a second report,
 * limits, status lookups by the reporter and by link only, and the dialogue state replayed from turns.
 */

const SILENT: Logger = { info() {}, warn() {}, error() {} };
let now = new Date("2026-11-22T02:00:00Z");
const CLOCK: Clock = { now: () => now };

const photo = (bytes: Uint8Array): QuestionPhoto => ({
  async load(max) {
    if (bytes.length > max) throw new Error("too large for the loader");
    return bytes;
  },
});

let index: KnowledgeIndex;
let dir: string;
let store: Store;
let photos: PhotoStore;
let reports: Reports;
let assistant: Assistant;
const turns = new Map<string, TrackedTurn[]>();
/** The reads of a case in the chat, as the audit log is told of them. */
const reads: string[] = [];

beforeAll(async () => {
  const { entries } = await loadContent(path.resolve(import.meta.dirname, "../../content"));
  ({ index } = await buildFromEntries(entries, "0".repeat(64)));
  dir = await mkdtemp(path.join(tmpdir(), "chau-doc-reports-"));
  store = openSqliteStore(path.join(dir, "store.db"), { writer: "here" });
  photos = folderPhotoStore(path.join(dir, "private-reports"));
  reports = createReports({
    store,
    photos,
    clock: CLOCK,
    log: SILENT,
    findPlace: placeFinder(index),
    onRead: async (code, channel) => {
      reads.push(`${channel}:${code}`);
    },
    options: { perDay: 3, maxDescription: 120, maxPhotoBytes: 1000 },
  });
  assistant = createAssistant({
    index,
    clock: CLOCK,
    store,
    beforeAnswer: async (turn) => {
      const reply = await reports.hook(turn);
      const id = turn.question.conversationId ?? "";
      if (reply?.turn) turns.set(id, [...(turns.get(id) ?? []), reply.turn]);
      return reply;
    },
  });
});

afterAll(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

let chats = 0;
function chat(channel = "test") {
  const id = `c${++chats}`;
  const q = (text: string, extra: object = {}) =>
    assistant.ask({
      text,
      conversationId: `${channel}:${id}`,
      userId: `${channel}:${id}`,
      channel,
      ...extra,
    });
  return { id: `${channel}:${id}`, q };
}

describe("intent", () => {
  it("starts on wanting to report, in Vietnamese with and without diacritics and in English", () => {
    for (const t of [
      "tôi muốn phản ánh",
      "toi muon phan anh",
      "bị chặt chém",
      "bi chat chem o nui Sam",
      "report a scam",
      "I want to complain",
      "/report",
      "/phananh",
      "Gửi phản ánh",
      "Send a report",
    ])
      expect(readReportIntent(t), t).toEqual({ kind: "start" });
  });

  it("answers questions about complaining and offers the button (near), and leaves others alone", () => {
    expect(readReportIntent("where do I complain about a vendor")).toEqual({ kind: "near" });
    expect(readReportIntent("khiếu nại ở đâu?")).toEqual({ kind: "near" });
    expect(readReportIntent("How do I report a scam or overcharging?")).toEqual({ kind: "near" });
    expect(readReportIntent("Bị chèo kéo, lừa đảo ở núi Sam thì làm gì?")).toEqual({ kind: "near" });
    expect(readReportIntent("tôi muốn phản ánh, làm sao?")).toEqual({ kind: "start" });
    expect(readReportIntent("Miếu Bà Chúa Xứ ở đâu?")).toBeUndefined();
    expect(readReportIntent("weather report for tomorrow")).toBeUndefined();
  });

  it("reads status questions with a code in any spelling, and control words and categories", () => {
    expect(readReportIntent("trạng thái CD-2026-000123")).toEqual({ kind: "status", code: "CD-2026-000123" });
    expect(readReportIntent("/status cd-2026-7")).toEqual({ kind: "status", code: "CD-2026-000007" });
    expect(readReportIntent("/status")).toEqual({ kind: "status" });
    expect(readControl("Bỏ qua")).toBe("skip");
    expect(readControl("HỦY")).toBe("cancel");
    expect(readControl("bay gio")).toBe("now");
    expect(readCategory("1")).toBe("prices");
    expect(readCategory("Thất lạc đồ, người")).toBe("lost");
    expect(readCategory("7")).toBe("other");
    expect(readCategory("9")).toBeUndefined();
  });

  it("reads no language from a case code or a link token (a token can hold '-a-' or '_I_')", async () => {
    const c = chat();
    await c.q("xin chào");
    const a = await c.q("/status CD-2026-000001 a-I-the_my-a-I-the_my-a");
    expect(a.language).toBe("vi");
  });
});

describe("the report dialogue", () => {
  it("files a full report: category, a named place, now, a photo, a description; replayed state matches", async () => {
    const c = chat();
    const first = await c.q("tôi muốn phản ánh");
    expect(first.intent).toBe("report");
    expect(first.answer).toContain("1. Giá cả, lừa đảo");
    expect(first.suggestions).toContain("Giá cả, lừa đảo");
    expect((await c.q("Giá cả, lừa đảo")).answer).toContain("ở đâu");
    expect((await c.q("ở Miếu Bà Chúa Xứ")).answer).toContain("khi nào");
    expect((await c.q("bây giờ")).answer).toContain("ảnh");
    expect((await c.q("", { photo: photo(JPEG) })).answer).toContain("Đã nhận ảnh");
    const filed = await c.q("Bán nước 50.000đ một chai, ép mua nhang");
    const code = /CD-2026-\d{6}/.exec(filed.answer)?.[0] as string;
    expect(code).toBeDefined();
    const token = /\?t=([A-Za-z0-9_-]{22})/.exec(filed.answer)?.[1] as string;
    expect(token).toBeDefined();

    const stored = await store.getCase(code);
    expect(stored).toMatchObject({
      channel: "test",
      category: "prices",
      status: "received",
      conversationId: c.id,
      description: "Bán nước 50.000đ một chai, ép mua nhang",
      place: { entryId: "mieu-ba-chua-xu", text: "ở Miếu Bà Chúa Xứ" },
      dueAt: "2026-11-25T02:00:00.000Z",
    });
    expect(stored?.when).toMatch(/^Bây giờ \(2026-11-22T02:00/);
    expect(stored?.photo).toMatch(/^[a-f0-9]{32}\.jpg$/);
    expect(await readdir(path.join(dir, "private-reports"))).toContain(stored?.photo);
    expect(stored?.transcript.map((l) => l.from)).toEqual([
      "user",
      "bot",
      "user",
      "bot",
      "user",
      "bot",
      "user",
      "bot",
      "user",
      "bot",
      "user",
      "bot",
    ]);
    expect(JSON.stringify(stored)).not.toContain(token);

    // The dialogue state is a reduction over the turns: replaying them gives the same report (none open).
    const state = replay(turns.get(c.id) ?? []);
    expect(state.report).toBeUndefined();
    const mid = replay((turns.get(c.id) ?? []).slice(0, 4));
    expect(mid.report).toMatchObject({
      step: "photo",
      draft: { category: "prices", place: { entryId: "mieu-ba-chua-xu" } },
    });

    // Status: the reporter sees it; another user with the code does not; the token holder does.
    reads.length = 0;
    expect((await c.q(`trạng thái ${code}`)).answer).toContain("Đã tiếp nhận");
    const other = chat();
    const refused = await other.q(`trạng thái ${code}`);
    const unknown = await other.q("trạng thái CD-2026-999999");
    expect(refused.answer).toBe(unknown.answer);
    expect(refused.answer).not.toContain(code);
    expect((await other.q(`/status ${code} ${token}`)).answer).toContain("Đã tiếp nhận");
    // Two reads of the case (the reporter's and the token holder's); the refused ones are not reads.
    expect(reads.map((r) => r.split(":").at(-1))).toEqual([code, code]);
    expect(await reports.caseForToken(code, token)).toBeDefined();
    expect(await reports.caseForToken(code, "A".repeat(22))).toBeUndefined();
  });

  it("skips where, when and photo; a shared location is the place; English throughout", async () => {
    const c = chat();
    expect((await c.q("I want to report a scam")).answer).toContain("What would you like to report?");
    await c.q("2");
    expect((await c.q("", { location: { lat: 10.68, lng: 105.08 } })).answer).toContain(
      "When did it happen?",
    );
    await c.q("skip");
    expect((await c.q("skip")).answer).toContain("describe");
    const filed = await c.q("A man grabbed phones near the landing");
    const code = /CD-2026-\d{6}/.exec(filed.answer)?.[0] as string;
    expect(filed.answer).toContain(`Report ${code} received`);
    const c2 = await store.getCase(code);
    expect(c2).toMatchObject({
      category: "safety",
      lang: "en",
      place: { lat: 10.68, lng: 105.08 },
      dueAt: "2026-11-23T02:00:00.000Z",
    });
    expect(c2).not.toHaveProperty("photo");
    expect(c2).not.toHaveProperty("when");
  });

  it("cancels at any step, and nothing is filed", async () => {
    const c = chat();
    const before = (await store.listCases()).length;
    await c.q("phan anh");
    await c.q("3");
    const cancelled = await c.q("hủy");
    expect(cancelled.answer).toContain("Đã hủy phản ánh");
    expect((await store.listCases()).length).toBe(before);
    // After cancelling, questions are answered normally again.
    expect((await c.q("Miếu Bà Chúa Xứ ở đâu?")).intent).not.toBe("report");
  });

  it("an emergency in the middle gets the numbers first, then the report goes on where it was", async () => {
    const c = chat();
    await c.q("tôi muốn phản ánh");
    await c.q("6");
    const sos = await c.q("con tôi bị lạc ở chợ, cứu với");
    expect(sos.intent).toBe("emergency");
    expect(sos.answer.indexOf("113")).toBeGreaterThanOrEqual(0);
    expect(sos.answer.indexOf("113")).toBeLessThan(sos.answer.indexOf("Phản ánh của bạn vẫn đang mở"));
    expect(sos.answer).toContain("Việc xảy ra ở đâu?");
    expect((await c.q("chợ Châu Đốc")).answer).toContain("khi nào");
  });

  it("a second report while one is open: continue or start over", async () => {
    const c = chat();
    await c.q("tôi muốn phản ánh");
    await c.q("4");
    // "bị chặt chém" is an answer here (where: the words as typed); asking for a report again is not.
    expect((await c.q("bị chặt chém")).answer).toContain("Việc xảy ra khi nào?");
    await c.q("hủy");
    await c.q("tôi muốn phản ánh");
    await c.q("4");
    const again = await c.q("tôi muốn phản ánh");
    expect(again.answer).toContain("chưa gửi xong");
    expect(again.suggestions).toEqual(["Tiếp tục", "Làm lại", "Hủy"]);
    expect((await c.q("Tiếp tục")).answer).toContain("Việc xảy ra ở đâu?");
    await c.q("tôi muốn phản ánh");
    expect((await c.q("Làm lại")).answer).toContain("Chọn một mục");
    expect((await c.q("không biết")).answer).toContain("Tôi chưa rõ mục nào");
  });

  it("a wrong file type and an oversized photo are refused and the step stays; a long description is kept whole in the conversation", async () => {
    const c = chat();
    await c.q("tôi muốn phản ánh");
    await c.q("5");
    await c.q("bỏ qua");
    await c.q("hôm qua");
    expect((await c.q("", { photo: photo(HTML) })).answer).toContain("không phải ảnh JPEG, PNG hoặc WebP");
    expect((await c.q("", { photo: photo(Buffer.concat([JPEG, Buffer.alloc(2000)])) })).answer).toContain(
      "Tôi chưa tải được ảnh",
    );
    expect((await c.q("tiếp")).answer).toContain("mô tả");
    const long = `Khách sạn không hoàn tiền đặt cọc. ${"Rất bức xúc. ".repeat(20)}Kết thúc.`;
    const filed = await c.q(long);
    expect(filed.answer).toContain("quá giới hạn 120");
    const code = /CD-2026-\d{6}/.exec(filed.answer)?.[0] as string;
    const stored = await store.getCase(code);
    expect([...(stored?.description ?? "")]).toHaveLength(120);
    expect(stored?.transcript.some((l) => l.text === long)).toBe(true);
  });

  it("takes a photo sent before its step, and then passes over the photo step", async () => {
    const c = chat();
    await c.q("tôi muốn phản ánh");
    const early = await c.q("", { photo: photo(JPEG) });
    expect(early.answer).toContain("Đã nhận ảnh");
    expect(early.answer).toContain("Chọn một mục");
    expect((await c.q("", { photo: photo(HTML) })).answer).toContain("không phải ảnh JPEG, PNG hoặc WebP");
    await c.q("4");
    await c.q("cầu tàu Châu Giang");
    expect((await c.q("bây giờ")).answer).toContain("mô tả");
    const filed = await c.q("Cầu tàu gãy ván, rất nguy hiểm cho khách");
    const code = /CD-2026-\d{6}/.exec(filed.answer)?.[0] as string;
    expect((await store.getCase(code))?.photo).toMatch(/\.jpg$/);
  });

  it("answers a question about complaining and offers the report button", async () => {
    const c = chat();
    const a = await c.q("where do I complain about a vendor");
    expect(a.intent).not.toBe("report");
    expect(a.suggestions[0]).toBe("Send a report");
    expect((await c.q("Send a report")).answer).toContain("What would you like to report?");
  });

  it("limits reports per user per day", async () => {
    const c = chat("limit");
    for (let i = 0; i < 3; i++) {
      await c.q("/report");
      await c.q("7");
      for (let s = 0; s < 3; s++) await c.q("bỏ qua");
      expect((await c.q(`Vấn đề số ${i}`)).answer).toContain("Đã tiếp nhận phản ánh");
    }
    expect((await c.q("/report")).answer).toContain("mức tối đa");
    now = new Date(now.getTime() + 25 * 3600_000);
    expect((await c.q("/report")).answer).toContain("Chọn một mục");
    await c.q("hủy");
  });
});

import { once } from "node:events";
import type http from "node:http";
import type { AddressInfo } from "node:net";
import express, { Router, type RequestHandler } from "express";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMemoryStore, entryUrl, type InteractionRecord, type Store } from "../../bot/index.ts";
import type { ContentEntry } from "../../indexer/index.ts";
import type { Live } from "../app.ts";
import { errorHandler } from "../errors.ts";
import { dashboardRouter, type DashboardOptions } from "./dashboard.ts";
import type { AdminAuth, AdminDeps, AdminRole } from "./types.ts";
import { closeServer } from "../testing/servers.ts";

/**
 * The dashboard in a tiny express app on an ephemeral port, with a fake auth (always a viewer), a fixed
 * clock (31 March 2025, 09:00 in Vietnam: the default period is 2–31 March) and a memory store seeded
 * with questions across channels, days and languages, feedback and unanswered questions.
 */

const NOW = new Date("2025-03-31T09:00:00+07:00");
const SECRET_HASHES = [
  "u5e7a11ce0000000000000000000000a1",
  "u5e7b0b000000000000000000000000b2",
  "c0nve75a7100000000000000000000c3",
];
const [USER_A, USER_B, CONVERSATION] = SECRET_HASHES as [string, string, string];
const TEMPLE = "temple-ba-chua-xu";
const TEMPLE_TITLE = "Miếu Bà Chúa Xứ Núi Sam";
const TRICKY_COMMENT = 'Sai giờ, "chiều" đóng\ncửa lúc 17h';
const XSS = "<script>alert(1)</script>";

let n = 0;
function rec(overrides: Partial<InteractionRecord>): InteractionRecord {
  return {
    answerId: `ans-${n++}`,
    at: "2025-03-10T03:00:00.000Z",
    channel: "web",
    userHash: USER_A,
    conversationHash: CONVERSATION,
    question: "Chợ nổi Châu Đốc ở đâu?",
    language: "vi",
    intent: "place",
    confidence: 0.9,
    sources: [],
    answer: "Trên sông Hậu, gần cầu Cồn Tiên.",
    composer: "extractive",
    latencyMs: 10,
    ...overrides,
  };
}

/** What the store holds; the comments say which tables each row must (not) reach. */
const SEED: { record: InteractionRecord; feedback?: { helpful: boolean; comment?: string } }[] = [
  // The top question: three times on three channels, differently written.
  {
    record: rec({
      question: "Miếu Bà Chúa Xứ mở cửa lúc nào?",
      sources: [TEMPLE],
      at: "2025-03-05T02:00:00Z",
    }),
  },
  {
    record: rec({
      question: "miếu bà chúa xứ mở cửa lúc nào",
      channel: "telegram",
      userHash: USER_B,
      sources: [TEMPLE, "sam-mountain"],
      at: "2025-03-06T02:00:00Z",
    }),
  },
  {
    record: rec({
      question: "  Miếu Bà Chúa Xứ mở cửa lúc nào ?? ",
      channel: "zalo-oa",
      sources: [TEMPLE],
      at: "2025-03-07T02:00:00Z",
    }),
  },
  { record: rec({ question: "When does the boat to Tân Châu leave?", language: "en", channel: "telegram" }) },
  // Content gaps: two wordings of one question, and another topic.
  {
    record: rec({
      question: "miếu bà mở cửa mấy giờ",
      intent: "out_of_scope",
      confidence: 0.1,
      sources: [],
      at: "2025-03-12T05:00:00Z",
    }),
  },
  {
    record: rec({
      question: "mieu ba mo cua may gio?",
      intent: "info",
      confidence: 0.2,
      channel: "zalo-oa",
      sources: [],
      at: "2025-03-13T05:00:00Z",
    }),
  },
  {
    record: rec({ question: "giá vé cáp treo", intent: "out_of_scope", confidence: 0, sources: [] }),
  },
  // Unhelpful answers: one with a comment full of CSV specials, one with a question that looks like a formula.
  {
    record: rec({
      question: "Giờ mở cửa Lăng Thoại Ngọc Hầu?",
      answer: "Mở cửa từ 6 giờ đến 18 giờ hằng ngày, kể cả ngày lễ.",
      at: "2025-03-20T01:00:00Z",
    }),
    feedback: { helpful: false, comment: TRICKY_COMMENT },
  },
  { record: rec({ question: "=1+1 là mấy?", at: "2025-03-21T01:00:00Z" }), feedback: { helpful: false } },
  { record: rec({ question: "Núi Sam cao bao nhiêu?" }), feedback: { helpful: true, comment: "Rất hay" } },
  // Markup in a question and in a channel name must stay text (the channel also lands in the JSON island).
  {
    record: rec({ question: XSS, channel: "</script><script>alert(2)</script>", intent: "out_of_scope" }),
  },
  // The first day of the default period begins at 17:00 UTC on 1 March; the minute before is outside it.
  { record: rec({ question: "câu hỏi lúc nửa đêm đầu kỳ", at: "2025-03-01T17:00:00.000Z" }) },
  { record: rec({ question: "câu hỏi một phút trước kỳ", at: "2025-03-01T16:59:00.000Z" }) },
  // February: outside the default period.
  {
    record: rec({ question: "Câu hỏi cũ tháng hai", at: "2025-02-10T03:00:00Z", intent: "out_of_scope" }),
    feedback: { helpful: false, comment: "Góp ý cũ tháng hai" },
  },
];

const CSV_TABLES = [
  "per-day",
  "per-channel",
  "languages",
  "top-questions",
  "top-entries",
  "unhelpful",
  "gaps",
];

const log = pino({ level: "silent" });
const servers: http.Server[] = [];
let base = "";
let store: Store;
const required: AdminRole[] = [];

/** Auth that lets everyone in as the viewer "lan" and remembers which role each route asked for. */
function fakeAuth(allow = true): AdminAuth {
  return {
    router: Router(),
    require: (role) => {
      required.push(role);
      const handler: RequestHandler = (_req, res, next) => {
        if (!allow) return void res.status(403).send("forbidden");
        res.locals.adminUser = { name: "lan", role: "viewer" };
        res.locals.csrfToken = "t";
        next();
      };
      return handler;
    },
  };
}

const ENTRIES: Record<string, Pick<ContentEntry, "id" | "type" | "title">> = {
  [TEMPLE]: { id: TEMPLE, type: "attraction", title: { vi: TEMPLE_TITLE, en: "Lady Chúa Xứ Temple" } },
};

async function serve(auth: AdminAuth, options: DashboardOptions = {}): Promise<string> {
  const live = { index: { get: (id: string) => ENTRIES[id] } } as unknown as Live;
  const deps = {
    store,
    auth,
    clock: { now: () => NOW },
    live: () => live,
    log,
  } as unknown as AdminDeps;
  const app = express();
  app.use("/admin", dashboardRouter(deps, options));
  app.use(errorHandler(log));
  const server = app.listen(0, "127.0.0.1");
  servers.push(server);
  await once(server, "listening");
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  store = createMemoryStore();
  for (const { record, feedback } of SEED) {
    await store.recordInteraction(record);
    if (feedback) {
      const at = new Date(Date.parse(record.at) + 60_000).toISOString();
      await store.recordFeedback({ answerId: record.answerId, at, ...feedback });
    }
  }
  base = await serve(fakeAuth());
});

afterAll(async () => {
  await Promise.all(servers.map(closeServer));
});

async function page(query = "", at = base): Promise<{ status: number; type: string; body: string }> {
  const res = await fetch(`${at}/admin/${query ? `?${query}` : ""}`);
  return { status: res.status, type: res.headers.get("content-type") ?? "", body: await res.text() };
}

/** The HTML of one section of the page, found by its heading id. */
function section(body: string, id: string): string {
  const start = body.indexOf(`id="${id}"`);
  expect(start).toBeGreaterThan(-1);
  return body.slice(start, body.indexOf("</section>", start));
}

/** The rows of a section's table, each as the text of its cells (tags stripped, entities decoded). */
function rows(body: string, id: string): string[][] {
  const tbody = /<tbody>([\s\S]*?)<\/tbody>/.exec(section(body, id))?.[1] ?? "";
  return [...tbody.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((tr) =>
    [...(tr[1] ?? "").matchAll(/<t([hd])[^>]*>([\s\S]*?)<\/t\1>/g)].map((cell) => text(cell[2] ?? "")),
  );
}

/** The attributes of the form control named `name`. */
function control(body: string, name: string): string {
  const tag = new RegExp(`<(?:input|select)\\b[^>]*\\bname="${name}"[^>]*>`).exec(body)?.[0];
  expect(tag).toBeDefined();
  return (tag ?? "").replace(/\s+/g, " ");
}

function text(fragment: string): string {
  return decode(fragment.replace(/<[^>]+>/g, " "))
    .replace(/\s+/g, " ")
    .trim();
}

function decode(s: string): string {
  return s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}

type Csv = { status: number; type: string; disposition: string; bytes: Uint8Array; rows: string[][] };

async function csv(table: string, query = ""): Promise<Csv> {
  const res = await fetch(`${base}/admin/stats/${table}.csv${query ? `?${query}` : ""}`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  const content = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
  return {
    status: res.status,
    type: res.headers.get("content-type") ?? "",
    disposition: res.headers.get("content-disposition") ?? "",
    bytes,
    rows: res.ok ? parseCsv(content.replace(/^\uFEFF/, "")) : [],
  };
}

/** A strict RFC 4180 reader (CRLF line ends, "" inside quotes), so that the test checks the quoting. */
function parseCsv(content: string): string[][] {
  const out: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < content.length; i++) {
    const c = content[i];
    if (quoted) {
      if (c === '"' && content[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === "") quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\r" && content[i + 1] === "\n") {
      row.push(cell);
      out.push(row);
      row = [];
      cell = "";
      i++;
    } else if (c === "\n" || c === "\r" || c === '"') throw new Error(`bare ${JSON.stringify(c)} at ${i}`);
    else cell += c;
  }
  if (quoted || cell !== "" || row.length > 0) throw new Error("the CSV does not end with CRLF");
  return out;
}

describe("GET /admin", () => {
  it("asks for a viewer, on the page and on every CSV export", async () => {
    expect(new Set(required)).toEqual(new Set(["viewer"]));
    const closed = await serve(fakeAuth(false));
    expect((await page("", closed)).status).toBe(403);
    for (const table of CSV_TABLES) {
      expect((await fetch(`${closed}/admin/stats/${table}.csv`)).status).toBe(403);
    }
  });

  it("shows the default period, the last 30 days in Vietnam, in the filter and the summary", async () => {
    const { status, type, body } = await page();
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/html; charset=utf-8/);
    expect(control(body, "from")).toContain('value="2025-03-02"');
    expect(control(body, "to")).toContain('value="2025-03-31"');
    // 14 seeded minus the minute before the period and the February one.
    expect(text(/<p class="lead">([\s\S]*?)<\/p>/.exec(body)?.[1] ?? "")).toMatch(
      /^12 câu hỏi từ 02\/03\/2025 đến 31\/03\/2025 \(mọi kênh\)/,
    );
  });

  it("lists the seeded top question, normalised, with its count", async () => {
    const { body } = await page();
    expect(rows(body, "h-top-questions")[0]).toEqual(["miếu bà chúa xứ mở cửa lúc nào", "3"]);
  });

  it("counts per channel, per language and per entry (with the entry's title and page)", async () => {
    const { body } = await page();
    expect(rows(body, "h-per-channel").slice(0, 3)).toEqual([
      ["Trang web", "7", "58,3 %"],
      ["Telegram", "2", "16,7 %"],
      ["Zalo OA", "2", "16,7 %"],
    ]);
    expect(rows(body, "h-languages")).toEqual([
      ["Tiếng Việt", "11", "91,7 %"],
      ["Tiếng Anh", "1", "8,3 %"],
    ]);
    expect(rows(body, "h-top-entries")[0]).toEqual([TEMPLE_TITLE, TEMPLE, "3"]);
    expect(section(body, "h-top-entries")).toContain(`href="${entryUrl("attraction", TEMPLE)}"`);
  });

  it("shows questions per day, in Vietnamese days, as a chart's data and as a table", async () => {
    const { body } = await page();
    const perDay = rows(body, "h-per-day");
    expect(perDay).toHaveLength(30);
    expect(perDay[0]).toEqual(["02/03/2025", "1"]); // the question at 00:00 on 2 March in Vietnam
    expect(perDay[3]).toEqual(["05/03/2025", "1"]);
    expect(perDay[4]).toEqual(["06/03/2025", "1"]);
    expect(perDay[8]).toEqual(["10/03/2025", "4"]);
    expect(perDay[1]).toEqual(["03/03/2025", "0"]);
    const island = /<script type="application\/json" id="stats-data">([\s\S]*?)<\/script>/.exec(body)?.[1];
    const data = JSON.parse(island ?? "null") as { perDay: { labels: string[]; values: number[] } };
    expect(data.perDay.labels).toHaveLength(30);
    expect(data.perDay.values.slice(0, 5)).toEqual([1, 0, 0, 1, 1]);
    expect(data.perDay.values.reduce((a, b) => a + b, 0)).toBe(12);
  });

  it("groups the unanswered questions, with a link to write an entry from the representative", async () => {
    const { body } = await page();
    const groups = rows(body, "h-gaps");
    expect(groups).toEqual([
      [
        "miếu bà mở cửa mấy giờ",
        "2",
        "(ngoài phạm vi)",
        "mieu ba mo cua may gio? (1)",
        "Viết mục mới : miếu bà mở cửa mấy giờ",
      ],
      [XSS, "1", "(ngoài phạm vi)", "(không có)", `Viết mục mới : ${XSS}`],
      ["giá vé cáp treo", "1", "(ngoài phạm vi)", "(không có)", "Viết mục mới : giá vé cáp treo"],
    ]);
    const links = [...section(body, "h-gaps").matchAll(/href="([^"]*)"/g)].map((m) => decode(m[1] ?? ""));
    const targets = links.filter((l) => l.startsWith("/admin/entries/new?"));
    expect(targets.map((l) => new URL(l, "http://x").searchParams.get("from-question"))).toEqual([
      "miếu bà mở cửa mấy giờ",
      XSS,
      "giá vé cáp treo",
    ]);
  });

  it("lists the unhelpful answers with their comment, newest first, and not the helpful one", async () => {
    const { body } = await page();
    const unhelpful = rows(body, "h-unhelpful");
    expect(unhelpful).toEqual([
      ["=1+1 là mấy?", "21/03/2025 08:00", "Trang web", "Trên sông Hậu, gần cầu Cồn Tiên.", "(không có)"],
      [
        "Giờ mở cửa Lăng Thoại Ngọc Hầu?",
        "20/03/2025 08:00",
        "Trang web",
        "Mở cửa từ 6 giờ đến 18 giờ hằng ngày, kể cả ngày lễ.",
        TRICKY_COMMENT.replace(/\s+/g, " "),
      ],
    ]);
    expect(body).not.toContain("Rất hay");
  });

  it("excludes questions outside the period and includes them when it is chosen", async () => {
    const march = await page();
    expect(march.body).toContain("câu hỏi lúc nửa đêm đầu kỳ");
    for (const absent of ["câu hỏi một phút trước kỳ", "Câu hỏi cũ tháng hai", "Góp ý cũ tháng hai"]) {
      expect(march.body).not.toContain(absent);
    }

    const february = await page("from=2025-02-01&to=2025-02-28");
    expect(control(february.body, "from")).toContain('value="2025-02-01"');
    expect(rows(february.body, "h-top-questions")).toEqual([["câu hỏi cũ tháng hai", "1"]]);
    expect(rows(february.body, "h-unhelpful")[0]?.at(-1)).toBe("Góp ý cũ tháng hai");
    expect(rows(february.body, "h-gaps")[0]?.[0]).toBe("Câu hỏi cũ tháng hai");
    expect(february.body).not.toContain("miếu bà chúa xứ mở cửa lúc nào");

    const lastMinute = await page("from=2025-03-01&to=2025-03-01");
    expect(rows(lastMinute.body, "h-top-questions")).toEqual([["câu hỏi một phút trước kỳ", "1"]]);
  });

  it("filters by channel", async () => {
    const { body } = await page("channel=telegram");
    expect(rows(body, "h-per-channel")).toEqual([["Telegram", "2", "100 %"]]);
    expect(rows(body, "h-top-questions")).toEqual([
      ["miếu bà chúa xứ mở cửa lúc nào", "1"],
      ["when does the boat to tân châu leave", "1"],
    ]);
    expect(body).toMatch(/<option value="telegram" selected>/);
    expect(section(body, "h-per-day")).toContain(
      "/admin/stats/per-day.csv?from=2025-03-02&amp;to=2025-03-31&amp;channel=telegram",
    );
  });

  it("reports a bad filter and shows the default period instead", async () => {
    const { status, body } = await page("from=2025-02-30&to=2025-03-10");
    expect(status).toBe(200);
    expect(body).toMatch(/<div class="error" id="filter-errors" role="alert">/);
    expect(body).toContain("Ngày bắt đầu phải là một ngày có thật");
    expect(control(body, "from")).toMatch(
      /value="2025-02-30" aria-invalid="true" aria-describedby="filter-errors"/,
    );
    expect(control(body, "to")).not.toContain("aria-invalid");
    expect(text(/<p class="lead">([\s\S]*?)<\/p>/.exec(body)?.[1] ?? "")).toMatch(
      /^12 câu hỏi từ 02\/03\/2025 đến 31\/03\/2025/,
    );

    const reversed = await page("from=2025-03-10&to=2025-03-01");
    expect(reversed.body).toContain("Ngày bắt đầu phải trước hoặc trùng ngày kết thúc.");
    expect((await page("from=2024-01-01&to=2025-03-01")).body).toContain("tối đa 366 ngày");
    expect((await page("channel=%3Cb%3E")).body).toContain("Kênh không hợp lệ.");
    expect((await page()).body).not.toContain('role="alert"');
  });

  it("says when the row limit cut the period short", async () => {
    const limited = await serve(fakeAuth(), { maxRows: 2 });
    // The two newest of 10 February–20 March are Lăng Thoại Ngọc Hầu (20 March) and the 13 March gap.
    const { body } = await page("from=2025-02-01&to=2025-03-20", limited);
    expect(text(/<p class="note" role="status">([\s\S]*?)<\/p>/.exec(body)?.[1] ?? "")).toContain(
      "chỉ 2 câu mới nhất được tính",
    );
    expect(text(/<p class="lead">([\s\S]*?)<\/p>/.exec(body)?.[1] ?? "")).toMatch(/^2 câu hỏi/);
    expect(rows(body, "h-top-questions").map((r) => r[0])).toEqual([
      "giờ mở cửa lăng thoại ngọc hầu",
      "mieu ba mo cua may gio",
    ]);
    // The unhelpful answer among the questions cut off (10 February) is still listed.
    expect(rows(body, "h-unhelpful").map((r) => r[0])).toEqual([
      "Giờ mở cửa Lăng Thoại Ngọc Hầu?",
      "Câu hỏi cũ tháng hai",
    ]);
    expect((await page()).body).not.toContain('class="note" role="status"');
  });

  it("keeps to the CSP: no style attributes, and no script but external files and the JSON data island", async () => {
    const { body } = await page();
    expect(body).not.toMatch(/\sstyle\s*=/i);
    expect(body).not.toMatch(/<style/i);
    const scripts = [...body.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.map((s) => (s[1] ?? "").trim())).toEqual([
      'type="application/json" id="stats-data"',
      'src="/admin/static/chart.umd.min.js" defer',
      'src="/admin/static/dashboard.js" defer',
    ]);
    expect(scripts.filter((s) => /src=/.test(s[1] ?? "")).every((s) => s[2] === "")).toBe(true);
    expect(body).not.toMatch(/\son[a-z]+\s*=/i);
  });

  it("keeps markup in questions and channel names as text, also inside the JSON data island", async () => {
    const { body } = await page();
    expect(body).not.toContain(XSS);
    expect(body).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(body).not.toContain("<script>alert(2)");
    const island = /<script type="application\/json" id="stats-data">([\s\S]*?)<\/script>/.exec(body)?.[1];
    const data = JSON.parse(island ?? "null") as { perChannel: { labels: string[] } };
    expect(data.perChannel.labels).toContain("</script><script>alert(2)</script>");
  });

  it("gives every table a caption and scoped headers, and each chart its table", async () => {
    const { body } = await page();
    const tables = body.match(/<table>/g) ?? [];
    expect(tables).toHaveLength(7);
    expect(body.match(/<caption>/g)).toHaveLength(7);
    expect(body).not.toMatch(/<th(?![^>]*scope="(col|row)")[\s>]/);
    for (const id of ["h-per-day", "h-per-channel"]) {
      expect(section(body, id)).toMatch(/class="chart-box[^"]*"[\s\S]*data-label="[^"]+"[\s\S]*<table>/);
    }
  });
});

describe("GET /admin/stats/<table>.csv", () => {
  it.each(CSV_TABLES)("%s is text/csv with a UTF-8 BOM, as a download", async (table) => {
    const got = await csv(table);
    expect(got.status).toBe(200);
    expect(got.type).toBe("text/csv; charset=utf-8");
    expect([...got.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(got.disposition).toBe(`attachment; filename="${table}_2025-03-02_2025-03-31.csv"`);
    expect(got.rows.length).toBeGreaterThan(1);
  });

  it("exports questions per day, channel and language", async () => {
    const perDay = (await csv("per-day")).rows;
    expect(perDay[0]).toEqual(["Ngày", "Số câu hỏi"]);
    expect(perDay).toHaveLength(31);
    expect(perDay.slice(1, 4)).toEqual([
      ["2025-03-02", "1"],
      ["2025-03-03", "0"],
      ["2025-03-04", "0"],
    ]);
    expect((await csv("per-channel")).rows.slice(0, 3)).toEqual([
      ["Kênh", "Số câu hỏi"],
      ["web", "7"],
      ["telegram", "2"],
    ]);
    expect((await csv("languages")).rows).toEqual([
      ["Ngôn ngữ", "Số câu hỏi"],
      ["vi", "11"],
      ["en", "1"],
    ]);
  });

  it("exports the top questions and entries", async () => {
    const questions = (await csv("top-questions")).rows;
    expect(questions[0]).toEqual(["Câu hỏi (chuẩn hoá)", "Số lần"]);
    expect(questions[1]).toEqual(["miếu bà chúa xứ mở cửa lúc nào", "3"]);
    expect(questions).toHaveLength(1 + 10);
    expect((await csv("top-entries")).rows.slice(0, 2)).toEqual([
      ["Mã mục", "Tiêu đề", "Số câu trả lời"],
      [TEMPLE, TEMPLE_TITLE, "3"],
    ]);
  });

  it("exports unhelpful answers with commas, quotes and line breaks intact and formulas guarded", async () => {
    const got = await csv("unhelpful");
    expect(got.rows).toEqual([
      ["Thời gian hỏi", "Thời gian góp ý", "Kênh", "Câu hỏi", "Trích câu trả lời", "Góp ý"],
      [
        "2025-03-21T01:00:00Z",
        "2025-03-21T01:01:00.000Z",
        "web",
        "'=1+1 là mấy?",
        "Trên sông Hậu, gần cầu Cồn Tiên.",
        "",
      ],
      [
        "2025-03-20T01:00:00Z",
        "2025-03-20T01:01:00.000Z",
        "web",
        "Giờ mở cửa Lăng Thoại Ngọc Hầu?",
        "Mở cửa từ 6 giờ đến 18 giờ hằng ngày, kể cả ngày lễ.",
        TRICKY_COMMENT,
      ],
    ]);
  });

  it("exports the content gaps, one row per wording", async () => {
    expect((await csv("gaps")).rows).toEqual([
      ["Nhóm", "Số câu trong nhóm", "Câu hỏi đại diện", "Còn thiếu", "Cách hỏi", "Số lần"],
      ["1", "2", "miếu bà mở cửa mấy giờ", "(ngoài phạm vi)", "miếu bà mở cửa mấy giờ", "1"],
      ["1", "2", "miếu bà mở cửa mấy giờ", "(ngoài phạm vi)", "mieu ba mo cua may gio?", "1"],
      ["2", "1", XSS, "(ngoài phạm vi)", XSS, "1"],
      ["3", "1", "giá vé cáp treo", "(ngoài phạm vi)", "giá vé cáp treo", "1"],
    ]);
  });

  it("applies the period and the channel", async () => {
    const february = await csv("top-questions", "from=2025-02-01&to=2025-02-28");
    expect(february.rows.slice(1)).toEqual([["câu hỏi cũ tháng hai", "1"]]);
    expect(february.disposition).toContain("top-questions_2025-02-01_2025-02-28.csv");
    const unhelpful = await csv("unhelpful", "from=2025-02-01&to=2025-02-28");
    expect(unhelpful.rows.slice(1).map((r) => r.at(-1))).toEqual(["Góp ý cũ tháng hai"]);
    const zalo = await csv("per-channel", "channel=zalo-oa");
    expect(zalo.rows.slice(1)).toEqual([["zalo-oa", "2"]]);
    expect(zalo.disposition).toContain("per-channel_2025-03-02_2025-03-31_zalo-oa.csv");
  });

  it("refuses a bad filter with 400", async () => {
    const res = await fetch(`${base}/admin/stats/gaps.csv?from=2025-13-01`);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Ngày bắt đầu");
  });

  it("is not cached", async () => {
    const res = await fetch(`${base}/admin/stats/gaps.csv`);
    expect(res.headers.get("cache-control")).toBe("private, no-store");
  });
});

describe("privacy", () => {
  it("never shows a user or conversation hash, in the page or any export, whatever the filter", async () => {
    const queries = ["", "channel=telegram", "from=2025-02-01&to=2025-03-31"];
    const outputs: string[] = [];
    for (const q of queries) {
      outputs.push((await page(q)).body);
      for (const table of CSV_TABLES) outputs.push((await csv(table, q)).rows.flat().join("\n"));
    }
    expect(outputs).toHaveLength(queries.length * (1 + CSV_TABLES.length));
    expect(outputs.join("\n")).toContain("miếu bà"); // the outputs are real, not empty
    for (const hash of SECRET_HASHES) {
      for (const output of outputs) expect(output).not.toContain(hash);
    }
    // The answer ids are internal too.
    expect(outputs.join("\n")).not.toMatch(/ans-\d+/);
  });
});

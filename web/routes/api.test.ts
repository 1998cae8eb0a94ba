import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createAssistant,
  createMemoryStore,
  type Answer,
  type AnswerEvent,
  type Assistant,
  type Clock,
  type Logger,
  type Question,
  type Store,
} from "../../bot/index.ts";
import { buildFromEntries, loadContent, type KnowledgeIndex, type Manifest } from "../../indexer/index.ts";
import { createApp, DEFAULT_APP_OPTIONS, type AppDeps, type AppOptions } from "../app.ts";
import { closeServer } from "../testing/servers.ts";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { createOutbox } from "../../bot/channels/index.ts";
import { createHandoffDesk, DEFAULT_STAFF_HOURS, parseStaffHours } from "../../bot/handoff/index.ts";
import { openSqliteStore } from "../../bot/store/index.ts";
import { openPostgresPool } from "../../bot/store/postgres.ts";
import { testDatabase } from "../../bot/store/testing/postgres.ts";

/**
 * The JSON API in-process on an ephemeral port: (a) on the real content with the real assistant (no
 * model) and a fixed clock; (b) on fakes, to control failures, streaming and limits.
 */

const CONTENT = path.resolve(import.meta.dirname, "../../content");
/** Sunday 22 November 2026, 09:00 in Vietnam. */
const CLOCK: Clock = { now: () => new Date("2026-11-22T09:00:00+07:00") };
const SILENT = pino({ level: "silent" });

type Served = { url: string; server: http.Server };
const servers: http.Server[] = [];

async function serve(deps: AppDeps): Promise<Served> {
  const server = createApp(deps).listen(0, "127.0.0.1");
  servers.push(server);
  await once(server, "listening");
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

afterAll(async () => {
  await Promise.all(servers.map(closeServer));
});

const options = (extra: Partial<AppOptions> = {}): AppOptions => ({
  ...DEFAULT_APP_OPTIONS,
  rateLimitPerMinute: 1000,
  ...extra,
});

function postJson(base: string, route: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${base}${route}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

async function json(res: Response): Promise<Record<string, unknown>> {
  return (await res.json()) as Record<string, unknown>;
}

/** The error code and message of an error response. */
async function errorOf(res: Response): Promise<{ code: string; message: string }> {
  const body = (await res.json()) as { error: { code: string; message: string } };
  return body.error;
}

type SseEvent = { event: string; data: unknown };

/** Parses a complete text/event-stream body into its events. */
function parseSse(text: string): SseEvent[] {
  return text
    .split("\n\n")
    .filter((block) => block.trim() !== "")
    .map((block) => {
      let event = "message";
      const data: string[] = [];
      for (const line of block.split("\n")) {
        if (line.startsWith("event: ")) event = line.slice("event: ".length);
        else if (line.startsWith("data: ")) data.push(line.slice("data: ".length));
        else throw new Error(`unexpected line in the event stream: ${JSON.stringify(line)}`);
      }
      return { event, data: JSON.parse(data.join("\n")) as unknown };
    });
}

/** A GET with the path sent exactly as written (fetch would normalise "../"). */
function rawGet(base: string, rawPath: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, path: rawPath, method: "GET" }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

// ------------------------------------------------------------------------------------------------
// (a) The real index and assistant.

describe("API on the real content", () => {
  let index: KnowledgeIndex;
  let store: Store;
  let base: string;

  beforeAll(async () => {
    const { entries, problems } = await loadContent(CONTENT);
    expect(problems).toEqual([]);
    ({ index } = await buildFromEntries(entries, "0".repeat(64)));
    store = createMemoryStore();
    const assistant = createAssistant({ index, store, clock: CLOCK });
    ({ url: base } = await serve({
      live: () => ({ index, assistant }),
      store,
      log: SILENT,
      clock: CLOCK,
      options: options(),
    }));
  });

  describe("POST /api/ask", () => {
    it("answers as JSON with an answerId, sources and the web channel recorded", async () => {
      const res = await postJson(base, "/api/ask", {
        message: "Miếu Bà Chúa Xứ ở đâu?",
        conversationId: "conv_test-1",
      });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      const answer = (await res.json()) as Answer;
      expect(answer.answerId).toMatch(/^[0-9a-f-]{36}$/);
      expect(answer.language).toBe("vi");
      expect(answer.composer).toBe("extractive");
      expect(answer.sources.map((s) => s.id)).toContain("mieu-ba-chua-xu");
      expect(answer.answer.length).toBeGreaterThan(20);
      const stored = await store.getInteraction(answer.answerId as string);
      expect(stored?.channel).toBe("web");
      expect(stored?.question).toBe("Miếu Bà Chúa Xứ ở đâu?");
      // The conversation id is stored hashed, never as given.
      expect(stored?.conversationHash).toMatch(/^[0-9a-f]{32}$/);
      expect(JSON.stringify(stored)).not.toContain("conv_test-1");
    });

    it("answers in the language asked for", async () => {
      const res = await postJson(base, "/api/ask", { message: "Miếu Bà Chúa Xứ ở đâu?", lang: "en" });
      expect(res.status).toBe(200);
      expect(((await res.json()) as Answer).language).toBe("en");
    });

    it("streams server-sent events whose deltas add up to the final answer", async () => {
      const res = await postJson(
        base,
        "/api/ask",
        { message: "Miếu Bà Chúa Xứ mở cửa mấy giờ?" },
        { accept: "text/event-stream" },
      );
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
      expect(res.headers.get("cache-control")).toBe("no-cache");
      expect(res.headers.get("x-accel-buffering")).toBe("no");
      const events = parseSse(await res.text());
      const deltas = events.filter((e) => e.event === "delta");
      expect(deltas.length).toBeGreaterThan(1);
      expect(events.at(-1)?.event).toBe("answer");
      expect(events.filter((e) => e.event === "answer")).toHaveLength(1);
      const answer = events.at(-1)?.data as Answer;
      expect(deltas.map((d) => (d.data as { text: string }).text).join("")).toBe(answer.answer);
      expect(answer.sources.map((s) => s.id)).toContain("mieu-ba-chua-xu");
      expect(await store.getInteraction(answer.answerId as string)).toBeDefined();
    });

    it("rejects malformed JSON, a missing message, wrong types and a bad language with 400", async () => {
      const malformed = await postJson(base, "/api/ask", '{"message": "hi"');
      expect(malformed.status).toBe(400);
      expect((await errorOf(malformed)).code).toBe("bad_request");

      const missing = await postJson(base, "/api/ask", { lang: "vi" });
      expect(missing.status).toBe(400);
      const missingError = await errorOf(missing);
      expect(missingError.code).toBe("bad_request:ask");
      expect(missingError.message).toMatch(/^message: /);

      for (const body of [
        { message: 42 },
        { message: "   " },
        { message: "hi", lang: "fr" },
        { message: "hi", conversationId: "has space" },
        { message: "hi", conversationId: "x".repeat(101) },
        ["message"],
      ]) {
        const res = await postJson(base, "/api/ask", body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect((await errorOf(res)).code).toBe("bad_request:ask");
      }
      const lang = await errorOf(await postJson(base, "/api/ask", { message: "hi", lang: "fr" }));
      expect(lang.message).toMatch(/^lang: /);
    });

    it("refuses a 1001-character message and an over-limit body with 413", async () => {
      const long = await postJson(base, "/api/ask", { message: "a".repeat(1001) });
      expect(long.status).toBe(413);
      expect(await errorOf(long)).toEqual({
        code: "payload_too_large:message",
        message: "message is longer than 1000 characters",
      });

      const huge = await postJson(base, "/api/ask", { message: "hi", padding: "x".repeat(20_000) });
      expect(huge.status).toBe(413);
      expect((await errorOf(huge)).code).toBe("payload_too_large");
    });
  });

  describe("POST /api/feedback", () => {
    it("attaches feedback to an answerId and refuses an unknown one with 404", async () => {
      const answer = (await (
        await postJson(base, "/api/ask", { message: "Núi Sam ở đâu?" })
      ).json()) as Answer;
      expect(answer.answerId).toBeTruthy();
      const res = await postJson(base, "/api/feedback", {
        answerId: answer.answerId,
        helpful: false,
        comment: "  Thiếu giờ mở cửa  ",
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ ok: true });
      const stored = await store.getInteraction(answer.answerId as string);
      expect(stored?.feedback).toEqual({
        helpful: false,
        comment: "Thiếu giờ mở cửa",
        at: CLOCK.now().toISOString(),
      });

      const unknown = await postJson(base, "/api/feedback", { answerId: randomUUID(), helpful: true });
      expect(unknown.status).toBe(404);
      expect((await errorOf(unknown)).code).toBe("not_found:answer");
    });

    it("validates the feedback body", async () => {
      const id = randomUUID();
      for (const body of [
        { helpful: true },
        { answerId: id },
        { answerId: id, helpful: "yes" },
        { answerId: "x".repeat(65), helpful: true },
        { answerId: "../../etc/passwd", helpful: true },
        { answerId: id, helpful: true, comment: "c".repeat(1001) },
        { answerId: id, helpful: true, comment: 5 },
      ]) {
        const res = await postJson(base, "/api/feedback", body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect((await errorOf(res)).code).toBe("bad_request:feedback");
      }
      const malformed = await postJson(base, "/api/feedback", "{helpful: true}");
      expect(malformed.status).toBe(400);
    });
  });

  describe("GET /api/search", () => {
    it("returns results in the documented shape, with portal URLs", async () => {
      const res = await fetch(`${base}/api/search?q=${encodeURIComponent("làng bè Châu Đốc")}`);
      expect(res.status).toBe(200);
      const { results } = (await res.json()) as {
        results: { id: string; type: string; title: string; score: number; passage: object; url: string }[];
      };
      expect(results.length).toBeGreaterThan(0);
      expect(results.length).toBeLessThanOrEqual(5);
      expect(results[0]?.id).toBe("lang-be-chau-doc");
      for (const r of results) {
        expect(Object.keys(r).sort()).toEqual(["id", "passage", "score", "title", "type", "url"]);
        expect(Object.keys(r.passage).sort()).toEqual(["heading", "lang", "text"]);
        expect(typeof r.score).toBe("number");
        expect(r.url).toBe(
          `/${{ attraction: "attractions", event: "events", "lodging-rule": "lodging", practical: "practical", itinerary: "itineraries" }[r.type]}/${r.id}`,
        );
      }
    });

    it("filters by type, limits by k and answers in the language asked for", async () => {
      const q = encodeURIComponent("Bà Chúa Xứ");
      const events = (await json(await fetch(`${base}/api/search?q=${q}&type=event`))).results as {
        id: string;
        type: string;
      }[];
      expect(events.length).toBeGreaterThan(0);
      expect(events.every((r) => r.type === "event")).toBe(true);
      expect(events[0]?.id).toBe("via-ba-chua-xu");
      const places = (await json(await fetch(`${base}/api/search?q=${q}&type=attraction&k=2`))).results as {
        id: string;
        type: string;
      }[];
      expect(places.length).toBeLessThanOrEqual(2);
      expect(places.every((r) => r.type === "attraction")).toBe(true);
      expect(places[0]?.id).toBe("mieu-ba-chua-xu");
      const en = (await json(await fetch(`${base}/api/search?q=${q}&lang=en&k=1`))).results as {
        passage: { lang: string };
      }[];
      expect(en).toHaveLength(1);
      expect(en[0]?.passage.lang).toBe("en");
    });

    it("rejects a missing or long query and bad k, type or lang with 400", async () => {
      for (const query of [
        "",
        "q=",
        `q=${"a".repeat(501)}`,
        "q=chua&k=0",
        "q=chua&k=21",
        "q=chua&k=abc",
        "q=chua&type=hotel",
        "q=chua&lang=fr",
        "q=a&q=b",
      ]) {
        const res = await fetch(`${base}/api/search?${query}`);
        expect(res.status, query).toBe(400);
        expect((await errorOf(res)).code).toBe("bad_request:search");
      }
    });
  });

  describe("GET /api/entries/:id", () => {
    it("returns the entry's fields, body and URL, without its file path", async () => {
      const res = await fetch(`${base}/api/entries/via-ba-chua-xu`);
      expect(res.status).toBe(200);
      const entry = await json(res);
      expect(entry.id).toBe("via-ba-chua-xu");
      expect(entry.type).toBe("event");
      expect((entry.event as { calendar: string }).calendar).toBe("lunar-vn");
      expect((entry.body as { vi: string }).vi.length).toBeGreaterThan(50);
      expect(entry.url).toBe("/events/via-ba-chua-xu");
      expect(entry).not.toHaveProperty("file");
    });

    it("gives 404 for an unknown id and 400 for an id that is not kebab-case", async () => {
      const unknown = await fetch(`${base}/api/entries/khong-ton-tai`);
      expect(unknown.status).toBe(404);
      expect((await errorOf(unknown)).code).toBe("not_found:entry");
      const bad = await fetch(`${base}/api/entries/Via_Ba`);
      expect(bad.status).toBe(400);
      expect((await errorOf(bad)).code).toBe("bad_request:entry");
    });

    it("never serves a file for a path-traversal attempt", async () => {
      for (const attempt of [
        "..%2F..%2Fetc%2Fpasswd",
        "%2e%2e%2f%2e%2e%2fpackage.json",
        "..%5C..%5Cpackage.json",
      ]) {
        const res = await fetch(`${base}/api/entries/${attempt}`);
        expect(res.status, attempt).toBe(400);
        const text = await res.text();
        expect(text).not.toMatch(/root:|"dependencies"/);
      }
      const raw = await rawGet(base, "/api/entries/../../../etc/passwd");
      expect([400, 404]).toContain(raw.status);
      expect(raw.body).not.toContain("root:");
    });
  });

  describe("GET /api/events", () => {
    type Occ = {
      eventId: string;
      calendar: string;
      start: string;
      end: string;
      main?: string;
      lunar?: { start: object; end: object; main?: object };
      url: string;
    };
    const events = async (query: string) => {
      const res = await fetch(`${base}/api/events?${query}`);
      expect(res.status, query).toBe(200);
      return (await res.json()) as { from: string; to: string; occurrences: Occ[] };
    };

    it("converts the Bà Chúa Xứ festival's lunar dates for 2027", async () => {
      // Worked out by hand: the new moon of 6 May 2027 (10:58 UTC, 17:58 in Vietnam) starts lunar month
      // 4 of 2027 (Tết 2027 is 6 February; no leap month before the 4th that year). So lunar 22/4 is
      // 6 May + 21 days = 27 May, 25/4 is 30 May, and 27/4 is 1 June 2027.
      const body = await events("from=2027-05-01&to=2027-06-30");
      expect(body.from).toBe("2027-05-01");
      expect(body.to).toBe("2027-06-30");
      const festival = body.occurrences.filter((o) => o.eventId === "via-ba-chua-xu");
      expect(festival).toHaveLength(1);
      expect(festival[0]).toMatchObject({
        calendar: "lunar-vn",
        start: "2027-05-27",
        end: "2027-06-01",
        main: "2027-05-30",
        url: "/events/via-ba-chua-xu",
        lunar: {
          start: { year: 2027, month: 4, day: 22, leap: false },
          end: { year: 2027, month: 4, day: 27, leap: false },
          main: { year: 2027, month: 4, day: 25, leap: false },
        },
      });
    });

    it("gives Gregorian events their solar window", async () => {
      const body = await events("from=2027-08-10&to=2027-08-20");
      const flood = body.occurrences.find((o) => o.eventId === "mua-nuoc-noi");
      expect(flood).toMatchObject({
        calendar: "solar",
        start: "2027-08-01",
        end: "2027-11-30",
        url: "/events/mua-nuoc-noi",
      });
      expect(flood).not.toHaveProperty("lunar");
      expect(body.occurrences.some((o) => o.eventId === "via-ba-chua-xu")).toBe(false);
    });

    it("defaults to today in Vietnam and the 365 days after it", async () => {
      const body = await events("");
      expect(body.from).toBe("2026-11-22");
      expect(body.to).toBe("2027-11-22");
      expect(body.occurrences.some((o) => o.eventId === "via-ba-chua-xu" && o.start === "2027-05-27")).toBe(
        true,
      );
      expect(body.occurrences.every((o) => o.end >= "2026-11-22" && o.start <= "2027-11-22")).toBe(true);
    });

    it("accepts a span of exactly three years", async () => {
      const body = await events("from=2027-01-01&to=2030-01-01");
      expect(body.occurrences.filter((o) => o.eventId === "via-ba-chua-xu")).toHaveLength(3);
    });

    it("rejects invalid dates, to before from and spans over three years with 400", async () => {
      for (const query of [
        "from=2027-02-30",
        "from=27-05-01",
        "from=2027-5-1",
        "to=tomorrow",
        "from=2027-06-01&to=2027-05-31",
        "from=2027-01-01&to=2030-01-02",
        "from=1800-01-01&to=1800-02-01",
      ]) {
        const res = await fetch(`${base}/api/events?${query}`);
        expect(res.status, query).toBe(400);
        expect((await errorOf(res)).code).toBe("bad_request:events");
      }
    });
  });

  describe("GET /api/lodging/fine", () => {
    type Bracket = {
      guestsMin: number;
      guestsMax?: number;
      minVnd: number;
      maxVnd: number;
      doubled: boolean;
    };
    type Body = {
      guest: string;
      payer: string;
      offence: string;
      bracket?: Bracket;
      brackets: Bracket[];
      url: string;
    };
    const fine = async (query: string) => {
      const res = await fetch(`${base}/api/lodging/fine?${query}`);
      expect(res.status, query).toBe(200);
      return (await res.json()) as Body;
    };

    it("puts 6 undeclared Vietnamese guests in the 4–8 bracket, not the general 500,000–1,000,000 line", async () => {
      const body = await fine("guest=vn&guests=6");
      expect(body).toMatchObject({ guest: "vn", payer: "individual", offence: "stay-not-reported" });
      expect(body.bracket).toMatchObject({
        guestsMin: 4,
        guestsMax: 8,
        minVnd: 4_000_000,
        maxVnd: 8_000_000,
      });
      expect(body.brackets.map((b) => b.minVnd)).not.toContain(500_000);
      expect(body.url).toBe("/lodging/muc-phat-luu-tru");
    });

    it("doubles for an organisation, and takes the open-ended bracket for twelve guests", async () => {
      const body = await fine("guest=vn&guests=12&payer=organisation");
      expect(body.bracket).toMatchObject({
        guestsMin: 9,
        minVnd: 16_000_000,
        maxVnd: 24_000_000,
        doubled: true,
      });
      const small = await fine("guest=vn&guests=2&payer=organisation");
      expect(small.bracket).toMatchObject({ minVnd: 4_000_000, maxVnd: 8_000_000 });
    });

    it("gives foreign guests their own brackets, and none for a count the sources do not confirm", async () => {
      const two = await fine("guest=foreign&guests=2");
      expect(two).toMatchObject({ offence: "foreigner-not-declared" });
      expect(two.bracket).toMatchObject({ minVnd: 3_000_000, maxVnd: 5_000_000 });
      const many = await fine("guest=foreign&guests=20");
      expect(many.bracket).toBeUndefined();
      expect(many.brackets.length).toBeGreaterThan(0);
    });

    it.each(["", "guest=x", "guest=vn&guests=0", "guest=vn&guests=abc", "guest=vn&payer=company"])(
      "answers 400 for %j",
      async (query) => {
        const res = await fetch(`${base}/api/lodging/fine?${query}`);
        expect(res.status).toBe(400);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe("bad_request:fine");
      },
    );
  });

  describe("GET /api/lodging/deadline", () => {
    type Deadline = {
      entryId: string;
      method: string;
      due: { kind: string };
      dueAt?: string;
      text: { vi: string; en: string };
      basis: string;
      url: string;
    };
    type Body = { guest: string; arrival: string; remote: boolean; deadlines: Deadline[] };
    const deadline = async (query: string) => {
      const res = await fetch(`${base}/api/lodging/deadline?${query}`);
      expect(res.status, query).toBe(200);
      return (await res.json()) as Body;
    };
    const enc = encodeURIComponent;

    it("gives a Vietnamese guest arriving at 23:30 until 08:00 the next morning", async () => {
      const body = await deadline(`guest=vn&arrival=${enc("2026-11-22T23:30:00+07:00")}`);
      expect(body).toMatchObject({ guest: "vn", arrival: "2026-11-22T23:30:00+07:00", remote: false });
      expect(body.deadlines).toHaveLength(1);
      const [d] = body.deadlines;
      expect(d).toMatchObject({
        entryId: "thong-bao-luu-tru",
        due: { kind: "next-day", before: "08:00" },
        dueAt: "2026-11-23T08:00:00+07:00",
        url: "/lodging/thong-bao-luu-tru",
      });
      expect(d?.basis).toContain("Điều 30");
      expect(d?.text.en).toContain("08:00");
      expect(d?.text.vi).toContain("08:00");
    });

    it("gives a Vietnamese guest arriving at 22:00 until 23:00 the same day", async () => {
      const body = await deadline(`guest=vn&arrival=${enc("2026-11-22T22:00:00+07:00")}`);
      expect(body.deadlines.map((d) => d.dueAt)).toEqual(["2026-11-22T23:00:00+07:00"]);
    });

    it("gives a foreign guest on paper 12 hours (24 in remote areas), and no clock time online", async () => {
      const paper = await deadline(`guest=foreign&arrival=${enc("2026-11-22T22:00:00+07:00")}&method=paper`);
      expect(paper.deadlines).toHaveLength(1);
      expect(paper.deadlines[0]).toMatchObject({
        entryId: "khai-bao-tam-tru-nguoi-nuoc-ngoai",
        method: "paper",
        due: { kind: "hours-after-arrival", hours: 12 },
        dueAt: "2026-11-23T10:00:00+07:00",
      });
      expect(paper.deadlines[0]?.text.en).toContain("12 hours");

      const remote = await deadline(
        `guest=foreign&arrival=${enc("2026-11-22T22:00:00+07:00")}&method=paper&remote=true`,
      );
      expect(remote.remote).toBe(true);
      expect(remote.deadlines.map((d) => d.dueAt)).toEqual(["2026-11-23T22:00:00+07:00"]);

      const online = await deadline(
        `guest=foreign&arrival=${enc("2026-11-22T22:00:00+07:00")}&method=electronic`,
      );
      expect(online.deadlines).toHaveLength(1);
      expect(online.deadlines[0]?.due).toEqual({ kind: "on-arrival" });
      expect(online.deadlines[0]).not.toHaveProperty("dueAt");

      const both = await deadline(`guest=foreign&arrival=${enc("2026-11-22T22:00:00+07:00")}`);
      expect(both.deadlines.map((d) => d.method).sort()).toEqual(["electronic", "paper"]);
    });

    it("converts an arrival given in UTC or another offset to Vietnam time", async () => {
      // 16:30 UTC is 23:30 in Vietnam: the next-day rule.
      const utc = await deadline(`guest=vn&arrival=${enc("2026-11-22T16:30:00Z")}`);
      expect(utc.arrival).toBe("2026-11-22T23:30:00+07:00");
      expect(utc.deadlines.map((d) => d.dueAt)).toEqual(["2026-11-23T08:00:00+07:00"]);
      // 18:30 UTC on the 21st is 01:30 on the 22nd in Vietnam: after midnight, before 08:00 that morning.
      const early = await deadline(`guest=vn&arrival=${enc("2026-11-21T18:30:00Z")}`);
      expect(early.arrival).toBe("2026-11-22T01:30:00+07:00");
      expect(early.deadlines.map((d) => d.dueAt)).toEqual(["2026-11-22T08:00:00+07:00"]);
      // 10:00 at UTC-05:00 is 15:00 UTC, 22:00 in Vietnam.
      const ny = await deadline(`guest=foreign&method=paper&arrival=${enc("2026-11-22T10:00:00-05:00")}`);
      expect(ny.deadlines.map((d) => d.dueAt)).toEqual(["2026-11-23T10:00:00+07:00"]);
      // Without an offset the time is Vietnam's.
      const local = await deadline(`guest=vn&arrival=2026-11-22T23:30`);
      expect(local.arrival).toBe("2026-11-22T23:30:00+07:00");
      // An unencoded "+" arrives as a space; it is still read as +07:00.
      const unencoded = await deadline(`guest=vn&arrival=2026-11-22T23:30:00+07:00`);
      expect(unencoded.deadlines.map((d) => d.dueAt)).toEqual(["2026-11-23T08:00:00+07:00"]);
    });

    it("rejects a missing or invalid guest, arrival, remote or method with 400 naming the field", async () => {
      const arrival = `arrival=${enc("2026-11-22T22:00:00+07:00")}`;
      for (const [query, field] of [
        [arrival, "guest"],
        [`guest=tourist&${arrival}`, "guest"],
        ["guest=vn", "arrival"],
        ["guest=vn&arrival=tomorrow", "arrival"],
        ["guest=vn&arrival=2026-02-30T10:00:00", "arrival"],
        ["guest=vn&arrival=2026-11-22T24:30:00", "arrival"],
        [`guest=vn&${arrival}&remote=yes`, "remote"],
        [`guest=vn&${arrival}&method=fax`, "method"],
      ] as const) {
        const res = await fetch(`${base}/api/lodging/deadline?${query}`);
        expect(res.status, query).toBe(400);
        const error = await errorOf(res);
        expect(error.code).toBe("bad_request:deadline");
        expect(error.message, query).toMatch(new RegExp(`^${field}: `));
      }
    });

    it("refuses an arrival outside 1901-2199 (in Vietnam time) with 400, however far its time zone", async () => {
      for (const arrival of [
        "9999-12-31T23:59:00-14:00",
        "9999-01-01T00:00:00+07:00",
        "2199-12-31T23:00:00-12:00",
        "1900-12-31T23:00:00+07:00",
        "0099-06-01T10:00:00Z",
      ]) {
        const res = await fetch(`${base}/api/lodging/deadline?guest=vn&arrival=${enc(arrival)}`);
        expect(res.status, arrival).toBe(400);
        const error = await errorOf(res);
        expect(error.code).toBe("bad_request:deadline");
        expect(error.message, arrival).toMatch(/^arrival: .*1901.*2199/);
      }
      // The edges themselves are fine.
      const last = await deadline(`guest=vn&arrival=${enc("2199-12-31T10:00:00+07:00")}`);
      expect(last.arrival).toBe("2199-12-31T10:00:00+07:00");
      const first = await deadline(`guest=vn&arrival=${enc("1901-01-01T10:00:00+07:00")}`);
      expect(first.arrival).toBe("1901-01-01T10:00:00+07:00");
    });

    it("takes no personal data: extra parameters are neither echoed nor needed", async () => {
      const body = await deadline(
        `guest=vn&arrival=${enc("2026-11-22T22:00:00+07:00")}&name=Nguyen%20Van%20A&passport=B1234567`,
      );
      expect(Object.keys(body).sort()).toEqual(["arrival", "deadlines", "guest", "remote"]);
      expect(JSON.stringify(body)).not.toMatch(/Nguyen|B1234567/);
    });
  });

  describe("the rest of the app", () => {
    it("answers 404 as JSON for an unknown API route or method", async () => {
      for (const [method, route] of [
        ["GET", "/api/nothing-here"],
        ["GET", "/api/ask"],
        ["POST", "/api/search"],
      ] as const) {
        const res = await fetch(`${base}${route}`, { method });
        expect(res.status, route).toBe(404);
        expect((await errorOf(res)).code).toBe("not_found");
      }
    });

    it("sets an API's security headers on the API and a document's on pages, and hides x-powered-by", async () => {
      const api = await fetch(`${base}/api/search?q=chua`);
      expect(api.headers.get("content-security-policy")).toBe("default-src 'none';frame-ancestors 'none'");
      expect(api.headers.get("x-content-type-options")).toBe("nosniff");
      expect(api.headers.get("x-frame-options")).toBe("DENY");
      expect(api.headers.get("strict-transport-security")).toMatch(/^max-age=\d+/);
      expect(api.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
      // Headers that only guard a rendered document are left off the JSON.
      expect(api.headers.get("x-dns-prefetch-control")).toBeNull();
      expect(api.headers.get("origin-agent-cluster")).toBeNull();
      // An API error (here a 404 inside /api) gets the same.
      const missing = await fetch(`${base}/api/nothing-here`);
      expect(missing.headers.get("content-security-policy")).toBe(
        "default-src 'none';frame-ancestors 'none'",
      );

      const page = await fetch(`${base}/healthz`);
      expect(page.headers.get("content-security-policy")).toContain("default-src 'self'");
      expect(page.headers.get("x-content-type-options")).toBe("nosniff");
      expect(page.headers.get("x-frame-options")).toBe("SAMEORIGIN");
      expect(page.headers.get("referrer-policy")).toBe("no-referrer");
      for (const res of [api, missing, page]) expect(res.headers.get("x-powered-by")).toBeNull();
    });

    it("reports health and readiness with the index version", async () => {
      expect(await json(await fetch(`${base}/healthz`))).toEqual({ status: "ok" });
      expect(await json(await fetch(`${base}/readyz`))).toEqual({
        status: "ready",
        index: { version: index.manifest.version, entries: index.manifest.counts.entries },
      });
    });
  });
});

// ------------------------------------------------------------------------------------------------
// (b) Fakes: an assistant and an index whose behaviour each test sets.

type Behaviour = {
  ask?: (q: Question) => Promise<Answer>;
  stream?: (q: Question) => AsyncIterable<AnswerEvent>;
};

const FAKE_ANSWER: Answer = {
  answerId: "11111111-2222-3333-4444-555555555555",
  answer: "Xin chào!\nTôi là trợ lý du lịch.",
  language: "vi",
  intent: "greeting",
  confidence: 1,
  sources: [],
  suggestions: [],
  coverage: [],
  composer: "extractive",
};

const MANIFEST: Manifest = {
  format: 3,
  version: "fake-version-1",
  contentHash: "0".repeat(64),
  embedder: { id: "none", dimensions: 1 },
  counts: {
    entries: 0,
    chunks: 0,
    terms: 0,
    byType: { attraction: 0, event: 0, "lodging-rule": 0, practical: 0, itinerary: 0 },
  },
  builtAt: "2026-11-22T00:00:00.000Z",
  buildMs: 0,
};

function fakeSetup(extra: Partial<AppOptions> = {}, clock: Clock = CLOCK) {
  const questions: Question[] = [];
  const eventCalls: [string, string][] = [];
  const logged: { obj: object; msg?: string }[] = [];
  const behaviour: Behaviour = {};
  const assistant: Assistant = {
    async ask(q) {
      questions.push(q);
      return behaviour.ask ? behaviour.ask(q) : FAKE_ANSWER;
    },
    stream(q) {
      questions.push(q);
      if (behaviour.stream) return behaviour.stream(q);
      return (async function* () {
        yield { type: "delta" as const, text: "Xin chào!\n" };
        yield { type: "answer" as const, answer: FAKE_ANSWER };
      })();
    },
  };
  const index: KnowledgeIndex = {
    manifest: MANIFEST,
    search: async (query) => {
      if (query === "explode") throw new Error("index file /data/index/v1/lexical.bin is corrupt");
      return [];
    },
    get: () => undefined,
    list: () => [],
    eventsBetween: (from, to) => {
      eventCalls.push([from, to]);
      return [];
    },
  };
  const log: Logger = {
    info() {},
    warn() {},
    error(obj, msg) {
      logged.push({ obj, ...(msg ? { msg } : {}) });
    },
  };
  const deps: AppDeps = {
    live: () => ({ index, assistant }),
    store: createMemoryStore(),
    log,
    clock,
    options: options(extra),
  };
  return { deps, questions, eventCalls, logged, behaviour };
}

describe("readiness with PostgreSQL (replicas)", () => {
  it("is ready while the database answers, and 503 naming the database when it does not", async () => {
    const db = await testDatabase();
    const up = openPostgresPool(db.url);
    const down = openPostgresPool("postgres://postgres@127.0.0.1:1/none");
    try {
      const ready = await serve({ ...fakeSetup().deps, pool: up });
      const res = await fetch(`${ready.url}/readyz`);
      expect(res.status).toBe(200);
      expect((await json(res)).status).toBe("ready");
      const unready = await serve({ ...fakeSetup().deps, pool: down });
      const bad = await fetch(`${unready.url}/readyz`);
      expect(bad.status).toBe(503);
      expect(await json(bad)).toMatchObject({ status: "unavailable", reason: "database" });
      // The process itself is fine: /healthz does not ask the database.
      expect((await fetch(`${unready.url}/healthz`)).status).toBe(200);
    } finally {
      await Promise.all([up.end(), down.end()]);
      await db.drop();
    }
  });
});

describe("API on fakes", () => {
  it("passes the question on with the web channel and nothing personal, and accepts 1000 characters", async () => {
    const fake = fakeSetup();
    const { url } = await serve(fake.deps);
    const message = "ă".repeat(1000);
    const res = await postJson(
      url,
      "/api/ask",
      { message, conversationId: "c-1", lang: "en" },
      { "user-agent": "Mozilla/5.0 test", "x-forwarded-for": "203.0.113.7" },
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(FAKE_ANSWER);
    expect(fake.questions).toEqual([
      { text: message, channel: "web", conversationId: "c-1", userId: "c-1", lang: "en" },
    ]);
    const plain = await postJson(url, "/api/ask", { message: "hi" });
    expect(plain.status).toBe(200);
    expect(fake.questions[1]).toEqual({ text: "hi", channel: "web" });
  });

  it("turns an assistant failure into a 500 with code internal and no internals in the body", async () => {
    const fake = fakeSetup();
    fake.behaviour.ask = async () => {
      throw new Error("secret failure at /srv/app/bot/assistant.ts:42");
    };
    const { url } = await serve(fake.deps);
    const res = await postJson(url, "/api/ask", { message: "hi" });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({
      error: { code: "internal", message: "something went wrong on our side" },
    });
    expect(text).not.toMatch(/secret|assistant\.ts|stack|\bat\s/);
    expect(fake.logged.length).toBe(1);

    const search = await fetch(`${url}/api/search?q=explode`);
    expect(search.status).toBe(500);
    const searchText = await search.text();
    expect((JSON.parse(searchText) as { error: { code: string } }).error.code).toBe("internal");
    expect(searchText).not.toMatch(/corrupt|lexical\.bin/);
  });

  it("sends an error event when the stream fails, after the deltas already sent", async () => {
    const fake = fakeSetup();
    fake.behaviour.stream = async function* () {
      yield { type: "delta", text: "Một phần " };
      throw new Error("model connection reset: secret");
    };
    const { url } = await serve(fake.deps);
    const res = await postJson(url, "/api/ask", { message: "hi" }, { accept: "text/event-stream" });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(parseSse(text)).toEqual([
      { event: "delta", data: { text: "Một phần " } },
      { event: "error", data: { error: { code: "internal", message: "something went wrong on our side" } } },
    ]);
    expect(text).not.toContain("secret");
    expect(fake.logged.length).toBe(1);
  });

  it("sends an error event when the stream fails before its first event", async () => {
    const fake = fakeSetup();
    fake.behaviour.stream = () => ({
      [Symbol.asyncIterator]: () => ({
        next: () => Promise.reject(new Error("no route")),
      }),
    });
    const { url } = await serve(fake.deps);
    const res = await postJson(url, "/api/ask", { message: "hi" }, { accept: "text/event-stream" });
    expect(parseSse(await res.text()).map((e) => e.event)).toEqual(["error"]);
  });

  it("uses JSON when the client prefers it over an event stream", async () => {
    const fake = fakeSetup();
    const { url } = await serve(fake.deps);
    const res = await postJson(url, "/api/ask", { message: "hi" }, { accept: "application/json" });
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await res.json()).toEqual(FAKE_ANSWER);
  });

  it("stops streaming when the client disconnects", async () => {
    const fake = fakeSetup();
    let produced = 0;
    let stopped = false;
    fake.behaviour.stream = async function* () {
      try {
        // Endless unless the consumer stops asking for more.
        for (;;) {
          await new Promise((r) => setTimeout(r, 5));
          produced++;
          yield { type: "delta", text: `${produced} ` };
        }
      } finally {
        stopped = true;
      }
    };
    const { url } = await serve(fake.deps);
    const res = await postJson(url, "/api/ask", { message: "hi" }, { accept: "text/event-stream" });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain("event: delta");
    await reader.cancel();
    const deadline = Date.now() + 2000;
    while (!stopped && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(stopped).toBe(true);
    const at = produced;
    await new Promise((r) => setTimeout(r, 50));
    expect(produced).toBe(at);
  });

  it("takes today's date in Vietnam, not in UTC, as the default start of /api/events", async () => {
    // 18:30 UTC on 21 November is 01:30 on 22 November in Vietnam.
    const fake = fakeSetup({}, { now: () => new Date("2026-11-21T18:30:00Z") });
    const { url } = await serve(fake.deps);
    expect(await json(await fetch(`${url}/api/events`))).toEqual({
      from: "2026-11-22",
      to: "2027-11-22",
      occurrences: [],
    });
    expect(await json(await fetch(`${url}/api/events?from=2028-02-29`))).toMatchObject({
      from: "2028-02-29",
      to: "2029-02-28",
    });
    expect(fake.eventCalls).toEqual([
      ["2026-11-22", "2027-11-22"],
      ["2028-02-29", "2029-02-28"],
    ]);
  });

  it("limits /api/ask per IP per minute, and the other routes at four times that", async () => {
    const fake = fakeSetup({ rateLimitPerMinute: 2 });
    const { url } = await serve(fake.deps);
    // Another spelling of the same route counts against the same allowance.
    for (const route of ["/api/ask", "/api/ASK/"])
      expect((await postJson(url, route, { message: "hi" })).status, route).toBe(200);
    const limited = await postJson(url, "/api/ask", { message: "hi" });
    expect(limited.status).toBe(429);
    expect(await errorOf(limited)).toEqual({
      code: "rate_limited",
      message: "too many requests: wait a minute and try again",
    });
    expect(limited.headers.get("ratelimit")).toMatch(/^"ask"; r=0; t=\d+$/);
    expect(limited.headers.get("ratelimit-policy")).toMatch(/^"ask"; q=2; w=60/);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(fake.questions).toHaveLength(2);

    // The questions did not use up the other routes' allowance: 4 × 2 = 8 requests, then 429.
    for (let i = 0; i < 8; i++) {
      const res = await fetch(`${url}/api/search?q=chua`);
      expect(res.status, `request ${i + 1}`).toBe(200);
      expect(res.headers.get("ratelimit")).toMatch(new RegExp(`^"api"; r=${7 - i}; t=\\d+$`));
    }
    const search = await fetch(`${url}/api/search?q=chua`);
    expect(search.status).toBe(429);
    expect((await errorOf(search)).code).toBe("rate_limited");
  });

  it("behind one proxy (TRUST_PROXY=1), a client writing its own X-Forwarded-For is still limited", async () => {
    const { url } = await serve(fakeSetup({ rateLimitPerMinute: 1, trustProxy: 1 }).deps);
    // The proxy appends the address it saw; what the client wrote comes before it.
    const via = (claimed: string, real: string) => ({ "x-forwarded-for": `${claimed}, ${real}` });
    expect(
      (await postJson(url, "/api/ask", { message: "hi" }, via("203.0.113.1", "198.51.100.7"))).status,
    ).toBe(200);
    expect(
      (await postJson(url, "/api/ask", { message: "hi" }, via("203.0.113.2", "198.51.100.7"))).status,
    ).toBe(429);
    expect(
      (await postJson(url, "/api/ask", { message: "hi" }, via("203.0.113.1", "198.51.100.8"))).status,
    ).toBe(200);
  });

  it("keeps a separate count for each app", async () => {
    const first = await serve(fakeSetup({ rateLimitPerMinute: 1 }).deps);
    const second = await serve(fakeSetup({ rateLimitPerMinute: 1 }).deps);
    expect((await postJson(first.url, "/api/ask", { message: "hi" })).status).toBe(200);
    expect((await postJson(first.url, "/api/ask", { message: "hi" })).status).toBe(429);
    expect((await postJson(second.url, "/api/ask", { message: "hi" })).status).toBe(200);
  });

  describe("CORS with widgetOrigins [http://allowed.test]", () => {
    let url: string;
    beforeAll(async () => {
      ({ url } = await serve(fakeSetup({ widgetOrigins: ["http://allowed.test"] }).deps));
    });

    it("answers a preflight from the allowed origin with the allow headers", async () => {
      const res = await fetch(`${url}/api/ask`, {
        method: "OPTIONS",
        headers: {
          origin: "http://allowed.test",
          "access-control-request-method": "POST",
          "access-control-request-headers": "content-type",
        },
      });
      expect(res.status).toBe(204);
      expect(res.headers.get("access-control-allow-origin")).toBe("http://allowed.test");
      expect(res.headers.get("access-control-allow-methods")).toContain("POST");
      expect(res.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("content-type");
    });

    it("lets the allowed origin post and tells the browser so", async () => {
      const res = await postJson(url, "/api/ask", { message: "hi" }, { origin: "http://allowed.test" });
      expect(res.status).toBe(200);
      expect(res.headers.get("access-control-allow-origin")).toBe("http://allowed.test");
    });

    it("refuses a POST and a preflight from another origin with 403", async () => {
      const res = await postJson(url, "/api/ask", { message: "hi" }, { origin: "http://evil.test" });
      expect(res.status).toBe(403);
      expect((await errorOf(res)).code).toBe("forbidden:origin");
      expect(res.headers.get("access-control-allow-origin")).toBeNull();
      const preflight = await fetch(`${url}/api/ask`, {
        method: "OPTIONS",
        headers: { origin: "http://evil.test", "access-control-request-method": "POST" },
      });
      expect(preflight.status).toBe(403);
      expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
    });

    it("serves requests without an Origin header (curl, server-to-server)", async () => {
      const res = await postJson(url, "/api/ask", { message: "hi" });
      expect(res.status).toBe(200);
      expect(res.headers.get("access-control-allow-origin")).toBeNull();
    });
  });

  describe("GET /api/openapi.json", () => {
    it("is an OpenAPI 3.1 document listing every route, with references that resolve", async () => {
      const fake = fakeSetup({ maxMessageLength: 777 });
      const { url } = await serve(fake.deps);
      const res = await fetch(`${url}/api/openapi.json`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      const doc = JSON.parse(await res.text()) as {
        openapi: string;
        info: { title: string; version: string };
        paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
        components: Record<string, Record<string, unknown>>;
      };
      expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
      expect(doc.info.title).toBeTruthy();
      expect(Object.keys(doc.paths).sort()).toEqual([
        "/api/ask",
        "/api/conversations/{id}/messages",
        "/api/entries/{id}",
        "/api/events",
        "/api/feedback",
        "/api/lodging/deadline",
        "/api/lodging/fine",
        "/api/openapi.json",
        "/api/reports/photo",
        "/api/reports/{code}",
        "/api/search",
        "/healthz",
        "/readyz",
      ]);

      // Every API route the app really has is documented, with its method: the app's own (POST
      // /api/ask) and those of the router mounted at /api.
      type Layer = {
        rawPath?: string;
        route?: { path: string; methods: Record<string, boolean> };
        handle: { stack?: Layer[] };
      };
      const routesOf = (stack: Layer[], prefix: string): string[][] =>
        stack.flatMap((layer) => {
          if (layer.route)
            return Object.keys(layer.route.methods).map((m) => [
              m,
              `${prefix}${layer.route!.path.replace(/:(\w+)/g, "{$1}")}`,
            ]);
          if (layer.rawPath === "/api" && layer.handle.stack) return routesOf(layer.handle.stack, "/api");
          return [];
        });
      const app = createApp(fake.deps) as unknown as { router: { stack: Layer[] } };
      const routes = routesOf(app.router.stack, "").filter(([, path]) => path!.startsWith("/api/"));
      expect(routes.length).toBe(11);
      for (const [method, route] of routes)
        expect(doc.paths[route as string], route).toHaveProperty(method as string);

      for (const [route, operations] of Object.entries(doc.paths))
        for (const [method, op] of Object.entries(operations))
          expect(Object.keys(op.responses).length, `${method} ${route}`).toBeGreaterThan(0);

      // Every $ref points at a component that exists.
      const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/(\w+)\/(\w+)"/g)];
      expect(refs.length).toBeGreaterThan(10);
      for (const [, kind, name] of refs)
        expect(doc.components[kind as string], name).toHaveProperty(name as string);

      // The limits come from the app's options.
      const ask = (doc.components.schemas as Record<string, { properties: Record<string, object> }>)
        .AskRequest;
      expect(ask?.properties.message).toMatchObject({ maxLength: 777 });
    });
  });
});

describe("GET /api/conversations/:id/messages (the widget's mailbox)", () => {
  const ME = "w0123456789abcdef0123456789abcdef";
  const OTHER = "wfedcba9876543210fedcba9876543210";
  async function put(store: Store, key: string, conversationId: string, text: string, status = "sent") {
    await store.insertDelivery({
      key,
      channel: "web",
      conversationId,
      message: JSON.stringify({
        text,
        buttons: [{ kind: "suggestion", label: "tôi muốn phản ánh", key: "k" }],
        from: "staff",
      }),
      status: status as "sent",
      attempts: 0,
      nextAttemptAt: 0,
      createdAt: Date.parse("2026-11-22T02:00:00Z"),
      sentAt: Date.parse("2026-11-22T02:00:01Z"),
    });
  }

  it("answers a conversation's own sent messages after a seq, never another conversation's", async () => {
    const fake = fakeSetup();
    const { store } = fake.deps;
    await put(store, "a", ME, "Chào bạn, tôi là Lan");
    await put(store, "b", OTHER, "cho người khác");
    await put(store, "c", ME, "chưa gửi", "pending");
    await put(store, "d", ME, "Bạn cần gì?");
    const { url } = await serve(fake.deps);
    const res = await fetch(`${url}/api/conversations/${ME}/messages`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = (await res.json()) as {
      messages: { seq: number; text: string; from: string }[];
      handoff: unknown;
    };
    expect(body.messages.map((m) => m.text)).toEqual(["Chào bạn, tôi là Lan", "Bạn cần gì?"]);
    expect(body.messages[0]).toMatchObject({
      from: "staff",
      suggestions: ["tôi muốn phản ánh"],
      at: "2026-11-22T02:00:01.000Z",
    });
    expect(body.handoff).toEqual({ open: false });
    const after = await fetch(`${url}/api/conversations/${ME}/messages?after=${body.messages[0]!.seq}`);
    expect(((await after.json()) as { messages: { text: string }[] }).messages.map((m) => m.text)).toEqual([
      "Bạn cần gì?",
    ]);
    const unknown = await fetch(`${url}/api/conversations/w99999999999999999999/messages`);
    expect(await unknown.json()).toEqual({ messages: [], handoff: { open: false } });
  });

  it("refuses a malformed id or seq with a 400", async () => {
    const { url } = await serve(fakeSetup().deps);
    for (const path of [
      "/api/conversations/short/messages",
      `/api/conversations/${"x".repeat(101)}/messages`,
      "/api/conversations/w0123456789abcdef%20%27or%201=1/messages",
      `/api/conversations/${ME}/messages?after=-1`,
      `/api/conversations/${ME}/messages?after=abc`,
    ]) {
      const res = await fetch(`${url}${path}`);
      expect(res.status, path).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toMatch(/^bad_request/);
    }
  });
});

describe("POST /api/ask while a widget conversation is with staff", () => {
  const ME = "w0123456789abcdef0123456789abcdef";
  it("hands the chat to staff, keeps the assistant quiet (also as server-sent events), and gives it back on “hủy”", async () => {
    const fake = fakeSetup();
    const dir = await mkdtemp(path.join(tmpdir(), "api-handoff-"));
    const store = openSqliteStore(path.join(dir, "store.db"), { writer: "here" });
    const outbox = createOutbox({ store, channels: () => [], log: SILENT, clock: CLOCK });
    const desk = createHandoffDesk({
      store,
      outbox,
      clock: { now: () => new Date("2026-11-23T09:00:00+07:00") },
      log: SILENT,
      hours: parseStaffHours(DEFAULT_STAFF_HOURS),
    });
    const { url } = await serve({ ...fake.deps, store, handoff: desk });
    try {
      const opened = await postJson(url, "/api/ask", { message: "gặp nhân viên", conversationId: ME });
      expect(opened.status).toBe(200);
      const body = (await opened.json()) as { answer: string; handoff: { open: boolean }; answerId?: string };
      expect(body.answer).toMatch(/Đã chuyển cuộc trò chuyện tới nhân viên/);
      expect(body.handoff).toEqual({ open: true });
      expect(body).not.toHaveProperty("answerId");

      const quiet = await postJson(url, "/api/ask", {
        message: "Vé cáp treo bao nhiêu?",
        conversationId: ME,
      });
      expect(await quiet.json()).toMatchObject({ answer: "", handoff: { open: true } });
      const streamed = await fetch(`${url}/api/ask`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "text/event-stream" },
        body: JSON.stringify({ message: "còn ai không?", conversationId: ME }),
      });
      expect(streamed.headers.get("content-type")).toMatch(/^text\/event-stream/);
      expect(await streamed.text()).toMatch(/^event: answer\ndata: \{.*"handoff":\{"open":true\}/);
      expect(fake.questions).toEqual([]);
      const lines = await store.handoffLines((await desk.openFor("web", ME))!.id);
      expect(lines.filter((l) => l.author === "user").map((l) => l.text)).toEqual([
        "gặp nhân viên",
        "Vé cáp treo bao nhiêu?",
        "còn ai không?",
      ]);
      // Another conversation is answered by the assistant as usual.
      await postJson(url, "/api/ask", { message: "xin chào", conversationId: "w-other-conversation-1" });
      expect(fake.questions).toHaveLength(1);
      // A conversation id too short to be a secret (not the widget's) never opens one.
      await postJson(url, "/api/ask", { message: "gặp nhân viên", conversationId: "c-1" });
      expect(await desk.openFor("web", "c-1")).toBeUndefined();
      expect(fake.questions).toHaveLength(2);

      const back = await postJson(url, "/api/ask", { message: "hủy", conversationId: ME });
      expect(await back.json()).toMatchObject({ handoff: { open: false } });
      await postJson(url, "/api/ask", { message: "Vé cáp treo bao nhiêu?", conversationId: ME });
      expect(fake.questions.map((q) => q.text)).toEqual([
        "xin chào",
        "gặp nhân viên",
        "Vé cáp treo bao nhiêu?",
      ]);
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

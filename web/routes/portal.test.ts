import { once } from "node:events";
import { readFile } from "node:fs/promises";
import { request } from "node:http";
import type http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAssistant, createMemoryStore, type Clock } from "../../bot/index.ts";
import { entryUrl } from "../../bot/index.ts";
import {
  buildFromEntries,
  ENTRY_TYPES,
  loadContent,
  type KnowledgeIndex,
  type Lang,
} from "../../indexer/index.ts";
import { internalMarker } from "../../indexer/content/public-text.ts";
import { createApp, DEFAULT_APP_OPTIONS, type AppDeps, type AppOptions } from "../app.ts";
import { closeServer } from "../testing/servers.ts";
import { tagLang } from "../views/places.ts";

/**
 * The portal in-process on an ephemeral port, on the real content with the real assistant and a fixed
 * clock (Sunday 22 November 2026, 09:00 in Vietnam): every page type in both languages, the facts each
 * page must show, the deadline calculator, escaping and the CSP rules (no inline script or style).
 */

const CONTENT = path.resolve(import.meta.dirname, "../../content");
const CLOCK: Clock = { now: () => new Date("2026-11-22T09:00:00+07:00") };
const PUBLIC_URL = "https://du-lich.example.vn";

let index: KnowledgeIndex;
let base = "";
let publicBase = "";
const servers: http.Server[] = [];

async function serve(options: Partial<AppOptions> = {}): Promise<string> {
  const store = createMemoryStore();
  const log = pino({ level: "silent" });
  const assistant = createAssistant({ index, store, clock: CLOCK, log });
  const live = { index, assistant };
  const deps: AppDeps = {
    live: () => live,
    store,
    log,
    clock: CLOCK,
    options: { ...DEFAULT_APP_OPTIONS, rateLimitPerMinute: 1000, ...options },
  };
  const server = createApp(deps).listen(0, "127.0.0.1");
  servers.push(server);
  await once(server, "listening");
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  const { entries, problems } = await loadContent(CONTENT);
  expect(problems).toEqual([]);
  ({ index } = await buildFromEntries(entries, "0".repeat(64)));
  base = await serve();
  publicBase = await serve({ publicUrl: `${PUBLIC_URL}/` });
}, 60_000);

afterAll(async () => {
  await Promise.all(servers.map(closeServer));
});

type Page = { status: number; type: string; cache: string; body: string };
const cache = new Map<string, Promise<Page>>();

/** GET a page (as a browser would, asking for HTML); each URL is fetched once per run. */
function get(pathAndQuery: string, from = base): Promise<Page> {
  const url = `${from}${pathAndQuery}`;
  let page = cache.get(url);
  if (!page) {
    page = fetch(url, { headers: { accept: "text/html" } }).then(async (res) => ({
      status: res.status,
      type: res.headers.get("content-type") ?? "",
      cache: res.headers.get("cache-control") ?? "",
      body: await res.text(),
    }));
    cache.set(url, page);
  }
  return page;
}

/** A GET with headers fetch does not let a caller set (Host), as a client on the network can. */
function rawGet(
  from: string,
  pathAndQuery: string,
  headers: Record<string, string>,
): Promise<{ status: number; cache: string; body: string }> {
  const { hostname, port } = new URL(from);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: hostname, port, path: pathAndQuery, headers: { accept: "text/html", ...headers } },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => (body += d));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, cache: String(res.headers["cache-control"] ?? ""), body }),
        );
      },
    );
    req.on("error", reject);
    req.end();
  });
}

/** The English path of a Vietnamese one. */
function en(p: string): string {
  return p === "/" ? "/en" : `/en${p}`;
}

function pathIn(lang: Lang, p: string): string {
  return lang === "vi" ? p : en(p);
}

/** The value of an attribute of the first tag that matches `tagPattern` (a regex source). */
function attr(body: string, tagPattern: string, name: string): string | undefined {
  const tag = new RegExp(`<${tagPattern}[^>]*>`).exec(body)?.[0];
  return tag ? new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1] : undefined;
}

/** Undoes the escaping of an attribute value or text. */
function unescape(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/** The element that starts with `start` up to its first `end` (no nesting of the same tag inside). */
function section(body: string, start: string, end: string): string {
  const i = body.indexOf(start);
  if (i < 0) return "";
  const j = body.indexOf(end, i + start.length);
  return body.slice(i, j < 0 ? undefined : j + end.length);
}

/** The <li> that contains `needle`. */
function itemWith(body: string, needle: string): string {
  const i = body.indexOf(needle);
  if (i < 0) return "";
  const start = body.lastIndexOf("<li", i);
  const end = body.indexOf("</li>", i);
  return body.slice(start, end + 5);
}

/** Visible text, tags removed and entities decoded. */
function text(fragment: string): string {
  return unescape(fragment.replace(/<[^>]+>/g, " "))
    .replace(/\s+/g, " ")
    .replace(/ ([;,.)])/g, "$1");
}

/** One path per page type. */
const PAGES = [
  "/",
  "/search?q=n%C3%BAi%20Sam",
  "/attractions",
  "/attractions?tag=t%C3%A2m%20linh",
  "/attractions/mieu-ba-chua-xu",
  "/events",
  "/events/via-ba-chua-xu",
  "/events/ok-om-bok",
  "/lodging",
  "/lodging?guest=vn&time=23%3A30",
  "/lodging/thong-bao-luu-tru",
  "/practical",
  "/practical/so-dien-thoai-khan-cap",
];

describe("every page, in Vietnamese and English", () => {
  for (const lang of ["vi", "en"] as const) {
    for (const p of PAGES) {
      const local = pathIn(lang, p);
      it(`${local}: 200 HTML with lang, title, description, canonical, hreflang, Open Graph, landmarks`, async () => {
        // Absolute links come from PUBLIC_URL only (a cached page must not carry a client's Host header).
        const page = await get(local, publicBase);
        expect(page.status).toBe(200);
        expect(page.type).toMatch(/^text\/html/);
        expect(page.cache).toBe("public, max-age=300");
        const b = page.body;
        expect(b.startsWith("<!doctype html>")).toBe(true);
        expect(attr(b, "html", "lang")).toBe(lang);
        expect(/<title>([^<]+)<\/title>/.exec(b)?.[1]?.trim().length ?? 0).toBeGreaterThan(5);
        expect(attr(b, 'meta name="description"', "content")?.length ?? 0).toBeGreaterThan(20);
        expect(attr(b, 'meta name="viewport"', "content")).toContain("width=device-width");

        const [pathname, query] = p.split("?") as [string, string | undefined];
        const canonical = unescape(attr(b, 'link rel="canonical"', "href") ?? "");
        expect(canonical.startsWith(`${PUBLIC_URL}${pathIn(lang, pathname)}`)).toBe(true);
        const alt = (l: string) => unescape(attr(b, `link rel="alternate" hreflang="${l}"`, "href") ?? "");
        expect(alt("vi").startsWith(`${PUBLIC_URL}${pathname}`)).toBe(true);
        expect(alt("en").startsWith(`${PUBLIC_URL}${en(pathname)}`)).toBe(true);
        expect(alt("x-default")).toBe(alt("vi"));
        expect(new URL(alt("vi")).search).toBe(new URL(canonical).search);

        expect(attr(b, 'meta property="og:title"', "content")?.length ?? 0).toBeGreaterThan(3);
        expect(attr(b, 'meta property="og:description"', "content")?.length ?? 0).toBeGreaterThan(20);
        expect(unescape(attr(b, 'meta property="og:url"', "content") ?? "")).toBe(canonical);
        expect(attr(b, 'meta property="og:locale"', "content")).toBe(lang === "vi" ? "vi_VN" : "en_US");
        expect(attr(b, 'meta property="og:type"', "content")).toMatch(/^(website|article)$/);

        // Landmarks, skip link, one h1, headings that never skip a level, the widget, the language switch.
        expect(b).toMatch(
          /<header[\s>][\s\S]*<nav [\s\S]*<\/header>\s*<main id="main"[\s\S]*<\/main>\s*<footer[\s>]/,
        );
        expect(attr(b, 'a class="skip-link"', "href")).toBe("#main");
        expect(b.match(/<h1[\s>]/g)?.length).toBe(1);
        const levels = [...b.matchAll(/<h([1-6])[\s>]/g)].map((m) => Number(m[1]));
        expect(levels[0]).toBe(1);
        levels.forEach(
          (level, i) => i > 0 && expect(level).toBeLessThanOrEqual((levels[i - 1] as number) + 1),
        );
        const ids = [...b.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
        expect(new Set(ids).size).toBe(ids.length);
        expect(b).toContain(`<script src="/widget.js" data-lang="${lang}" async></script>`);
        const other = lang === "vi" ? "en" : "vi";
        const switchHref = unescape(attr(b, 'a class="lang-switch"', "href") ?? "");
        expect(switchHref).toBe(`${pathIn(other, pathname)}${query ? `?${query}` : ""}`);
        expect(attr(b, 'a class="lang-switch"', "hreflang")).toBe(other);
      });
    }
  }

  it("uses the configured public URL for canonical, alternate and og:url links", async () => {
    const b = (await get("/en/attractions/nui-sam", publicBase)).body;
    expect(attr(b, 'link rel="canonical"', "href")).toBe(`${PUBLIC_URL}/en/attractions/nui-sam`);
    expect(attr(b, 'link rel="alternate" hreflang="vi"', "href")).toBe(`${PUBLIC_URL}/attractions/nui-sam`);
    expect(attr(b, 'link rel="alternate" hreflang="x-default"', "href")).toBe(
      `${PUBLIC_URL}/attractions/nui-sam`,
    );
    expect(attr(b, 'meta property="og:url"', "content")).toBe(`${PUBLIC_URL}/en/attractions/nui-sam`);
  });

  it("without PUBLIC_URL leaves canonical, alternate and og:url out of cached pages, whatever the Host header", async () => {
    for (const p of ["/attractions/nui-sam", "/en/events", "/search?q=x"]) {
      const page = await rawGet(base, p, { host: "evil.example", "x-forwarded-host": "evil.example" });
      expect(page.status, p).toBe(200);
      expect(page.cache, p).toBe("public, max-age=300");
      expect(page.body, p).not.toContain("evil.example");
      expect(page.body, p).not.toMatch(/rel="canonical"|rel="alternate"|property="og:url"/);
      // The rest of the head is there.
      expect(page.body, p).toMatch(/property="og:title"/);
    }
  });

  it("keeps only the meaningful query in canonical links (the tag, not the calculator inputs)", async () => {
    const tagged = (await get("/attractions?tag=l%E1%BB%8Bch%20s%E1%BB%AD", publicBase)).body;
    expect(unescape(attr(tagged, 'link rel="canonical"', "href") ?? "")).toBe(
      `${PUBLIC_URL}/attractions?tag=l%E1%BB%8Bch+s%E1%BB%AD`,
    );
    const calc = (await get("/lodging?guest=vn&time=23%3A30", publicBase)).body;
    expect(attr(calc, 'link rel="canonical"', "href")).toBe(`${PUBLIC_URL}/lodging`);
  });

  it("has no inline script, no style attribute or element, and loads nothing from elsewhere (CSP)", async () => {
    const extra = [
      "/lodging?guest=foreign&time=22%3A00&method=paper",
      "/lodging?time=22%3A00",
      "/search?q=x",
    ];
    for (const p of [...PAGES, ...PAGES.map(en), ...extra]) {
      const b = (await get(p)).body;
      expect(b, p).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/i);
      expect(b, p).not.toMatch(/\sstyle\s*=/i);
      expect(b, p).not.toMatch(/<style[\s>]/i);
      expect(b, p).not.toMatch(/\son[a-z]+\s*=/i);
      for (const m of b.matchAll(/<(?:script|link)\s[^>]*(?:src|href)="([^"]*)"/g)) {
        const url = m[1] as string;
        if (/^<link[^>]*rel="(canonical|alternate)"/.test(m[0])) continue;
        expect(url.startsWith("/") || url.startsWith("data:"), `${p}: ${url}`).toBe(true);
      }
    }
  });

  it("labels every form field", async () => {
    for (const p of ["/", "/search?q=x", "/lodging?time=bad", "/en/lodging"]) {
      const b = (await get(p)).body;
      for (const m of b.matchAll(/<input\s[^>]*>/g)) {
        const input = m[0];
        const id = /\sid="([^"]+)"/.exec(input)?.[1];
        const labelled = id
          ? new RegExp(`<label[^>]*\\sfor="${id}"`).test(b)
          : /<label class="choice"\s*>\s*$/.test(b.slice(Math.max(0, (m.index ?? 0) - 60), m.index));
        expect(labelled, `${p}: ${input}`).toBe(true);
      }
    }
  });
});

describe("content that reads as finished", () => {
  /** Every list page and every entry's page, in both languages. */
  function allPages(): string[] {
    const lists = [
      "/",
      "/attractions",
      "/events",
      "/lodging",
      "/practical",
      "/lodging?guest=foreign&time=22%3A00",
    ];
    const entries = ENTRY_TYPES.flatMap((t) => index.list(t).map((e) => entryUrl(e.type, e.id)));
    return [...lists, ...entries].flatMap((p) => [p, en(p)]);
  }

  it("shows no editor's marker on any public page", async () => {
    const pages = allPages();
    expect(pages.length).toBeGreaterThan(60);
    for (const p of pages) {
      const page = await get(p);
      expect(page.status, p).toBe(200);
      const visible = text(page.body.replace(/<script[\s\S]*?<\/script>/g, ""));
      expect(internalMarker(visible), p).toBeUndefined();
    }
  });

  it("keeps staffNote out of the index, the pages and the API", async () => {
    const { entries } = await loadContent(CONTENT);
    expect(entries.every((e) => e.staffNote === undefined)).toBe(true);
    const note = "chưa ai mở trang này để đối chiếu";
    const file = await readFile(path.join(CONTENT, "lodging/muc-phat-luu-tru.md"), "utf8");
    expect(file).toContain(note);
    for (const p of ["/lodging/muc-phat-luu-tru", "/en/lodging/muc-phat-luu-tru", "/lodging"]) {
      expect((await get(p)).body, p).not.toContain(note);
    }
    const api = await fetch(`${base}/api/entries/muc-phat-luu-tru`).then((r) => r.text());
    expect(api).not.toContain(note);
    expect(api).not.toContain("staffNote");
  });
});

describe("attraction pages", () => {
  it("shows the address, former names, distance, unknown hours, map link, sources and last check (vi)", async () => {
    const b = (await get("/attractions/mieu-ba-chua-xu")).body;
    expect(b).toMatch(/<h1>\s*Miếu Bà Chúa Xứ Núi Sam\s*<\/h1>/);
    expect(b).toContain("Chân núi Sam, phường Vĩnh Tế, tỉnh An Giang");
    expect(b).toContain("phường Núi Sam");
    expect(text(section(b, "<dt>Khoảng cách từ trung tâm Châu Đốc</dt>", "</dd>"))).toContain("5 km");
    expect(text(section(b, "<dt>Giờ mở cửa</dt>", "</dd>"))).toContain("chưa có thông tin xác nhận");
    expect(text(section(b, "<dt>Vé</dt>", "</dd>"))).toContain("20.000 đồng/người");
    expect(text(section(b, "<dt>Vé</dt>", "</dd>"))).toContain("chưa được xác nhận");
    expect(text(section(b, "<dt>Cách đi</dt>", "</dd>"))).toContain("đi xe máy, taxi hoặc xe buýt");
    const map = unescape(attr(b, 'a href="https://www.google.com/maps', "href") ?? "");
    expect(map).toBe("https://www.google.com/maps/search/?api=1&query=10.6787,105.0806");
    expect(text(section(b, "<dt>Bản đồ</dt>", "</dd>"))).toContain("vị trí gần đúng");
    const sources = section(b, '<section class="sources"', "</section>");
    expect(sources).toContain(
      'href="https://vietgiaitri.com/nhung-diem-dung-chan-o-mien-bien-gioi-chau-doc-20151007i2144665"',
    );
    expect(sources.match(/<li>/g)?.length).toBe(9);
    expect(text(sources)).toContain("Kiểm tra lần cuối: 1/12/2026");
    // The body is rendered: its ## headings become h3 under the "About" h2.
    expect(b).toMatch(/<h3>\s*Lịch sử và kiến trúc\s*<\/h3>/);
    expect(b).toContain('href="/events/via-ba-chua-xu"');
  });

  it("says the same in English, and shows known tickets and a distance range", async () => {
    const b = (await get("/en/attractions/mieu-ba-chua-xu")).body;
    expect(b).toContain("Foot of Sam Mountain, Vĩnh Tế ward, An Giang province");
    expect(text(section(b, "<dt>Opening hours</dt>", "</dd>"))).toContain("not confirmed in our sources");
    expect(text(section(b, "<dt>Map</dt>", "</dd>"))).toContain("approximate location");
    expect(text(b)).toContain("Last verified: 1 December 2026");
    expect(b).toMatch(/<h3>\s*History and architecture\s*<\/h3>/);
    expect(b).toContain('href="/en/events/via-ba-chua-xu"');

    const forest = (await get("/attractions/rung-tram-tra-su")).body;
    expect(text(section(forest, "<dt>Vé</dt>", "</dd>"))).toContain("190.000 đồng");
    expect(text(section(forest, "<dt>Khoảng cách từ trung tâm Châu Đốc</dt>", "</dd>"))).toContain(
      "20–30 km",
    );
  });

  it("has no map link when the coordinates are unknown", async () => {
    const b = (await get("/attractions/bung-binh-thien")).body;
    expect(b).not.toContain("google.com/maps");
    expect(text(section(b, "<dt>Bản đồ</dt>", "</dd>"))).toContain("chưa có tọa độ xác nhận");
  });

  it("filters by tag, with a link for each tag", async () => {
    const all = (await get("/attractions")).body;
    const listed = (b: string) =>
      [
        ...section(b, '<section aria-labelledby="list-heading">', "</main>").matchAll(
          /<h4><a href="\/(?:en\/)?attractions\/([a-z0-9-]+)"/g,
        ),
      ].map((m) => m[1]);
    expect(listed(all)).toHaveLength(index.list("attraction").length);
    expect(all).toContain('href="/attractions?tag=t%C3%A2m%20linh"');
    // The content's tags are the few themes a visitor filters by, in both languages; the chips are those
    // several places share ("ẩm thực", the market's alone, is not a chip).
    const chipNames = (b: string) =>
      [...section(b, '<nav class="tags"', "</nav>").matchAll(/\?tag=([^"]+)"/g)]
        .map((m) => decodeURIComponent(m[1] as string))
        .sort();
    expect(chipNames(all)).toEqual(["lịch sử", "sông nước", "thiên nhiên", "tâm linh", "văn hóa"].sort());
    expect(chipNames((await get("/en/attractions")).body)).toEqual([
      "culture",
      "history",
      "nature",
      "river",
      "spiritual",
    ]);
    for (const place of index.list("attraction")) {
      expect(place.tags.length, place.id).toBeLessThanOrEqual(6);
      expect(place.tags.filter((tg) => tagLang(tg) === "vi").length, place.id).toBe(
        place.tags.filter((tg) => tagLang(tg) === "en").length,
      );
    }

    // …but a tag of one place still filters, and the chip of the tag asked for is shown as current.
    const food = (await get("/attractions?tag=%E1%BA%A9m%20th%E1%BB%B1c")).body;
    expect(listed(food)).toEqual(["cho-chau-doc"]);
    expect(attr(food, 'a href="/attractions\\?tag=%E1%BA%A9m%20th%E1%BB%B1c"', "aria-current")).toBe("page");

    const spiritual = listed((await get("/attractions?tag=t%C3%A2m%20linh")).body);
    expect(spiritual).toContain("mieu-ba-chua-xu");
    expect(spiritual).not.toContain("cho-chau-doc");

    const enAll = (await get("/en/attractions")).body;
    expect(enAll).toContain('href="/en/attractions?tag=spiritual"');
    expect(listed((await get("/en/attractions?tag=Food")).body)).toEqual(["cho-chau-doc"]);

    const none = (await get("/attractions?tag=kh%C3%B4ng-c%C3%B3")).body;
    expect(listed(none)).toEqual([]);
    expect(none).toContain("Không có điểm nào với chủ đề này.");
  });

  it("groups the places by area (Núi Sam, the town and the river, further out) with their distance", async () => {
    type A = Extract<ReturnType<KnowledgeIndex["list"]>[number], { type: "attraction" }>;
    const places = index.list("attraction") as A[];
    for (const [prefix, lang] of [
      ["", "vi"],
      ["/en", "en"],
    ] as const) {
      const b = (await get(`${prefix}/attractions`)).body;
      const groups = [...b.matchAll(/<section class="area" aria-labelledby="area-([a-z-]+)">/g)].map(
        (m) => m[1],
      );
      expect(groups).toEqual(["nui-sam", "town-river", "further-out"]);
      for (const area of groups) {
        const g = section(b, `<section class="area" aria-labelledby="area-${area}">`, "</section>");
        const ids = [...g.matchAll(/<h4><a href="\/(?:en\/)?attractions\/([a-z0-9-]+)"/g)].map((m) => m[1]);
        // Every place of the area, from the content's `area` field: ranked first, then by title.
        const expected = places
          .filter((e) => e.place.area === area)
          .sort(
            (x, y) =>
              (x.featured ?? 99) - (y.featured ?? 99) || x.title[lang].localeCompare(y.title[lang], lang),
          )
          .map((e) => e.id);
        expect(ids, `${prefix} ${area}`).toEqual(expected);
      }
      const samGroup = section(b, '<section class="area" aria-labelledby="area-nui-sam">', "</section>");
      expect(samGroup).toContain(lang === "vi" ? "Núi Sam" : "Sam Mountain");
      expect(samGroup.indexOf("mieu-ba-chua-xu")).toBeLessThan(samGroup.indexOf("attractions/chua-hang"));
      const further = section(b, '<section class="area" aria-labelledby="area-further-out">', "</section>");
      for (const id of ["rung-tram-tra-su", "nui-cam", "doi-tuc-dup", "bung-binh-thien"])
        expect(further, id).toContain(`attractions/${id}"`);
      // The distance from the centre, a range where sources differ.
      expect(text(itemWith(further, 'attractions/rung-tram-tra-su"'))).toContain(
        lang === "vi" ? "Cách trung tâm 20–30 km" : "20–30 km from the centre",
      );
    }
    expect(places.every((e) => e.place.area !== undefined)).toBe(true);
  });
});

describe("events", () => {
  it("lists the Bà Chúa Xứ festival 2027 with Gregorian and lunar dates, under its month (vi)", async () => {
    const b = (await get("/events")).body;
    const item = itemWith(b, 'href="/events/via-ba-chua-xu"');
    expect(text(item)).toContain("27/5/2027 – 1/6/2027");
    expect(text(item)).toContain("22/4 âm lịch – 27/4 âm lịch");
    expect(text(item)).toContain("ngày chính 30/5/2027 (25/4 âm lịch)");
    expect(b.indexOf("Tháng 5/2027")).toBeGreaterThan(0);
    expect(b.indexOf("Tháng 5/2027")).toBeLessThan(b.indexOf('href="/events/via-ba-chua-xu"'));
    // The flood season is under way: it is listed under the current month.
    expect(b.indexOf('href="/events/mua-nuoc-noi"')).toBeLessThan(b.indexOf("Tháng 2/2027"));
    expect(b).not.toContain("Tháng 11/2027");
  });

  it("lists it in English too", async () => {
    const b = (await get("/en/events")).body;
    const item = text(itemWith(b, 'href="/en/events/via-ba-chua-xu"'));
    expect(item).toContain("27 May 2027 – 1 June 2027");
    expect(item).toContain("lunar 22/4 – lunar 27/4");
    expect(b).toMatch(/May 2027\s*<\/h2>/);
  });

  it("gives Khmer and Islamic events the announced-each-year wording and their known dates", async () => {
    const vi = (await get("/events")).body;
    expect(text(itemWith(vi, 'href="/events/chol-chnam-thmay"'))).toContain(
      "ngày chính thức được công bố hằng năm",
    );
    const announced = section(vi, '<section aria-labelledby="announced-heading">', "</section>");
    expect(announced).toContain('href="/events/ok-om-bok"');
    expect(text(announced)).toContain("Lễ này theo lịch Khmer; ngày được công bố hằng năm");
    expect(text(announced)).toContain("Lễ này theo lịch Hồi giáo");

    const en = (await get("/en/events")).body;
    expect(text(itemWith(en, 'href="/en/events/chol-chnam-thmay"'))).toContain(
      "exact dates are announced each year",
    );
    const ok = text((await get("/en/events/ok-om-bok")).body);
    expect(ok).toContain("follows the Khmer calendar; its dates are announced each year");
    expect(ok).toContain("Known past dates");
    expect(ok).toContain("4 November 2025 – 6 November 2025");
    expect(text((await get("/en/events/tet-nguyen-dan")).body)).not.toContain("Known past dates");
  });

  it("has a page per event with the next three years, where, known dates, sources and last check", async () => {
    const b = (await get("/events/via-ba-chua-xu")).body;
    const dates = text(section(b, '<section aria-labelledby="dates-heading">', "</section>"));
    expect(dates).toContain("27/5/2027");
    expect(dates).toMatch(/\/2028/);
    expect(dates).toMatch(/\/2029/);
    expect(dates).not.toMatch(/\/2030/);
    expect(dates).toContain("25/4 âm lịch");
    expect(text(b)).toContain("Miếu Bà Chúa Xứ và Pơ-lang (bệ đá) trên núi Sam");
    expect(b).toContain('href="/attractions/mieu-ba-chua-xu"');
    const known = text(section(b, '<section aria-labelledby="known-heading">', "</section>"));
    expect(known).toContain("29/5/2024 – 3/6/2024");
    expect(known).toContain("19/5/2025 – 24/5/2025");
    expect(text(b)).toContain("Kiểm tra lần cuối: 1/12/2026");
    expect(b).toMatch(/<h3>\s*Các nghi lễ\s*<\/h3>\s*<ul>\s*<li>\s*Lễ tắm Bà/);
  });
});

describe("lodging", () => {
  const result = async (p: string) => {
    const page = await get(p);
    expect(page.status).toBe(200);
    return { body: page.body, result: text(section(page.body, '<section class="result"', "</section>")) };
  };

  it("Vietnamese guest at 23:30 → before 08:00 the next day, Article 30", async () => {
    const vi = await result("/lodging?guest=vn&time=23%3A30");
    expect(vi.result).toContain("Khách Việt Nam đến lúc 23:30");
    expect(vi.result).toContain("Trước 08:00 sáng hôm sau");
    expect(vi.result).toContain("Điều 30");
    expect(vi.result).not.toContain("23:00 cùng ngày");
    const en = await result("/en/lodging?guest=vn&time=23%3A30");
    expect(en.result).toContain("Before 08:00 the next day");
    expect(en.result).toContain("Điều 30");
  });

  it("Vietnamese guest at 21:00 → before 23:00 the same day", async () => {
    const r = await result("/lodging?guest=vn&time=21%3A00");
    expect(r.result).toContain("Trước 23:00 cùng ngày");
    expect(r.result).not.toContain("08:00");
  });

  it("foreign guest at 22:00 on paper → within 12 hours, before 10:00 the next day, Article 33", async () => {
    const r = await result("/lodging?guest=foreign&time=22%3A00&method=paper");
    expect(r.result).toContain("trong 12 giờ kể từ khi khách đến, tức là trước 10:00 sáng hôm sau");
    expect(r.result).toContain("Điều 33");
    expect(r.result).not.toContain("nhận phòng");
    const remote = await result("/en/lodging?guest=foreign&time=22%3A00&method=paper&remote=on");
    expect(remote.result).toContain("within 24 hours of arrival, that is before 22:00 the next day");
    const both = await result("/en/lodging?guest=foreign&time=22%3A00&method=");
    expect(both.result).toContain("before 10:00 the next day");
    expect(both.result).toContain("at check-in");
    // The inputs stay selected, so the form can be changed and sent again.
    expect(remote.body).toMatch(/value="foreign"\s+checked/);
    expect(remote.body).toMatch(/name="remote" value="on"\s+checked/);
    expect(attr(remote.body, 'input id="time"', "value")).toBe("22:00");
  });

  it("asks for a missing guest type beside the field, without a result and without a 500", async () => {
    const r = await result("/lodging?time=22%3A00");
    expect(r.result).toBe("");
    const guest = section(r.body, "<legend>Khách là</legend>", "</fieldset>");
    expect(text(guest)).toContain("Hãy chọn khách là người Việt Nam hay người nước ngoài.");
    expect(r.body).toMatch(/<fieldset\s+aria-describedby="guest-error"\s*>/);
    const invalid = await result("/en/lodging?guest=martian&time=22%3A00");
    expect(invalid.result).toBe("");
    expect(text(invalid.body)).toContain("That guest type is not valid");
  });

  it("explains a missing or invalid time", async () => {
    const bad = await result("/lodging?guest=vn&time=25%3A99");
    expect(bad.result).toBe("");
    expect(text(bad.body)).toContain("Giờ không hợp lệ");
    expect(bad.body).toMatch(/aria-invalid="true"\s+aria-describedby="time-error"/);
    const missing = await result("/en/lodging?guest=vn&time=");
    expect(text(missing.body)).toContain("Enter the arrival time, for example 22:30.");
    const words = await result("/lodging?guest=vn&time=t%E1%BB%91i");
    expect(text(words.body)).toContain("Giờ không hợp lệ");
    expect((await result("/lodging?guest=foreign&time=22%3A00&method=fax")).body).toContain(
      'id="method-error"',
    );
  });

  describe("the fine calculator", () => {
    const fine = async (p: string) => {
      const page = await get(p);
      expect(page.status).toBe(200);
      return text(section(page.body, '<section class="result" id="fine-result"', "</section>"));
    };

    it("6 undeclared Vietnamese guests → the 4–8 bracket with its basis, organisations double", async () => {
      const vi = await fine("/lodging?fguest=vn&fguests=6&fpayer=individual");
      expect(vi).toContain("4.000.000 đồng – 8.000.000 đồng");
      expect(vi).toContain("Nghị định 282/2025");
      expect(vi).toContain("gấp đôi");
      expect(vi).not.toContain("500.000 đồng");
      const org = await fine("/en/lodging?fguest=vn&fguests=6&fpayer=organisation");
      expect(org).toContain("8,000,000 VND – 16,000,000 VND");
    });

    it("foreign guests have their own brackets; a count the sources do not cover is said to be unconfirmed", async () => {
      expect(await fine("/en/lodging?fguest=foreign&fguests=2")).toContain("3,000,000 VND – 5,000,000 VND");
      expect(await fine("/en/lodging?fguest=foreign&fguests=20")).toContain("do not confirm the fine");
    });

    it("says what is wrong with the inputs, and sends the form back to its result", async () => {
      const page = await get("/lodging?fguest=x&fguests=abc");
      expect(page.body).toContain('id="fguest-error"');
      expect(page.body).toContain('id="fguests-error"');
      expect(page.body).not.toContain('id="fine-result"');
      expect(page.body).toContain('action="/lodging#fine-result"');
    });
  });

  it("shows no message before the form is used", async () => {
    const b = (await get("/lodging")).body;
    expect(b).not.toContain('class="field-error"');
    expect(b).not.toContain('class="result"');
    // The form leads to its result's anchor, so the page reopens at the result, not at the top.
    expect(b).toMatch(/<form class="calculator" action="\/lodging#result" method="get"\s*>/);
    expect(b).not.toContain('id="result"');
    const en = (await get("/en/lodging?guest=vn&time=23%3A30")).body;
    expect(en).toMatch(/<form class="calculator" action="\/en\/lodging#result" method="get"\s*>/);
    expect(en).toContain('<section class="result" id="result"');
  });

  it("shows each rule's channels, legal basis with status, penalties with caveats and verify note", async () => {
    const b = (await get("/lodging")).body;
    const rule = section(b, '<section class="rule" aria-labelledby="thong-bao-luu-tru">', "</section>");
    expect(rule).toContain('href="https://dichvucong.gov.vn/"');
    expect(text(rule)).toContain("Luật Cư trú số 68/2020/QH14, Điều 30 (bản gốc)");
    expect(text(rule)).toContain("Hiệu lực từ: 1/7/2021; Tình trạng: đã bị thay thế");
    expect(text(rule)).toContain("Hiệu lực từ: 1/7/2026; Tình trạng: đang có hiệu lực");
    expect(text(rule)).toContain("2.000.000 đồng – 4.000.000 đồng");
    expect(text(rule)).toContain("8.000.000 đồng – 12.000.000 đồng");
    expect(text(rule)).toContain("Trước khi làm theo: Từ 1/7/2026 Điều 30 Luật Cư trú được thay thế");
    expect(text(b)).toContain(
      "Cơ sở lưu trú không khai báo tạm trú cho 1–3 người nước ngoài: 3.000.000 đồng",
    );

    const fines = text((await get("/en/lodging/muc-phat-luu-tru")).body);
    const unconfirmed = index
      .list("lodging-rule")
      .flatMap((e) => (e.type === "lodging-rule" ? e.lodging.penalties : []))
      .filter((p) => !p.confirmed);
    expect(unconfirmed.length).toBeGreaterThan(0);
    expect(fines).toContain(
      "(for an individual; Nghị định 282/2025/NĐ-CP, Điều 10 (khoản chưa xác nhận)) unconfirmed",
    );
    expect(fines).toContain(
      "Lodging does not declare temporary residence for 1–3 foreigners: 3,000,000 VND – 5,000,000 VND",
    );
    expect(fines).not.toContain(
      "5,000,000 VND (for an individual; Nghị định 282/2025/NĐ-CP, Điều 21) unconfirmed",
    );
    const enRule = text((await get("/en/lodging/thong-bao-luu-tru")).body);
    expect(enRule).toContain("In force from: 1 July 2021; Status: replaced");
    expect(enRule).toContain("In force from: 1 July 2026; Status: in force");
    expect(text((await get("/en/lodging/khai-bao-tam-tru-nguoi-nuoc-ngoai")).body)).toContain(
      "Status: reported change, unconfirmed",
    );
  });

  it("has a page per rule with its deadlines in plain words", async () => {
    const b = text((await get("/en/lodging/khai-bao-tam-tru-nguoi-nuoc-ngoai")).body);
    expect(b).toContain(
      "Foreign guests (not in a remote area), on a paper form: within 12 hours of arrival.",
    );
    expect(b).toContain("Foreign guests, online: at check-in.");
    expect(b).toContain("Before you rely on this: Rules may have changed");
    expect(b).toContain("Last verified: 1 December 2026");
  });
});

describe("practical, home and search", () => {
  it("gives emergency numbers as tel: links", async () => {
    for (const p of [
      "/practical",
      "/practical/so-dien-thoai-khan-cap",
      "/en/practical/so-dien-thoai-khan-cap",
    ]) {
      const b = (await get(p)).body;
      expect(b, p).toMatch(/<a class="tel" href="tel:113"\s*>\s*113\s*<\/a\s*>/);
      expect(b, p).toContain('href="tel:115"');
    }
    const list = (await get("/en/practical")).body;
    expect(list).toContain('href="/en/practical/di-chuyen-den-chau-doc"');
    expect(list.indexOf("/en/practical/di-chuyen-den-chau-doc")).toBeLessThan(
      list.indexOf("/en/practical/hanh-chinh-chau-doc"),
    );
  });

  it("home: leads with Miếu Bà Chúa Xứ, Núi Sam's sites and the next festival, in rank order", async () => {
    for (const [prefix, lang] of [
      ["", "vi"],
      ["/en", "en"],
    ] as const) {
      const b = (await get(prefix || "/")).body;
      const cards = section(b, '<ul class="cards featured">', "</ul>");
      const ids = [...cards.matchAll(/<h3><a href="\/(?:en\/)?attractions\/([a-z0-9-]+)"/g)].map((m) => m[1]);
      expect(ids.slice(0, 5)).toEqual([
        "mieu-ba-chua-xu",
        "nui-sam",
        "lang-thoai-ngoc-hau",
        "chua-tay-an",
        "chua-hang",
      ]);
      expect(ids.length).toBeLessThanOrEqual(6);
      // The far places are a link away, not first on the home page.
      expect(ids).not.toContain("bung-binh-thien");
      // The next festival with a known date, right after the places.
      const next = section(b, '<section class="next-festival"', "</section>");
      const occurrence = index.eventsBetween("2026-11-22", "2027-11-21")[0];
      expect(occurrence).toBeDefined();
      expect(next).toContain(`href="${prefix}/events/${occurrence?.eventId}"`);
      expect(text(next)).toContain(occurrence?.title[lang]);
      expect(b.indexOf('class="next-festival"')).toBeLessThan(
        b.indexOf('aria-labelledby="itineraries-heading"'),
      );
    }
  });

  it("home: search form, featured places, next 90 days of events with lunar dates, lodging and practical links", async () => {
    const b = (await get("/")).body;
    expect(b).toMatch(/<form class="search" action="\/search" method="get" role="search"\s*>/);
    expect(b).toContain('href="/attractions/mieu-ba-chua-xu"');
    const events = section(b, '<section aria-labelledby="events-heading">', "</section>");
    expect(text(itemWith(events, 'href="/events/tet-nguyen-dan"'))).toContain("6/2/2027");
    expect(text(itemWith(events, 'href="/events/tet-nguyen-dan"'))).toContain("1/1 âm lịch");
    // Ninety days from 22/11/2026 end on 20/2/2027: the May festival is not listed.
    expect(events).not.toContain("via-ba-chua-xu");
    expect(b).toContain('href="/lodging"');
    expect(b).toContain('href="/practical/so-dien-thoai-khan-cap"');
    const enHome = (await get("/en")).body;
    expect(enHome).toMatch(/<form class="search" action="\/en\/search" method="get" role="search"\s*>/);
    expect(text(itemWith(enHome, 'href="/en/events/tet-nguyen-dan"'))).toContain("6 February 2027");
  });

  it("finds the temple for “Miếu Bà Chúa Xứ”, in both languages", async () => {
    const vi = (await get(`/search?q=${encodeURIComponent("Miếu Bà Chúa Xứ")}`)).body;
    const first = /<ol class="results">\s*<li>\s*<h3>\s*<a href="([^"]+)"/.exec(vi)?.[1];
    expect(first).toBe("/attractions/mieu-ba-chua-xu");
    expect(attr(vi, 'input id="q"', "value")).toBe("Miếu Bà Chúa Xứ");
    const enPage = (await get(`/en/search?q=${encodeURIComponent("Ba Chua Xu Temple")}`)).body;
    expect(/<ol class="results">\s*<li>\s*<h3>\s*<a href="([^"]+)"/.exec(enPage)?.[1]).toBe(
      "/en/attractions/mieu-ba-chua-xu",
    );
    const empty = (await get("/search")).body;
    expect(empty).not.toContain('class="results"');
    expect(attr(empty, 'meta name="robots"', "content")).toBeUndefined();
    expect(attr(vi, 'meta name="robots"', "content")).toBe("noindex");
  });
});

describe("errors and escaping", () => {
  it("answers unknown ids and wrong types with an HTML 404", async () => {
    for (const p of [
      "/attractions/khong-co",
      "/en/attractions/khong-co",
      "/events/mieu-ba-chua-xu",
      "/lodging/nope",
      "/en/practical/nope",
      "/en/nowhere",
    ]) {
      const page = await get(p);
      expect(page.status, p).toBe(404);
      expect(page.type, p).toMatch(/^text\/html/);
      expect(page.body, p).toContain("<h1>404</h1>");
      // The site's layout: header with the brand, the main navigation, the search form and the footer.
      const en = p.startsWith("/en/");
      expect(attr(page.body, "html", "lang"), p).toBe(en ? "en" : "vi");
      expect(page.body, p).toContain('<header class="site-header">');
      expect(section(page.body, "<nav", "</nav>").replace(/\s+/g, " "), p).toMatch(
        en ? /href="\/en\/attractions" >Attractions</ : /href="\/attractions" >Điểm tham quan</,
      );
      expect(page.body, p).toContain(en ? "This page was not found." : "Không tìm thấy trang này.");
      expect(page.body, p).toContain('<form class="search"');
      expect(attr(page.body, 'meta name="robots"', "content"), p).toBe("noindex");
    }
    // The API keeps its JSON errors, and so does a client that asks for JSON.
    const api = await fetch(`${base}/api/nowhere`, { headers: { Accept: "text/html" } });
    expect(api.status).toBe(404);
    expect(api.headers.get("content-type")).toMatch(/^application\/json/);
    const json = await fetch(`${base}/attractions/khong-co`, { headers: { Accept: "application/json" } });
    expect(json.status).toBe(404);
    expect(json.headers.get("content-type")).toMatch(/^application\/json/);
  });

  it("escapes a search query everywhere it appears", async () => {
    for (const q of ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>']) {
      for (const prefix of ["", "/en"]) {
        const page = await get(`${prefix}/search?q=${encodeURIComponent(q)}`);
        expect(page.status).toBe(200);
        const b = page.body;
        expect(b).not.toContain("<script>alert");
        expect(b).not.toContain("<img src=x");
        expect(b).not.toMatch(/onerror=alert\(1\)>/);
        expect(b).toContain(
          q.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;"),
        );
        expect(attr(b, 'input id="q"', "value")).toBe(
          q.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;"),
        );
      }
    }
  });

  it("escapes the tag filter and the calculator inputs", async () => {
    const q = encodeURIComponent('"><script>alert(1)</script>');
    for (const p of [`/attractions?tag=${q}`, `/lodging?guest=${q}&time=${q}&method=${q}`]) {
      const page = await get(p);
      expect(page.status, p).toBe(200);
      expect(page.body, p).not.toContain("<script>alert");
      expect(page.body, p).toContain("&lt;script&gt;");
    }
  });
});

import { cp, mkdtemp, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatProblem, loadContent, parseEntryFile, type ContentProblem, type LoadResult } from "./load.ts";
import { TYPE_FOLDERS, type ContentEntry, type EntryType } from "./schema.ts";

const CONTENT = path.resolve(import.meta.dirname, "../../content");

const temps: string[] = [];
afterAll(async () => {
  await Promise.all(temps.map((d) => rm(d, { recursive: true, force: true })));
});

/** A fresh copy of the real content in a temp folder, to break one file at a time. */
async function fixture(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "chau-doc-load-"));
  temps.push(dir);
  await cp(CONTENT, dir, { recursive: true });
  return dir;
}

/** Replaces `search` once; throws when it is not there, so a mutation can never silently do nothing. */
function replaceOnce(text: string, search: string | RegExp, replacement: string): string {
  const found = typeof search === "string" ? text.includes(search) : search.test(text);
  if (!found) throw new Error(`fixture mutation: ${String(search)} not found`);
  return text.replace(search, replacement);
}

/**
 * Replaces a YAML block (the line matching `keyLine` and every following line indented deeper or
 * blank) with `replacement` (lines, without a trailing newline).
 */
function replaceBlock(text: string, keyLine: RegExp, replacement: string): string {
  const lines = text.split("\n");
  const start = lines.findIndex((l) => keyLine.test(l));
  if (start < 0) throw new Error(`fixture mutation: ${String(keyLine)} not found`);
  const indent = (l: string) => l.length - l.trimStart().length;
  const base = indent(lines[start] ?? "");
  let end = start + 1;
  while (end < lines.length && lines[end] !== "---" && indent(lines[end] ?? "") > base) end++;
  return [...lines.slice(0, start), ...replacement.split("\n"), ...lines.slice(end)].join("\n");
}

/** 1-based number of the first line matching `pattern`; throws when none does. */
function lineOf(text: string, pattern: RegExp): number {
  const i = text.split("\n").findIndex((l) => pattern.test(l));
  if (i < 0) throw new Error(`no line matches ${String(pattern)}`);
  return i + 1;
}

/** Number of the last line of a file (a final newline ends the last line, it does not start one). */
function lastLine(text: string): number {
  const lines = text.split("\n");
  return text.endsWith("\n") ? lines.length - 1 : lines.length;
}

/** Rewrites one entry file of a fixture with `mutate`; returns the new text. */
async function edit(dir: string, rel: string, mutate: (text: string) => string): Promise<string> {
  const file = path.join(dir, rel);
  const text = mutate(await readFile(file, "utf8"));
  await writeFile(file, text);
  return text;
}

/** A problem expectation: exact file, line and field, and a substring of the reason. */
function problem(file: string, line: number, field: string, reason: string | RegExp) {
  return {
    file,
    line,
    field,
    reason: typeof reason === "string" ? expect.stringContaining(reason) : expect.stringMatching(reason),
  };
}

/** Loads a fixture and checks that the only problems are `expected` (in any order). */
async function expectProblems(dir: string, expected: ReturnType<typeof problem>[], today?: string) {
  const result: LoadResult = await loadContent(dir, today ? { today } : {});
  expect(result.problems).toHaveLength(expected.length);
  expect(result.problems).toEqual(expect.arrayContaining(expected));
  // Invalid content yields no entries, so a build can never index half-checked content.
  expect(result.entries).toEqual([]);
  return result.problems;
}

async function countEntryFiles(root: string): Promise<number> {
  let n = 0;
  for (const folder of Object.values(TYPE_FOLDERS)) {
    n += (await readdir(path.join(root, folder))).filter((f) => f.endsWith(".md")).length;
  }
  return n;
}

describe("formatProblem", () => {
  it("prints path:line field: reason", () => {
    const p: ContentProblem = { file: "events/x.md", line: 12, field: "event.lunar", reason: "is wrong" };
    expect(formatProblem(p)).toBe("events/x.md:12 event.lunar: is wrong");
    expect(formatProblem({ ...p, line: 3, field: "related[2]" })).toMatch(/^\S+\.md:3 related\[2\]: is wrong$/);
  });
});

describe("loadContent on broken copies of the real content", () => {
  it("an untouched copy has no problems (baseline for every case below)", async () => {
    const dir = await fixture();
    const { entries, problems } = await loadContent(dir);
    expect(problems).toEqual([]);
    expect(entries).toHaveLength(await countEntryFiles(dir));
  });

  it("reports a missing English section at the end of the file", async () => {
    const dir = await fixture();
    const file = "attractions/nui-sam.md";
    const text = await edit(dir, file, (t) => replaceOnce(t, /\n# English\n[\s\S]*$/, "\n"));
    await expectProblems(dir, [problem(file, lastLine(text), "body.en", "missing the '# English' section")]);
  });

  it("reports an empty language section on its heading", async () => {
    const dir = await fixture();
    const file = "practical/mua-du-lich.md";
    const text = await edit(dir, file, (t) => replaceOnce(t, /\n# English\n[\s\S]*$/, "\n# English\n\n"));
    await expectProblems(dir, [problem(file, lineOf(text, /^# English$/), "body.en", "is empty")]);
  });

  it("reports a missing Vietnamese title on the line of `title`", async () => {
    const dir = await fixture();
    const file = "attractions/chua-hang.md";
    const text = await edit(dir, file, (t) => replaceOnce(t, /^title:\n {2}vi: .*\n/m, "title:\n"));
    await expectProblems(dir, [problem(file, lineOf(text, /^title:$/), "title.vi", "required field is missing")]);
  });

  it("reports a latitude outside the region on the coordinates line", async () => {
    const dir = await fixture();
    const file = "attractions/mieu-ba-chua-xu.md";
    const text = await edit(dir, file, (t) => replaceOnce(t, /lat: [\d.]+/, "lat: 21.0"));
    await expectProblems(dir, [
      problem(file, lineOf(text, /^ {2}coordinates:/), "place.coordinates.lat", /^21 is outside the region/),
    ]);
  });

  it("reports swapped lat/lng on both fields, each on its own line", async () => {
    const dir = await fixture();
    const file = "attractions/nui-sam.md";
    const original = await readFile(path.join(CONTENT, file), "utf8");
    const m = /coordinates: \{ lat: ([\d.]+), lng: ([\d.]+), approximate: (\w+) \}/.exec(original);
    if (!m) throw new Error("nui-sam.md no longer writes its coordinates on one line");
    const [, lat, lng, approx] = m as unknown as [string, string, string, string];
    // Block style, so the two fields are on different lines.
    const text = await edit(dir, file, (t) =>
      replaceOnce(
        t,
        m[0],
        `coordinates:\n    lat: ${lng}\n    lng: ${lat}\n    approximate: ${approx}`,
      ),
    );
    await expectProblems(dir, [
      problem(file, lineOf(text, /^ {4}lat: /), "place.coordinates.lat", `${Number(lng)} is outside the region`),
      problem(file, lineOf(text, /^ {4}lng: /), "place.coordinates.lng", `${Number(lat)} is outside the region`),
    ]);
  });

  it.each(["attractions/nui-sam-2.md", "practical/nui-sam.md"])(
    "reports a duplicate id on the misnamed copy %s, not on the original",
    async (copy) => {
      const dir = await fixture();
      const text = await readFile(path.join(dir, "attractions/nui-sam.md"), "utf8");
      await writeFile(path.join(dir, copy), text);
      const idLine = lineOf(text, /^id: nui-sam$/);
      const problems = await expectProblems(dir, [
        problem(copy, idLine, "id", "must be attractions/nui-sam.md"),
        problem(copy, idLine, "id", "duplicate id 'nui-sam', already used by attractions/nui-sam.md"),
      ]);
      expect(problems.filter((p) => p.file === "attractions/nui-sam.md")).toEqual([]);
    },
  );

  it("reports an unclosed quote as a yaml problem on its line, without cascading", async () => {
    const dir = await fixture();
    const file = "attractions/nui-sam.md";
    const text = await edit(dir, file, (t) => replaceOnce(t, /^ {2}vi: (.*)$/m, '  vi: "$1'));
    // nui-sam is named in other entries' related lists: they must not all report it as unknown.
    await expectProblems(dir, [problem(file, lineOf(text, /^ {2}vi: "/), "yaml", "quote")]);
  });

  it("reports bad indentation as a yaml problem on the misindented line", async () => {
    const dir = await fixture();
    const file = "events/via-ba-chua-xu.md";
    const text = await edit(dir, file, (t) => replaceOnce(t, /^summary:\n {2}vi: (.*)\n {2}en: /m, "summary:\n  vi: $1\n en: "));
    await expectProblems(dir, [problem(file, lineOf(text, /^ en: /), "yaml", "same column")]);
  });

  it("reports a repeated key as a yaml problem on the second occurrence", async () => {
    const dir = await fixture();
    const file = "practical/tau-di-phnom-penh.md";
    const text = await edit(dir, file, (t) => replaceOnce(t, /^lastVerified: (.*)$/m, "lastVerified: $1\ntags: [x]"));
    await expectProblems(dir, [problem(file, lineOf(text, /^tags: \[x\]$/), "yaml", "unique")]);
  });

  it("reports an unknown field under place on its line", async () => {
    const dir = await fixture();
    const file = "attractions/chua-tay-an.md";
    const text = await edit(dir, file, (t) => replaceOnce(t, /^place:\n/m, "place:\n  openingHour: 8:00-17:00\n"));
    await expectProblems(dir, [problem(file, lineOf(text, /^ {2}openingHour:/), "place.openingHour", "unknown field")]);
  });

  it("reports an unknown top-level field on its line", async () => {
    const dir = await fixture();
    const file = "lodging/dang-ky-tam-tru.md";
    const text = await edit(dir, file, (t) => replaceOnce(t, /^related:/m, "foo: bar\nrelated:"));
    await expectProblems(dir, [problem(file, lineOf(text, /^foo: bar$/), "foo", "unknown field")]);
  });

  it("reports an impossible date", async () => {
    const dir = await fixture();
    const file = "events/tet-nguyen-dan.md";
    const text = await edit(dir, file, (t) => replaceOnce(t, /^lastVerified: .*$/m, "lastVerified: 2026-02-30"));
    await expectProblems(dir, [
      problem(file, lineOf(text, /^lastVerified:/), "lastVerified", "not a real calendar date"),
    ]);
  });

  it("reports a lastVerified after `today`, and accepts one on `today`", async () => {
    const dir = await fixture();
    const file = "events/ok-om-bok.md";
    const text = await edit(dir, file, (t) => replaceOnce(t, /^lastVerified: .*$/m, "lastVerified: 2030-01-02"));
    await expectProblems(
      dir,
      [problem(file, lineOf(text, /^lastVerified:/), "lastVerified", "2030-01-02 is in the future (today is 2030-01-01)")],
      "2030-01-01",
    );
    expect((await loadContent(dir, { today: "2030-01-02" })).problems).toEqual([]);
  });

  it("reports an entry without sources", async () => {
    const dir = await fixture();
    const file = "practical/dac-san-am-thuc.md";
    const text = await edit(dir, file, (t) => replaceBlock(t, /^sources:/, "sources: []"));
    await expectProblems(dir, [problem(file, lineOf(text, /^sources: \[\]$/), "sources", /source/)]);
  });

  it("reports a related id that does not exist, in a flow list", async () => {
    const dir = await fixture();
    const file = "attractions/nui-cam.md";
    const text = await edit(dir, file, (t) => replaceOnce(t, /^related: \[/m, "related: [nui-khong-co, "));
    await expectProblems(dir, [
      problem(file, lineOf(text, /^related:/), "related[0]", "no entry has the id 'nui-khong-co'"),
    ]);
  });

  it("reports a related id that does not exist on its own line in a block list", async () => {
    const dir = await fixture();
    const file = "attractions/doi-tuc-dup.md";
    const text = await edit(dir, file, (t) =>
      replaceBlock(t, /^related:/, "related:\n  - nui-cam\n  - rung-tram-tra-su\n  - chua-khong-co\n  - nui-sam"),
    );
    await expectProblems(dir, [
      problem(file, lineOf(text, /^ {2}- chua-khong-co$/), "related[2]", "no entry has the id 'chua-khong-co'"),
    ]);
  });

  it("reports a venue that is not an attraction", async () => {
    const dir = await fixture();
    const file = "events/via-ba-chua-xu.md";
    const text = await edit(dir, file, (t) => replaceOnce(t, "venues: [mieu-ba-chua-xu]", "venues: [tet-nguyen-dan]"));
    await expectProblems(dir, [
      problem(file, lineOf(text, /^ {2}venues:/), "event.venues[0]", "'tet-nguyen-dan' is not an attraction"),
    ]);
  });

  it("reports a file whose name does not match its id", async () => {
    const dir = await fixture();
    await rename(path.join(dir, "attractions/nui-sam.md"), path.join(dir, "attractions/sam-mountain.md"));
    const text = await readFile(path.join(dir, "attractions/sam-mountain.md"), "utf8");
    await expectProblems(dir, [
      problem("attractions/sam-mountain.md", lineOf(text, /^id:/), "id", "must be attractions/nui-sam.md"),
    ]);
  });

  it("reports a file in the wrong type folder", async () => {
    const dir = await fixture();
    await rename(path.join(dir, "lodging/dang-ky-tam-tru.md"), path.join(dir, "practical/dang-ky-tam-tru.md"));
    const text = await readFile(path.join(dir, "practical/dang-ky-tam-tru.md"), "utf8");
    await expectProblems(dir, [
      problem("practical/dang-ky-tam-tru.md", lineOf(text, /^id:/), "id", "must be lodging/dang-ky-tam-tru.md"),
    ]);
  });

  it("reports solar days on a lunar-vn event", async () => {
    const dir = await fixture();
    const file = "events/via-ba-chua-xu.md";
    const text = await edit(dir, file, (t) =>
      replaceOnce(t, /^ {2}where:$/m, '  solar:\n    start: "05-01"\n    end: "05-02"\n  where:'),
    );
    await expectProblems(dir, [problem(file, lineOf(text, /^ {2}solar:$/), "event.solar", "not solar")]);
  });

  it("reports a khmer event without announcedYearly on the event line, or on the key when false", async () => {
    const dir = await fixture();
    const file = "events/chol-chnam-thmay.md";
    const removed = await edit(dir, file, (t) => replaceOnce(t, /^ {2}announcedYearly: true\n/m, ""));
    await expectProblems(dir, [
      problem(file, lineOf(removed, /^event:$/), "event.announcedYearly", "announced each year"),
    ]);

    const original = await readFile(path.join(CONTENT, file), "utf8");
    const falsed = await edit(dir, file, () =>
      replaceOnce(original, /^ {2}announcedYearly: true$/m, "  announcedYearly: false"),
    );
    await expectProblems(dir, [
      problem(file, lineOf(falsed, /^ {2}announcedYearly:/), "event.announcedYearly", "announced each year"),
    ]);
  });

  it("reports a lodging rule with an empty legalBasis", async () => {
    const dir = await fixture();
    const file = "lodging/muc-phat-luu-tru.md";
    const text = await edit(dir, file, (t) => replaceBlock(t, /^ {2}legalBasis:/, "  legalBasis: []"));
    await expectProblems(dir, [
      problem(file, lineOf(text, /^ {2}legalBasis: \[\]$/), "lodging.legalBasis", "legal basis"),
    ]);
  });

  it("reports every problem of several broken files, sorted by file and line", async () => {
    const dir = await fixture();
    // chua-hang: a cross-entry problem (related, checked last) above a per-file one (region).
    await edit(dir, "attractions/chua-hang.md", (t) => replaceOnce(t, /lat: [\d.]+/, "lat: 21.0"));
    await edit(dir, "attractions/chua-hang.md", (t) => replaceOnce(t, /^related: \[/m, "related: [khong-co, "));
    await edit(dir, "attractions/nui-sam.md", (t) => replaceOnce(t, /^place:\n/m, "place:\n  openingHour: x\n"));
    await edit(dir, "events/ok-om-bok.md", (t) => replaceOnce(t, /\n# English\n[\s\S]*$/, "\n"));
    const { problems } = await loadContent(dir);
    expect(problems.map((p) => `${p.file} ${p.field}`)).toEqual([
      "attractions/chua-hang.md related[0]",
      "attractions/chua-hang.md place.coordinates.lat",
      "attractions/nui-sam.md place.openingHour",
      "events/ok-om-bok.md body.en",
    ]);
    expect(problems[0]?.line).toBeLessThan(problems[1]?.line ?? 0);
  });
});

describe("parseEntryFile", () => {
  it("rejects a file without front matter on line 1", () => {
    const { problems, entry } = parseEntryFile("attractions/x.md", "# Tiếng Việt\n\nchào\n");
    expect(entry).toBeUndefined();
    expect(problems).toEqual([problem("attractions/x.md", 1, "front matter", "---")]);
  });

  it("counts lines the same with Windows line endings", async () => {
    const unix = await readFile(path.join(CONTENT, "attractions/cho-chau-doc.md"), "utf8");
    const broken = replaceOnce(unix, /^lastVerified: .*$/m, "lastVerified: 2026-13-01");
    const a = parseEntryFile("attractions/cho-chau-doc.md", broken).problems;
    const b = parseEntryFile("attractions/cho-chau-doc.md", broken.replace(/\n/g, "\r\n")).problems;
    expect(a).toEqual([
      problem("attractions/cho-chau-doc.md", lineOf(broken, /^lastVerified:/), "lastVerified", "real calendar date"),
    ]);
    expect(b).toEqual(a);
  });
});

describe("the real content", () => {
  let result: LoadResult;
  const byId = new Map<string, ContentEntry>();
  beforeAll(async () => {
    result = await loadContent(CONTENT);
    for (const e of result.entries) byId.set(e.id, e);
  });

  const get = (id: string): ContentEntry => {
    const e = byId.get(id);
    if (!e) throw new Error(`no entry ${id}`);
    return e;
  };

  it("loads with zero problems, one entry per file", async () => {
    expect(result.problems.map(formatProblem)).toEqual([]);
    expect(result.entries).toHaveLength(await countEntryFiles(CONTENT));
    expect(byId.size).toBe(result.entries.length);
  });

  const REQUIRED: Record<EntryType, string[]> = {
    attraction: [
      "mieu-ba-chua-xu",
      "lang-thoai-ngoc-hau",
      "chua-tay-an",
      "chua-hang",
      "nui-sam",
      "lang-cham-chau-giang",
      "lang-be-chau-doc",
      "cho-chau-doc",
      "rung-tram-tra-su",
      "nui-cam",
      "bung-binh-thien",
      "doi-tuc-dup",
    ],
    event: [
      "via-ba-chua-xu",
      "tet-nguyen-dan",
      "chol-chnam-thmay",
      "sene-dolta-dua-bo",
      "ok-om-bok",
      "ramadan-cham",
      "mua-nuoc-noi",
    ],
    "lodging-rule": [
      "thong-bao-luu-tru",
      "khai-bao-tam-tru-nguoi-nuoc-ngoai",
      "muc-phat-luu-tru",
      "dang-ky-tam-tru",
      "dieu-kien-co-so-luu-tru",
    ],
    practical: [
      "di-chuyen-den-chau-doc",
      "tau-di-phnom-penh",
      "so-dien-thoai-khan-cap",
      "mua-du-lich",
      "dac-san-am-thuc",
      "hanh-chinh-chau-doc",
      "an-toan-va-phan-anh",
      "cua-khau-bien-gioi",
      "cho-o-luu-tru",
    ],
    itinerary: ["mot-ngay-nui-sam", "hai-ngay-nui-sam-tra-su-nui-cam", "hanh-huong-via-ba", "mot-ngay-tren-song"],
  };

  it.each(Object.entries(REQUIRED) as [EntryType, string[]][])("has every required %s", (type, ids) => {
    for (const id of ids) {
      const e = byId.get(id);
      expect(e, id).toBeDefined();
      expect(e?.type, id).toBe(type);
      expect(e?.file, id).toBe(`${TYPE_FOLDERS[type]}/${id}.md`);
      expect(e?.body.vi.length, id).toBeGreaterThan(0);
      expect(e?.body.en.length, id).toBeGreaterThan(0);
    }
  });

  it("gives every lodging rule a legal basis and a bilingual verify note", () => {
    const rules = result.entries.filter((e) => e.type === "lodging-rule");
    expect(rules.length).toBeGreaterThanOrEqual(REQUIRED["lodging-rule"].length);
    for (const e of rules) {
      if (e.type !== "lodging-rule") continue;
      expect(e.lodging.legalBasis.length, e.id).toBeGreaterThan(0);
      for (const b of e.lodging.legalBasis) expect(b.document.trim(), e.id).not.toBe("");
      expect(e.lodging.verifyNote.vi.trim(), e.id).not.toBe("");
      expect(e.lodging.verifyNote.en.trim(), e.id).not.toBe("");
    }
  });

  it("encodes the Vietnamese-guest deadline: before 23:00 the same day, or 08:00 after 23:00 (and after midnight)", () => {
    const e = get("thong-bao-luu-tru");
    if (e.type !== "lodging-rule") throw new Error("thong-bao-luu-tru is not a lodging rule");
    const vn = e.lodging.deadlines.filter((d) => d.guest === "vn");
    expect(vn).toHaveLength(3);
    expect(vn).toContainEqual(
      expect.objectContaining({
        arrival: { from: "08:00", to: "23:00" },
        due: { kind: "same-day", before: "23:00" },
      }),
    );
    // After midnight is after 23:00 of the night before: 08:00 that morning, with the reading explained.
    const night = vn.find((d) => d.arrival?.from === "00:00");
    expect(night).toMatchObject({ arrival: { to: "08:00" }, due: { kind: "same-day", before: "08:00" } });
    expect(night?.note?.vi).toMatch(/sau 23 giờ/);
    expect(vn).toContainEqual(
      expect.objectContaining({
        arrival: { from: "23:00", to: "24:00" },
        due: { kind: "next-day", before: "08:00" },
      }),
    );
  });

  it("encodes the foreign-guest deadline: 12 h on paper, 24 h in remote areas, at once electronically", () => {
    const e = get("khai-bao-tam-tru-nguoi-nuoc-ngoai");
    if (e.type !== "lodging-rule") throw new Error("khai-bao-tam-tru-nguoi-nuoc-ngoai is not a lodging rule");
    const foreign = e.lodging.deadlines.filter((d) => d.guest === "foreign");
    const paper = foreign.filter((d) => d.method === "paper");
    expect(paper.find((d) => d.remote === false)?.due).toEqual({ kind: "hours-after-arrival", hours: 12 });
    expect(paper.find((d) => d.remote === true)?.due).toEqual({ kind: "hours-after-arrival", hours: 24 });
    const electronic = foreign.filter((d) => d.method === "electronic");
    expect(electronic.length).toBeGreaterThan(0);
    for (const d of electronic) expect(d.due).toEqual({ kind: "on-arrival" });
    expect(e.lodging.appliesTo).toContain("foreign-guests");
  });

  it("writes every attraction's address with a unit in force since July 2025", () => {
    const units = ["phường Châu Đốc", "phường Vĩnh Tế", "xã Vĩnh Hậu", "tỉnh An Giang"];
    const attractions = result.entries.filter((e) => e.type === "attraction");
    expect(attractions.length).toBeGreaterThanOrEqual(REQUIRED.attraction.length);
    for (const e of attractions) {
      if (e.type !== "attraction") continue;
      expect(
        units.some((u) => e.place.address.vi.includes(u)),
        `${e.id}: ${e.place.address.vi}`,
      ).toBe(true);
    }
  });
});

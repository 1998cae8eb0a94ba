import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  contentVersion,
  diffLines,
  entryFileOf,
  entryPathIn,
  fieldsYaml,
  isEntryId,
  newEntryFile,
  parseFieldsYaml,
  readEntryParts,
  unpadFlowSequences,
  updateEntryFile,
  validateEntryText,
  type EntryTemplateValues,
} from "./edit.ts";
import { findEntryFile, writeEntryFile } from "./entry-files.ts";
import { listEntryFiles, loadContent, parseEntryFile } from "./load.ts";
import { ENTRY_TYPES, TYPE_FOLDERS, type ContentEntry, type EntryType } from "./schema.ts";

/**
 * The write side of the content model on the real content files: edits in place that leave every other
 * line alone, new files from templates, the checks of content:check for one file, and safe paths.
 */

const CONTENT = path.resolve(import.meta.dirname, "../../content");
const TODAY = "2026-12-01";
const MIEU = "attractions/mieu-ba-chua-xu.md";

let entries: ContentEntry[];
let mieu: string;

beforeAll(async () => {
  const loaded = await loadContent(CONTENT);
  expect(loaded.problems).toEqual([]);
  entries = loaded.entries;
  mieu = await readFile(path.join(CONTENT, MIEU), "utf8");
});

/** The lines that differ between two texts, as [removed, added], after the common start and end. */
function changedLines(a: string, b: string): { removed: string[]; added: string[] } {
  const x = a.split("\n");
  const y = b.split("\n");
  let start = 0;
  while (start < x.length && start < y.length && x[start] === y[start]) start++;
  let end = 0;
  while (end < x.length - start && end < y.length - start && x[x.length - 1 - end] === y[y.length - 1 - end]) end++;
  return { removed: x.slice(start, x.length - end), added: y.slice(start, y.length - end) };
}

describe("updateEntryFile", () => {
  it("changes only the openingHours lines of a hand-written file, and the result parses back", () => {
    const hours = { vi: "Mở cửa: 5:00–22:00 hằng ngày", en: "Open daily, 5:00–22:00" };
    const out = updateEntryFile(mieu, { fields: [{ path: ["place", "openingHours"], value: hours }] });
    const { removed, added } = changedLines(mieu, out);
    expect(removed).toEqual(["  openingHours: null"]);
    expect(added).toEqual(["  openingHours:", '    vi: "Mở cửa: 5:00–22:00 hằng ngày"', "    en: Open daily, 5:00–22:00"]);
    const parsed = parseEntryFile(MIEU, out);
    expect(parsed.problems).toEqual([]);
    expect(parsed.entry?.type === "attraction" && parsed.entry.place.openingHours).toEqual(hours);
  });

  it("changes one scalar inside a flow map on its own line and keeps the map's style", () => {
    const out = updateEntryFile(mieu, { fields: [{ path: ["place", "coordinates", "lat"], value: 10.68 }] });
    expect(changedLines(mieu, out)).toEqual({
      removed: ["  coordinates: { lat: 10.6787, lng: 105.0806, approximate: true }"],
      added: ["  coordinates: { lat: 10.68, lng: 105.0806, approximate: true }"],
    });
  });

  it("keeps unpadded flow sequences and comments, and adds a tag on the same line", () => {
    const text = [
      "---",
      "# written by hand",
      "id: x",
      "tags: [a, b] # two tags",
      "related: [c]",
      "---",
      "",
      "# Tiếng Việt",
      "",
      "Một.",
      "",
      "# English",
      "",
      "One.",
      "",
    ].join("\n");
    const out = updateEntryFile(text, { fields: [{ path: ["tags"], value: ["a", "b", "c d"] }] });
    expect(changedLines(text, out)).toEqual({
      removed: ["tags: [a, b] # two tags"],
      added: ["tags: [a, b, c d] # two tags"],
    });
  });

  it("is a no-op on every content file when every field and the body are set to what they are", async () => {
    for (const file of await listEntryFiles(CONTENT)) {
      const text = await readFile(path.join(CONTENT, file), "utf8");
      const parts = readEntryParts(text);
      expect(parts, file).toBeDefined();
      const fields = Object.entries(parts?.frontMatter ?? {}).map(([k, v]) => ({ path: [k], value: v }));
      expect(updateEntryFile(text, { fields, ...(parts ? { body: parts.body } : {}) }), file).toBe(text);
    }
  });

  it("replaces one body section and leaves the other byte for byte", () => {
    const parts = readEntryParts(mieu);
    const en = "The temple stands at the foot of Sam Mountain.\n\n## Visiting\n\nGo early in the morning.";
    const out = updateEntryFile(mieu, { body: { vi: parts?.body.vi ?? "", en } });
    const viStart = mieu.indexOf("# Tiếng Việt");
    const enStart = mieu.indexOf("# English");
    expect(out.slice(0, enStart)).toBe(mieu.slice(0, enStart));
    expect(out.slice(viStart, enStart)).toBe(mieu.slice(viStart, enStart));
    expect(out.slice(enStart)).toBe(`# English\n\n${en}\n`);
    expect(parseEntryFile(MIEU, out).entry?.body.en).toBe(en);
  });

  it("removes a field when its value is undefined, and adds a missing one in the usual key order", () => {
    const out = updateEntryFile(mieu, {
      fields: [
        { path: ["aliases"], value: undefined },
        { path: ["place", "tickets"], value: { vi: "Miễn phí", en: "Free" } },
      ],
    });
    expect(out).not.toContain("aliases:");
    expect(parseEntryFile(MIEU, out).problems).toEqual([]);
    const text = newEntryFile("practical", "thu", values("practical"));
    const added = updateEntryFile(text, { fields: [{ path: ["aliases"], value: { vi: ["thử"], en: ["test"] } }] });
    const keys = added.split("\n").filter((l) => /^[a-z]/i.test(l)).map((l) => l.split(":")[0]);
    expect(keys.indexOf("aliases")).toBe(keys.indexOf("summary") + 1);
  });

  it("refuses a file without front matter", () => {
    expect(() => updateEntryFile("# Tiếng Việt\n\nx\n", { fields: [{ path: ["id"], value: "x" }] })).toThrow(
      /front matter/,
    );
  });
});

/** Template values that make a valid entry of each type. */
function values(type: EntryType): EntryTemplateValues {
  const fields: Record<EntryType, Record<string, unknown>> = {
    attraction: { address: { vi: "Phường Châu Đốc, tỉnh An Giang", en: "Châu Đốc ward, An Giang province" } },
    event: { where: { vi: "Phường Châu Đốc", en: "Châu Đốc ward" } },
    "lodging-rule": {
      legalBasis: [{ document: "Luật Cư trú số 68/2020/QH14", inForce: "2021-07-01", status: "in-force" }],
    },
    practical: { contacts: [{ label: { vi: "Công an", en: "Police" }, phone: "113" }] },
    itinerary: {
      stops: [
        { time: { vi: "Sáng", en: "Morning" }, place: "mieu-ba-chua-xu", duration: { vi: "1 giờ", en: "1 hour" }, what: { vi: "Viếng miếu.", en: "Visit the temple." } },
        { time: { vi: "Trưa", en: "Noon" }, place: "chua-tay-an", duration: { vi: "1 giờ", en: "1 hour" }, travel: { vi: "Đi bộ.", en: "Walk." }, what: { vi: "Xem chùa.", en: "See the pagoda." } },
      ],
    },
  };
  return {
    lastVerified: "2026-11-01",
    title: { vi: "Mục thử: một", en: "A test entry, one" },
    summary: { vi: "Tóm tắt.", en: "Summary." },
    tags: ["thử", "test"],
    sources: [{ url: "https://example.vn/nguon", title: "Nguồn" }],
    related: ["mieu-ba-chua-xu"],
    fields: fields[type],
    body: { vi: "Nội dung.\n\n## Mục\n\n- một", en: "Text.\n\n## Part\n\n- one" },
  };
}

describe("newEntryFile", () => {
  for (const type of ENTRY_TYPES) {
    it(`makes a ${type} that passes the checks of content:check`, () => {
      const id = `muc-thu-${type}`;
      const text = newEntryFile(type, id, values(type));
      const result = validateEntryText(text, `${TYPE_FOLDERS[type]}/${id}.md`, entries, { today: TODAY });
      expect(result.problems).toEqual([]);
      expect(result.entry?.id).toBe(id);
      expect(text.startsWith(`---\nid: ${id}\ntype: ${type}\ntitle:\n  vi: "Mục thử: một"\n`)).toBe(true);
      expect(text).toContain("\ntags: [thử, test]\n");
      expect(text).not.toMatch(/[&*]a\d/); // no YAML anchors or aliases
    });
  }

  it("leaves the texts a writer must give empty, so the check asks for them", () => {
    const text = newEntryFile("attraction", "moi", { lastVerified: "2026-11-01" });
    const fields = validateEntryText(text, "attractions/moi.md", entries, { today: TODAY }).problems.map((p) => p.field);
    expect(fields).toEqual(
      expect.arrayContaining(["title.vi", "title.en", "tags", "sources", "place.address.vi", "body.vi", "body.en"]),
    );
  });

  it("refuses an id that is not kebab-case", () => {
    expect(() => newEntryFile("practical", "../x", values("practical"))).toThrow(/not a valid entry id/);
  });
});

describe("validateEntryText", () => {
  const edit = (changes: Parameters<typeof updateEntryFile>[1]) => updateEntryFile(mieu, changes);
  const problemsOf = (text: string, file = MIEU, others = entries) =>
    validateEntryText(text, file, others, { today: TODAY }).problems;

  it("accepts the file as it is (its own previous version among the others is ignored)", () => {
    const result = validateEntryText(mieu, MIEU, entries, { today: TODAY });
    expect(result.problems).toEqual([]);
    expect(result.entry?.id).toBe("mieu-ba-chua-xu");
  });

  it("catches a coordinate outside the region, at its field and line", () => {
    const text = edit({ fields: [{ path: ["place", "coordinates", "lat"], value: 200 }] });
    const problems = problemsOf(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ field: "place.coordinates.lat", reason: expect.stringContaining("200") });
    expect(text.split("\n")[(problems[0]?.line ?? 0) - 1]).toContain("coordinates:");
  });

  it("catches a missing language in the front matter and in the body", () => {
    expect(problemsOf(edit({ fields: [{ path: ["title", "en"], value: undefined }] }))).toEqual([
      expect.objectContaining({ field: "title.en", reason: "required field is missing" }),
    ]);
    const noEnglish = mieu.slice(0, mieu.indexOf("# English"));
    expect(problemsOf(noEnglish).map((p) => p.field)).toEqual(["body.en"]);
  });

  it("catches an unknown related id and an unknown venue", () => {
    const text = edit({ fields: [{ path: ["related"], value: ["nui-sam", "khong-co-muc-nay"] }] });
    expect(problemsOf(text)).toEqual([
      expect.objectContaining({ field: "related[1]", reason: "no entry has the id 'khong-co-muc-nay'" }),
    ]);
    // An id of a file that does not parse counts as known, as in content:check.
    expect(validateEntryText(text, MIEU, entries, { today: TODAY, brokenIds: ["khong-co-muc-nay"] }).problems).toEqual([]);
  });

  it("catches a duplicate id in another file (an attraction with an event's id)", () => {
    const copy = edit({ fields: [{ path: ["id"], value: "tet-nguyen-dan" }] });
    expect(problemsOf(copy, "attractions/tet-nguyen-dan.md")).toEqual([
      expect.objectContaining({
        field: "id",
        reason: "duplicate id 'tet-nguyen-dan', already used by events/tet-nguyen-dan.md",
      }),
    ]);
    // Against the others without that event, the same text is fine.
    const rest = entries.filter((e) => e.id !== "tet-nguyen-dan");
    expect(problemsOf(copy, "attractions/tet-nguyen-dan.md", rest)).toEqual([]);
  });

  it("catches an id that does not match the file name, and a file in the wrong type's folder", () => {
    const rest = entries.filter((e) => e.id !== "mieu-ba-chua-xu");
    expect(problemsOf(mieu, "attractions/mieu-ba.md", rest)).toEqual([
      expect.objectContaining({ field: "id", reason: expect.stringContaining("must be attractions/mieu-ba-chua-xu.md") }),
    ]);
    expect(problemsOf(mieu, "events/mieu-ba-chua-xu.md", rest)).toEqual([
      expect.objectContaining({ field: "id", reason: expect.stringContaining("must be attractions/") }),
    ]);
  });

  it("catches a lastVerified in the future", () => {
    const text = edit({ fields: [{ path: ["lastVerified"], value: "2026-12-02" }] });
    expect(problemsOf(text)).toEqual([expect.objectContaining({ field: "lastVerified" })]);
  });
});

describe("paths", () => {
  let root = "";
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), "edit-paths-"));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("accepts kebab-case ids only", () => {
    for (const good of ["nui-sam", "a", "chua-2", "le-hoi-2026"]) expect(isEntryId(good), good).toBe(true);
    for (const bad of ["", "../x", "..", "a/b", "A", "nui_sam", "-x", "x-", "a--b", "x.md", "%2e%2e", "x\0"]) {
      expect(isEntryId(bad), bad).toBe(false);
    }
  });

  it("builds every path from the type folder and the id, and refuses any other", () => {
    expect(entryFileOf("attraction", "nui-sam")).toBe("attractions/nui-sam.md");
    expect(() => entryFileOf("attraction", "../../package")).toThrow(/not a valid entry id/);
    expect(entryPathIn(root, "events/tet.md")).toBe(path.join(root, "events", "tet.md"));
    for (const bad of ["../package.md", "attractions/../../x.md", "/etc/passwd.md", "other/x.md", "attractions/a/b.md"]) {
      expect(() => entryPathIn(root, bad), bad).toThrow(/not an entry file/);
    }
  });

  it("finds nothing and reads nothing for an id that is not kebab-case", async () => {
    await writeFile(path.join(root, "secret.md"), "---\nid: secret\n---\n");
    await expect(findEntryFile(path.join(root, "content"), "../secret")).rejects.toThrow(/not a valid entry id/);
  });

  it("writes atomically, leaves no temporary file, and refuses to create over an existing file", async () => {
    const content = path.join(root, "content");
    const text = newEntryFile("practical", "thu", values("practical"));
    await writeEntryFile(content, "practical/thu.md", text, { create: true });
    expect(await readFile(path.join(content, "practical/thu.md"), "utf8")).toBe(text);
    await expect(writeEntryFile(content, "practical/thu.md", "other", { create: true })).rejects.toThrow(/exists/);
    expect(await readFile(path.join(content, "practical/thu.md"), "utf8")).toBe(text);
    await writeEntryFile(content, "practical/thu.md", `${text}\n`);
    expect(await readFile(path.join(content, "practical/thu.md"), "utf8")).toBe(`${text}\n`);
    expect(await readdir(path.join(content, "practical"))).toEqual(["thu.md"]);
    const found = await findEntryFile(content, "thu");
    expect(found).toMatchObject({ file: "practical/thu.md", type: "practical", version: contentVersion(`${text}\n`) });
  });
});

describe("helpers", () => {
  it("contentVersion is the sha256 of the text", () => {
    expect(contentVersion("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(contentVersion(mieu)).not.toBe(contentVersion(`${mieu} `));
  });

  it("unpads flow sequences but not flow maps or quoted text", () => {
    expect(unpadFlowSequences("tags: [ a, b ]")).toBe("tags: [a, b]");
    expect(unpadFlowSequences("  - [ x ]")).toBe("  - [x]");
    expect(unpadFlowSequences("c: { lat: 1, lng: 2 }")).toBe("c: { lat: 1, lng: 2 }");
    expect(unpadFlowSequences('tags: [ "[ not me ]", it\'s ]')).toBe('tags: ["[ not me ]", it\'s]');
    expect(unpadFlowSequences("note: see [ here ]")).toBe("note: see [ here ]");
  });

  it("diffLines marks removed and added lines", () => {
    expect(diffLines("a\nb\nc", "a\nx\nc")).toEqual([
      { op: "same", text: "a" },
      { op: "add", text: "x" },
      { op: "del", text: "b" },
      { op: "same", text: "c" },
    ]);
  });

  it("fieldsYaml and parseFieldsYaml carry the lodging lists through the raw-YAML box", async () => {
    const text = await readFile(path.join(CONTENT, "lodging/thong-bao-luu-tru.md"), "utf8");
    const box = fieldsYaml(text, ["lodging"], ["deadlines", "penalties"]);
    expect(box.split("\n")[0]).toBe("deadlines:");
    expect(box).toContain('    due: { kind: same-day, before: "23:00" }');
    const parsed = parseFieldsYaml(box, ["deadlines", "penalties"]);
    expect(parsed.problems).toEqual([]);
    expect((parsed.values?.penalties as { maxVnd: number }[])[0]?.maxVnd).toBe(4000000);
    expect(parseFieldsYaml("deadlines: []\ndeadlines: []\n", ["deadlines"]).problems).toEqual([
      { line: 2, reason: expect.stringContaining("unique") },
    ]);
    expect(parseFieldsYaml("verifyNote: x\n", ["deadlines"]).problems).toEqual([
      { line: 1, reason: "'verifyNote' is not one of: deadlines" },
    ]);
  });
});

import type * as NodeCrypto from "node:crypto";
import { randomBytes } from "node:crypto";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { buildIndex, CURRENT_FILE, VECTORS_FILE } from "./build.ts";
import { loadContent } from "./content/load.ts";
import { ENTRY_TYPES, TYPE_FOLDERS, type EntryType } from "./content/schema.ts";
import { AppError } from "./errors.ts";
import type { KnowledgeIndex } from "./knowledge-index.ts";
import { currentManifest, isIndexUpToDate, openIndex } from "./open.ts";

// randomBytes stays real unless a test pins it (the version-name suffix), see "prunes ... same second".
vi.mock("node:crypto", async (importOriginal) => {
  const real = await importOriginal<typeof NodeCrypto>();
  return { ...real, randomBytes: vi.fn(real.randomBytes) };
});

const CONTENT = path.resolve(import.meta.dirname, "../content");

/** A small, closed set of real entries: every type, and an event whose venue is in the set. */
const FIXTURE: Record<string, EntryType> = {
  "mieu-ba-chua-xu": "attraction",
  "nui-sam": "attraction",
  "via-ba-chua-xu": "event",
  "thong-bao-luu-tru": "lodging-rule",
  "khai-bao-tam-tru-nguoi-nuoc-ngoai": "lodging-rule",
  "so-dien-thoai-khan-cap": "practical",
};
const FIXTURE_IDS = Object.keys(FIXTURE);
const fileOf = (id: string) => `${TYPE_FOLDERS[FIXTURE[id] as EntryType]}/${id}.md`;

const QUERIES = [
  "Bà Chúa Xứ núi Sam",
  "foreign guest temporary residence declaration",
  "số điện thoại cấp cứu",
  "thông báo lưu trú trước 23 giờ",
  "festival lunar calendar",
];

const temps: string[] = [];
afterAll(async () => {
  await Promise.all(temps.map((d) => rm(d, { recursive: true, force: true })));
});
afterEach(() => {
  vi.useRealTimers();
});

async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

/** Copies the fixture entries, keeping only the related ids that are in the fixture. */
async function fixtureContent(): Promise<string> {
  const dir = await tempDir("chau-doc-build-content-");
  for (const id of FIXTURE_IDS) {
    const rel = fileOf(id);
    const text = await readFile(path.join(CONTENT, rel), "utf8");
    const kept = text.replace(/^related: \[(.*)\]$/m, (_, list: string) => {
      const ids = list.split(",").map((s) => s.trim());
      return `related: [${ids.filter((r) => FIXTURE_IDS.includes(r)).join(", ")}]`;
    });
    await mkdir(path.join(dir, path.dirname(rel)), { recursive: true });
    await writeFile(path.join(dir, rel), kept);
  }
  return dir;
}

async function setup() {
  const content = await fixtureContent();
  const indexDir = await tempDir("chau-doc-build-index-");
  return { content, indexDir };
}

/** Folder names in the index dir, sorted: the versions, plus .tmp-* leftovers if any. */
async function folders(indexDir: string): Promise<string[]> {
  return (await readdir(indexDir, { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

async function topHits(index: KnowledgeIndex, query: string) {
  return (await index.search(query, { k: 5 })).map((h) => ({
    id: h.id,
    score: h.score,
    heading: h.passage.heading,
  }));
}

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof AppError)) throw new Error(`expected an AppError, got ${String(err)}`);
  return err;
}

describe("buildIndex", () => {
  it("the fixture is valid content", async () => {
    const { problems, entries } = await loadContent(await fixtureContent());
    expect(problems).toEqual([]);
    expect(entries.map((e) => e.id).sort()).toEqual([...FIXTURE_IDS].sort());
  });

  it("writes a version folder named by CURRENT, whose files reopen to the same index", async () => {
    const { content, indexDir } = await setup();
    const built = await buildIndex(content, indexDir);

    expect(built.dir).toBe(path.join(indexDir, built.manifest.version));
    expect((await readFile(path.join(indexDir, CURRENT_FILE), "utf8")).trim()).toBe(built.manifest.version);
    expect(await folders(indexDir)).toEqual([built.manifest.version]);
    expect((await readdir(built.dir)).sort()).toEqual(
      ["chunks.json", "entries.json", "lexical.bin", "lsi.bin", "manifest.json", VECTORS_FILE].sort(),
    );

    const manifest = JSON.parse(await readFile(path.join(built.dir, "manifest.json"), "utf8")) as unknown;
    expect(manifest).toEqual(built.manifest);
    const entries = JSON.parse(await readFile(path.join(built.dir, "entries.json"), "utf8")) as {
      id: string;
    }[];
    const chunks = JSON.parse(await readFile(path.join(built.dir, "chunks.json"), "utf8")) as {
      entryId: string;
    }[];
    expect(entries.map((e) => e.id).sort()).toEqual([...FIXTURE_IDS].sort());
    expect(built.manifest.counts.entries).toBe(FIXTURE_IDS.length);
    expect(built.manifest.counts.chunks).toBe(chunks.length);
    expect(new Set(chunks.map((c) => c.entryId))).toEqual(new Set(FIXTURE_IDS));
    expect(built.manifest.counts.terms).toBeGreaterThan(0);
    // Every type is counted, the types the fixture does not use with 0.
    const byType: Record<string, number> = Object.fromEntries(ENTRY_TYPES.map((t) => [t, 0]));
    for (const t of Object.values(FIXTURE)) byType[t] = (byType[t] ?? 0) + 1;
    expect(built.manifest.counts.byType).toEqual(byType);
    expect(built.manifest.embedder.id).toMatch(/^lsi-/);

    const opened = await openIndex(indexDir);
    expect(opened.manifest).toEqual(built.manifest);
    expect(opened.list().map((e) => e.id)).toEqual(built.index.list().map((e) => e.id));
    for (const q of QUERIES) {
      const fromDisk = await topHits(opened, q);
      const inMemory = await topHits(built.index, q);
      expect(inMemory.length, q).toBeGreaterThan(0);
      expect(
        fromDisk.map((h) => h.id),
        q,
      ).toEqual(inMemory.map((h) => h.id));
      expect(
        fromDisk.map((h) => h.heading),
        q,
      ).toEqual(inMemory.map((h) => h.heading));
      fromDisk.forEach((h, i) => expect(h.score, q).toBeCloseTo(inMemory[i]?.score ?? NaN, 9));
      for (const h of inMemory) expect(FIXTURE_IDS, q).toContain(h.id);
    }
    // Opening the version folder itself gives the same index as opening through CURRENT.
    expect((await openIndex(built.dir)).manifest.version).toBe(built.manifest.version);
  });

  it("rejects invalid content with content_invalid and leaves the live index untouched", async () => {
    const { content, indexDir } = await setup();
    const first = await buildIndex(content, indexDir);
    const currentBefore = await readFile(path.join(indexDir, CURRENT_FILE), "utf8");
    const foldersBefore = await folders(indexDir);
    const filesBefore = (await readdir(first.dir)).sort();
    const hitsBefore = await topHits(first.index, QUERIES[0] as string);

    const broken = "attractions/nui-sam.md";
    const text = await readFile(path.join(content, broken), "utf8");
    await writeFile(path.join(content, broken), text.replace(/\n# English\n[\s\S]*$/, "\n"));

    const err = await rejection(buildIndex(content, indexDir));
    expect(err.code).toBe("content_invalid");
    expect(err.options.details).toEqual([expect.objectContaining({ file: broken, field: "body.en" })]);
    expect(err.message).toContain(`${broken}:`);

    expect(await readFile(path.join(indexDir, CURRENT_FILE), "utf8")).toBe(currentBefore);
    expect(await folders(indexDir)).toEqual(foldersBefore);
    expect((await readdir(first.dir)).sort()).toEqual(filesBefore);
    expect((await readdir(indexDir)).filter((n) => n.startsWith(".tmp-") || n.endsWith(".tmp"))).toEqual([]);

    const opened = await openIndex(indexDir);
    expect(opened.manifest.version).toBe(first.manifest.version);
    expect(await topHits(opened, QUERIES[0] as string)).toEqual(
      hitsBefore.map((h) => ({ ...h, score: expect.closeTo(h.score, 9) as unknown })),
    );
  });

  it("keeps only the live version and the one before it after three builds", async () => {
    const { content, indexDir } = await setup();
    vi.useFakeTimers({ toFake: ["Date"] });
    const versions: string[] = [];
    for (let i = 0; i < 3; i++) {
      // One build per second: version names start with the build time to the second.
      vi.setSystemTime(new Date(Date.UTC(2026, 10, 21, 10, 0, i)));
      versions.push((await buildIndex(content, indexDir, { today: "9999-12-31" })).manifest.version);
    }
    expect(new Set(versions).size).toBe(3);
    expect(await folders(indexDir)).toEqual([versions[1], versions[2]].sort());
    expect((await readFile(path.join(indexDir, CURRENT_FILE), "utf8")).trim()).toBe(versions[2]);
    expect((await openIndex(indexDir)).manifest.version).toBe(versions[2]);
  });

  // Builds within the same second: the replaced version is kept, whatever the random suffixes.
  it("keeps the previous build, not an older one, when builds share a second", async () => {
    const { content, indexDir } = await setup();
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date(Date.UTC(2026, 10, 21, 10, 0, 0)));
    const suffixes = ["ffff", "0000", "8888"];
    const versions: string[] = [];
    for (const hex of suffixes) {
      vi.mocked(randomBytes).mockImplementationOnce((() => Buffer.from(hex, "hex")) as typeof randomBytes);
      versions.push((await buildIndex(content, indexDir, { today: "9999-12-31" })).manifest.version);
    }
    expect(await folders(indexDir)).toEqual([versions[1], versions[2]].sort());
  });

  it("tells whether the index is up to date with the content", async () => {
    const { content, indexDir } = await setup();
    expect(await isIndexUpToDate(indexDir, content)).toBe(false);
    expect(await currentManifest(indexDir)).toBeUndefined();

    const built = await buildIndex(content, indexDir);
    expect(await isIndexUpToDate(indexDir, content)).toBe(true);
    expect((await currentManifest(indexDir))?.version).toBe(built.manifest.version);

    const file = path.join(content, fileOf("so-dien-thoai-khan-cap"));
    const text = await readFile(file, "utf8");
    await writeFile(file, `${text.trimEnd()}\n\nOne more sentence.\n`);
    expect(await isIndexUpToDate(indexDir, content)).toBe(false);

    await writeFile(file, text);
    expect(await isIndexUpToDate(indexDir, content)).toBe(true);
  });

  it("notices a new entry file as a change", async () => {
    const { content, indexDir } = await setup();
    await buildIndex(content, indexDir);
    await cp(path.join(CONTENT, "practical/mua-du-lich.md"), path.join(content, "practical/mua-du-lich.md"));
    expect(await isIndexUpToDate(indexDir, content)).toBe(false);
  });
});

describe("buildIndex against the live index (a missing or emptied content folder)", () => {
  /** Builds once, then returns what the live index looks like, to compare after a refused build. */
  async function liveState(indexDir: string) {
    return {
      current: await readFile(path.join(indexDir, CURRENT_FILE), "utf8"),
      folders: await folders(indexDir),
      version: (await openIndex(indexDir)).manifest.version,
    };
  }

  it("refuses a content folder that is missing: content_missing, nothing written, the live index stays", async () => {
    const { content, indexDir } = await setup();
    await buildIndex(content, indexDir);
    const before = await liveState(indexDir);
    await rm(content, { recursive: true });
    const err = await rejection(buildIndex(content, indexDir));
    expect(err.code).toBe("content_missing");
    expect(err.message).toContain(content);
    expect(err.message).toMatch(/live index stays/);
    expect(await liveState(indexDir)).toEqual(before);
    // The same without any live index yet.
    const fresh = await tempDir("chau-doc-build-fresh-");
    expect((await rejection(buildIndex(content, fresh))).code).toBe("content_missing");
    expect(await readdir(fresh)).toEqual([]);
  });

  it("refuses a missing type folder that the live index has entries of; an empty folder says it is meant", async () => {
    const { content, indexDir } = await setup();
    await buildIndex(content, indexDir);
    const before = await liveState(indexDir);
    await rm(path.join(content, "lodging"), { recursive: true });
    const err = await rejection(buildIndex(content, indexDir));
    expect(err.code).toBe("content_missing");
    expect(err.message).toMatch(/lodging\/.*2 lodging-rule entries/);
    expect(await liveState(indexDir)).toEqual(before);
    // An empty folder: the entries are meant to go (2 of 6, less than half), and the build goes ahead.
    await mkdir(path.join(content, "lodging"));
    const built = await buildIndex(content, indexDir);
    expect(built.manifest.counts.byType).not.toHaveProperty("lodging-rule", 2);
    expect(built.manifest.counts.entries).toBe(FIXTURE_IDS.length - 2);
  });

  it("refuses an empty build, confirmed or not, with or without a live index", async () => {
    const { content, indexDir } = await setup();
    await buildIndex(content, indexDir);
    const before = await liveState(indexDir);
    for (const folder of Object.values(TYPE_FOLDERS)) {
      await rm(path.join(content, folder), { recursive: true, force: true });
      await mkdir(path.join(content, folder));
    }
    for (const allowShrink of [false, true]) {
      const err = await rejection(buildIndex(content, indexDir, { allowShrink }));
      expect(err.code).toBe("content_empty");
      expect(err.message).toMatch(/no entries/);
    }
    expect(await liveState(indexDir)).toEqual(before);
    const fresh = await tempDir("chau-doc-build-fresh-");
    expect((await rejection(buildIndex(content, fresh))).code).toBe("content_empty");
  });

  it("refuses a build that would drop more than half of the live entries unless it is confirmed", async () => {
    const { content, indexDir } = await setup();
    // Entries that stand alone (no related ids, no event venues), so that any of them can go.
    await rm(path.join(content, fileOf("via-ba-chua-xu")));
    for (const id of FIXTURE_IDS.filter((i) => i !== "via-ba-chua-xu")) {
      const file = path.join(content, fileOf(id));
      await writeFile(file, (await readFile(file, "utf8")).replace(/^related: \[.*\]$/m, "related: []"));
    }
    expect((await buildIndex(content, indexDir)).manifest.counts.entries).toBe(5);
    // Dropping 2 of 5 is not more than half.
    await rm(path.join(content, fileOf("nui-sam")));
    await rm(path.join(content, fileOf("khai-bao-tam-tru-nguoi-nuoc-ngoai")));
    expect((await buildIndex(content, indexDir)).manifest.counts.entries).toBe(3);
    const live = await liveState(indexDir);
    // Dropping 2 of 3 is.
    await rm(path.join(content, fileOf("thong-bao-luu-tru")));
    await rm(path.join(content, fileOf("so-dien-thoai-khan-cap")));
    const err = await rejection(buildIndex(content, indexDir));
    expect(err.code).toBe("content_shrink");
    expect(err.options.details).toEqual({ live: 3, next: 1, dropped: 2 });
    expect(err.message).toMatch(/drop 2 of the 3 entries/);
    expect(err.message).toMatch(/--allow-shrink/);
    expect(await liveState(indexDir)).toEqual(live);
    const confirmed = await buildIndex(content, indexDir, { allowShrink: true });
    expect(confirmed.manifest.counts.entries).toBe(1);
  });
});

describe("openIndex errors", () => {
  it("rejects an empty folder with index_missing", async () => {
    const dir = await tempDir("chau-doc-empty-");
    expect((await rejection(openIndex(dir))).code).toBe("index_missing");
  });

  it("rejects CURRENT naming a missing version with index_missing", async () => {
    const dir = await tempDir("chau-doc-dangling-");
    await writeFile(path.join(dir, CURRENT_FILE), "20260101T000000-deadbeef-0000");
    expect((await rejection(openIndex(dir))).code).toBe("index_missing");
  });

  it("rejects CURRENT naming something that is not a version with index_corrupt", async () => {
    const dir = await tempDir("chau-doc-escape-");
    await writeFile(path.join(dir, CURRENT_FILE), "../../etc");
    expect((await rejection(openIndex(dir))).code).toBe("index_corrupt");
  });

  it("rejects a manifest of another format with index_corrupt", async () => {
    const { content, indexDir } = await setup();
    const built = await buildIndex(content, indexDir);
    const file = path.join(built.dir, "manifest.json");
    const manifest = JSON.parse(await readFile(file, "utf8")) as { format: number };
    await writeFile(file, JSON.stringify({ ...manifest, format: manifest.format + 1 }));
    const err = await rejection(openIndex(indexDir));
    expect(err.code).toBe("index_corrupt");
    expect(err.message).toContain("format");
    expect(await currentManifest(indexDir)).toBeUndefined();
    expect(await isIndexUpToDate(indexDir, content)).toBe(false);
  });

  it("rejects a manifest missing a field with index_corrupt", async () => {
    const { content, indexDir } = await setup();
    const built = await buildIndex(content, indexDir);
    const file = path.join(built.dir, "manifest.json");
    const rest = JSON.parse(await readFile(file, "utf8")) as Record<string, unknown>;
    delete rest.contentHash;
    await writeFile(file, JSON.stringify(rest));
    expect((await rejection(openIndex(indexDir))).code).toBe("index_corrupt");
  });

  // A truncated manifest must be reported as a corrupt index, not as a bare SyntaxError.
  it("rejects a manifest that is not JSON with index_corrupt", async () => {
    const { content, indexDir } = await setup();
    const built = await buildIndex(content, indexDir);
    const file = path.join(built.dir, "manifest.json");
    const text = await readFile(file, "utf8");
    await writeFile(file, text.slice(0, text.length >> 1));
    expect((await rejection(openIndex(indexDir))).code).toBe("index_corrupt");
  });
});

import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openPostgresPool } from "../../bot/store/postgres.ts";
import { testDatabase, type TestDatabase } from "../../bot/store/testing/postgres.ts";
import { createSharedFiles, type SharedFiles } from "./shared-files.ts";

const SILENT = { info() {}, warn() {}, error() {}, debug() {} } as never;

type Replica = { files: SharedFiles; content: string; uploads: string; pool: pg.Pool; changes: string[][] };

let db: TestDatabase;
let root: string;
let replicas: Replica[];

beforeEach(async () => {
  db = await testDatabase();
  root = await mkdtemp(path.join(tmpdir(), "shared-files-"));
  replicas = [];
});
afterEach(async () => {
  for (const r of replicas) {
    await r.files.stop();
    await r.pool.end();
  }
  await db.drop();
  await rm(root, { recursive: true, force: true });
});

async function replica(name: string, files: Record<string, string> = {}): Promise<Replica> {
  const content = path.join(root, name, "content");
  const uploads = path.join(root, name, "uploads");
  await mkdir(content, { recursive: true });
  await mkdir(uploads, { recursive: true });
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(content, rel)), { recursive: true });
    await writeFile(path.join(content, rel), text);
  }
  const pool = openPostgresPool(db.url, { max: 3 });
  const changes: string[][] = [];
  const shared = createSharedFiles({
    pool,
    folders: { content, uploads },
    log: SILENT,
    origin: name,
    pollMs: 200,
    onContentChanged: (folders) => changes.push(folders),
  });
  const r = { files: shared, content, uploads, pool, changes };
  replicas.push(r);
  return r;
}

async function eventually(check: () => Promise<boolean> | boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 25));
  }
}

const text = (file: string) => readFile(file, "utf8").catch(() => undefined);

describe("shared files across replicas", () => {
  it("seeds from the first replica and brings a new one up to date at init", async () => {
    const a = await replica("a", { "attractions/sam.md": "Núi Sam", "README.md": "readme" });
    await a.files.init();
    expect(a.files.revision).toBe(1);
    const b = await replica("b");
    await b.files.init();
    expect(await text(path.join(b.content, "attractions/sam.md"))).toBe("Núi Sam");
    expect(await text(path.join(b.content, "README.md"))).toBe("readme");
    expect(b.changes).toEqual([["content"]]);
  });

  it("delivers an edit, a new file, an upload and a deletion to a listening replica", async () => {
    const a = await replica("a", { "events/old.md": "old", "events/keep.md": "v1" });
    const b = await replica("b");
    await a.files.init();
    await b.files.init();
    await b.files.start();
    await writeFile(path.join(a.content, "events/keep.md"), "v2");
    await writeFile(path.join(a.content, "events/new.md"), "new");
    await rm(path.join(a.content, "events/old.md"));
    await writeFile(path.join(a.uploads, "sam-0123456789ab.png"), Buffer.from([0x89, 0x50]));
    const before = b.changes.length;
    expect(await a.files.push("publish")).toBe(2);
    // The pull writes file after file and tells its listener once all are written: wait for that.
    await eventually(() => b.changes.length > before);
    expect(await text(path.join(b.content, "events/keep.md"))).toBe("v2");
    expect(await text(path.join(b.content, "events/new.md"))).toBe("new");
    expect(existsSync(path.join(b.content, "events/old.md"))).toBe(false);
    expect(await readFile(path.join(b.uploads, "sam-0123456789ab.png"))).toEqual(Buffer.from([0x89, 0x50]));
    // Nothing changed since: no empty revision.
    expect(await a.files.push("publish again")).toBeUndefined();
  });

  it("does not delete another replica's file it has not pulled yet, nor write back what it did not change", async () => {
    const a = await replica("a", { "x.md": "x" });
    const b = await replica("b");
    await a.files.init();
    await b.files.init();
    // B does not listen: it has not seen A's next revision when it pushes its own edit.
    await writeFile(path.join(a.content, "from-a.md"), "a");
    await a.files.push("a adds");
    await writeFile(path.join(b.content, "from-b.md"), "b");
    await b.files.push("b adds");
    await a.files.pull();
    await b.files.pull();
    for (const r of [a, b]) {
      expect(await text(path.join(r.content, "from-a.md"))).toBe("a");
      expect(await text(path.join(r.content, "from-b.md"))).toBe("b");
      expect(await text(path.join(r.content, "x.md"))).toBe("x");
    }
    const { rows } = await a.pool.query("SELECT origin, files FROM shared_revisions ORDER BY id");
    expect(rows).toEqual([
      { origin: "a", files: 1 },
      { origin: "a", files: 1 },
      { origin: "b", files: 1 },
    ]);
  });

  it("ignores stored paths that would leave the folder", async () => {
    const a = await replica("a", { "x.md": "x" });
    await a.files.init();
    await a.pool.query(
      "INSERT INTO shared_files (folder, path, sha256, bytes, revision) VALUES ('content', '../escape.md', 'f', 'x', 1)",
    );
    const b = await replica("b");
    await b.files.init();
    expect(existsSync(path.join(root, "b", "escape.md"))).toBe(false);
    expect(await text(path.join(b.content, "x.md"))).toBe("x");
  });

  it("catches up after its listening connection was cut", async () => {
    const a = await replica("a", { "x.md": "1" });
    const b = await replica("b");
    await a.files.init();
    await b.files.init();
    await b.files.start();
    await a.pool.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN%' AND pid <> pg_backend_pid()",
    );
    await writeFile(path.join(a.content, "x.md"), "2");
    await a.files.push("while b reconnects");
    await eventually(async () => (await text(path.join(b.content, "x.md"))) === "2");
  });
});

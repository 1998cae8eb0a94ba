import { chmod, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "../../indexer/index.ts";
import { SQLITE_SCHEMA_VERSION, openSqliteStore } from "./sqlite-store.ts";
import { sampleInteraction, storeContract } from "./store.case.ts";

const execFileAsync = promisify(execFile);

for (const writer of ["thread", "here"] as const) {
  storeContract(
    `sqlite (writes ${writer === "thread" ? "on a writer thread" : "on this thread"})`,
    async () => {
      const dir = await mkdtemp(join(tmpdir(), "store-contract-"));
      const store = openSqliteStore(join(dir, "store.db"), { writer });
      return {
        store,
        cleanup: async () => {
          await store.close();
          await rm(dir, { recursive: true, force: true });
        },
      };
    },
  );
}

describe("openSqliteStore", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "sqlite-store-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Reads the file with a separate connection, as an operator with the sqlite3 shell would. */
  function inspect<T>(file: string, read: (db: Database.Database) => T): T {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      return read(db);
    } finally {
      db.close();
    }
  }

  it("creates the parent directories and keeps the data across reopening", async () => {
    const file = join(dir, "nested", "deeper", "store.db");
    const first = openSqliteStore(file);
    await first.recordInteraction(sampleInteraction());
    await first.recordFeedback({
      answerId: "a-1",
      helpful: true,
      comment: "Rất hữu ích",
      at: "2025-02-12T03:05:00Z",
    });
    await first.close();

    const second = openSqliteStore(file);
    try {
      expect(await second.getInteraction("a-1")).toStrictEqual({
        ...sampleInteraction(),
        feedback: { helpful: true, comment: "Rất hữu ích", at: "2025-02-12T03:05:00Z" },
      });
      await second.recordInteraction(sampleInteraction({ answerId: "a-2", at: "2025-02-13T00:00:00.000Z" }));
      expect((await second.listInteractions()).map((r) => r.answerId)).toEqual(["a-2", "a-1"]);
    } finally {
      await second.close();
    }
  });

  it("creates the database and its -wal and -shm files readable by their owner only (0600)", async () => {
    const file = join(dir, "data", "assistant.sqlite");
    const store = openSqliteStore(file);
    try {
      await store.recordInteraction(sampleInteraction());
      for (const f of [file, `${file}-wal`, `${file}-shm`])
        expect((await stat(f)).mode & 0o777, f).toBe(0o600);
    } finally {
      await store.close();
    }
    // An existing file's mode is the operator's business: it is left as it is.
    await chmod(file, 0o640);
    await openSqliteStore(file).close();
    expect((await stat(file)).mode & 0o777).toBe(0o640);
  });

  it("sets the schema version, WAL mode and the indexes", async () => {
    const file = join(dir, "store.db");
    await openSqliteStore(file).close();
    expect(SQLITE_SCHEMA_VERSION).toBeGreaterThanOrEqual(1);
    inspect(file, (db) => {
      expect(db.pragma("user_version", { simple: true })).toBe(SQLITE_SCHEMA_VERSION);
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
      const indexes = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'interactions'")
        .pluck()
        .all();
      expect(indexes).toEqual(expect.arrayContaining(["interactions_at", "interactions_channel_at"]));
    });
  });

  it("commits interactions recorded in one turn of the event loop in one transaction", async () => {
    const file = join(dir, "store.db");
    const store = openSqliteStore(file);
    const ids = Array.from({ length: 50 }, (_, i) => `batch-${i}`);
    // A separate connection sees the file: nothing is committed until the queue is written.
    const written = Promise.all(
      ids.map((answerId) => store.recordInteraction(sampleInteraction({ answerId }))),
    );
    expect(inspect(file, (db) => db.prepare("SELECT count(*) FROM interactions").pluck().get())).toBe(0);
    await written;
    expect(inspect(file, (db) => db.prepare("SELECT count(*) FROM interactions").pluck().get())).toBe(50);
    await store.close();
  });

  it("lets a read see an interaction whose write is still queued", async () => {
    const store = openSqliteStore(join(dir, "store.db"));
    const written = store.recordInteraction(sampleInteraction({ answerId: "queued" }));
    expect((await store.getInteraction("queued"))?.answerId).toBe("queued");
    expect(
      await store.recordFeedback({ answerId: "queued", helpful: true, at: "2025-02-12T03:05:00Z" }),
    ).toBe("ok");
    await written;
    await store.close();
  });

  it("loses only the bad row of a batch: a duplicate id is refused, the rest are written", async () => {
    const store = openSqliteStore(join(dir, "store.db"));
    const results = await Promise.allSettled([
      store.recordInteraction(sampleInteraction({ answerId: "one" })),
      store.recordInteraction(sampleInteraction({ answerId: "two" })),
      store.recordInteraction(sampleInteraction({ answerId: "one" })),
      store.recordInteraction(sampleInteraction({ answerId: "three" })),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled"]);
    const refused = results[2] as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(AppError);
    expect((refused.reason as AppError).code).toBe("store_duplicate_answer");
    expect((await store.listInteractions()).map((r) => r.answerId).sort()).toEqual(["one", "three", "two"]);
    await store.close();
  });

  it("writes queued interactions when it is closed", async () => {
    const file = join(dir, "store.db");
    const store = openSqliteStore(file);
    const written = store.recordInteraction(sampleInteraction({ answerId: "last" }));
    await store.close();
    await written;
    expect(inspect(file, (db) => db.prepare("SELECT answer_id FROM interactions").pluck().all())).toEqual([
      "last",
    ]);
  });

  it("keeps the process alive while a write is in flight or the store is closing", async () => {
    // A script that records, lists and closes: it must print after close(), then exit by itself with 0
    // (an unsettled top-level await would exit with 13, a writer that held the process would time out).
    const script = join(dir, "record.mts");
    const storeModule = pathToFileURL(join(import.meta.dirname, "sqlite-store.ts")).href;
    const caseModule = pathToFileURL(join(import.meta.dirname, "store.case.ts")).href;
    await writeFile(
      script,
      `import { openSqliteStore } from ${JSON.stringify(storeModule)};\n` +
        `import { sampleInteraction } from ${JSON.stringify(caseModule)};\n` +
        `const store = openSqliteStore(${JSON.stringify(join(dir, "store.db"))});\n` +
        `await store.recordInteraction(sampleInteraction({ answerId: "alive" }));\n` +
        `const ids = (await store.listInteractions()).map((r) => r.answerId).join();\n` +
        `await store.close();\n` +
        `console.log(ids, "closed");\n`,
    );
    const { stdout } = await execFileAsync(process.execPath, ["--import", "tsx", script], {
      cwd: join(import.meta.dirname, "..", ".."),
      timeout: 20_000,
    });
    expect(stdout.trim()).toBe("alive closed");
  });

  it("writes here when the writer thread fails, losing nothing", async () => {
    const file = join(dir, "store.db");
    // A writer that dies on its first batch, before committing anything.
    const crashing = join(dir, "crashing-writer.mjs");
    await writeFile(
      crashing,
      'import { parentPort } from "node:worker_threads";\nparentPort.on("message", () => { throw new Error("writer crashed"); });\n',
    );
    const store = openSqliteStore(file, { writerEntry: pathToFileURL(crashing) });
    const ids = ["x-1", "x-2", "x-3"];
    await Promise.all(ids.map((answerId) => store.recordInteraction(sampleInteraction({ answerId }))));
    await store.recordInteraction(sampleInteraction({ answerId: "x-4" }));
    expect((await store.listInteractions()).map((r) => r.answerId).sort()).toEqual([...ids, "x-4"]);
    await store.close();
  });

  it("keeps one batch in flight: what queues meanwhile goes to the writer as the next batch", async () => {
    const file = join(dir, "store.db");
    // The real writer, slowed down (each batch takes 100 ms), noting the size of each batch it gets.
    const slow = join(dir, "slow-writer.mjs");
    const realWriter = pathToFileURL(join(import.meta.dirname, "interaction-writer.mjs")).href;
    await writeFile(
      slow,
      'import { parentPort, workerData } from "node:worker_threads";\n' +
        'import { appendFileSync } from "node:fs";\n' +
        'const sizes = workerData.file + ".batches";\n' +
        "// Wraps the real writer's message listener.\n" +
        "const on = parentPort.on.bind(parentPort);\n" +
        "parentPort.on = (type, listener) => on(type, (m) => {\n" +
        '  if (m.rows) appendFileSync(sizes, m.rows.length + "\\n");\n' +
        "  if (m.rows) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);\n" +
        "  listener(m);\n" +
        "});\n" +
        `await import(${JSON.stringify(realWriter)});\n`,
    );
    const store = openSqliteStore(file, { writerEntry: pathToFileURL(slow) });
    const first = store.recordInteraction(sampleInteraction({ answerId: "g-1" }));
    // Each of these is queued in a later turn of the event loop, while g-1's batch is being written.
    const later: Promise<void>[] = [];
    for (let i = 2; i <= 5; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      later.push(store.recordInteraction(sampleInteraction({ answerId: `g-${i}` })));
    }
    await Promise.all([first, ...later]);
    expect((await store.listInteractions()).map((r) => r.answerId).sort()).toEqual([
      "g-1",
      "g-2",
      "g-3",
      "g-4",
      "g-5",
    ]);
    await store.close();
    expect((await readFile(`${file}.batches`, "utf8")).trim().split("\n")).toEqual(["1", "4"]);
  });

  it("stores sources as JSON and feedback in its own table", async () => {
    const file = join(dir, "store.db");
    const store = openSqliteStore(file);
    await store.recordInteraction(sampleInteraction({ sources: ["núi-sam", "chợ"] }));
    await store.recordFeedback({ answerId: "a-1", helpful: false, at: "2025-02-12T03:05:00Z" });
    await store.close();
    inspect(file, (db) => {
      expect(db.prepare("SELECT sources_json FROM interactions").pluck().get()).toBe('["núi-sam","chợ"]');
      expect(db.prepare("SELECT answer_id, helpful, comment FROM feedback").all()).toEqual([
        { answer_id: "a-1", helpful: 0, comment: null },
      ]);
    });
  });

  it("removes purged interactions' feedback rows from the database", async () => {
    const file = join(dir, "store.db");
    const store = openSqliteStore(file);
    await store.recordInteraction(sampleInteraction({ answerId: "old", at: "2024-01-01T00:00:00.000Z" }));
    await store.recordInteraction(sampleInteraction({ answerId: "new", at: "2025-01-01T00:00:00.000Z" }));
    await store.recordFeedback({ answerId: "old", helpful: false, at: "2024-01-01T00:00:01Z" });
    await store.recordFeedback({ answerId: "new", helpful: true, at: "2025-01-01T00:00:01Z" });
    expect(await store.purgeBefore("2024-12-31T00:00:00Z")).toBe(1);
    await store.close();
    inspect(file, (db) => {
      expect(db.prepare("SELECT answer_id FROM feedback").pluck().all()).toEqual(["new"]);
      expect(db.prepare("SELECT answer_id FROM interactions").pluck().all()).toEqual(["new"]);
    });
  });

  it("runs only the migrations a database has not seen", async () => {
    const file = join(dir, "store.db");
    const store = openSqliteStore(file);
    await store.recordInteraction(sampleInteraction());
    await store.close();
    // Reopening would fail with "table interactions already exists" if migration 1 ran again.
    const again = openSqliteStore(file);
    expect(await again.getInteraction("a-1")).toBeDefined();
    await again.close();
  });

  it.each([
    [
      "a long file of garbage",
      "this is not a sqlite database, just bytes that were written to it. ".repeat(40),
    ],
    ["a short file of garbage", "garbage"],
  ])("fails with store_corrupt naming the file for %s", async (_label, garbage) => {
    const file = join(dir, "broken.db");
    await writeFile(file, garbage);
    let error: unknown;
    try {
      openSqliteStore(file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("store_corrupt");
    expect((error as AppError).message).toContain(file);
    expect((error as AppError).options.cause).toBeInstanceOf(Error);
  });

  it("refuses a database written by a newer schema", async () => {
    const file = join(dir, "future.db");
    const db = new Database(file);
    db.pragma(`user_version = ${SQLITE_SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openSqliteStore(file)).toThrow(expect.objectContaining({ code: "store_too_new" }));
  });

  it("reports a file it cannot create as an AppError", async () => {
    const blocker = join(dir, "not-a-dir");
    await writeFile(blocker, "");
    expect(() => openSqliteStore(join(blocker, "store.db"))).toThrow(AppError);
  });
});

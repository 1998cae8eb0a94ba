import { createHash, randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type pg from "pg";
import type { Logger } from "../../bot/index.ts";
import { inTransaction, migratePostgres } from "../../bot/store/postgres.ts";

/**
 * Content and uploads shared by the replicas of one database (DATABASE_URL). Each replica keeps working
 * from its own folders (content/ stays plain files that the office can keep in git, and the index builds
 * from them as on one machine); PostgreSQL holds the published revision of every file:
 *
 * - after a successful publish (or an upload) a replica **pushes** what changed in its folders since it
 *   last synced, as one revision, and sends `NOTIFY shared_files`;
 * - every replica **pulls** on that notification (and every `pollMs`, in case one was missed while its
 *   listening connection was down) and writes the changed files into its folders atomically; when
 *   content changed, `onContentChanged` republishes (built in the worker thread, swapped in one
 *   assignment: no downtime, no failed request).
 *
 * A push is a three-way comparison with what the replica last saw in the database, so that a replica
 * that has not yet pulled another's new file does not delete it, and a file it did not change is not
 * written back. Why not LISTEN/NOTIFY alone with the payload: a notification is lost when no connection
 * listens; the revision table is the truth and the notification only a wake-up call.
 */

export type SharedFolders = Record<string, string>;

export type SharedFilesDeps = {
  pool: pg.Pool;
  /** Folder name (stored) → local path, e.g. { content: "content", uploads: "data/uploads" }. */
  folders: SharedFolders;
  log: Logger;
  /** Called after a pull changed files of these folders (default: "content"). */
  onContentChanged?: (folders: string[]) => void;
  /** Checks for a missed revision this often (default 5 s). */
  pollMs?: number;
  /** Names this replica in the revisions (default: a random id). */
  origin?: string;
};

export type SharedFiles = {
  /**
   * At start, before the index is opened: seeds the database from the local folders when it has no
   * revision yet, otherwise brings the local folders to the latest revision.
   */
  init(): Promise<void>;
  /** Stores what changed locally as a new revision and notifies the others; the revision, or undefined. */
  push(reason: string): Promise<number | undefined>;
  /** Brings the local folders to the latest revision; the folders that changed. */
  pull(): Promise<string[]>;
  /** Listens for revisions of other replicas. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The last revision this replica has (pulled or pushed). */
  readonly revision: number;
};

const MIGRATIONS = [
  `
  CREATE TABLE shared_revisions (
    id BIGSERIAL PRIMARY KEY,
    at TIMESTAMPTZ NOT NULL DEFAULT now(),
    origin TEXT NOT NULL,
    reason TEXT NOT NULL,
    files INTEGER NOT NULL
  );
  CREATE TABLE shared_files (
    folder TEXT NOT NULL,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    bytes BYTEA,
    deleted BOOLEAN NOT NULL DEFAULT false,
    revision BIGINT NOT NULL REFERENCES shared_revisions (id),
    PRIMARY KEY (folder, path)
  );
  CREATE INDEX shared_files_revision ON shared_files (revision);
  `,
];

const CHANNEL = "shared_files";
const PUSH_LOCK = "chau-doc:shared-files";
/** Larger files are not shared (the editor accepts images of 2 MB; content files are a few KB). */
const MAX_FILE_BYTES = 16 * 1024 * 1024;

/** folder → path → sha256 (of the live file, or of what the database has). */
type Snapshot = Map<string, Map<string, string>>;

export function createSharedFiles(deps: SharedFilesDeps): SharedFiles {
  const { pool, folders, log } = deps;
  const origin = deps.origin ?? randomBytes(4).toString("hex");
  const pollMs = deps.pollMs ?? 5000;
  const onChanged = deps.onContentChanged ?? (() => {});
  /** What this replica last saw in the database (the base of the three-way comparison). */
  const known: Snapshot = new Map(Object.keys(folders).map((f) => [f, new Map()]));
  let revision = 0;
  let listener: pg.PoolClient | undefined;
  let poll: NodeJS.Timeout | undefined;
  let stopped = false;
  /** Pulls and pushes run one after another on a replica. */
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work);
    queue = run.catch(() => {});
    return run;
  };

  async function pullNow(): Promise<string[]> {
    const { rows } = await pool.query<{
      folder: string;
      path: string;
      sha256: string;
      bytes: Buffer | null;
      deleted: boolean;
      revision: string;
    }>(
      "SELECT folder, path, sha256, bytes, deleted, revision FROM shared_files WHERE revision > $1 ORDER BY revision",
      [revision],
    );
    const changed = new Set<string>();
    let latest = revision;
    for (const row of rows) {
      latest = Math.max(latest, Number(row.revision));
      const dir = folders[row.folder];
      const full = dir && safeJoin(dir, row.path);
      if (!full) continue;
      const base = known.get(row.folder)!;
      const local = await shaOf(full);
      if (row.deleted) {
        base.delete(row.path);
        if (local !== undefined) {
          await rm(full, { force: true });
          changed.add(row.folder);
        }
        continue;
      }
      base.set(row.path, row.sha256);
      if (local !== row.sha256 && row.bytes) {
        await writeAtomically(full, row.bytes);
        changed.add(row.folder);
      }
    }
    revision = latest;
    if (changed.size) {
      log.info({ revision, folders: [...changed] }, "shared files: pulled a revision");
      onChanged([...changed]);
    }
    return [...changed];
  }

  async function pushNow(reason: string): Promise<number | undefined> {
    // Nothing to write commits an empty transaction; the lock goes with it either way.
    const pushed = await inTransaction(pool, async (client) => {
      await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [PUSH_LOCK]);
      // What the database has now (another replica may have pushed since this one pulled).
      const { rows } = await client.query<{ folder: string; path: string; sha256: string; deleted: boolean }>(
        "SELECT folder, path, sha256, deleted FROM shared_files",
      );
      const current: Snapshot = new Map(Object.keys(folders).map((f) => [f, new Map()]));
      for (const r of rows) if (!r.deleted) current.get(r.folder)?.set(r.path, r.sha256);
      const writes: { folder: string; path: string; sha: string; bytes: Buffer | null }[] = [];
      for (const [folder, dir] of Object.entries(folders)) {
        const local = await scan(dir);
        const base = known.get(folder)!;
        const now = current.get(folder)!;
        for (const [file, sha] of local) {
          // Changed here since the last sync, and not already what the database has.
          if (sha !== base.get(file) && sha !== now.get(file)) {
            writes.push({ folder, path: file, sha, bytes: await readFile(path.join(dir, file)) });
          }
        }
        for (const file of [...base.keys()]) {
          if (local.has(file)) continue;
          // Deleted here (a file this replica never saw, not yet pulled, is left alone); when the
          // database has it deleted already there is nothing to write.
          if (now.has(file)) writes.push({ folder, path: file, sha: "", bytes: null });
          else base.delete(file);
        }
      }
      if (writes.length === 0) return undefined;
      const { rows: rev } = await client.query<{ id: string }>(
        "INSERT INTO shared_revisions (origin, reason, files) VALUES ($1, $2, $3) RETURNING id",
        [origin, reason.slice(0, 200), writes.length],
      );
      const id = Number(rev[0]!.id);
      for (const w of writes) {
        await client.query(
          `INSERT INTO shared_files (folder, path, sha256, bytes, deleted, revision)
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (folder, path) DO UPDATE SET sha256 = EXCLUDED.sha256, bytes = EXCLUDED.bytes,
             deleted = EXCLUDED.deleted, revision = EXCLUDED.revision`,
          [w.folder, w.path, w.sha, w.bytes, w.bytes === null, id],
        );
      }
      await client.query("SELECT pg_notify($1, $2)", [CHANNEL, `${id}:${origin}`]);
      return { id, writes };
    });
    if (!pushed) return undefined;
    // Committed: only now is what was written what this replica knows the database to have.
    const { id, writes } = pushed;
    for (const w of writes) {
      if (w.bytes === null) known.get(w.folder)!.delete(w.path);
      else known.get(w.folder)!.set(w.path, w.sha);
    }
    log.info({ revision: id, files: writes.length, reason }, "shared files: pushed a revision");
    // Revisions of others in between are pulled next (their rows stay newer than `revision`).
    if (revision === id - 1) revision = id;
    return id;
  }

  async function listen(): Promise<void> {
    if (stopped) return;
    try {
      const client = await pool.connect();
      client.on("notification", (msg) => {
        if (msg.channel === CHANNEL && !msg.payload?.endsWith(`:${origin}`)) void pullSafely();
      });
      client.on("error", (err) => {
        log.warn({ err }, "shared files: the listening connection failed; reconnecting");
        if (listener === client) listener = undefined;
        client.release(err);
        setTimeout(() => void listen(), 1000).unref();
      });
      await client.query(`LISTEN ${CHANNEL}`);
      listener = client;
      // Anything pushed while nobody listened.
      void pullSafely();
    } catch (err) {
      log.warn({ err }, "shared files: cannot listen for revisions; retrying");
      setTimeout(() => void listen(), 2000).unref();
    }
  }

  function pullSafely(): Promise<void> {
    return serial(pullNow).then(
      () => {},
      (err: unknown) => log.error({ err }, "shared files: pull failed; trying again at the next check"),
    );
  }

  return {
    async init() {
      await migratePostgres(pool, "files", MIGRATIONS, { label: "shared content", code: "store" });
      const { rows } = await pool.query<{ n: string }>("SELECT count(*) AS n FROM shared_revisions");
      if (Number(rows[0]!.n) === 0) await serial(() => pushNow("first replica: the local folders"));
      else await serial(pullNow);
    },
    push: (reason) => serial(() => pushNow(reason)),
    pull: () => serial(pullNow),
    async start() {
      stopped = false;
      await listen();
      poll = setInterval(() => {
        void pool
          .query<{ id: string | null }>("SELECT max(id) AS id FROM shared_revisions")
          .then(({ rows }) => {
            if (Number(rows[0]?.id ?? 0) > revision) void pullSafely();
          })
          .catch((err: unknown) => log.warn({ err }, "shared files: revision check failed"));
      }, pollMs);
      poll.unref();
    },
    async stop() {
      stopped = true;
      clearInterval(poll);
      if (listener) {
        await listener.query(`UNLISTEN ${CHANNEL}`).catch(() => {});
        listener.release();
        listener = undefined;
      }
      await queue;
    },
    get revision() {
      return revision;
    },
  };
}

/** Every regular file under dir (relative, "/"-separated) with its sha256; editors' temporary files skipped. */
async function scan(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isFile() || !isSharedName(entry.name)) continue;
    const full = path.join(entry.parentPath, entry.name);
    const rel = path.relative(dir, full).split(path.sep).join("/");
    if (rel.split("/").some((part) => part.startsWith("."))) continue;
    const sha = await shaOf(full);
    if (sha !== undefined) out.set(rel, sha);
  }
  return out;
}

function isSharedName(name: string): boolean {
  return !name.startsWith(".") && !name.endsWith("~") && !name.endsWith(".tmp");
}

async function shaOf(file: string): Promise<string | undefined> {
  try {
    const bytes = await readFile(file);
    if (bytes.length > MAX_FILE_BYTES) return undefined;
    return createHash("sha256").update(bytes).digest("hex");
  } catch {
    return undefined;
  }
}

/** The local path of a stored relative path, or undefined for one that would leave the folder. */
function safeJoin(dir: string, rel: string): string | undefined {
  const base = path.resolve(dir);
  const full = path.resolve(base, rel);
  if (!full.startsWith(base + path.sep) || !rel.split("/").every(isSharedName)) return undefined;
  return full;
}

async function writeAtomically(full: string, bytes: Buffer): Promise<void> {
  await mkdir(path.dirname(full), { recursive: true });
  const tmp = path.join(path.dirname(full), `.${path.basename(full)}.${randomBytes(3).toString("hex")}.tmp`);
  await writeFile(tmp, bytes);
  try {
    await rename(tmp, full);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

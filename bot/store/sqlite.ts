import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { AppError } from "../../indexer/index.ts";

/** What a database is called in errors, and the prefix of their codes ("store" → "store_corrupt"). */
export type DatabaseRole = { label: string; code: string };

export type OpenDatabaseOptions = {
  /** Schema migrations: migration i brings the database to `PRAGMA user_version` i + 1. Append, never edit. */
  migrations: readonly string[];
  role: DatabaseRole;
  /** Milliseconds to wait for another process's write lock instead of failing at once. */
  busyTimeoutMs?: number;
  /** Creates a new file (and so its -wal and -shm files) readable by its owner only. */
  ownerOnly?: boolean;
};

/**
 * Opens (creating when missing, with its parent directory) a SQLite file in WAL mode with foreign keys on,
 * and migrates it. Every failure closes the file and becomes an AppError: `<code>_corrupt` for a file that
 * is not a database, `<code>_too_new` for a schema newer than the code, `<code>_open_failed` otherwise.
 */
export function openMigratedDatabase(file: string, options: OpenDatabaseOptions): Database.Database {
  const { role } = options;
  let db: Database.Database | undefined;
  try {
    const isNew = file === ":memory:" || !existsSync(file);
    if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
    if (options.ownerOnly && isNew && file !== ":memory:") {
      // Created empty with mode 0600 before SQLite opens it (an empty file is a new database), so it is
      // never readable by others, not even for a moment; SQLite gives the -wal and -shm files its mode.
      closeSync(openSync(file, "wx", 0o600));
      chmodSync(file, 0o600);
    }
    db = new Database(file);
    // The first statements read the header, so a file that is not a database fails here.
    db.pragma("journal_mode = WAL");
    // In WAL mode NORMAL is still safe against a crash of the process (a power cut may lose the last
    // commits, never corrupt the file), and a commit no longer waits for an fsync.
    db.pragma("synchronous = NORMAL");
    db.pragma("foreign_keys = ON");
    if (options.busyTimeoutMs) db.pragma(`busy_timeout = ${options.busyTimeoutMs}`);
    migrate(db, file, options);
    return db;
  } catch (error) {
    db?.close();
    if (error instanceof AppError) throw error;
    if (isSqliteError(error) && (error.code === "SQLITE_NOTADB" || error.code.startsWith("SQLITE_CORRUPT"))) {
      throw new AppError(
        `${role.code}_corrupt`,
        `the ${role.label} ${file} is not a usable SQLite database (${error.message})`,
        { cause: error },
      );
    }
    const message = error instanceof Error ? error.message : String(error);
    throw new AppError(`${role.code}_open_failed`, `cannot open the ${role.label} ${file}: ${message}`, {
      cause: error,
    });
  }
}

/** Runs the migrations the database has not seen yet, each in its own transaction with its version bump. */
function migrate(db: Database.Database, file: string, { migrations, role }: OpenDatabaseOptions): void {
  const version = db.pragma("user_version", { simple: true }) as number;
  if (version > migrations.length) {
    throw new AppError(
      `${role.code}_too_new`,
      `the ${role.label} ${file} has schema version ${version}; this code knows up to ${migrations.length}`,
    );
  }
  migrations.slice(version).forEach((sql, i) => {
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${version + i + 1}`);
    })();
  });
}

/** True for errors thrown by better-sqlite3 (they carry SQLite's error code, e.g. SQLITE_CONSTRAINT_UNIQUE). */
export function isSqliteError(error: unknown): error is Error & { code: string } {
  return error instanceof Error && typeof (error as { code?: unknown }).code === "string";
}

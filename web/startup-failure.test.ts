import { existsSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AppError } from "../indexer/index.ts";
import { startupFailure } from "./startup-failure.ts";

/** The line `npm start` ends with, from real errors of the file system. */

/** What writing to /dev/full throws: the kernel's own "no space left on device". */
function diskFull(): Error {
  try {
    writeFileSync("/dev/full", "x");
  } catch (err) {
    return err as Error;
  }
  throw new Error("/dev/full accepted a write");
}

describe("startupFailure", () => {
  it.skipIf(!existsSync("/dev/full"))("says in one line that the disk is full, and where", () => {
    // As buildIndex reports a failed write.
    const err = new AppError("index_write_failed", "could not write the index to /srv/data/index", {
      cause: diskFull(),
    });
    const line = startupFailure(err) as string;
    expect(line).toMatch(/^cannot start: could not write the index to \/srv\/data\/index: /);
    expect(line).toMatch(/no space left on device \(ENOSPC\)/);
    expect(line).toMatch(/DATA_DIR .* free space/);
    expect(line).not.toContain("\n");
  });

  it("names a store that cannot be opened without repeating the errno text", () => {
    const cause = Object.assign(
      new Error("EROFS: read-only file system, open '/srv/data/assistant.sqlite'"),
      {
        code: "EROFS",
        syscall: "open",
        path: "/srv/data/assistant.sqlite",
      },
    );
    const err = new AppError(
      "store_open_failed",
      `cannot open the store /srv/data/assistant.sqlite: ${cause.message}`,
      {
        cause,
      },
    );
    expect(startupFailure(err)).toBe(
      "cannot start: cannot open the store /srv/data/assistant.sqlite: read-only file system (EROFS). " +
        "DATA_DIR (and INDEX_DIR, STORE_FILE, ADMIN_DB_FILE, UPLOADS_DIR when set) must be writable by " +
        "the user running the server, on a disk with free space.",
    );
    // SQLite's own code, with its message already in the AppError's.
    const sqlite = Object.assign(new Error("unable to open database file"), { code: "SQLITE_CANTOPEN" });
    const store = new AppError(
      "store_open_failed",
      "cannot open the store /s.db: unable to open database file",
      {
        cause: sqlite,
      },
    );
    expect(startupFailure(store)).toMatch(
      /^cannot start: cannot open the store \/s\.db: unable to open database file\. DATA_DIR/,
    );
  });

  it("gives another AppError's message, and nothing for a programming error (its stack trace stays)", () => {
    expect(startupFailure(new AppError("index_corrupt", "index manifest in /d is not JSON"))).toBe(
      "cannot start: index manifest in /d is not JSON",
    );
    expect(startupFailure(new TypeError("x is not a function"))).toBeUndefined();
  });
});

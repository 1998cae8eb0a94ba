import { AppError } from "../indexer/index.ts";

/** What the file system errors of a start-up mean, in the words of the message. */
const FILE_ERRORS: Record<string, string> = {
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  ENOSPC: "no space left on device",
  EDQUOT: "disk quota exceeded",
  ENOTDIR: "a part of the path is a file, not a folder",
  EISDIR: "is a folder, not a file",
  EMFILE: "too many open files",
};

/** SQLite's codes for a database file that cannot be written where it is. */
const SQLITE_FILE_ERRORS = new Set(["SQLITE_CANTOPEN", "SQLITE_READONLY", "SQLITE_FULL", "SQLITE_PERM"]);

const HINT =
  "DATA_DIR (and INDEX_DIR, STORE_FILE, ADMIN_DB_FILE, UPLOADS_DIR when set) must be writable by the " +
  "user running the server, on a disk with free space";

type ErrnoLike = { code: string; syscall?: string; path?: string; message: string };

/**
 * The one line `npm start` ends with when it cannot start for a reason outside the code: a folder or a
 * file it cannot create or write (read-only, not its user's, a full disk) or any AppError of the start-up
 * (an index it cannot open …). Undefined for anything else: a programming error keeps its stack trace.
 */
export function startupFailure(err: unknown): string | undefined {
  const file = fileErrorIn(err);
  if (file) {
    const known = FILE_ERRORS[file.code];
    const reason = known ? `${known} (${file.code})` : firstLine(file.message);
    const where = file.path ? `${file.syscall ?? "use"} ${file.path}` : undefined;
    let detail: string;
    if (err instanceof AppError) {
      // The AppError says what was being done ("cannot open the store …"); the errno says why.
      const top = stripErrno(firstLine(err.message), file);
      const onPath = where && file.path && !top.includes(file.path) ? ` (${where})` : "";
      detail = top.endsWith(reason) ? top : `${top}: ${reason}${onPath}`;
    } else detail = where ? `cannot ${where}: ${reason}` : reason;
    return `cannot start: ${detail}. ${HINT}.`;
  }
  if (err instanceof AppError) return `cannot start: ${err.message}`;
  return undefined;
}

/** The first file-system or SQLite file error along the error's cause chain. */
function fileErrorIn(err: unknown): ErrnoLike | undefined {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 10; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code !== "string") continue;
    if (code in FILE_ERRORS || SQLITE_FILE_ERRORS.has(code)) {
      const { syscall, path } = e as { syscall?: unknown; path?: unknown };
      return {
        code,
        message: e.message,
        ...(typeof syscall === "string" ? { syscall } : {}),
        ...(typeof path === "string" ? { path } : {}),
      };
    }
  }
  return undefined;
}

/** An AppError's message without the errno text it quoted ("…: EACCES: permission denied, open '…'"). */
function stripErrno(message: string, file: ErrnoLike): string {
  const at = message.indexOf(`: ${file.code}:`);
  return at >= 0 ? message.slice(0, at) : message;
}

function firstLine(text: string): string {
  return text.split("\n", 1)[0] as string;
}

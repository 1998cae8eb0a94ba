import { randomBytes } from "node:crypto";
import { access, link, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { AppError } from "../errors.ts";
import { contentVersion, entryFileOf, entryPathIn, isEntryId } from "./edit.ts";
import { listEntryFiles, parseEntryFile, type ContentProblem } from "./load.ts";
import { ENTRY_TYPES, TYPE_FOLDERS, type ContentEntry, type EntryType } from "./schema.ts";

/**
 * Entry files on disk for the admin editor: found by id, read with their version, written atomically.
 * Every path is built from a type folder and a checked id (entryFileOf, entryPathIn), never from input.
 */

/** One file under the content root, parsed on its own (the checks across entries are the editor's). */
export type EntryFile = {
  /** `<type folder>/<id>.md`. */
  file: string;
  /** The type its folder holds. */
  type: EntryType;
  /** The file name without `.md`. */
  id: string;
  text: string;
  /** contentVersion(text). */
  version: string;
  /** The entry, when the file is valid on its own. */
  entry?: ContentEntry;
  problems: ContentProblem[];
};

const TYPE_OF_FOLDER = new Map(ENTRY_TYPES.map((t) => [TYPE_FOLDERS[t], t]));

function entryFileFrom(file: string, text: string): EntryFile {
  const folder = file.slice(0, file.indexOf("/"));
  const parsed = parseEntryFile(file, text);
  return {
    file,
    type: TYPE_OF_FOLDER.get(folder) as EntryType,
    id: path.basename(file, ".md"),
    text,
    version: contentVersion(text),
    ...(parsed.entry ? { entry: parsed.entry } : {}),
    problems: parsed.problems,
  };
}

/** Every entry file under the root, valid or not, sorted by path. */
export async function readEntryFiles(root: string): Promise<EntryFile[]> {
  const files = await listEntryFiles(root);
  return Promise.all(
    files.map(async (file) => entryFileFrom(file, await readFile(path.join(root, file), "utf8"))),
  );
}

/**
 * The file of an id, looked for in each type folder; undefined when there is none. Throws AppError
 * `bad_request:entry-id` for an id that is not kebab-case, before touching the disk.
 */
export async function findEntryFile(root: string, id: string): Promise<EntryFile | undefined> {
  if (!isEntryId(id)) throw new AppError("bad_request:entry-id", "not a valid entry id", { expose: true });
  for (const type of ENTRY_TYPES) {
    const file = entryFileOf(type, id);
    const text = await readFile(entryPathIn(root, file), "utf8").catch((e: NodeJS.ErrnoException) => {
      if (e.code === "ENOENT") return undefined;
      throw e;
    });
    if (text !== undefined) return entryFileFrom(file, text);
  }
  return undefined;
}

/**
 * Writes an entry file atomically: a temporary file in the same folder, then a rename, so a build never
 * reads half a file. With `create`, fails with AppError `conflict:entry-exists` when the file exists.
 */
export async function writeEntryFile(
  root: string,
  file: string,
  text: string,
  options: { create?: boolean } = {},
): Promise<void> {
  const full = entryPathIn(root, file);
  await mkdir(path.dirname(full), { recursive: true });
  // Not ending in .md, so listEntryFiles never sees it.
  const tmp = path.join(path.dirname(full), `.${path.basename(full)}.${randomBytes(6).toString("hex")}.tmp`);
  await writeFile(tmp, text, { flag: "wx" });
  try {
    if (options.create) await linkExclusive(tmp, full);
    else await rename(tmp, full);
  } finally {
    await rm(tmp, { force: true });
  }
}

/** Moves `tmp` to `full` only if `full` does not exist (a hard link fails with EEXIST when it does). */
async function linkExclusive(tmp: string, full: string): Promise<void> {
  try {
    await link(tmp, full);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EEXIST") throw new AppError("conflict:entry-exists", "an entry with this id exists", { expose: true });
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EXDEV") throw e;
    // A file system without hard links: check, then rename (a small window, acceptable for a few editors).
    const exists = await access(full).then(
      () => true,
      () => false,
    );
    if (exists) throw new AppError("conflict:entry-exists", "an entry with this id exists", { expose: true });
    await rename(tmp, full);
  }
}

/** Removes an entry file. */
export async function removeEntryFile(root: string, file: string): Promise<void> {
  await rm(entryPathIn(root, file));
}

import { access, readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { isMap, isPair, isScalar, LineCounter, parseDocument, type Document } from "yaml";
import type { z } from "zod";
import { bodyTextProblems, publicTextProblems } from "./public-text.ts";
import {
  frontMatterSchema,
  REGION,
  TYPE_FOLDERS,
  type ContentEntry,
  type FrontMatter,
  type Lang,
} from "./schema.ts";

/** One thing wrong with the content, located precisely enough for an editor to fix it. */
export type ContentProblem = { file: string; line: number; field: string; reason: string };

/** `path:line field: reason`, the format content:check prints. */
export function formatProblem(p: ContentProblem): string {
  return `${p.file}:${p.line} ${p.field}: ${p.reason}`;
}

export type LoadResult = { entries: ContentEntry[]; problems: ContentProblem[] };

export type LoadOptions = {
  /** Entries verified after this day are rejected (a typo in the year); defaults to today in Vietnam. */
  today?: string;
};

const SECTION_HEADINGS: Record<string, Lang> = { "# Tiếng Việt": "vi", "# English": "en" };

/** Reads and validates every entry under a content root (one Markdown file per entry). */
export async function loadContent(root: string, options: LoadOptions = {}): Promise<LoadResult> {
  const files = await listEntryFiles(root);
  const parsed = await Promise.all(
    files.map(async (rel) => parseEntryFile(rel, await readFile(path.join(root, rel), "utf8"))),
  );
  const entries: ContentEntry[] = [];
  const problems: ContentProblem[] = [];
  for (const p of parsed) {
    problems.push(...p.problems);
    if (p.entry) entries.push(publicEntry(p.entry));
  }
  problems.push(...checkAcrossEntries(parsed, options.today ?? vietnamToday()));
  problems.push(...(await missingImages(root, parsed)));
  problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  return { entries: problems.length === 0 ? entries : [], problems };
}

/**
 * An entry as the public sees it: without its staffNote, so the index, the portal and the answers never
 * hold what editors wrote for themselves (the admin editor reads the files itself).
 */
export function publicEntry(entry: ContentEntry): ContentEntry {
  if (entry.staffNote === undefined) return entry;
  const copy = { ...entry };
  delete copy.staffNote;
  return copy;
}

/** Entry files relative to the root: `<type folder>/<id>.md`, sorted for a stable build. */
export async function listEntryFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const folder of Object.values(TYPE_FOLDERS)) {
    const dir = path.join(root, folder);
    const names = await readdir(dir).catch((e: NodeJS.ErrnoException) => {
      if (e.code === "ENOENT") return [] as string[];
      throw e;
    });
    for (const name of names) if (name.endsWith(".md")) out.push(`${folder}/${name}`);
  }
  return out.sort();
}

/** One parsed file: its entry when valid on its own, its problems, and a line lookup for later checks. */
export type ParsedFile = {
  file: string;
  entry?: ContentEntry;
  problems: ContentProblem[];
  /** Line lookup for cross-entry checks. */
  lineOf: (fieldPath: (string | number)[]) => number;
};

/** Parses one entry file; exported for the admin editor and for tests. */
export function parseEntryFile(file: string, source: string): ParsedFile {
  const problems: ContentProblem[] = [];
  const add = (line: number, field: string, reason: string) => problems.push({ file, line, field, reason });
  const noLines = () => 1;

  const text = source.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  const lines = text.split("\n");
  if (lines[0]?.trim() !== "---") {
    add(1, "front matter", "the file must start with a line '---' that opens the YAML front matter");
    return { file, problems, lineOf: noLines };
  }
  const close = lines.findIndex((l, i) => i > 0 && l.trim() === "---");
  if (close < 0) {
    add(1, "front matter", "no closing '---' line after the YAML front matter");
    return { file, problems, lineOf: noLines };
  }
  // Front matter starts on file line 2; the YAML parser counts from 1.
  const yamlText = lines.slice(1, close).join("\n");
  const counter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const fileLine = (offset: number) => counter.linePos(offset).line + 1;
  const lineOf = (fieldPath: (string | number)[]) => fileLine(nodeOffset(doc, fieldPath));

  if (doc.errors.length > 0) {
    for (const err of doc.errors) add(fileLine(err.pos[0]), "yaml", err.message.split("\n")[0] ?? "invalid YAML");
    return { file, problems, lineOf };
  }
  if (!isMap(doc.contents)) {
    add(2, "front matter", "must be a YAML mapping of fields");
    return { file, problems, lineOf };
  }

  const raw: unknown = doc.toJS();
  const result = frontMatterSchema.safeParse(raw);
  // The region check reads the raw values: a swapped lat/lng fails the schema (lat > 90) and would
  // otherwise hide the region problems, which say what is wrong with both fields.
  const outside = regionProblems(raw);
  const covered = new Set(outside.map((p) => fieldName(p.where)));
  if (!result.success) {
    for (const issue of result.error.issues) {
      for (const { where, reason } of describeIssue(issue, raw)) {
        if (!covered.has(fieldName(where))) add(lineOf(where), fieldName(where), reason);
      }
    }
  }
  for (const { where, reason } of outside) add(lineOf(where), fieldName(where), reason);

  const body = parseBody(lines, close + 1, add);
  if (!result.success || !body) return { file, problems, lineOf };
  for (const { where, reason } of publicTextProblems(result.data)) add(lineOf(where), fieldName(where), reason);
  for (const lang of ["vi", "en"] as const) {
    const { line, lines: sectionLines } = body.sections[lang];
    for (const p of bodyTextProblems(sectionLines, lang)) add(line + 1 + p.offset, `body.${lang}`, p.reason);
  }

  const fm = result.data;
  const expectedFile = expectedFileOf(fm);
  if (file !== expectedFile) {
    add(lineOf(["id"]), "id", `the file of entry '${fm.id}' of type ${fm.type} must be ${expectedFile}`);
  }
  checkEntry(fm, (where, reason) => add(lineOf(where), fieldName(where), reason));
  return { file, problems, lineOf, entry: { ...fm, body: body.text, file } };
}

function parseBody(
  lines: string[],
  start: number,
  add: (line: number, field: string, reason: string) => void,
): { text: Record<Lang, string>; sections: Record<Lang, { line: number; lines: string[] }> } | undefined {
  const sections: Partial<Record<Lang, { line: number; text: string[] }>> = {};
  let current: { line: number; text: string[] } | undefined;
  let ok = true;
  for (let i = start; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const lineNo = i + 1;
    if (/^# /.test(line)) {
      const lang = SECTION_HEADINGS[line.trim()];
      if (!lang) {
        add(lineNo, "body", `unknown section '${line.trim()}': use '# Tiếng Việt' and '# English'`);
        ok = false;
        current = undefined;
        continue;
      }
      if (sections[lang]) {
        add(lineNo, `body.${lang}`, "this language section appears twice");
        ok = false;
      }
      current = { line: lineNo, text: [] };
      sections[lang] = current;
    } else if (current) {
      current.text.push(line);
    } else if (line.trim() !== "") {
      add(lineNo, "body", "text before the first language section: start with '# Tiếng Việt'");
      ok = false;
    }
  }
  const body = {} as Record<Lang, string>;
  // split("\n") of a file ending in a newline yields an empty string after the last line.
  const lastLine = lines.length > 1 && lines[lines.length - 1] === "" ? lines.length - 1 : lines.length;
  for (const [heading, lang] of Object.entries(SECTION_HEADINGS)) {
    const section = sections[lang];
    const text = section?.text.join("\n").trim() ?? "";
    if (!section) {
      add(lastLine, `body.${lang}`, `missing the '${heading}' section`);
      ok = false;
    } else if (text === "") {
      add(section.line, `body.${lang}`, `the '${heading}' section is empty`);
      ok = false;
    }
    body[lang] = text;
  }
  if (!ok) return undefined;
  const found = sections as Record<Lang, { line: number; text: string[] }>;
  return {
    text: body,
    sections: {
      vi: { line: found.vi.line, lines: found.vi.text },
      en: { line: found.en.line, lines: found.en.text },
    },
  };
}

type Report = (where: (string | number)[], reason: string) => void;

/** Coordinates of an attraction outside REGION, read from the raw front matter (numbers only). */
function regionProblems(raw: unknown): { where: (string | number)[]; reason: string }[] {
  const fm = raw as { type?: unknown; place?: { coordinates?: { lat?: unknown; lng?: unknown } | null } } | null;
  const c = fm?.type === "attraction" ? fm.place?.coordinates : undefined;
  const out: { where: (string | number)[]; reason: string }[] = [];
  if (!c || typeof c !== "object") return out;
  const { lat, lng } = c;
  if (typeof lat === "number" && (lat < REGION.minLat || lat > REGION.maxLat)) {
    out.push({
      where: ["place", "coordinates", "lat"],
      reason: `${lat} is outside the region (${REGION.minLat}–${REGION.maxLat})`,
    });
  }
  if (typeof lng === "number" && (lng < REGION.minLng || lng > REGION.maxLng)) {
    out.push({
      where: ["place", "coordinates", "lng"],
      reason: `${lng} is outside the region (${REGION.minLng}–${REGION.maxLng})`,
    });
  }
  return out;
}

/** Content images (images/<name>) that are not in the content folder; uploads are checked by the admin. */
async function missingImages(root: string, parsed: ParsedFile[]): Promise<ContentProblem[]> {
  const checks = parsed.flatMap((p) =>
    (p.entry?.images ?? []).map(async (image, i) => {
      if (!image.file.startsWith("images/")) return undefined;
      const found = await access(path.join(root, image.file)).then(
        () => true,
        () => false,
      );
      const where = ["images", i, "file"];
      return found
        ? undefined
        : { file: p.file, line: p.lineOf(where), field: fieldName(where), reason: `no file ${image.file} under the content folder` };
    }),
  );
  return (await Promise.all(checks)).filter((p): p is ContentProblem => p !== undefined);
}

/** Checks within one entry that the schema cannot express. */
function checkEntry(fm: FrontMatter, report: Report): void {
  if (fm.related.includes(fm.id)) report(["related"], "an entry cannot be related to itself");
}

function checkAcrossEntries(parsed: ParsedFile[], today: string): ContentProblem[] {
  const problems: ContentProblem[] = [];
  const byId = new Map<string, ParsedFile>();
  // The file at the id's own place owns the id, so the duplicate is reported on the misplaced copy even
  // when the copy sorts first (nui-sam-2.md before nui-sam.md).
  const atHome = (p: ParsedFile) => p.entry !== undefined && p.file === expectedFileOf(p.entry);
  for (const p of [...parsed].sort((a, b) => Number(atHome(b)) - Number(atHome(a)))) {
    if (!p.entry) continue;
    const first = byId.get(p.entry.id);
    if (first) {
      problems.push({
        file: p.file,
        line: p.lineOf(["id"]),
        field: "id",
        reason: `duplicate id '${p.entry.id}', already used by ${first.file}`,
      });
    } else byId.set(p.entry.id, p);
  }
  const known = new Set(parsed.flatMap((p) => (p.entry ? [p.entry.id] : [])));
  // Unparsed files still count as known ids, so one broken file does not cascade into many errors.
  for (const p of parsed) if (!p.entry) known.add(path.basename(p.file, ".md"));

  for (const p of parsed) {
    if (!p.entry) continue;
    problems.push(...checkReferences(p.entry, p.lineOf, { get: (id) => byId.get(id)?.entry, known, today }));
  }
  return problems;
}

/**
 * Today's date in Vietnam (UTC+7, no daylight saving), as YYYY-MM-DD: the day the office verifies content
 * on and the editor's templates carry. From 17:00 UTC it is a day ahead of the UTC date.
 */
export function vietnamToday(now: Date = new Date()): string {
  return new Date(now.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
}

/** What one entry is checked against: the other entries by id, every id in use, and today's date. */
export type ReferenceContext = {
  get: (id: string) => ContentEntry | undefined;
  /** Ids in use, including those of files that do not parse (so one broken file does not cascade). */
  known: ReadonlySet<string>;
  today: string;
};

/**
 * The checks of one entry against the rest (related and venue ids resolve, venues are attractions,
 * lastVerified is not in the future); shared by content:check and the admin editor.
 */
export function checkReferences(
  e: ContentEntry,
  lineOf: (fieldPath: (string | number)[]) => number,
  ctx: ReferenceContext,
): ContentProblem[] {
  const problems: ContentProblem[] = [];
  const at = (where: (string | number)[], reason: string) =>
    problems.push({ file: e.file, line: lineOf(where), field: fieldName(where), reason });
  e.related.forEach((id, i) => {
    if (!ctx.known.has(id)) at(["related", i], `no entry has the id '${id}'`);
  });
  if (e.type === "itinerary") {
    e.itinerary.stops.forEach((stop, i) => {
      if (stop.place === undefined) return;
      const place = ctx.get(stop.place);
      const where = ["itinerary", "stops", i, "place"];
      if (!ctx.known.has(stop.place)) at(where, `no entry has the id '${stop.place}'`);
      else if (place && place.type !== "attraction") at(where, `'${stop.place}' is not an attraction`);
      if (stop.day > e.itinerary.days) at(["itinerary", "stops", i, "day"], `day ${stop.day} is after the last day (${e.itinerary.days})`);
    });
  }
  if (e.type === "event") {
    e.event.venues.forEach((id, i) => {
      const venue = ctx.get(id);
      if (!ctx.known.has(id)) at(["event", "venues", i], `no entry has the id '${id}'`);
      else if (venue && venue.type !== "attraction") at(["event", "venues", i], `'${id}' is not an attraction`);
    });
  }
  if (e.lastVerified > ctx.today) {
    at(["lastVerified"], `${e.lastVerified} is in the future (today is ${ctx.today})`);
  }
  return problems;
}

/** `<type folder>/<id>.md`: where an entry's file must be. */
export function expectedFileOf(fm: { type: FrontMatter["type"]; id: string }): string {
  return `${TYPE_FOLDERS[fm.type]}/${fm.id}.md`;
}

function describeIssue(issue: z.core.$ZodIssue, raw: unknown): { where: (string | number)[]; reason: string }[] {
  const where = issue.path.filter((k): k is string | number => typeof k !== "symbol");
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => ({ where: [...where, key], reason: "unknown field" }));
  }
  // zod does not report the input, so whether the field is there is read from the raw front matter.
  if (issue.code === "invalid_type" && issue.input === undefined && valueAt(raw, where) === undefined) {
    return [{ where, reason: "required field is missing" }];
  }
  return [{ where, reason: issue.message }];
}

function valueAt(value: unknown, where: (string | number)[]): unknown {
  let v = value;
  for (const k of where) {
    if (!v || typeof v !== "object") return undefined;
    v = (v as Record<string | number, unknown>)[k];
  }
  return v;
}

function fieldName(where: (string | number)[]): string {
  if (where.length === 0) return "front matter";
  return where.map((k, i) => (typeof k === "number" ? `[${k}]` : i === 0 ? k : `.${k}`)).join("");
}

/** Offset of the deepest existing node along a path, preferring the key so the line is the field's. */
function nodeOffset(doc: Document, fieldPath: (string | number)[]): number {
  let node: unknown = doc.contents;
  let offset = 0;
  for (const key of fieldPath) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key);
      if (!pair) break;
      const keyNode = pair.key as { range?: [number, number, number] };
      offset = keyNode.range?.[0] ?? offset;
      node = pair.value;
    } else if (node && typeof node === "object" && "items" in node && typeof key === "number") {
      const item = (node as { items: unknown[] }).items[key] as { range?: [number, number, number] } | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else break;
  }
  return offset;
}

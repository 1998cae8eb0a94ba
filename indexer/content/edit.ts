import { createHash } from "node:crypto";
import path from "node:path";
import {
  Document,
  isCollection,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  YAMLMap,
  type Node,
  type Pair,
} from "yaml";
import { AppError } from "../errors.ts";
import { checkReferences, parseEntryFile, vietnamToday, type ContentProblem } from "./load.ts";
import { TYPE_FOLDERS, type ContentEntry, type EntryType, type Lang } from "./schema.ts";

/**
 * The write side of the content model, for the admin editor. Hand-written files are edited in place
 * through yaml's Document API, so comments, key order and the flow style of untouched fields are kept
 * and a diff of a saved file shows only what changed.
 */

/** A field of the front matter, as keys and sequence indexes: `["place", "coordinates", "lat"]`. */
export type FieldPath = readonly (string | number)[];

/** One field set to a value (only the parts that differ are rewritten), or removed when `value` is undefined. */
export type FieldChange = { path: FieldPath; value: unknown };

/** Changes to the front matter, applied in order. */
export type FrontMatterChanges = { fields?: readonly FieldChange[] };

/** The text of both language sections of a body. */
export type BodyText = Record<Lang, string>;

/** Entry ids: lowercase kebab-case, so an id is always a safe file name. */
export const ID_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;

const MAX_ID_LENGTH = 80;
const SECTION_HEADING: Record<Lang, string> = { vi: "# Tiếng Việt", en: "# English" };

/** True for a well-formed entry id (kebab-case, at most 80 characters). */
export function isEntryId(id: string): boolean {
  return id.length <= MAX_ID_LENGTH && ID_PATTERN.test(id);
}

/** The sha256 of a file's text: the version an edit form carries, so a stale save is refused. */
export function contentVersion(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** `<type folder>/<id>.md`, relative to the content root; refuses an id that is not kebab-case. */
export function entryFileOf(type: EntryType, id: string): string {
  if (!isEntryId(id)) throw new AppError("bad_request:entry-id", `not a valid entry id: ${JSON.stringify(id)}`);
  const folder = TYPE_FOLDERS[type];
  if (!folder) throw new AppError("bad_request:entry-type", `not an entry type: ${JSON.stringify(type)}`);
  return `${folder}/${id}.md`;
}

/**
 * The absolute path of a file under the content root, checked to stay inside it. `file` is a relative
 * `<type folder>/<id>.md` path; anything else (an absolute path, `..`, another folder) is refused.
 */
export function entryPathIn(root: string, file: string): string {
  const m = /^([a-z-]+)\/([^/]+)\.md$/.exec(file);
  const folders: string[] = Object.values(TYPE_FOLDERS);
  if (!m || !folders.includes(m[1] as string) || !isEntryId(m[2] as string)) {
    throw new AppError("bad_request:entry-file", `not an entry file: ${JSON.stringify(file)}`);
  }
  const base = path.resolve(root);
  const full = path.resolve(base, file);
  if (path.dirname(path.dirname(full)) !== base) {
    throw new AppError("bad_request:entry-file", `outside the content folder: ${JSON.stringify(file)}`);
  }
  return full;
}

// ---------------------------------------------------------------------------------------------------------
// Reading the parts of a file

type Parts = {
  bom: string;
  crlf: boolean;
  /** The front matter between the two `---` lines, without them. */
  yaml: string;
  /** The lines after the closing `---`. */
  body: string[];
};

function splitEntryText(text: string): Parts | undefined {
  const bom = text.startsWith("\uFEFF") ? "\uFEFF" : "";
  const crlf = text.includes("\r\n");
  const lines = text.slice(bom.length).replace(/\r\n?/g, "\n").split("\n");
  if (lines[0]?.trim() !== "---") return undefined;
  const close = lines.findIndex((l, i) => i > 0 && l.trim() === "---");
  if (close < 0) return undefined;
  return { bom, crlf, yaml: lines.slice(1, close).join("\n"), body: lines.slice(close + 1) };
}

function joinParts(p: Parts): string {
  const text = `---\n${p.yaml}\n---\n${p.body.join("\n")}`;
  return p.bom + (p.crlf ? text.replace(/\n/g, "\r\n") : text);
}

/** Where each language section's text lies in the body lines: from after its heading to the next heading. */
function bodySections(body: string[]): Partial<Record<Lang, { from: number; to: number }>> {
  const out: Partial<Record<Lang, { from: number; to: number }>> = {};
  const headings = body.flatMap((l, i) => (/^# /.test(l) ? [i] : []));
  headings.forEach((at, k) => {
    const lang = (Object.keys(SECTION_HEADING) as Lang[]).find((l) => SECTION_HEADING[l] === body[at]?.trim());
    if (lang && !out[lang]) out[lang] = { from: at + 1, to: headings[k + 1] ?? body.length };
  });
  return out;
}

/**
 * The front matter as plain data and the text of each language section, from a file that need not be
 * valid (the editor shows a broken entry's fields with its problems). Undefined when the front matter
 * cannot be read at all (no `---` lines, or a YAML syntax error).
 */
export function readEntryParts(text: string): { frontMatter: Record<string, unknown>; body: BodyText } | undefined {
  const parts = splitEntryText(text);
  if (!parts) return undefined;
  const doc = parseDocument(parts.yaml);
  if (doc.errors.length > 0) return undefined;
  const data: unknown = doc.toJS();
  const frontMatter = data && typeof data === "object" && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
  const sections = bodySections(parts.body);
  const sectionText = (lang: Lang) => {
    const s = sections[lang];
    return s ? parts.body.slice(s.from, s.to).join("\n").trim() : "";
  };
  return { frontMatter, body: { vi: sectionText("vi"), en: sectionText("en") } };
}

/**
 * Some fields of one map of the front matter as a YAML text of their own, as written in the file (for the
 * editor's raw-YAML box of the complex lodging lists). Empty when none of them is present.
 */
export function fieldsYaml(text: string, parent: FieldPath, keys: readonly string[]): string {
  const parts = splitEntryText(text);
  if (!parts) return "";
  const doc = parseDocument(parts.yaml);
  const map = parent.length ? doc.getIn(parent, true) : doc.contents;
  if (doc.errors.length > 0 || !isMap(map)) return "";
  const picked = new YAMLMap();
  picked.items = map.items
    .filter((p) => keys.includes(String(keyOf(p))))
    .map((p) => p.clone() as Pair<unknown, unknown>);
  if (picked.items.length === 0) return "";
  const out = new Document();
  out.contents = picked;
  return renderYaml(out).split("\n").map(unpadFlowSequences).join("\n") + "\n";
}

/**
 * Reads a YAML text of some fields (the editor's raw-YAML box): the values of the allowed keys, or the
 * problems (syntax errors with their line in the box, keys that are not allowed).
 */
export function parseFieldsYaml(
  text: string,
  allowed: readonly string[],
): { values?: Record<string, unknown>; problems: { line: number; reason: string }[] } {
  if (text.trim() === "") return { values: {}, problems: [] };
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map((e) => ({
        line: lineCounter.linePos(e.pos[0]).line,
        reason: e.message.split("\n")[0] ?? "invalid YAML",
      })),
    };
  }
  if (!isMap(doc.contents)) return { problems: [{ line: 1, reason: "must be a YAML mapping of fields" }] };
  const problems = doc.contents.items.flatMap((p) => {
    const key = String(keyOf(p));
    if (allowed.includes(key)) return [];
    const range = isScalar(p.key) ? p.key.range : undefined;
    return [{ line: range ? lineCounter.linePos(range[0]).line : 1, reason: `'${key}' is not one of: ${allowed.join(", ")}` }];
  });
  if (problems.length > 0) return { problems };
  return { values: doc.toJS() as Record<string, unknown>, problems: [] };
}

// ---------------------------------------------------------------------------------------------------------
// Editing a file in place

/**
 * A hand-written entry file with some front-matter fields changed and, when given, its body sections
 * replaced. Untouched lines are kept byte for byte (comments, key order, flow style, quoting). Throws
 * AppError `bad_request:entry-format` when the file has no front matter or its YAML does not parse.
 */
export function updateEntryFile(originalText: string, changes: FrontMatterChanges & { body?: BodyText }): string {
  const parts = splitEntryText(originalText);
  if (!parts) {
    throw new AppError("bad_request:entry-format", "the file has no front matter between two '---' lines", {
      expose: true,
    });
  }
  let yaml = parts.yaml;
  if (changes.fields && changes.fields.length > 0) {
    const doc = parseDocument(parts.yaml);
    if (doc.errors.length > 0 || !isMap(doc.contents)) {
      throw new AppError("bad_request:entry-format", "the front matter is not valid YAML; fix the file by hand", {
        expose: true,
      });
    }
    const before = renderYaml(doc);
    for (const change of changes.fields) setField(doc, change.path, change.value);
    yaml = keepUntouchedLines(parts.yaml, before, renderYaml(doc));
  }
  const body = changes.body ? replaceBody(parts.body, changes.body) : parts.body;
  return joinParts({ ...parts, yaml, body });
}

/** The body lines with the sections whose text changed replaced; a body without both sections is rewritten. */
function replaceBody(lines: string[], body: BodyText): string[] {
  const text = (lang: Lang) => body[lang].replace(/\r\n?/g, "\n").trim();
  const sections = bodySections(lines);
  const vi = sections.vi;
  const en = sections.en;
  if (!vi || !en || vi.from > en.from) {
    return ["", SECTION_HEADING.vi, "", text("vi"), "", SECTION_HEADING.en, "", text("en"), ""];
  }
  const out = [...lines];
  // Replace the later section first so the earlier one's line numbers still hold.
  for (const [lang, s] of [
    ["en", en],
    ["vi", vi],
  ] as const) {
    const current = lines.slice(s.from, s.to).join("\n").trim();
    if (current === text(lang)) continue;
    // A blank line after the heading and one after the text (before the next heading, or the final newline).
    out.splice(s.from, s.to - s.from, "", ...text(lang).split("\n"), "");
  }
  return out;
}

/** Sets one field, rewriting only the scalars and items that differ; undefined removes the field. */
function setField(doc: Document, fieldPath: FieldPath, value: unknown): void {
  const path = [...fieldPath];
  if (value === undefined) {
    if (doc.hasIn(path)) doc.deleteIn(path);
    return;
  }
  if (!doc.hasIn(path)) {
    addField(doc, path, value);
    return;
  }
  const node: unknown = doc.getIn(path, true);
  if (sameValue(jsOf(doc, node), value)) return;
  if (isMap(node) && isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) setField(doc, [...path, k], v);
    for (const pair of [...node.items]) {
      const k = keyOf(pair);
      if (typeof k === "string" && !(k in value)) doc.deleteIn([...path, k]);
    }
    return;
  }
  if (isSeq(node) && Array.isArray(value)) {
    const common = Math.min(node.items.length, value.length);
    for (let i = 0; i < common; i++) setField(doc, [...path, i], value[i]);
    for (let i = node.items.length - 1; i >= value.length; i--) node.items.splice(i, 1);
    for (let i = common; i < value.length; i++) node.items.push(newNode(doc, value[i], [...path, i]));
    return;
  }
  if (isScalar(node) && !isCollectionValue(value)) {
    // Keeps the scalar's style (quotes); yaml still quotes a value that would not read back as a string.
    node.value = value;
    return;
  }
  const fresh = newNode(doc, value, path);
  if (node && typeof node === "object" && "comment" in node) {
    const old = node as { comment?: string | null; commentBefore?: string | null };
    if (old.comment) fresh.comment = old.comment;
    if (old.commentBefore) fresh.commentBefore = old.commentBefore;
  }
  doc.setIn(path, fresh);
}

/** Adds a field that is not in the file, in the canonical key order of its map (creating parents as needed). */
function addField(doc: Document, path: (string | number)[], value: unknown): void {
  const parentPath = path.slice(0, -1);
  const key = path[path.length - 1] as string | number;
  if (parentPath.length > 0 && !doc.hasIn(parentPath)) {
    addField(doc, parentPath, typeof key === "number" ? [value] : { [key]: value });
    return;
  }
  const parent: unknown = parentPath.length ? doc.getIn(parentPath, true) : doc.contents;
  const node = newNode(doc, value, path);
  if (isSeq(parent)) {
    parent.items.push(node);
  } else if (isMap(parent) && typeof key === "string") {
    const order = KEY_ORDER[String(parentPath.findLast((k) => typeof k === "string") ?? "")] ?? [];
    const rank = order.indexOf(key);
    const at =
      rank < 0 ? -1 : parent.items.findIndex((p) => order.indexOf(String(keyOf(p))) > rank || !order.includes(String(keyOf(p))));
    const pair = doc.createPair(key, node);
    if (at < 0) parent.items.push(pair);
    else parent.items.splice(at, 0, pair);
  } else {
    doc.setIn(path, node);
  }
}

/** The order fields are written in, per parent key ("" is the top level), as in the hand-written files. */
const KEY_ORDER: Record<string, string[]> = {
  "": ["id", "type", "title", "summary", "aliases", "tags", "sources", "lastVerified", "related"],
  place: ["coordinates", "address", "formerNames", "distanceFromCentreKm", "openingHours", "tickets", "gettingThere"],
  event: [
    "calendar",
    "recurrence",
    "lunar",
    "solar",
    "approximate",
    "announcedYearly",
    "where",
    "venues",
    "knownDates",
  ],
  lodging: [
    "appliesTo",
    "deadlines",
    "thresholdDays",
    "channels",
    "guestDetails",
    "legalBasis",
    "penalties",
    "verifyNote",
  ],
  practical: ["topic", "contacts", "facts"],
  sources: ["url", "title", "note"],
  knownDates: ["start", "end", "main", "note", "source"],
  lunar: ["start", "end", "main"],
  solar: ["start", "end", "main"],
  coordinates: ["lat", "lng", "approximate"],
};

/**
 * A node for a new value, styled like the hand-written files: lists of scalars in flow style
 * (`tags: [a, b]`), small maps of scalars in flow style where the files use it (coordinates, list items'
 * labels), and everything else in block style.
 */
function newNode(doc: Document, value: unknown, at: FieldPath): Node {
  const node = doc.createNode(value, { aliasDuplicateObjects: false }) as Node;
  styleNode(node, at.length, at.some((k) => typeof k === "number"), typeof at[at.length - 1] === "number");
  return node;
}

function styleNode(node: unknown, depth: number, inSequence: boolean, isSequenceItem: boolean): void {
  if (isSeq(node)) {
    node.flow = node.items.every((i) => isScalar(i));
    node.items.forEach((i) => styleNode(i, depth + 1, true, true));
  } else if (isMap(node)) {
    const scalars = node.items.every((p) => isScalar(p.value) || p.value === null);
    const short = node.items.reduce((n, p) => n + String(keyOf(p)).length + String(jsOfNode(p.value)).length + 4, 0) <= 60;
    // Prose in both languages gets a line per language, except inside list items (`label: { vi, en }`).
    const bilingual = node.items.length === 2 && ["vi", "en"].every((k) => node.has(k));
    node.flow = scalars && !isSequenceItem && (inSequence || (depth >= 2 && short && !bilingual));
    for (const p of node.items) styleNode(p.value, depth + 1, inSequence, false);
  }
}

function renderYaml(doc: Document): string {
  return doc.toString({ lineWidth: 0, minContentWidth: 0 }).replace(/\n$/, "");
}

/**
 * The new YAML text, with every line that the edit did not touch taken from the original file. `before`
 * is the original as yaml prints it (it differs from the file only in spacing, line by line).
 */
function keepUntouchedLines(original: string, before: string, after: string): string {
  const o = original.split("\n");
  const b = before.split("\n");
  const a = after.split("\n");
  if (o.length !== b.length) return a.map(unpadFlowSequences).join("\n");
  const out: string[] = [];
  for (const d of diffIndexes(b, a)) {
    if (d.op === "same") out.push(o[d.from] as string);
    else if (d.op === "add") out.push(unpadFlowSequences(a[d.to] as string));
  }
  return out.join("\n");
}

/**
 * `tags: [ a, b ]` → `tags: [a, b]`: yaml pads flow sequences and flow maps alike, the files pad only maps.
 * Only a flow collection that is the line's value is touched, and quoted text inside it never.
 */
export function unpadFlowSequences(line: string): string {
  const m = /^(\s*(?:- )*(?:[\w-]+:\s+)?)([[{].*)$/.exec(line);
  if (!m) return line;
  const s = m[2] as string;
  let out = m[1] as string;
  let quote: string | undefined;
  let lastSignificant = "[";
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (quote) {
      out += c;
      if (quote === '"' && c === "\\") out += s[++i] ?? "";
      else if (c === quote) {
        if (quote === "'" && s[i + 1] === "'") out += s[++i];
        else quote = undefined;
      }
      continue;
    }
    if ((c === '"' || c === "'") && "[{,:".includes(lastSignificant)) quote = c;
    else if (c === "#" && s[i - 1] === " ") return out + s.slice(i);
    else if (c === " " && s[i - 1] === "[") continue;
    else if (c === " " && /^ +\]/.test(s.slice(i))) continue;
    out += c;
    if (c !== " ") lastSignificant = c;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// New files

/** What a new entry starts with; everything else comes from the type's template. */
export type EntryTemplateValues = {
  lastVerified: string;
  title?: BodyText;
  summary?: BodyText;
  tags?: string[];
  sources?: { url: string; title?: string; note?: string }[];
  related?: string[];
  /** Fields of the type block (`place`, `event`, `lodging`, `practical`) that replace the template's. */
  fields?: Record<string, unknown>;
  body?: BodyText;
};

const TYPE_BLOCK: Record<EntryType, "place" | "event" | "lodging" | "practical" | "itinerary"> = {
  attraction: "place",
  event: "event",
  "lodging-rule": "lodging",
  practical: "practical",
  itinerary: "itinerary",
};

/**
 * Each type's fields in a new entry: unknown facts are null (the portal says "not confirmed"), and the
 * texts a writer must give are empty, so the check asks for them.
 */
function templateFields(type: EntryType): Record<string, unknown> {
  switch (type) {
    case "attraction":
      return {
        coordinates: null,
        address: { vi: "", en: "" },
        formerNames: [],
        distanceFromCentreKm: null,
        openingHours: null,
        tickets: null,
        gettingThere: null,
      };
    case "event":
      return {
        calendar: "lunar-vn",
        recurrence: "yearly",
        lunar: { start: { month: 1, day: 1 }, end: { month: 1, day: 1 } },
        where: { vi: "", en: "" },
        venues: [],
        knownDates: [],
      };
    case "lodging-rule":
      return {
        appliesTo: ["lodging-operators"],
        deadlines: [],
        channels: [],
        legalBasis: [],
        penalties: [],
        verifyNote: {
          vi: "Quy định có thể đã thay đổi. Hãy hỏi công an phường Châu Đốc hoặc phường Vĩnh Tế trước khi làm theo.",
          en: "Rules may have changed. Check with the Châu Đốc or Vĩnh Tế ward police before relying on this.",
        },
      };
    case "practical":
      return { topic: "other", contacts: [], facts: [] };
    case "itinerary":
      return {
        days: 1,
        stops: [
          { day: 1, time: empty(), place: "", duration: empty(), what: empty() },
          { day: 1, time: empty(), place: "", duration: empty(), travel: empty(), what: empty() },
        ],
      };
  }
}

function empty(): { vi: string; en: string } {
  return { vi: "", en: "" };
}

/** A new entry file from its type's template, in the layout of the hand-written files. */
export function newEntryFile(type: EntryType, id: string, values: EntryTemplateValues): string {
  entryFileOf(type, id);
  const empty = { vi: "", en: "" };
  const data = {
    id,
    type,
    title: values.title ?? empty,
    summary: values.summary ?? empty,
    tags: values.tags ?? [],
    sources: values.sources ?? [],
    lastVerified: values.lastVerified,
    related: values.related ?? [],
    [TYPE_BLOCK[type]]: { ...templateFields(type), ...values.fields },
  };
  const doc = new Document(data, { aliasDuplicateObjects: false });
  styleNode(doc.contents, 0, false, false);
  const yaml = renderYaml(doc).split("\n").map(unpadFlowSequences).join("\n");
  const body = values.body ?? empty;
  return [
    "---",
    yaml,
    "---",
    "",
    SECTION_HEADING.vi,
    "",
    body.vi.trim(),
    "",
    SECTION_HEADING.en,
    "",
    body.en.trim(),
    "",
  ].join("\n");
}

// ---------------------------------------------------------------------------------------------------------
// Checking one file against the others

export type ValidateOptions = {
  /** Entries verified after this day are refused; defaults to today (UTC). */
  today?: string;
  /** Ids of files that do not parse: they count as existing, as in content:check. */
  brokenIds?: Iterable<string>;
};

/**
 * The checks of `npm run content:check` for one file against the other entries: the file on its own
 * (schema, body sections, file name = id, folder = type) plus unique id, related and venue ids, and
 * lastVerified not in the future. `others` may include the file's own previous version (same `file`): it is
 * ignored.
 */
export function validateEntryText(
  text: string,
  file: string,
  others: readonly ContentEntry[],
  options: ValidateOptions = {},
): { entry?: ContentEntry; problems: ContentProblem[] } {
  const parsed = parseEntryFile(file, text);
  const problems = [...parsed.problems];
  const entry = parsed.entry;
  if (entry) {
    const rest = others.filter((o) => o.file !== file);
    const clash = rest.find((o) => o.id === entry.id);
    if (clash) {
      problems.push({
        file,
        line: parsed.lineOf(["id"]),
        field: "id",
        reason: `duplicate id '${entry.id}', already used by ${clash.file}`,
      });
    }
    const byId = new Map(rest.map((o) => [o.id, o]));
    const known = new Set([entry.id, ...byId.keys(), ...(options.brokenIds ?? [])]);
    const today = options.today ?? vietnamToday();
    problems.push(...checkReferences(entry, parsed.lineOf, { get: (id) => byId.get(id), known, today }));
  }
  problems.sort((a, b) => a.line - b.line);
  return problems.length === 0 && entry ? { entry, problems } : { problems };
}

// ---------------------------------------------------------------------------------------------------------
// Line diff

/** One line of a diff: kept, removed from the first text, or added by the second. */
export type DiffLine = { op: "same" | "del" | "add"; text: string };

/** A line diff of two texts (longest common subsequence), for showing what an edit changes. */
export function diffLines(a: string, b: string): DiffLine[] {
  const x = a.replace(/\r\n?/g, "\n").split("\n");
  const y = b.replace(/\r\n?/g, "\n").split("\n");
  return diffIndexes(x, y).map((d) =>
    d.op === "add" ? { op: d.op, text: y[d.to] as string } : { op: d.op, text: x[d.from] as string },
  );
}

type DiffStep = { op: "same" | "del" | "add"; from: number; to: number };

function diffIndexes(x: string[], y: string[]): DiffStep[] {
  // Common prefix and suffix first: edits are small, files are a few hundred lines at most.
  let start = 0;
  while (start < x.length && start < y.length && x[start] === y[start]) start++;
  let endX = x.length;
  let endY = y.length;
  while (endX > start && endY > start && x[endX - 1] === y[endY - 1]) {
    endX--;
    endY--;
  }
  const n = endX - start;
  const m = endY - start;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      const row = lcs[i] as number[];
      row[j] =
        x[start + i] === y[start + j]
          ? ((lcs[i + 1] as number[])[j + 1] as number) + 1
          : Math.max((lcs[i + 1] as number[])[j] as number, row[j + 1] as number);
    }
  }
  const out: DiffStep[] = [];
  for (let k = 0; k < start; k++) out.push({ op: "same", from: k, to: k });
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && x[start + i] === y[start + j]) {
      out.push({ op: "same", from: start + i++, to: start + j++ });
    } else if (j < m && (i === n || ((lcs[i] as number[])[j + 1] as number) >= ((lcs[i + 1] as number[])[j] as number))) {
      out.push({ op: "add", from: start + i, to: start + j++ });
    } else {
      out.push({ op: "del", from: start + i++, to: start + j });
    }
  }
  for (let k = 0; k < x.length - endX; k++) out.push({ op: "same", from: endX + k, to: endY + k });
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Helpers

function keyOf(pair: unknown): unknown {
  if (!isPair(pair)) return undefined;
  return isScalar(pair.key) ? pair.key.value : pair.key;
}

function jsOf(doc: Document, node: unknown): unknown {
  if (isScalar(node)) return node.value;
  if (isCollection(node)) return node.toJS(doc);
  return node;
}

function jsOfNode(node: unknown): unknown {
  return isScalar(node) ? node.value : node;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isCollectionValue(v: unknown): boolean {
  return typeof v === "object" && v !== null;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => sameValue(a[k], b[k]));
  }
  return false;
}

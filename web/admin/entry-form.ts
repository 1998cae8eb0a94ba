import {
  fieldsYaml,
  lodgingFields,
  parseFieldsYaml,
  readEntryParts,
  type BodyText,
  type EntryType,
  type FieldChange,
} from "../../indexer/index.ts";

/**
 * The edit form of an entry as flat string values named after the front-matter fields they edit
 * ("title.vi", "place.coordinates.lat", "sources.2.url"), so a problem of `content:check`
 * ("place.coordinates.lat: 200 is outside the region") finds its field by name. Values come from the file
 * (formValuesOf) or from the submitted form; buildChanges turns them into front-matter changes.
 */

/** A form's values by field name; a ticked checkbox is "on". */
export type FormValues = Record<string, string>;

/** A problem the form itself finds before the content check (the raw-YAML box, a body heading). */
export type FormProblem = { field: string; reason: string };

/** Lists edited as one row of inputs per item; each item's fields are the columns. */
export const ROW_GROUPS = {
  sources: ["url", "title", "note.vi", "note.en"],
  "event.knownDates": ["start", "end", "main", "note.vi", "note.en", "source"],
  "practical.contacts": ["label.vi", "label.en", "phone"],
  "practical.facts": ["label.vi", "label.en", "value.vi", "value.en"],
  images: ["file", "alt.vi", "alt.en", "author", "licence", "sourceUrl"],
} as const;
export type RowGroup = keyof typeof ROW_GROUPS;

/** The lodging lists edited as one raw-YAML box: too nested for plain inputs. */
export const LODGING_YAML_KEYS = [
  "deadlines",
  "channels",
  "guestDetails",
  "legalBasis",
  "penalties",
] as const;

/** An itinerary's day count and stops, edited as one raw-YAML box. */
export const ITINERARY_YAML_KEYS = ["days", "stops"] as const;

/** Who a lodging rule applies to (the schema's own list). */
export const APPLIES_TO = lodgingFields.shape.appliesTo.element.options;

/** The most rows of a list a form may send; more are ignored. */
const MAX_ROWS = 100;

/** For each row group, the form row of each item in the changes (blank rows are dropped). */
export type RowMap = Partial<Record<RowGroup, number[]>>;

/** A request body as form values: the last value of repeated fields, nothing but strings. */
export function formValuesFrom(body: unknown): FormValues {
  const out: FormValues = {};
  if (!body || typeof body !== "object") return out;
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    const last = Array.isArray(v) ? v[v.length - 1] : v;
    if (typeof last === "string") out[k] = last;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// File → form

/** The form of an entry file (which need not be valid: the fields show what the file says). */
export function formValuesOf(type: EntryType, text: string): FormValues {
  const parts = readEntryParts(text);
  if (!parts) return {};
  const fm = parts.frontMatter;
  const v: FormValues = {};
  const put = (name: string, value: unknown) => {
    const s = scalarText(value);
    if (s !== "") v[name] = s;
  };
  const putPair = (name: string, value: unknown) => {
    put(`${name}.vi`, at(value, "vi"));
    put(`${name}.en`, at(value, "en"));
  };
  const putLines = (name: string, value: unknown) => {
    if (Array.isArray(value)) put(name, value.map(scalarText).join("\n"));
  };
  const putRows = (group: RowGroup, value: unknown) => {
    if (!Array.isArray(value)) return;
    value.forEach((item, i) => {
      for (const col of ROW_GROUPS[group]) put(`${group}.${i}.${col}`, at(item, ...col.split(".")));
    });
  };

  put("id", fm.id);
  putPair("title", fm.title);
  putPair("summary", fm.summary);
  putLines("aliases.vi", at(fm.aliases, "vi"));
  putLines("aliases.en", at(fm.aliases, "en"));
  putLines("tags", fm.tags);
  putRows("sources", fm.sources);
  putRows("images", fm.images);
  put("lastVerified", fm.lastVerified);
  put("featured", fm.featured);
  put("staffNote", fm.staffNote);
  putLines("related", fm.related);
  put("body.vi", parts.body.vi);
  put("body.en", parts.body.en);

  if (type === "attraction") {
    const p = fm.place;
    put("place.area", at(p, "area"));
    putPair("place.address", at(p, "address"));
    putLines("place.formerNames", at(p, "formerNames"));
    put("place.distanceFromCentreKm.min", at(p, "distanceFromCentreKm", "min"));
    put("place.distanceFromCentreKm.max", at(p, "distanceFromCentreKm", "max"));
    for (const k of ["openingHours", "tickets", "gettingThere"]) putPair(`place.${k}`, at(p, k));
    put("place.coordinates.lat", at(p, "coordinates", "lat"));
    put("place.coordinates.lng", at(p, "coordinates", "lng"));
    if (at(p, "coordinates", "approximate") === true) v["place.coordinates.approximate"] = "on";
  } else if (type === "event") {
    const e = fm.event;
    put("event.calendar", at(e, "calendar"));
    for (const k of ["start", "end", "main"]) {
      put(`event.lunar.${k}.month`, at(e, "lunar", k, "month"));
      put(`event.lunar.${k}.day`, at(e, "lunar", k, "day"));
      put(`event.solar.${k}`, at(e, "solar", k));
    }
    if (at(e, "approximate") === true) v["event.approximate"] = "on";
    if (at(e, "announcedYearly") === true) v["event.announcedYearly"] = "on";
    putPair("event.where", at(e, "where"));
    putLines("event.venues", at(e, "venues"));
    putRows("event.knownDates", at(e, "knownDates"));
  } else if (type === "lodging-rule") {
    const l = fm.lodging;
    const applies = at(l, "appliesTo");
    if (Array.isArray(applies)) for (const a of applies) v[`lodging.appliesTo.${scalarText(a)}`] = "on";
    put("lodging.thresholdDays", at(l, "thresholdDays"));
    putPair("lodging.verifyNote", at(l, "verifyNote"));
    put("lodging.yaml", fieldsYaml(text, ["lodging"], LODGING_YAML_KEYS));
  } else if (type === "itinerary") {
    put("itinerary.yaml", fieldsYaml(text, ["itinerary"], ITINERARY_YAML_KEYS));
  } else {
    const p = fm.practical;
    put("practical.topic", at(p, "topic"));
    putRows("practical.contacts", at(p, "contacts"));
    putRows("practical.facts", at(p, "facts"));
  }
  return v;
}

// ---------------------------------------------------------------------------------------------------------
// Form → changes

export type BuiltChanges = {
  fields: FieldChange[];
  /** Undefined when the body cannot be written as given (see problems). */
  body?: BodyText;
  problems: FormProblem[];
  rows: RowMap;
};

/**
 * The front-matter changes a submitted form asks for. `original` is the file's front matter as data: a
 * field the form leaves at its default (an empty list, false) is not added to a file that does not have it,
 * so saving an untouched form changes nothing. `today` is written to lastVerified when "verified" is ticked.
 */
export function buildChanges(
  type: EntryType,
  form: FormValues,
  original: Record<string, unknown>,
  today: string,
): BuiltChanges {
  const fields: FieldChange[] = [];
  const problems: FormProblem[] = [];
  const rows: RowMap = {};
  const set = (path: (string | number)[], value: unknown) => fields.push({ path, value });
  /** Sets a field unless it is absent from the file and the form gives its default. */
  const setUnlessDefault = (path: string[], value: unknown, isDefault: boolean) => {
    if (isDefault && at(original, ...path) === undefined) return;
    set(path, value);
  };
  const line = (name: string) => oneLine(form[name]);
  const pair = (name: string) => ({ vi: line(`${name}.vi`), en: line(`${name}.en`) });
  const optionalPair = (name: string) => {
    const p = pair(name);
    return p.vi === "" && p.en === "" ? null : p;
  };
  const list = (name: string) => lines(form[name]);
  const readRows = (group: RowGroup) => {
    const found = readRowGroup(form, group);
    rows[group] = found.map((r) => r.row);
    return found.map((r) => r.values);
  };

  set(["title"], pair("title"));
  set(["summary"], pair("summary"));
  // A language the file leaves out (its default is an empty list) stays out while it is empty.
  const aliases: Record<string, string[]> = {};
  for (const lang of ["vi", "en"]) {
    const names = list(`aliases.${lang}`);
    if (names.length || at(original, "aliases", lang) !== undefined) aliases[lang] = names;
  }
  set(["aliases"], Object.values(aliases).some((a) => a.length) ? aliases : undefined);
  set(["tags"], list("tags"));
  set(
    ["sources"],
    readRows("sources").map((r) => compact({ url: r.url, title: r.title, note: notePair(r) })),
  );
  set(["lastVerified"], form.verified === "on" ? today : line("lastVerified"));
  // Blank: not ranked. Text that is not a whole number is kept, so the content check names the field.
  const featured = line("featured");
  set(["featured"], featured === "" ? undefined : numberOrText(featured));
  const staffNote = bodyText(form.staffNote);
  setUnlessDefault(["staffNote"], staffNote === "" ? undefined : staffNote, staffNote === "");
  const images = readRows("images").map((r) =>
    compact({
      file: r.file,
      alt: { vi: r["alt.vi"] ?? "", en: r["alt.en"] ?? "" },
      author: r.author,
      licence: r.licence,
      sourceUrl: r.sourceUrl,
    }),
  );
  setUnlessDefault(["images"], images, images.length === 0);
  const related = list("related");
  setUnlessDefault(["related"], related, related.length === 0);

  if (type === "attraction") {
    const area = line("place.area");
    set(["place", "area"], area === "" ? undefined : area);
    const lat = line("place.coordinates.lat");
    const lng = line("place.coordinates.lng");
    set(
      ["place", "coordinates"],
      lat === "" && lng === ""
        ? null
        : compact({
            lat: numberOrText(lat),
            lng: numberOrText(lng),
            approximate: form["place.coordinates.approximate"] === "on",
          }),
    );
    set(["place", "address"], pair("place.address"));
    const former = list("place.formerNames");
    setUnlessDefault(["place", "formerNames"], former, former.length === 0);
    const min = line("place.distanceFromCentreKm.min");
    const max = line("place.distanceFromCentreKm.max");
    set(
      ["place", "distanceFromCentreKm"],
      min === "" && max === "" ? null : compact({ min: numberOrText(min), max: numberOrText(max) }),
    );
    for (const k of ["openingHours", "tickets", "gettingThere"])
      set(["place", k], optionalPair(`place.${k}`));
  } else if (type === "event") {
    set(["event", "calendar"], line("event.calendar"));
    const lunarDay = (k: string) => {
      const month = line(`event.lunar.${k}.month`);
      const day = line(`event.lunar.${k}.day`);
      return month === "" && day === ""
        ? undefined
        : compact({ month: numberOrText(month), day: numberOrText(day) });
    };
    const lunar = compact({ start: lunarDay("start"), end: lunarDay("end"), main: lunarDay("main") });
    set(["event", "lunar"], Object.keys(lunar).length ? lunar : undefined);
    const solar = compact({
      start: line("event.solar.start"),
      end: line("event.solar.end"),
      main: line("event.solar.main"),
    });
    set(["event", "solar"], Object.keys(solar).length ? solar : undefined);
    for (const k of ["approximate", "announcedYearly"]) {
      const on = form[`event.${k}`] === "on";
      setUnlessDefault(["event", k], on, !on);
    }
    set(["event", "where"], pair("event.where"));
    const venues = list("event.venues");
    setUnlessDefault(["event", "venues"], venues, venues.length === 0);
    const known = readRows("event.knownDates").map((r) =>
      compact({ start: r.start, end: r.end, main: r.main, note: notePair(r), source: r.source }),
    );
    setUnlessDefault(["event", "knownDates"], known, known.length === 0);
  } else if (type === "lodging-rule") {
    const before = at(original, "lodging", "appliesTo");
    const ticked = APPLIES_TO.filter((a) => form[`lodging.appliesTo.${a}`] === "on");
    // Keep the file's order, so an untouched list is not rewritten.
    const kept = Array.isArray(before)
      ? before.filter((a): a is (typeof APPLIES_TO)[number] => ticked.includes(a))
      : [];
    set(["lodging", "appliesTo"], [...kept, ...ticked.filter((a) => !kept.includes(a))]);
    const days = line("lodging.thresholdDays");
    set(["lodging", "thresholdDays"], days === "" ? undefined : numberOrText(days));
    set(["lodging", "verifyNote"], pair("lodging.verifyNote"));
    const raw = parseFieldsYaml(form["lodging.yaml"] ?? "", LODGING_YAML_KEYS);
    for (const p of raw.problems)
      problems.push({ field: "lodging.yaml", reason: `line ${p.line}: ${p.reason}` });
    if (raw.values) for (const k of LODGING_YAML_KEYS) set(["lodging", k], raw.values[k]);
  } else if (type === "itinerary") {
    const raw = parseFieldsYaml(form["itinerary.yaml"] ?? "", ITINERARY_YAML_KEYS);
    for (const p of raw.problems)
      problems.push({ field: "itinerary.yaml", reason: `line ${p.line}: ${p.reason}` });
    if (raw.values) for (const k of ITINERARY_YAML_KEYS) set(["itinerary", k], raw.values[k]);
  } else {
    set(["practical", "topic"], line("practical.topic"));
    const contacts = readRows("practical.contacts").map((r) => ({
      label: { vi: r["label.vi"], en: r["label.en"] },
      phone: r.phone,
    }));
    setUnlessDefault(["practical", "contacts"], contacts, contacts.length === 0);
    const facts = readRows("practical.facts").map((r) => ({
      label: { vi: r["label.vi"], en: r["label.en"] },
      value: { vi: r["value.vi"], en: r["value.en"] },
    }));
    setUnlessDefault(["practical", "facts"], facts, facts.length === 0);
  }

  const body = { vi: bodyText(form["body.vi"]), en: bodyText(form["body.en"]) };
  for (const lang of ["vi", "en"] as const) {
    if (/^# /m.test(body[lang])) {
      problems.push({
        field: `body.${lang}`,
        reason: "a line starting with '# ' would start a new language section: use '## ' for headings",
      });
    }
  }
  const bodyOk = !problems.some((p) => p.field.startsWith("body."));
  return { fields, ...(bodyOk ? { body } : {}), problems, rows };
}

function readRowGroup(form: FormValues, group: RowGroup): { row: number; values: Record<string, string> }[] {
  const cols: readonly string[] = ROW_GROUPS[group];
  const indexes = new Set<number>();
  const prefix = `${group}.`;
  for (const key of Object.keys(form)) {
    if (!key.startsWith(prefix)) continue;
    const m = /^(\d{1,3})\.(.+)$/.exec(key.slice(prefix.length));
    if (m && cols.includes(m[2] as string) && Number(m[1]) < MAX_ROWS) indexes.add(Number(m[1]));
  }
  return [...indexes]
    .sort((a, b) => a - b)
    .map((row) => ({
      row,
      values: Object.fromEntries(cols.map((c) => [c, oneLine(form[`${group}.${row}.${c}`])])),
    }))
    .filter((r) => Object.values(r.values).some((v) => v !== ""));
}

// ---------------------------------------------------------------------------------------------------------
// Problem → form field

/**
 * The form fields a problem may belong to, most precise first: `place.coordinates.lat`,
 * `place.coordinates`, `place`. Items of row groups are mapped to their form row; the nested lodging
 * lists belong to the raw-YAML box.
 */
export function formFieldsOf(problemField: string, rows: RowMap): string[] {
  const parts: (string | number)[] = [];
  for (const m of problemField.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    parts.push(m[2] !== undefined ? Number(m[2]) : (m[1] as string));
  }
  if (parts[0] === "lodging" && (LODGING_YAML_KEYS as readonly unknown[]).includes(parts[1]))
    return ["lodging.yaml"];
  if (parts[0] === "itinerary") return ["itinerary.yaml"];
  for (const group of Object.keys(ROW_GROUPS) as RowGroup[]) {
    const g = group.split(".");
    const i = parts[g.length];
    if (typeof i === "number" && g.every((k, n) => parts[n] === k)) parts[g.length] = rows[group]?.[i] ?? i;
  }
  const out: string[] = [];
  for (let n = parts.length; n > 0; n--) out.push(parts.slice(0, n).join("."));
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Helpers

/** A value of nested plain data, or undefined. */
function at(value: unknown, ...path: string[]): unknown {
  let v = value;
  for (const k of path) {
    if (!v || typeof v !== "object" || Array.isArray(v)) return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

function scalarText(v: unknown): string {
  return typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? String(v) : "";
}

/** A one-line field: inner whitespace (a pasted line break) becomes one space. */
function oneLine(s: string | undefined): string {
  return (s ?? "").replace(/\s+/g, " ").trim();
}

/** One item per line, blank lines dropped. */
function lines(s: string | undefined): string[] {
  return (s ?? "")
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "");
}

function bodyText(s: string | undefined): string {
  return (s ?? "").replace(/\r\n?/g, "\n").trim();
}

/**
 * A number typed in a form ("10,68" with a decimal comma too); text that is not a number is kept as
 * text, so the content check reports it at its field instead of the form silently dropping it.
 */
function numberOrText(s: string): number | string | undefined {
  if (s === "") return undefined;
  const n = Number(s.replace(",", "."));
  return Number.isFinite(n) ? n : s;
}

/** A row's note in both languages; undefined when both are blank (one blank is left for the check). */
function notePair(r: Record<string, string>): { vi: string; en: string } | undefined {
  const vi = r["note.vi"] ?? "";
  const en = r["note.en"] ?? "";
  return vi === "" && en === "" ? undefined : { vi, en };
}

/** The object without its undefined and empty-string fields. */
function compact<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== "")) as Partial<T>;
}

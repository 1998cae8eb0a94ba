import type { ContentEntry, Lang } from "./schema.ts";

/** A passage of an entry in one language: what search matches and what an answer quotes. */
export type Chunk = {
  entryId: string;
  lang: Lang;
  /** "summary", "facts", or the "## " heading of the body section it comes from. */
  heading: string;
  text: string;
};

/** Heading of the passage that holds an entry's summary (one per language). */
export const SUMMARY_HEADING = "summary";

/** Passages longer than this are split at paragraph boundaries. */
const MAX_CHARS = 900;

/**
 * Splits an entry into passages per language: the summary, the structured facts written out as
 * sentences (so that "VNeID" or "NA17" finds the rule that names them), and each body section.
 */
export function chunkEntry(entry: ContentEntry): Chunk[] {
  const out: Chunk[] = [];
  for (const lang of ["vi", "en"] as const) {
    out.push({ entryId: entry.id, lang, heading: SUMMARY_HEADING, text: entry.summary[lang] });
    const facts = factsText(entry, lang);
    if (facts) out.push({ entryId: entry.id, lang, heading: "facts", text: facts });
    for (const section of splitSections(entry.body[lang])) {
      for (const text of splitLong(section.text)) {
        out.push({ entryId: entry.id, lang, heading: section.heading, text });
      }
    }
  }
  return out;
}

function splitSections(body: string): { heading: string; text: string }[] {
  const sections: { heading: string; lines: string[] }[] = [{ heading: "", lines: [] }];
  for (const line of body.split("\n")) {
    const h = /^#{2,6}\s+(.*)$/.exec(line);
    if (h) sections.push({ heading: (h[1] ?? "").trim(), lines: [] });
    else (sections[sections.length - 1] as { lines: string[] }).lines.push(line);
  }
  return sections
    .map((s) => ({ heading: s.heading, text: plainText(s.lines.join("\n")) }))
    .filter((s) => s.text !== "");
}

function splitLong(text: string): string[] {
  if (text.length <= MAX_CHARS) return [text];
  const out: string[] = [];
  let current = "";
  for (const para of text.split(/\n{2,}/)) {
    if (current && current.length + para.length + 2 > MAX_CHARS) {
      out.push(current);
      current = para;
    } else current = current ? `${current}\n\n${para}` : para;
  }
  if (current) out.push(current);
  return out;
}

/** Markdown to plain text: list markers, emphasis and link syntax removed, paragraphs kept. */
export function plainText(md: string): string {
  return md
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/^\s*[-*+]\s+/gm, "")
    .replace(/^\s*\d+\.\s+/gm, "")
    .replace(/[*_`]{1,3}([^*_`]+)[*_`]{1,3}/g, "$1")
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

function factsText(entry: ContentEntry, lang: Lang): string {
  // Names and aliases are indexed with the summary (see build.ts), so they are not repeated here.
  const parts: string[] = [];
  switch (entry.type) {
    case "attraction": {
      const p = entry.place;
      parts.push(p.address[lang]);
      if (p.formerNames.length) parts.push(p.formerNames.join(", "));
      for (const v of [p.openingHours, p.tickets, p.gettingThere]) if (v) parts.push(v[lang]);
      break;
    }
    case "event":
      parts.push(entry.event.where[lang]);
      break;
    case "lodging-rule": {
      const l = entry.lodging;
      for (const c of l.channels) parts.push(c.name[lang]);
      if (l.guestDetails) parts.push(l.guestDetails[lang].join(", "));
      for (const b of l.legalBasis) parts.push([b.document, b.article].filter(Boolean).join(" "));
      for (const p of l.penalties) parts.push(p.violation[lang]);
      break;
    }
    case "practical":
      for (const c of entry.practical.contacts) parts.push(`${c.label[lang]} ${c.phone}`);
      for (const f of entry.practical.facts) parts.push(`${f.label[lang]}: ${f.value[lang]}`);
      break;
    case "itinerary":
      for (const s of entry.itinerary.stops) parts.push(`${s.time[lang]}: ${s.name?.[lang] ?? ""} ${s.what[lang]}`);
      break;
  }
  return parts.filter((s) => s.trim() !== "").join(". ");
}

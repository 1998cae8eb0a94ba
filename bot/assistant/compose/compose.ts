import type { ContentEntry, Lang, Occurrence } from "../../../indexer/index.ts";
import type { Finding, FineBracket, FineResult } from "../find/index.ts";
import { statusOf } from "../find/index.ts";
import type { Attribute } from "../understand/index.ts";
import type { AnswerSource, FrameCoverage, Intent } from "../types.ts";
import {
  deadlineDraft,
  eventsInRangeDraft,
  infoDraft,
  occurrenceLine,
  outOfScopeDraft,
  placeDraft,
  placeOf,
  sourceOf,
  suggestionFor,
  type Draft,
} from "./drafts.ts";
import { capitalize, formatDate, formatRange, formatVnd, LEGAL_STATUS, noteLine, t } from "./format.ts";

/**
 * Composition: findings → one short answer per frame, in the user's language, the asked facts first,
 * each block under the title of the entry it comes from (the sources list links them), "not known,
 * check with …" where the content lacks what was asked, and never a card that does not answer it.
 */

export type ComposeContext = {
  lang: Lang;
  get(id: string): ContentEntry | undefined;
  entries: readonly ContentEntry[];
  today: string;
  location?: { lat: number; lng: number };
  /** A deadline is computed in the same answer (set by composeFindings for its blocks). */
  withDeadline?: boolean;
};

/** The answer's parts for a question's findings. */
export function composeFindings(all: Finding[], c: ComposeContext): Draft & { coverage: FrameCoverage[] } {
  // A card of an entry that an earlier part of the same answer already covers adds nothing.
  // So does an itinerary or an unknown already given.
  const findings = all.filter((f, i) => {
    const before = all.slice(0, i);
    if (f.kind === "card") return !before.some((g) => "entryId" in g && g.entryId === f.entryId);
    if (f.kind === "itinerary") return !before.some((g) => g.kind === "itinerary" && g.entryId === f.entryId);
    if (f.kind === "unknown")
      return !before.some(
        (g) => g.kind === "unknown" && g.entryId === f.entryId && g.attribute === f.attribute,
      );
    return true;
  });
  const withDeadline = findings.some((f) => f.kind === "deadline" && f.computed.length > 0);
  const blocks: Draft[] = findings.map((f) => block(f, { ...c, withDeadline }));
  // The ways to declare, once listed in full, are not summed up again under the deadline.
  if (findings.some((f) => f.kind === "lodging-field" && f.attribute === "how-to-register"))
    for (const [i, f] of findings.entries())
      if (f.kind === "deadline") {
        const b = blocks[i] as Draft;
        blocks[i] = { ...b, answer: b.answer.replace(/\n(?:Cách khai báo|How): [^\n]*/, "") };
      }
  if (blocks.length === 1 && findings[0]?.kind === "out-of-scope") {
    return { ...(blocks[0] as Draft), coverage: [coverageOf(findings[0], c)] };
  }
  // Out-of-scope pieces of a question that has answered parts are dropped; the rest are kept in order.
  const kept = findings
    .map((f, i) => ({ f, b: blocks[i] as Draft }))
    .filter((x, _, all) => x.f.kind !== "out-of-scope" || all.every((y) => y.f.kind === "out-of-scope"));
  const sources: AnswerSource[] = [];
  for (const { b } of kept)
    for (const s of b.sources) if (!sources.some((o) => o.id === s.id)) sources.push(s);
  const first = kept[0]?.b as Draft;
  const missing = [...new Set(kept.flatMap(({ b }) => b.missing ?? []))];
  const place = kept.map(({ b }) => b.place).find((p) => p);
  const places = kept.map(({ b }) => b.places).find((p) => p);
  return {
    answer: joinBlocks(kept.map(({ b }) => b.answer)),
    intent: (
      kept.find(({ f, b }) => COMPUTED_INTENTS.has(b.intent) && !(f.kind === "deadline" && f.supplement))
        ?.b ?? first
    ).intent,
    confidence: Math.min(...kept.map(({ b }) => b.confidence)),
    sources,
    suggestions: kept.flatMap(({ b }) => b.suggestions),
    ...(place ? { place } : {}),
    ...(places ? { places } : {}),
    ...(missing.length ? { missing } : {}),
    coverage: findings.map((f) => coverageOf(f, c)),
  };
}

/**
 * The blocks of an answer, one after another; a block about the same entry as the one before it goes
 * under the same title, and a note already given is not repeated.
 */
function joinBlocks(blocks: string[]): string {
  const out: string[][] = [];
  const seen = new Set<string>();
  for (const b of blocks) {
    const lines = b.split("\n").filter((l) => !REPEATABLE_ONCE.test(l) || !seen.has(l));
    for (const l of lines) seen.add(l);
    const last = out[out.length - 1];
    if (last && lines[0] && last[0] === lines[0] && lines[0].endsWith(":")) last.push(...lines.slice(1));
    else out.push(lines);
  }
  // A block's note goes last, after every fact of it.
  const note = (l: string) => l.startsWith("Lưu ý: ") || l.startsWith("Note: ");
  return out
    .map((lines) => [...new Set([...lines.filter((l) => !note(l)), ...lines.filter(note)])].join("\n"))
    .join("\n\n");
}

/** Lines that say the same thing wherever they come: a note, a legal basis, the ways to declare. */
const REPEATABLE_ONCE = /^(?:Lưu ý|Note|Căn cứ|Legal basis|Cách khai báo|How): /;

/** Intents of computed answers: an answer with one of them is that kind of answer. */
const COMPUTED_INTENTS: ReadonlySet<Intent> = new Set(["lodging_deadline", "lodging_fine", "event"]);

function coverageOf(f: Finding, c: ComposeContext): FrameCoverage {
  const subject =
    "entryId" in f && f.entryId
      ? f.entryId
      : f.kind === "fine"
        ? f.fine?.entryId
        : f.kind === "deadline"
          ? (f.computed[0]?.entryId ?? f.frame.subject)
          : f.frame.subject;
  // A calculator's finding covers what it computes, whatever word of the question led to it.
  const attribute =
    f.kind === "deadline" || f.kind === "fine"
      ? f.kind
      : "attribute" in f && f.attribute
        ? f.attribute
        : f.frame.attributes[0];
  const status = statusOf(f);
  return {
    ...(subject && c.get(subject) ? { subject } : {}),
    ...(attribute ? { attribute } : {}),
    status,
  };
}

function block(f: Finding, c: ComposeContext): Draft {
  const { lang } = c;
  switch (f.kind) {
    case "out-of-scope":
      return outOfScopeDraft(lang);
    case "card": {
      const e = c.get(f.entryId) as ContentEntry;
      if (e.type === "attraction") return placeDraft(e, [], lang, c.location);
      const card = infoDraft(e, lang);
      if (!f.units?.length) return card;
      // The summary, then the sentences that match the question, then the rest of the card.
      const [head, ...rest] = card.answer.split("\n");
      const extra = f.units.map((u) => `• ${u.text}`).filter((l) => !card.answer.includes(l.slice(2)));
      return { ...card, answer: [head, ...extra, ...rest].join("\n") };
    }
    case "facts":
      return factsBlock(f, c);
    case "overview": {
      const entries = f.entryIds.map((id) => c.get(id)).filter((e): e is ContentEntry => e !== undefined);
      return {
        answer: [
          t(lang, "Những nơi nên đến ở Châu Đốc:", "What to see in Châu Đốc:"),
          ...entries.map((e) => `• ${e.title[lang]}: ${e.summary[lang]}`),
        ].join("\n"),
        intent: "info",
        confidence: 0.9,
        sources: entries.map((e) => sourceOf(e, lang)),
        suggestions: entries.slice(0, 3).map((e) => suggestionFor(e, lang)),
      };
    }
    case "event-dates":
      return eventBlock(f, c);
    case "events-list":
      return eventsInRangeDraft(f.label[lang], f.occurrences, f.next, c.get, lang);
    case "deadline":
      return deadlineDraft(c.entries, f.query, f.computed, lang);
    case "fine":
      return fineBlock(f, c);
    case "lodging-field":
      return lodgingFieldBlock(f, c);
    case "unknown":
      return unknownBlock(f, c);
    case "itinerary":
      return itineraryBlock(f, c);
  }
}

// ---------------------------------------------------------------- facts

const ATTRIBUTE_NAME: Record<Attribute, { vi: string; en: string }> = {
  where: { vi: "địa chỉ", en: "the address" },
  distance: { vi: "khoảng cách", en: "the distance" },
  "getting-there": { vi: "cách đi", en: "how to get there" },
  "travel-time": { vi: "thời gian đi", en: "the travel time" },
  hours: { vi: "giờ mở cửa", en: "the opening hours" },
  price: { vi: "giá vé, chi phí", en: "prices and fees" },
  size: { vi: "kích thước, độ cao", en: "its size or height" },
  history: { vi: "lịch sử", en: "its history" },
  "what-to-see": { vi: "những gì để xem", en: "what there is to see" },
  dates: { vi: "ngày diễn ra", en: "the dates" },
  "rite-time": { vi: "giờ của các nghi lễ", en: "the times of the rites" },
  season: { vi: "mùa, thời điểm", en: "the season" },
  "made-of": { vi: "món ăn, nguyên liệu", en: "the dishes and what they are made of" },
  contact: { vi: "số liên hệ", en: "a contact number" },
  deadline: { vi: "thời hạn", en: "the deadline" },
  fine: { vi: "mức phạt", en: "the fine" },
  documents: { vi: "giấy tờ, thông tin cần có", en: "the documents or details needed" },
  "how-to-register": { vi: "cách khai báo", en: "how to declare" },
  "legal-basis": { vi: "căn cứ pháp lý", en: "the legal basis" },
  "events-list": { vi: "sự kiện", en: "events" },
  itinerary: { vi: "lịch trình", en: "an itinerary" },
  official: { vi: "tên người phụ trách", en: "the name of the person in charge" },
};

/** The label a structured field is shown with ("Giờ mở cửa: …"); sentences of the body have none. */
const FIELD_LABEL: Record<string, { vi: string; en: string }> = {
  address: { vi: "Địa chỉ", en: "Address" },
  distanceFromCentreKm: { vi: "Khoảng cách", en: "Distance" },
  openingHours: { vi: "Giờ mở cửa", en: "Opening hours" },
  tickets: { vi: "Vé", en: "Tickets" },
  gettingThere: { vi: "Cách đi", en: "Getting there" },
  where: { vi: "Địa điểm", en: "Where" },
};

function factsBlock(f: Extract<Finding, { kind: "facts" }>, c: ComposeContext): Draft {
  const e = c.get(f.entryId) as ContentEntry;
  const lang = c.lang;
  const lines = [`${e.title[lang]}:`];
  for (const u of f.units) {
    const label = u.field ? FIELD_LABEL[u.field]?.[lang] : undefined;
    let text = label ? `${label}: ${u.text}` : u.text;
    if (u.field === "address" && e.type === "attraction" && e.place.formerNames.length)
      text += t(
        lang,
        ` (tên cũ: ${e.place.formerNames.join(", ")})`,
        ` (former names: ${e.place.formerNames.join(", ")})`,
      );
    lines.push(`• ${text}`);
  }
  // A rule's sentence never goes out without what is unconfirmed about it and where to check.
  if (e.type === "lodging-rule") lines.push(noteLine(e.lodging, lang));
  const place = placeOf(e, lang);
  const mapAsked = f.attribute === "where" || f.attribute === "distance" || f.attribute === "getting-there";
  if (mapAsked && place)
    lines.push(
      `• ${t(lang, "Bản đồ", "Map")}: ${place.mapUrl}${place.approximate ? t(lang, " (vị trí gần đúng)", " (approximate location)") : ""}`,
    );
  else if (mapAsked && e.type === "attraction")
    lines.push(
      `• ${t(lang, "Bản đồ", "Map")}: ${t(lang, "chưa có tọa độ xác nhận", "no confirmed coordinates")}`,
    );
  return {
    answer: lines.join("\n"),
    // A festival's food or history is information; its dates and rites are the event.
    intent:
      e.type === "event" && f.attribute !== "dates" && f.attribute !== "rite-time" ? "info" : intentOf(e),
    confidence: 0.9,
    sources: [sourceOf(e, lang)],
    suggestions: [],
    ...(place ? { place } : {}),
  };
}

function intentOf(e: ContentEntry): Intent {
  if (e.type === "attraction") return "place";
  if (e.type === "event") return "event";
  return "info";
}

// ---------------------------------------------------------------- events

function eventBlock(f: Extract<Finding, { kind: "event-dates" }>, c: ComposeContext): Draft {
  const e = c.get(f.entryId) as Extract<ContentEntry, { type: "event" }>;
  const { lang, today } = c;
  const ev = e.event;
  const computable = ev.calendar === "lunar-vn" || ev.calendar === "solar";
  const relative = f.frame.range?.kind === "year" && !f.frame.range.explicitYear && f.years.length === 1;
  const label = relative
    ? ` (${(f.frame.range as { label: { vi: string; en: string } }).label[lang]})`
    : f.years.length
      ? ` (${f.years.join(", ")})`
      : f.period
        ? ` (${f.period[lang]})`
        : "";
  // A festival of a calendar we do not compute says first when it falls by its own calendar.
  const lines: string[] = [
    computable ? `${e.title[lang]}${label}:` : `${e.title[lang]}${label}: ${e.summary[lang]}`,
  ];
  if (f.past) {
    lines.push(
      `• ${t(lang, "Năm nay đã diễn ra", "This year it was held")}: ${occurrenceLine(f.past, lang, false)}`,
    );
  }
  for (const year of f.years) {
    const found = f.occurrences.filter((o) => o.start.startsWith(String(year)));
    if (found.length === 0) {
      lines.push(
        computable
          ? `• ${year}: ${t(lang, "không có lần nào trong năm này", "it does not take place that year")}`
          : `• ${year}: ${t(lang, "chưa có ngày trong nguồn của chúng tôi", "our sources have no date for that year")}`,
      );
    }
    for (const o of found) lines.push(`• ${occurrenceBullet(o, lang, today)}`);
  }
  if (!f.years.length) {
    for (const o of f.occurrences)
      lines.push(`• ${f.past ? t(lang, "Lần tới: ", "Next: ") : ""}${occurrenceBullet(o, lang, today)}`);
    if (f.occurrences.length === 0 && computable && f.period)
      lines.push(
        t(lang, "Không có lần nào trong khoảng thời gian này.", "It does not take place in that period."),
      );
  }
  if (f.undated)
    lines.push(
      t(
        lang,
        "Tôi chưa có ngày chính thức cho thời gian bạn hỏi.",
        "I don't have the confirmed dates for the time you asked about.",
      ),
    );
  if (f.said?.length) {
    lines.push(t(lang, "Nguồn của chúng tôi ghi:", "What our sources say:"));
    for (const u of f.said) lines.push(`• ${u.text}`);
  }
  if (!computable) {
    lines.push(
      t(
        lang,
        `Ngày của lễ này theo lịch ${ev.calendar === "khmer" ? "Khmer" : "Hồi giáo"}, được công bố hằng năm; tôi không tự tính được.`,
        `This event follows the ${ev.calendar === "khmer" ? "Khmer" : "Islamic"} calendar; its dates are announced each year, so I cannot compute them.`,
      ),
    );
    const shownKnown = new Set(f.occurrences.filter((o) => o.status === "known").map((o) => o.start));
    const known = ev.knownDates
      .filter((k) => !shownKnown.has(k.start))
      .map((k) => `${formatRange(k.start, k.end, lang)}${k.note ? ` (${k.note[lang]})` : ""}`);
    // Other years' dates help when the year asked has none; beside a known date they only blur it.
    const answeredYear = f.years.length > 0 && shownKnown.size > 0;
    if (known.length && !answeredYear)
      lines.push(`${t(lang, "Các lần trước", "Past dates")}: ${known.join("; ")}.`);
  }
  lines.push(`${t(lang, "Địa điểm", "Where")}: ${ev.where[lang]}.`);
  if (ev.calendar === "lunar-vn")
    lines.push(
      t(
        lang,
        "Ngày dương lịch được tính từ âm lịch; hãy xem thông báo của ban tổ chức trước khi đi.",
        "Gregorian dates are computed from the lunar calendar; check the organisers' announcement before you travel.",
      ),
    );
  else if (!computable)
    lines.push(
      t(
        lang,
        "Hãy hỏi ban tổ chức hoặc xem báo An Giang gần ngày.",
        "Ask the organisers or check the An Giang news nearer the time.",
      ),
    );
  return {
    answer: lines.join("\n"),
    intent: "event",
    confidence: 0.95,
    sources: [sourceOf(e, lang)],
    suggestions: [],
  };
}

function occurrenceBullet(o: Occurrence, lang: Lang, today: string): string {
  const ongoing = o.start <= today && o.end >= today;
  const past = o.end < today && o.status !== "known";
  return `${occurrenceLine(o, lang, false)}${ongoing ? t(lang, " – đang diễn ra", " – happening now") : ""}${past ? t(lang, " (đã diễn ra)", " (already held)") : ""}`;
}

// ---------------------------------------------------------------- lodging

function bracketGuests(b: FineBracket, lang: Lang): string {
  if (b.guestsMax === undefined)
    return t(lang, `từ ${b.guestsMin} khách trở lên`, `${b.guestsMin} or more guests`);
  return t(lang, `${b.guestsMin}–${b.guestsMax} khách`, `${b.guestsMin}–${b.guestsMax} guests`);
}

function bracketLine(b: FineBracket, lang: Lang): string {
  const amount = `${formatVnd(b.minVnd, lang)} – ${formatVnd(b.maxVnd, lang)}`;
  const caveat = b.confirmed ? "" : t(lang, "; khoản chưa được xác nhận", "; clause unconfirmed");
  const doubled = b.doubled ? t(lang, ", gấp đôi mức cá nhân", ", double the individual amount") : "";
  return `${bracketGuests(b, lang)}: ${amount}${doubled} (${b.basis}${caveat})`;
}

const OFFENCE_NAME = {
  "stay-not-reported": {
    vi: "Không thông báo lưu trú cho khách Việt Nam",
    en: "Not reporting Vietnamese guests' stay",
  },
  "foreigner-not-declared": {
    vi: "Không khai báo tạm trú cho khách nước ngoài",
    en: "Not declaring foreign guests' temporary residence",
  },
};

function fineLines(r: FineResult, lang: Lang, n: number | undefined): string[] {
  const who =
    r.payer === "organisation"
      ? t(lang, "tổ chức (doanh nghiệp)", "an organisation (a company)")
      : t(lang, "cá nhân, hộ kinh doanh", "an individual or household business");
  const head = `${OFFENCE_NAME[r.offence][lang]}, ${t(lang, "người bị phạt là", "fined party")}: ${who}`;
  const lines = [head];
  if (n !== undefined) {
    if (r.bracket) {
      lines.push(`• ${t(lang, `${n} khách`, `${n} guests`)} → ${bracketLine(r.bracket, lang)}`);
    } else {
      lines.push(
        `• ${t(lang, `${n} khách: nguồn của chúng tôi chưa xác nhận mức phạt cho số khách này.`, `${n} guests: our sources do not confirm the fine for that many guests.`)}`,
      );
      for (const b of r.brackets) lines.push(`• ${bracketLine(b, lang)}`);
    }
  } else {
    for (const b of r.brackets) lines.push(`• ${bracketLine(b, lang)}`);
  }
  if (r.payer === "individual")
    lines.push(
      t(
        lang,
        "Nếu cơ sở do tổ chức (công ty) vận hành, mức phạt gấp đôi.",
        "If the lodging is run by an organisation (a company), the fine is double.",
      ),
    );
  return lines;
}

function fineBlock(f: Extract<Finding, { kind: "fine" }>, c: ComposeContext): Draft {
  const { lang } = c;
  const results = f.fine ? [f.fine] : (f.both ?? []);
  const entry = results[0] ? c.get(results[0].entryId) : undefined;
  if (!entry || entry.type !== "lodging-rule") {
    return unknownBlock({ kind: "unknown", frame: f.frame, attribute: "fine", candidates: [] }, c);
  }
  const n = f.frame.lodging.guests;
  const lines: string[] = [];
  for (const r of results) lines.push(...fineLines(r, lang, n));
  if (f.missing.includes("guest"))
    lines.push(
      t(
        lang,
        "Khách là người Việt Nam hay người nước ngoài? Mỗi loại có mức phạt riêng.",
        "Are the guests Vietnamese or foreign? The fines differ.",
      ),
    );
  if (f.missing.includes("guests") && !f.missing.includes("guest"))
    lines.push(t(lang, "Bao nhiêu khách chưa được khai báo?", "How many guests were not reported?"));
  lines.push(noteLine(entry.lodging, lang));
  return {
    answer: lines.join("\n"),
    intent: "lodging_fine",
    confidence: f.fine?.bracket || f.missing.length === 0 ? 0.95 : 0.8,
    sources: [sourceOf(entry, lang)],
    suggestions: t(
      lang,
      ["Khách nước ngoài đến lúc 22h thì khai báo trước mấy giờ?", "Thông báo lưu trú qua VNeID thế nào?"],
      ["A foreign guest arrives at 22:00: by when must I declare them?", "How do I report a stay in VNeID?"],
    ),
    ...(f.missing.length ? { missing: f.missing.map((m) => (m === "guest" ? "guest" : "guests")) } : {}),
  };
}

function lodgingFieldBlock(f: Extract<Finding, { kind: "lodging-field" }>, c: ComposeContext): Draft {
  const { lang } = c;
  const e = c.get(f.entryId) as Extract<ContentEntry, { type: "lodging-rule" }>;
  const l = e.lodging;
  const lines = [`${e.title[lang]}:`];
  if (f.attribute === "documents" && l.guestDetails)
    lines.push(`${t(lang, "Thông tin cần có", "Details required")}: ${l.guestDetails[lang].join("; ")}.`);
  else if (f.attribute === "documents") lines.push(`• ${e.summary[lang]}`);
  if (f.attribute === "legal-basis")
    for (const b of l.legalBasis)
      lines.push(
        `• ${b.document}${b.article ? `, ${b.article}` : ""}${b.inForce ? t(lang, ` (hiệu lực ${formatDate(b.inForce, lang)})`, ` (in force ${formatDate(b.inForce, lang)})`) : ""}: ${LEGAL_STATUS[b.status][lang]}${b.note ? `. ${b.note[lang]}` : ""}`,
      );
  // Without the deadline computed beside it, the rule in short comes first: who must declare, by when.
  if (f.attribute === "how-to-register" && !c.withDeadline) lines.push(`• ${e.summary[lang]}`);
  if (f.attribute === "how-to-register")
    for (const ch of l.channels.slice(0, 5)) lines.push(`• ${ch.name[lang]}${ch.url ? ` (${ch.url})` : ""}`);
  if (f.attribute === "fine")
    for (const p of l.penalties.filter((p) => p.offence === "residence-general"))
      lines.push(
        `• ${p.violation[lang]}: ${formatVnd(p.minVnd, lang)} – ${formatVnd(p.maxVnd, lang)} (${p.basis}${p.confirmed ? "" : t(lang, "; chưa xác nhận", "; not confirmed")})`,
      );
  const basis = l.legalBasis.filter((b) => b.status === "in-force");
  if (basis.length && f.attribute !== "legal-basis")
    lines.push(
      `${t(lang, "Căn cứ", "Legal basis")}: ${basis.map((b) => `${b.document}${b.article ? `, ${b.article}` : ""}`).join("; ")}.`,
    );
  lines.push(noteLine(l, lang));
  return {
    answer: lines.join("\n"),
    intent: f.attribute === "fine" ? "lodging_fine" : "info",
    confidence: 0.9,
    sources: [sourceOf(e, lang)],
    suggestions: [],
  };
}

// ---------------------------------------------------------------- itineraries

/** An itinerary: its stops in visiting order, with the time of day, how to get there and how long. */
function itineraryBlock(f: Extract<Finding, { kind: "itinerary" }>, c: ComposeContext): Draft {
  const { lang } = c;
  const e = c.get(f.entryId) as Extract<ContentEntry, { type: "itinerary" }>;
  const lines = [`${e.title[lang]}: ${e.summary[lang]}`];
  const multiDay = e.itinerary.days > 1;
  let day = 0;
  for (const s of e.itinerary.stops) {
    if (multiDay && s.day !== day) {
      day = s.day;
      lines.push(t(lang, `Ngày ${day}:`, `Day ${day}:`));
    }
    const place = s.place ? c.get(s.place) : undefined;
    const name = place?.title[lang] ?? s.name?.[lang] ?? "";
    const travel = s.travel ? ` ${s.travel[lang]}` : "";
    lines.push(
      `• ${s.time[lang]} – ${name} (${s.duration[lang]}).${travel} ${s.what[lang]}`
        .replace(/\s+/g, " ")
        .trim(),
    );
  }
  lines.push(
    t(
      lang,
      "Giờ giấc là gợi ý; giờ mở cửa và giá vé ở từng nơi có thể thay đổi.",
      "Times are suggestions; each place's hours and prices can change.",
    ),
  );
  return {
    answer: lines.join("\n"),
    intent: "info",
    confidence: 0.9,
    sources: [sourceOf(e, lang)],
    suggestions: [],
  };
}

// ---------------------------------------------------------------- unknown

/** Where to check what the content lacks, by the kind of subject. */
function whereToCheck(e: ContentEntry | undefined, attribute: Attribute | undefined, lang: Lang): string {
  if (e?.type === "lodging-rule") return e.lodging.verifyNote[lang];
  if (e?.type === "event")
    return t(
      lang,
      "Hãy hỏi ban tổ chức hoặc xem báo An Giang gần ngày.",
      "Ask the organisers or check the An Giang news nearer the time.",
    );
  if (
    attribute === "getting-there" ||
    attribute === "travel-time" ||
    (attribute === "price" && e?.type !== "attraction")
  )
    return t(
      lang,
      "Hãy hỏi nơi bạn lưu trú, nhà xe hoặc trung tâm thông tin du lịch khi đến; giá có thể thay đổi.",
      "Ask your lodging, the transport operator or the tourist information office when you arrive; prices change.",
    );
  if (e?.type === "attraction")
    return t(
      lang,
      "Hãy hỏi ban quản lý khu di tích khi đến nơi.",
      "Ask the site's management when you arrive.",
    );
  return t(
    lang,
    "Hãy hỏi trung tâm thông tin du lịch hoặc nơi bạn lưu trú.",
    "Ask the tourist information office or your lodging.",
  );
}

function unknownBlock(f: Extract<Finding, { kind: "unknown" }>, c: ComposeContext): Draft {
  const { lang } = c;
  const e = f.entryId ? c.get(f.entryId) : undefined;
  const what = f.attribute ? ATTRIBUTE_NAME[f.attribute][lang] : undefined;
  const label =
    f.attribute === "hours"
      ? FIELD_LABEL.openingHours?.[lang]
      : f.attribute === "price" && e?.type === "attraction"
        ? FIELD_LABEL.tickets?.[lang]
        : what
          ? capitalize(what.replace(/^the /, ""))
          : undefined;
  // What the sources say comes with the doubt, not after a flat "not known".
  const unconfirmed = f.said?.length
    ? t(lang, "chưa xác nhận; nguồn của chúng tôi ghi:", "not confirmed; what our sources say:")
    : t(lang, "chưa có thông tin xác nhận", "not confirmed in our sources");
  const head =
    f.reason === "recommendation"
      ? t(
          lang,
          "Tôi không giới thiệu khách sạn hay quán ăn cụ thể nào. Nội dung của chúng tôi ghi:",
          "I don't recommend particular hotels or restaurants. What our content says:",
        )
      : e
        ? label
          ? `${e.title[lang]}:\n• ${label}: ${unconfirmed}`
          : t(
              lang,
              `Tôi chưa có thông tin này về ${e.title.vi}.`,
              `I don't have that information about ${e.title.en}.`,
            )
        : t(
            lang,
            "Tôi không chắc mình có câu trả lời cho câu hỏi này.",
            "I am not sure I have an answer to that.",
          );
  const lines = [head, ...(f.said ?? []).map((u) => `• ${u.text}`), whereToCheck(e, f.attribute, lang)];
  const candidates = f.candidates.map((id) => c.get(id)).filter((x): x is ContentEntry => !!x);
  if (candidates.length) {
    lines.push(t(lang, "Các chủ đề gần nhất tôi có:", "The closest topics I have:"));
    for (const x of candidates) lines.push(`• ${x.title[lang]}`);
  }
  const sources = e ? [sourceOf(e, lang)] : [];
  return {
    answer: lines.join("\n"),
    intent: e ? intentOf(e) : "info",
    confidence: 0.2,
    sources,
    suggestions: candidates.map((x) => suggestionFor(x, lang)),
  };
}

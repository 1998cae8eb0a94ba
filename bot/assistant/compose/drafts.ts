import type { ContentEntry, Lang, Occurrence } from "../../../indexer/index.ts";
import {
  capitalize,
  distanceKm,
  entryUrl,
  formatDate,
  formatKm,
  formatLunar,
  formatRange,
  formatVnd,
  mapUrl,
  noteLine,
  t,
} from "./format.ts";
import type { ComputedDeadline } from "../find/index.ts";
import { EN_MONTHS, type DeadlineQuery } from "../understand/index.ts";
import { dueAt, hhmm } from "../find/index.ts";
import type { Answer, AnswerPlace, AnswerSource } from "../types.ts";

/**
 * Composition without a model: short answers built from an entry's structured fields and its best
 * passage, in the user's language. Unknown fields are said to be unknown; nothing is filled in.
 */

/** The parts of an Answer a composer decides; the assistant adds language, id and bookkeeping. */
export type Draft = Omit<Answer, "language" | "composer" | "answerId" | "coverage">;

type Entry<T extends ContentEntry["type"]> = Extract<ContentEntry, { type: T }>;

/** A source reference to an entry. */
export function sourceOf(e: ContentEntry, lang: Lang): AnswerSource {
  return { id: e.id, type: e.type, title: e.title[lang], url: entryUrl(e.type, e.id) };
}

/** The map point of an attraction, when its coordinates are known. */
export function placeOf(e: ContentEntry, lang: Lang): AnswerPlace | undefined {
  if (e.type !== "attraction" || !e.place.coordinates) return undefined;
  const c = e.place.coordinates;
  return {
    id: e.id,
    name: e.title[lang],
    lat: c.lat,
    lng: c.lng,
    mapUrl: mapUrl(c.lat, c.lng),
    pageUrl: `${entryUrl(e.type, e.id)}#place-map`,
    approximate: c.approximate,
  };
}

// ---------------------------------------------------------------- greeting, help, refusal, emergency

/** Example questions shown by greetings, help and refusals. */
export function exampleQuestions(lang: Lang): string[] {
  return t(
    lang,
    [
      "Lễ hội Vía Bà Chúa Xứ năm sau vào ngày nào?",
      "Miếu Bà Chúa Xứ ở đâu?",
      "Khách nước ngoài đến lúc 22h thì khai báo tạm trú trước mấy giờ?",
    ],
    [
      "When is the Ba Chua Xu Festival next year?",
      "Where is the Ba Chua Xu Temple?",
      "A foreign guest arrives at 22:00: by when must I declare them?",
    ],
  );
}

const SCOPE = {
  vi: "Tôi là trợ lý du lịch Châu Đốc. Tôi trả lời về điểm tham quan, lễ hội và ngày diễn ra, thông tin thiết thực (đi lại, ăn uống, số khẩn cấp) và quy định thông báo lưu trú, khai báo tạm trú cho khách sạn, homestay.",
  en: "I am the Châu Đốc tourism assistant. I answer questions about attractions, festivals and their dates, practical information (getting there, food, emergency numbers) and the rules for registering guests' stays for hotels and homestays.",
};

/** Greeting or help: what the assistant can do, with example questions. */
export function greetingDraft(lang: Lang, kind: "greeting" | "help"): Draft {
  const hello = kind === "greeting" ? t(lang, "Xin chào! ", "Hello! ") : "";
  const examples = exampleQuestions(lang)
    .map((q) => `• ${q}`)
    .join("\n");
  return {
    answer: `${hello}${SCOPE[lang]}\n${t(lang, "Bạn có thể hỏi, ví dụ:", "You can ask, for example:")}\n${examples}`,
    intent: kind,
    confidence: 1,
    sources: [],
    suggestions: exampleQuestions(lang),
  };
}

/** A polite refusal that says what the assistant can help with; never answers from outside the content. */
export function outOfScopeDraft(lang: Lang): Draft {
  return {
    answer: t(
      lang,
      `Xin lỗi, câu này nằm ngoài phạm vi của tôi. ${SCOPE.vi}`,
      `Sorry, that is outside what I can help with. ${SCOPE.en}`,
    ),
    intent: "out_of_scope",
    confidence: 1,
    sources: [],
    suggestions: exampleQuestions(lang),
  };
}

/** The emergency numbers, first, whatever else the message says. */
export function emergencyDraft(entry: Entry<"practical"> | undefined, lang: Lang): Draft {
  const contacts = entry?.practical.contacts ?? [];
  const lines = contacts.map((c) => `• ${c.phone}: ${c.label[lang]}`);
  const fallback = t(
    lang,
    "• 113: Công an\n• 114: Cứu hỏa\n• 115: Cấp cứu",
    "• 113: Police\n• 114: Fire\n• 115: Ambulance",
  );
  return {
    answer: `${t(lang, "Số khẩn cấp (gọi miễn phí, 24/7):", "Emergency numbers (free, 24/7):")}\n${lines.length ? lines.join("\n") : fallback}\n${t(
      lang,
      "Nếu nguy hiểm, hãy gọi ngay và nói rõ bạn đang ở đâu.",
      "If you are in danger, call now and say where you are.",
    )}`,
    intent: "emergency",
    confidence: 1,
    sources: entry ? [sourceOf(entry, lang)] : [],
    suggestions: t(
      lang,
      ["Phản ánh, khiếu nại khi đi du lịch ở đâu?", "Bị chèo kéo, lừa đảo ở núi Sam thì làm gì?"],
      ["How do I report a scam or overcharging?", "What should I do about touts at Sam Mountain?"],
    ),
  };
}

// ---------------------------------------------------------------- lodging deadlines

const DAY = {
  vi: ["cùng ngày", "hôm sau", "ngày thứ ba (2 ngày sau ngày đến)"],
  en: ["the same day", "the next day", "two days after arrival"],
};

function dueText(d: ComputedDeadline, lang: Lang): string {
  switch (d.due.kind) {
    case "on-arrival":
      return t(lang, "ngay khi khách nhận phòng", "at check-in, as soon as the guest arrives");
    case "hours-after-arrival": {
      const within = t(
        lang,
        `trong ${d.due.hours} giờ kể từ khi khách đến`,
        `within ${d.due.hours} hours of arrival`,
      );
      if (!d.at) return within;
      return `${within}, ${t(lang, "tức là trước", "that is before")} ${clock(d.at, lang)}`;
    }
    default:
      return d.at ? `${t(lang, "trước", "before")} ${clock(d.at, lang)}` : "";
  }
}

function clock(at: { time: string; dayOffset: number }, lang: Lang): string {
  const morning = lang === "vi" && Number(at.time.slice(0, 2)) < 12 && at.dayOffset > 0 ? " sáng" : "";
  return `${at.time}${morning} ${DAY[lang][Math.min(at.dayOffset, 2)]}`;
}

const METHOD = {
  vi: { any: "", paper: "Khai báo bằng phiếu giấy", electronic: "Khai báo điện tử (trực tuyến)" },
  en: { any: "", paper: "Paper declaration", electronic: "Electronic (online) declaration" },
};

/**
 * The deadline answer: the exact due time for each rule that applies, with its legal basis; or, when the
 * guest type or arrival time is missing, the question for it (with the general rule, never a guess).
 */
export function deadlineDraft(
  entries: readonly ContentEntry[],
  q: DeadlineQuery,
  computed: ComputedDeadline[],
  lang: Lang,
): Draft {
  const lodging = entries.filter((e): e is Entry<"lodging-rule"> => e.type === "lodging-rule");
  const byId = new Map(lodging.map((e) => [e.id, e]));
  const missing: ("guest" | "arrival")[] = [];
  if (!q.guest) missing.push("guest");
  if (q.arrival === undefined) missing.push("arrival");
  const ruleEntries = (ids: string[]) =>
    [...new Set(ids)].map((id) => byId.get(id)).filter((e): e is Entry<"lodging-rule"> => e !== undefined);

  // The arrival known and not the guest: the deadline of each kind of guest, and the question.
  if (!q.guest && q.arrival !== undefined && computed.length) {
    const parts = (["vn", "foreign"] as const)
      .map((guest) => ({ guest, due: computed.filter((d) => d.guest === guest) }))
      .filter((p) => p.due.length)
      .map((p) => deadlineDraft(entries, { ...q, guest: p.guest }, p.due, lang));
    const sources = parts
      .flatMap((p) => p.sources)
      .filter((s, i, all) => all.findIndex((o) => o.id === s.id) === i);
    // The ways to declare differ by guest and wait for the answer; the notes stay, once each, last.
    const note = (l: string) => /^(?:Lưu ý|Note): /.test(l);
    const lines = parts
      .flatMap((p) => p.answer.split("\n"))
      .filter((l) => !/^(?:Cách khai báo|How): /.test(l));
    return {
      answer: [
        ...lines.filter((l) => !note(l)),
        t(
          lang,
          "Khách của bạn là người Việt Nam hay người nước ngoài? Thời hạn nào áp dụng là tùy vào đó.",
          "Are your guests Vietnamese or foreign? Which deadline applies depends on it.",
        ),
        ...[...new Set(lines.filter(note))],
      ].join("\n"),
      intent: "lodging_deadline",
      confidence: 0.9,
      sources,
      suggestions: parts[0]?.suggestions ?? [],
      missing: ["guest"],
    };
  }

  if (!q.guest) {
    const rules = ruleEntries(lodging.filter((e) => e.lodging.deadlines.length > 0).map((e) => e.id));
    return {
      answer: [
        t(
          lang,
          "Để tính đúng thời hạn, bạn cho tôi biết: khách là người Việt Nam hay người nước ngoài, và khách đến lúc mấy giờ? Ví dụ: “khách nước ngoài đến lúc 22h”.",
          "To work out the exact deadline, tell me: is the guest Vietnamese or foreign, and what time do they arrive? For example: “a foreign guest arriving at 22:00”.",
        ),
        t(lang, "Quy định chung:", "The rules in short:"),
        ...rules.map((e) => `• ${e.title[lang]}: ${e.summary[lang]}`),
      ].join("\n"),
      intent: "lodging_deadline",
      confidence: 0.9,
      sources: rules.map((e) => sourceOf(e, lang)),
      suggestions: t(
        lang,
        ["Khách Việt Nam đến lúc 23:30", "Khách nước ngoài đến lúc 22h"],
        ["A Vietnamese guest arriving at 23:30", "A foreign guest arriving at 22:00"],
      ),
      missing,
    };
  }

  const guestName =
    q.guest === "vn"
      ? t(lang, "Khách Việt Nam", "A Vietnamese guest")
      : t(lang, "Khách nước ngoài", "A foreign guest");
  const head =
    q.arrival === undefined
      ? `${guestName}:`
      : `${guestName} ${t(lang, "đến lúc", "arriving at")} ${hhmm(q.arrival)}${q.remote ? t(lang, " (vùng sâu, vùng xa)", " (remote area)") : ""}:`;
  const lines: string[] = [];
  for (const d of computed) {
    const method = METHOD[lang][d.method];
    const window = q.arrival === undefined ? windowText(byId.get(d.entryId), d, lang) : "";
    const text = `${method ? `${method}: ` : ""}${window}${dueText(d, lang)}`;
    lines.push(`• ${capitalize(text)}. ${t(lang, "Căn cứ", "Legal basis")}: ${d.basis}.`);
    if (d.note) lines.push(`  ${d.note[lang]}`);
  }
  if (q.remote === undefined && q.guest === "foreign" && computed.some((d) => d.method === "paper")) {
    const remote = entries.length > 0 ? remoteNote(computed, lodging, q, lang) : "";
    if (remote) lines.push(remote);
  }
  if (q.arrival === undefined)
    lines.push(
      t(
        lang,
        "Khách đến lúc mấy giờ? Cho tôi biết để tính giờ chính xác.",
        "What time does the guest arrive? Tell me and I will work out the exact time.",
      ),
    );
  const rules = ruleEntries(computed.map((d) => d.entryId));
  const main = rules[0];
  if (main) {
    const channels = main.lodging.channels.slice(0, 3).map((c) => c.name[lang].replace(/[.;]+$/, ""));
    if (channels.length) lines.push(`${t(lang, "Cách khai báo", "How")}: ${channels.join("; ")}.`);
    lines.push(noteLine(main.lodging, lang));
  }
  return {
    answer: [head, ...lines].join("\n"),
    intent: "lodging_deadline",
    confidence: computed.length ? 0.95 : 0.5,
    sources: rules.map((e) => sourceOf(e, lang)),
    suggestions: t(
      lang,
      ["Không thông báo lưu trú bị phạt bao nhiêu?", "Thông báo lưu trú qua VNeID thế nào?"],
      ["What is the fine for not reporting a guest?", "How do I report a stay in VNeID?"],
    ),
    ...(q.arrival === undefined ? { missing: ["arrival" as const] } : {}),
  };
}

/** One computed deadline as a sentence ("Paper declaration: within 12 hours of arrival, that is before 10:00 the next day"). */
export function deadlineText(d: ComputedDeadline, lang: Lang): string {
  const method = METHOD[lang][d.method];
  return capitalize(`${method ? `${method}: ` : ""}${dueText(d, lang)}`);
}

function windowText(e: Entry<"lodging-rule"> | undefined, d: ComputedDeadline, lang: Lang): string {
  const rule = e?.lodging.deadlines.find((r) => r.guest === d.guest && r.due === d.due);
  if (!rule?.arrival) return "";
  const to = rule.arrival.to === "24:00" ? "00:00" : rule.arrival.to;
  return t(
    lang,
    `đến từ ${rule.arrival.from} đến trước ${to}: `,
    `arriving from ${rule.arrival.from} to before ${to}: `,
  );
}

function remoteNote(
  computed: ComputedDeadline[],
  lodging: Entry<"lodging-rule">[],
  q: DeadlineQuery,
  lang: Lang,
): string {
  for (const e of lodging) {
    const rule = e.lodging.deadlines.find(
      (r) => r.guest === q.guest && r.remote === true && r.method === "paper",
    );
    if (rule && rule.due.kind === "hours-after-arrival" && !computed.some((d) => d.remote === true)) {
      const at =
        q.arrival === undefined
          ? ""
          : ` (${t(lang, "trước", "before")} ${clock(dueAt(rule.due, q.arrival) as { time: string; dayOffset: number }, lang)})`;
      return t(
        lang,
        `• Ở vùng sâu, vùng xa: trong ${rule.due.hours} giờ${at}.`,
        `• In remote areas: within ${rule.due.hours} hours${at}.`,
      );
    }
  }
  return "";
}

// ---------------------------------------------------------------- events

/** One occurrence as a line: dates, lunar dates beside them, and whether they are announced yearly. */
export function occurrenceLine(o: Occurrence, lang: Lang, withTitle: boolean): string {
  const title = withTitle ? `${o.title[lang]}: ` : "";
  // An approximate season of whole months reads as months ("khoảng tháng 8 đến tháng 11/2027").
  const months = o.approximate && !o.lunar ? wholeMonths(o.start, o.end) : undefined;
  let s = `${title}${months ? monthsText(months, lang) : formatRange(o.start, o.end, lang)}`;
  if (o.lunar) s += ` (${formatLunar(o.lunar.start, lang)} – ${formatLunar(o.lunar.end, lang)})`;
  if (o.main && o.main !== o.start) {
    s += t(lang, `; ngày chính ${formatDate(o.main, lang)}`, `; main day ${formatDate(o.main, lang)}`);
    if (o.lunar?.main) s += ` (${formatLunar(o.lunar.main, lang)})`;
  }
  if (o.status === "known") s += t(lang, " (ngày đã diễn ra, theo nguồn)", " (past dates, from sources)");
  if (o.status === "usual-window")
    s += t(
      lang,
      " (khoảng thời gian thường lệ; ngày chính thức được công bố hằng năm)",
      " (the usual window; exact dates are announced each year)",
    );
  else if (o.approximate && !months) s += t(lang, " (ước lượng)", " (approximate)");
  return s;
}

/** The months of a range that starts on a month's first day and ends on a month's last day. */
function wholeMonths(start: string, end: string): { from: number; to: number; year: number } | undefined {
  const [y1, m1, d1] = start.split("-").map(Number) as [number, number, number];
  const [y2, m2, d2] = end.split("-").map(Number) as [number, number, number];
  const last = new Date(Date.UTC(y2, m2, 0)).getUTCDate();
  if (d1 !== 1 || d2 !== last || y1 !== y2) return undefined;
  return { from: m1, to: m2, year: y1 };
}

function monthsText(m: { from: number; to: number; year: number }, lang: Lang): string {
  return t(
    lang,
    `khoảng tháng ${m.from} đến tháng ${m.to}/${m.year}`,
    `roughly ${EN_MONTHS[m.from - 1]} to ${EN_MONTHS[m.to - 1]} ${m.year}`,
  );
}

/** Events in a period ("tháng sau", "this weekend"), or what comes next when there are none. */
export function eventsInRangeDraft(
  label: string,
  occurrences: Occurrence[],
  next: Occurrence[],
  entries: (id: string) => ContentEntry | undefined,
  lang: Lang,
): Draft {
  const lines: string[] = [];
  if (occurrences.length) {
    lines.push(t(lang, `Sự kiện ${label}:`, `Events ${label}:`));
    for (const o of occurrences) lines.push(`• ${occurrenceLine(o, lang, true)}`);
  } else {
    lines.push(t(lang, `Tôi không có sự kiện nào ${label}.`, `I have no events ${label}.`));
    if (next.length) {
      lines.push(t(lang, "Sắp tới:", "Coming up next:"));
      for (const o of next) lines.push(`• ${occurrenceLine(o, lang, true)}`);
    }
  }
  const ids = [...new Set([...occurrences, ...(occurrences.length ? [] : next)].map((o) => o.eventId))];
  const sources = ids
    .map(entries)
    .filter((e): e is ContentEntry => e !== undefined)
    .map((e) => sourceOf(e, lang));
  return { answer: lines.join("\n"), intent: "event", confidence: 0.9, sources, suggestions: [] };
}

// ---------------------------------------------------------------- places

export type Aspect = "where" | "hours" | "tickets" | "distance" | "getting-there";

/** An attraction: the fields asked for first, then the rest of what is known; unknown said plainly. */
export function placeDraft(
  entry: Entry<"attraction">,
  aspects: Aspect[],
  lang: Lang,
  from?: { lat: number; lng: number },
): Draft {
  const p = entry.place;
  const unknown = t(lang, "chưa có thông tin xác nhận", "not confirmed in our sources");
  const line: Record<Aspect, () => string> = {
    where: () =>
      `${t(lang, "Địa chỉ", "Address")}: ${p.address[lang]}${p.formerNames.length ? t(lang, ` (tên cũ: ${p.formerNames.join(", ")})`, ` (former names: ${p.formerNames.join(", ")})`) : ""}`,
    hours: () =>
      `${t(lang, "Giờ mở cửa", "Opening hours")}: ${p.openingHours ? p.openingHours[lang] : unknown}`,
    tickets: () => `${t(lang, "Vé", "Tickets")}: ${p.tickets ? p.tickets[lang] : unknown}`,
    distance: () => {
      const d = p.distanceFromCentreKm;
      const fromCentre = d
        ? `${d.min === d.max ? d.min : `${d.min}–${d.max}`} km ${t(lang, "từ trung tâm Châu Đốc", "from the centre of Châu Đốc")}`
        : `${t(lang, "khoảng cách từ trung tâm", "distance from the centre")}: ${unknown}`;
      const fromUser =
        from && p.coordinates
          ? t(
              lang,
              `; cách bạn khoảng ${formatKm(distanceKm(from, p.coordinates), lang)} (đường chim bay)`,
              `; about ${formatKm(distanceKm(from, p.coordinates), lang)} from you (straight line)`,
            )
          : "";
      return `${t(lang, "Khoảng cách", "Distance")}: ${fromCentre}${fromUser}`;
    },
    "getting-there": () =>
      `${t(lang, "Cách đi", "Getting there")}: ${p.gettingThere ? p.gettingThere[lang] : unknown}`,
  };
  // A question about one thing ("mấy giờ mở cửa?") gets that thing; a general one gets everything known.
  const order: Aspect[] = aspects.length
    ? aspects
    : ["where", "distance", "hours", "tickets", "getting-there"];
  const head = aspects.length ? `${entry.title[lang]}:` : `${entry.title[lang]}: ${entry.summary[lang]}`;
  const place = placeOf(entry, lang);
  const lines = [head, ...order.map((a) => `• ${line[a]()}`)];
  if (place)
    lines.push(
      `• ${t(lang, "Bản đồ", "Map")}: ${place.mapUrl}${place.approximate ? t(lang, " (vị trí gần đúng)", " (approximate location)") : ""}`,
    );
  else
    lines.push(
      `• ${t(lang, "Bản đồ", "Map")}: ${t(lang, "chưa có tọa độ xác nhận", "no confirmed coordinates")}`,
    );
  return {
    answer: lines.join("\n"),
    intent: "place",
    confidence: 0.9,
    sources: [sourceOf(entry, lang)],
    suggestions: [],
    ...(place ? { place } : {}),
  };
}

/** The closest places to a shared location, nearest first. */
export function nearbyDraft(
  entries: readonly ContentEntry[],
  from: { lat: number; lng: number },
  lang: Lang,
  limit = 5,
): Draft {
  const places = entries
    .map((e) => placeOf(e, lang))
    .filter((p): p is AnswerPlace => p !== undefined)
    .map((p) => ({ ...p, distanceKm: Math.round(distanceKm(from, p) * 10) / 10 }))
    .sort((a, b) => a.distanceKm - b.distanceKm)
    .slice(0, limit);
  const far = (places[0]?.distanceKm ?? Infinity) > 60;
  const lines = [
    far
      ? t(
          lang,
          "Bạn đang ở khá xa Châu Đốc. Các điểm gần bạn nhất trong dữ liệu của tôi:",
          "You are quite far from Châu Đốc. The closest places I know:",
        )
      : t(
          lang,
          "Các điểm gần bạn nhất (đường chim bay):",
          "The places closest to you (straight-line distance):",
        ),
    ...places.map((p) => `• ${p.name}: ${formatKm(p.distanceKm, lang)} – ${p.mapUrl}`),
  ];
  const byId = new Map(entries.map((e) => [e.id, e]));
  return {
    answer: lines.join("\n"),
    intent: "nearby",
    confidence: 0.9,
    sources: places
      .map((p) => byId.get(p.id))
      .filter((e): e is ContentEntry => !!e)
      .map((e) => sourceOf(e, lang)),
    suggestions: places
      .slice(0, 3)
      .map((p) => t(lang, `${p.name} mấy giờ mở cửa?`, `Opening hours of ${p.name}?`)),
    ...(places[0] ? { place: withoutDistance(places[0]) } : {}),
    places,
  };
}

function withoutDistance(p: AnswerPlace & { distanceKm: number }): AnswerPlace {
  return {
    id: p.id,
    name: p.name,
    lat: p.lat,
    lng: p.lng,
    mapUrl: p.mapUrl,
    pageUrl: p.pageUrl,
    approximate: p.approximate,
  };
}

/** Asks for a location when "near me" comes without one. */
export function askLocationDraft(lang: Lang): Draft {
  return {
    answer: t(
      lang,
      "Hãy chia sẻ vị trí của bạn (nút gửi vị trí trong Telegram hoặc Zalo) để tôi tìm các điểm gần nhất. Hoặc hỏi về một điểm cụ thể, ví dụ “Miếu Bà Chúa Xứ ở đâu?”.",
      "Share your location (the location button in Telegram or Zalo) and I will list the closest places. Or ask about a place, for example “Where is the Ba Chua Xu Temple?”.",
    ),
    intent: "nearby",
    confidence: 0.8,
    sources: [],
    suggestions: exampleQuestions(lang).slice(0, 2),
  };
}

// ---------------------------------------------------------------- general information

/** A lodging rule, practical topic or anything else: the summary and the key facts (contacts, facts, legal basis). */
export function infoDraft(entry: ContentEntry, lang: Lang): Draft {
  const lines = [`${entry.title[lang]}: ${entry.summary[lang]}`];
  if (entry.type === "practical") {
    for (const c of entry.practical.contacts.slice(0, 6)) lines.push(`• ${c.label[lang]}: ${c.phone}`);
    for (const f of entry.practical.facts.slice(0, 5)) lines.push(`• ${f.label[lang]}: ${f.value[lang]}`);
  }
  if (entry.type === "lodging-rule") {
    const l = entry.lodging;
    const basis = l.legalBasis
      .filter((b) => b.status !== "reported-change-unconfirmed")
      .map(
        (b) =>
          `${b.document}${b.article ? `, ${b.article}` : ""}${b.inForce ? t(lang, ` (hiệu lực ${formatDate(b.inForce, lang)})`, ` (in force ${formatDate(b.inForce, lang)})`) : ""}`,
      );
    if (basis.length) lines.push(`${t(lang, "Căn cứ", "Legal basis")}: ${basis.join("; ")}.`);
    if (entry.id.includes("phat")) {
      for (const p of l.penalties) {
        const amount = `${formatVnd(p.minVnd, lang)} – ${formatVnd(p.maxVnd, lang)}`;
        const caveat = p.confirmed ? "" : t(lang, " (chưa xác nhận)", " (unconfirmed)");
        lines.push(`• ${p.violation[lang]}: ${amount}${caveat} (${p.basis})`);
      }
    }
    lines.push(noteLine(l, lang));
  }
  if (entry.type === "event") {
    lines.push(`${t(lang, "Địa điểm", "Where")}: ${entry.event.where[lang]}.`);
  }
  const place = placeOf(entry, lang);
  return {
    answer: lines.join("\n"),
    intent: "info",
    confidence: 0.8,
    sources: [sourceOf(entry, lang)],
    suggestions: [],
    ...(place ? { place } : {}),
  };
}

/** A follow-up question about an entry, in the answer's language. */
export function suggestionFor(e: ContentEntry, lang: Lang, year?: number): string {
  const title = e.title[lang];
  switch (e.type) {
    case "attraction":
      return t(lang, `${title} ở đâu?`, `Where is ${title}?`);
    case "event":
      return year
        ? t(lang, `${title} năm ${year} vào ngày nào?`, `When is ${title} in ${year}?`)
        : t(lang, `${title} vào ngày nào?`, `When is ${title}?`);
    default:
      return title;
  }
}

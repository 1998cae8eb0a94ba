import type { ContentEntry, DeadlineRule, GuestKind } from "../../../indexer/index.ts";
import { foldedPhrases, type Normalized } from "../understand/phrases.ts";

/**
 * The lodging-deadline calculator. The rules are data in content/lodging/*.md (`deadlines`); this file
 * only reads a question's details (guest, arrival time, remote area, paper or online) and applies them.
 * No guest's personal data is asked for or kept: only a kind of guest and a clock time.
 */

export type DeadlineQuery = {
  guest?: GuestKind;
  /** Minutes after local midnight. */
  arrival?: number;
  remote?: boolean;
  method?: "paper" | "electronic";
};

/** One applicable rule and the moment it falls due. */
export type ComputedDeadline = {
  entryId: string;
  guest: GuestKind;
  method: "any" | "paper" | "electronic";
  remote?: boolean;
  due: DeadlineRule["due"];
  /** Clock time the declaration is due (HH:MM) and how many days after the arrival day; absent for on-arrival. */
  at?: { time: string; dayOffset: number };
  basis: string;
};

const FOREIGN = foldedPhrases([
  "nước ngoài",
  "người hàn",
  "khách hàn",
  "hàn quốc",
  "nhật bản",
  "người nhật",
  "khách nhật",
  "trung quốc",
  "đài loan",
  "người mỹ",
  "khách mỹ",
  "người pháp",
  "khách pháp",
  "người đức",
  "khách đức",
  "người úc",
  "khách úc",
  "người anh quốc",
  "campuchia",
  "khách campuchia",
  "korean",
  "japanese",
  "chinese",
  "american",
  "french",
  "german",
  "british",
  "australian",
  "cambodian",
  "dutch",
  "canadian",
  "tourist from",
  "người nước ngoài",
  "khách tây",
  "tây ba lô",
  "ngoại quốc",
  "hộ chiếu",
  "việt kiều",
  "foreign",
  "foreigner",
  "foreigners",
  "foreign guest",
  "passport",
  "tourist from abroad",
  "international",
]);
const VIETNAMESE = foldedPhrases([
  "việt nam",
  "người việt",
  "khách việt",
  "trong nước",
  "khách nội địa",
  "nội địa",
  "vietnamese",
  "domestic",
  "local guest",
  "citizen",
  "cccd",
  "căn cước",
]);
const REMOTE = foldedPhrases([
  "vùng sâu",
  "vùng xa",
  "vùng sâu vùng xa",
  "remote",
  "remote area",
  "rural remote",
]);
const NOT_REMOTE = foldedPhrases(["không phải vùng sâu", "not remote", "not in a remote"]);
const PAPER = foldedPhrases([
  "giấy",
  "phiếu",
  "bản giấy",
  "phiếu khai báo",
  "paper",
  "form",
  "na17",
  "on paper",
]);
const ELECTRONIC = foldedPhrases([
  "điện tử",
  "online",
  "trực tuyến",
  "qua mạng",
  "internet",
  "electronic",
  "electronically",
  "website",
  "web",
  "app",
  "vneid",
  "xuất nhập cảnh",
]);

/** Words that show a question is about registering a guest's stay. */
export const LODGING_TOPIC = foldedPhrases([
  "lưu trú",
  "tạm trú",
  "khai báo",
  "thông báo lưu trú",
  "báo công an",
  "đăng ký cho khách",
  "đăng ký khách",
  "register",
  "registration",
  "declare",
  "declaration",
  "declared",
  "report",
  "reported",
  "notify",
  "check in",
  "check-in",
  "notification",
  "reporting",
  "register a guest",
  "registering",
  "declaring",
  "paper form",
]);

/** Words that ask for a deadline rather than for the rule in general. */
export const DEADLINE_ASK = foldedPhrases([
  "trước mấy giờ",
  "mấy giờ",
  "hạn",
  "thời hạn",
  "hạn chót",
  "chậm nhất",
  "bao lâu",
  "khi nào",
  "lúc nào",
  "trong vòng",
  "deadline",
  "by when",
  "by what time",
  "what time",
  "how long",
  "how soon",
  "within",
  "when must",
  "when do",
  "when should",
  "latest",
  "time limit",
]);

// "22h", "22h30", "22 giờ", "22g", "22:00", "10 giờ tối", "6pm", "11:15 pm", "11.15pm", "lúc 9 giờ".
const TIME =
  /(?<![\d/])(\d{1,2})(?:\s*(?:giờ|gio|hours?|:|\.|h|g)\s*(\d{2})?(?:\s*(?:phút|phut|p)(?![a-z.]))?)?\s*(am|pm|a\.m\.|p\.m\.|sáng|sang|trưa|trua|chiều|chieu|tối|toi|đêm|dem|khuya)?(?![\d/])/giu;

/** The arrival time a question gives, in minutes after midnight; undefined when it gives none. */
export function parseArrivalTime(n: Normalized): number | undefined {
  const text = n.exact;
  if (/\b(midnight)\b|nửa đêm|nua dem/u.test(text)) return 0;
  if (/\bnoon\b|giữa trưa|12 giờ trưa/u.test(text)) return 12 * 60;
  for (const m of text.matchAll(TIME)) {
    const marker = m[0];
    const unit = /(:|\.|h|g|giờ|gio|hour)/iu.test(marker.slice(String(m[1]).length));
    const suffix = (m[3] ?? "").toLowerCase();
    if (!unit && !suffix) continue; // a bare number: a count, not a time
    const duration = /(?<!check)\s(trong|within|vòng|vong|mất|mat|in)\s*$/iu.test(text.slice(0, m.index));
    if (duration && !m[2] && !suffix) continue; // "trong 12 giờ", "within 24 hours": a duration
    let hour = Number(m[1]);
    const minute = m[2] ? Number(m[2]) : 0;
    if (hour > 24 || minute > 59) continue;
    if (/^(pm|p\.m\.|chiều|chieu|tối|toi)$/u.test(suffix) && hour < 12) hour += 12;
    if (!unit && /^(đêm|dem)$/u.test(suffix)) continue; // "2 đêm": two nights, not 02:00
    if (/^(đêm|dem|khuya)$/u.test(suffix) && hour === 12) hour = 0;
    if (/^(đêm|dem|khuya)$/u.test(suffix) && hour >= 6 && hour < 12) hour += 12;
    if (/^(am|a\.m\.)$/u.test(suffix) && hour === 12) hour = 0;
    // "24h" is midnight at the end of the day, which for an arrival is 00:00 of the next.
    return (hour % 24) * 60 + minute;
  }
  return undefined;
}

/** Reads the details a lodging-deadline question gives. */
export function parseDeadlineQuery(n: Normalized): DeadlineQuery {
  const q: DeadlineQuery = {};
  const foreign = FOREIGN.test(n.folded);
  const vn = VIETNAMESE.test(
    n.folded.replace(/ (?:khai bao tam tru|tai viet nam|o viet nam|in vietnam)(?= )/g, ""),
  );
  if (foreign && !vn) q.guest = "foreign";
  else if (vn && !foreign) q.guest = "vn";
  const arrival = parseArrivalTime(n);
  if (arrival !== undefined) q.arrival = arrival;
  if (NOT_REMOTE.test(n.folded)) q.remote = false;
  else if (REMOTE.test(n.folded)) q.remote = true;
  if (ELECTRONIC.test(n.folded)) q.method = "electronic";
  else if (PAPER.test(n.folded)) q.method = "paper";
  return q;
}

type LodgingEntry = Extract<ContentEntry, { type: "lodging-rule" }>;

/** The rules that apply to a guest, with their due time for the given arrival (remote defaults to no). */
export function computeDeadlines(
  entries: readonly ContentEntry[],
  q: DeadlineQuery & { guest: GuestKind },
): ComputedDeadline[] {
  const out: ComputedDeadline[] = [];
  for (const e of entries) {
    if (e.type !== "lodging-rule") continue;
    for (const rule of (e as LodgingEntry).lodging.deadlines) {
      if (rule.guest !== q.guest) continue;
      if (q.method && rule.method !== "any" && rule.method !== q.method) continue;
      if (rule.remote !== undefined && rule.remote !== (q.remote ?? false)) continue;
      if (rule.arrival && q.arrival !== undefined) {
        const from = minutes(rule.arrival.from);
        const to = minutes(rule.arrival.to);
        if (q.arrival < from || q.arrival >= to) continue;
      }
      const computed: ComputedDeadline = {
        entryId: e.id,
        guest: rule.guest,
        method: rule.method,
        due: rule.due,
        basis: rule.basis,
        ...(rule.remote !== undefined ? { remote: rule.remote } : {}),
      };
      // Without an arrival time only a fixed clock time can be given ("before 23:00 the same day").
      const at =
        q.arrival === undefined && rule.due.kind === "hours-after-arrival"
          ? undefined
          : dueAt(rule.due, q.arrival ?? 0);
      if (at) computed.at = at;
      out.push(computed);
    }
  }
  return out;
}

/** When a rule falls due for an arrival (minutes after midnight); undefined for on-arrival rules. */
export function dueAt(
  due: DeadlineRule["due"],
  arrival: number,
): { time: string; dayOffset: number } | undefined {
  switch (due.kind) {
    case "same-day":
      return { time: due.before, dayOffset: 0 };
    case "next-day":
      return { time: due.before, dayOffset: 1 };
    case "hours-after-arrival": {
      const total = arrival + due.hours * 60;
      return { time: hhmm(total % 1440), dayOffset: Math.floor(total / 1440) };
    }
    case "on-arrival":
      return undefined;
  }
}

/** "23:30" → 1410; "24:00" → 1440. */
export function minutes(hhmmText: string): number {
  const [h, m] = hhmmText.split(":").map(Number) as [number, number];
  return h * 60 + m;
}

/** 1410 → "23:30". */
export function hhmm(total: number): string {
  return `${String(Math.floor(total / 60)).padStart(2, "0")}:${String(total % 60).padStart(2, "0")}`;
}

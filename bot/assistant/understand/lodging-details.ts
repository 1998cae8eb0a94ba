import type { GuestKind } from "../../../indexer/index.ts";
import { foldedPhrases, type Normalized, type PhraseSet } from "./phrases.ts";

/**
 * The details a lodging question gives: the kind of guest, their arrival time, a remote area, paper or
 * online, how many guests and whether the lodging is run by an individual or an organisation. No guest's
 * personal data is asked for or kept: only a kind of guest, a count and a clock time.
 */

export type DeadlineQuery = {
  guest?: GuestKind;
  /** Minutes after local midnight. */
  arrival?: number;
  remote?: boolean;
  method?: "paper" | "electronic";
};

/** A lodging question's details: the deadline's, plus what the fine calculator needs. */
export type LodgingDetails = DeadlineQuery & {
  /** How many guests the question is about ("6 khách", "twelve guests"). */
  guests?: number;
  /** Who runs the lodging: the fines for organisations are double. */
  payer?: "individual" | "organisation";
  /** How long the stay is, in days ("ở 2 tháng", "for 45 days"): 30 or more is a temporary residence. */
  stayDays?: number;
  /** A private home, not a lodging business ("nhà riêng", "bà con ở lại", "my parents stay"). */
  household?: true;
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
  "khách vn",
  "người vn",
  "khach vn",
  "vn",
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
  // "Vietnamese, not French", "khách Việt chứ không phải khách Tây": what is denied is not the guest.
  const affirmed = n.folded.replace(
    / (?:not|khong phai|ko phai|k phai|chu khong phai|chu ko phai|khong con)(?: la)?(?: khach| nguoi)? \S+(?: (?:quoc|kieu|ngoai|tay))?(?= )/g,
    " ",
  );
  const foreign = FOREIGN.test(affirmed);
  const vn = VIETNAMESE.test(
    affirmed.replace(/ (?:khai bao tam tru|tai viet nam|o viet nam|in vietnam)(?= )/g, ""),
  );
  // A Vietnamese identity card makes a Vietnamese guest, whatever else is said ("Việt kiều có CCCD").
  const vnId = / (?:cccd|can cuoc|vietnamese id|id card)(?= )/.test(affirmed);
  if (vnId || (vn && !foreign)) q.guest = "vn";
  else if (foreign && !vn) q.guest = "foreign";
  const arrival = parseArrivalTime(n);
  if (arrival !== undefined) q.arrival = arrival;
  if (NOT_REMOTE.test(n.folded)) q.remote = false;
  else if (REMOTE.test(n.folded)) q.remote = true;
  if (ELECTRONIC.test(n.folded)) q.method = "electronic";
  else if (PAPER.test(n.folded)) q.method = "paper";
  return q;
}

const NUMBER_WORDS: Record<string, number> = {
  mot: 1,
  hai: 2,
  ba: 3,
  bon: 4,
  tu: 4,
  nam: 5,
  sau: 6,
  bay: 7,
  tam: 8,
  chin: 9,
  muoi: 10,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  thirty: 30,
  a: 1,
  an: 1,
};
const GUEST_NOUN =
  "(?:khach|nguoi|guests?|people|persons?|visitors?|foreigners?|tourists?|travell?ers?|korean|japanese|chinese|vietnamese|nguoi nuoc ngoai|khach nuoc ngoai|khach tay|khach viet)";

/** How many guests a question is about, from digits or number words ("6 khách", "mười hai khách", "twelve guests"). */
export function parseGuestCount(folded: string): number | undefined {
  const digits = new RegExp(`(?<![\\d:/.])(\\d{1,4})\\s*(?:nguoi\\s+)?(?:\\w+\\s+)?${GUEST_NOUN}\\b`).exec(
    folded,
  );
  if (digits) return Number(digits[1]);
  const words = new RegExp(
    `\\b((?:muoi|mot|hai|ba|bon|tu|nam|sau|bay|tam|chin|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty)(?:\\s+(?:mot|hai|ba|bon|tu|lam|nam|sau|bay|tam|chin))?)\\s+(?:\\w+\\s+)?${GUEST_NOUN}\\b`,
  ).exec(folded);
  if (!words) return undefined;
  const parts = (words[1] as string).split(/\s+/);
  const [first, second] = parts;
  if (first === "muoi") return 10 + (second ? (second === "lam" ? 5 : (NUMBER_WORDS[second] ?? 0)) : 0);
  const value = NUMBER_WORDS[first as string] ?? 0;
  if (second === "muoi") return value * 10;
  return value || undefined;
}

const ORGANISATION = foldedPhrases([
  "công ty",
  "doanh nghiệp",
  "tổ chức",
  "pháp nhân",
  "tập đoàn",
  "company",
  "companies",
  "organisation",
  "organization",
  "corporate",
  "enterprise",
  "business entity",
  "hotel chain",
]);
const INDIVIDUAL = foldedPhrases([
  "cá nhân",
  "hộ gia đình",
  "hộ kinh doanh",
  "chủ hộ",
  "nhà riêng",
  "individual",
  "household",
  "family-run",
  "family run",
  "sole trader",
  "private person",
  "one person",
  "owned by one",
  "một người",
  "owner-run",
]);

/**
 * Who runs the lodging. A denied one counts for the other: "không phải công ty", "not the company" is an
 * individual; "ko phải cá nhân" an organisation. When both are named, the one not denied wins.
 */
export function parsePayer(text: string): LodgingDetails["payer"] {
  const folded = ` ${text.trim()} `;
  const at = (set: PhraseSet) => {
    const m = set.match(folded);
    if (!m) return undefined;
    const i = folded.indexOf(m);
    return { denied: NEGATION_BEFORE.test(folded.slice(Math.max(0, i - 24), i)) };
  };
  const org = at(ORGANISATION);
  const ind = at(INDIVIDUAL);
  if (org && !org.denied) return "organisation";
  if (ind && !ind.denied) return "individual";
  if (org?.denied) return "individual";
  if (ind?.denied) return "organisation";
  return undefined;
}

const NEGATION_BEFORE =
  /(?:khong phai|ko phai|k phai|hong phai|chu khong phai|khong con la|not|not a|not the|isn t|isn t a|isn t the|is not|no longer|rather than|instead of)\s+(?:la\s+|do\s+|cua\s+|a\s+|an\s+|the\s+|our\s+|my\s+)?$/;

/** A private home, not a lodging business: the general fine of the residence rules applies. */
const HOUSEHOLD = foldedPhrases([
  "nhà riêng",
  "nhà ở bình thường",
  "nhà bình thường",
  "không kinh doanh",
  "ko kinh doanh",
  "k kinh doanh",
  "người thân",
  "bà con",
  "họ hàng",
  "bố mẹ",
  "ba mẹ",
  "ông bà",
  "private home",
  "private house",
  "my home",
  "our home",
  "my house",
  "our house",
  "relatives",
  "my parents",
  "family members",
  "not a business",
]);

/** Reads every lodging detail a question gives. */
/** The length of a stay: "ở 2 tháng", "thuê 45 ngày", "staying for three months", "a month". */
export function parseStayDays(folded: string): number | undefined {
  const m =
    /\b(?:o|song|thue|lai|stay|staying|stays|live|living|rent|renting|for)\s+(?:(?:lai|tai|khoang|about|around|tam|for|o|day|here|there|in \w+)\s+)*(\d{1,3}|mot|hai|ba|bon|nam|sau|a|an|one|two|three|four|five|six)\s+(ngay|thang|tuan|nam|days?|weeks?|months?|years?)\b/.exec(
      folded,
    );
  if (!m) return undefined;
  const count = /^\d+$/.test(m[1] as string) ? Number(m[1]) : (STAY_WORDS[m[1] as string] ?? 0);
  const unit = m[2] as string;
  const days = /^(?:ngay|days?)$/.test(unit)
    ? 1
    : /^(?:tuan|weeks?)$/.test(unit)
      ? 7
      : /^(?:thang|months?)$/.test(unit)
        ? 30
        : 365;
  return count > 0 ? count * days : undefined;
}

/** Number words, and "a month" / "an year" as one. */
const STAY_WORDS: Record<string, number> = { ...NUMBER_WORDS, a: 1, an: 1 };

export function parseLodgingDetails(n: Normalized): LodgingDetails {
  const q: LodgingDetails = parseDeadlineQuery(n);
  const stay = parseStayDays(n.folded);
  if (stay !== undefined) q.stayDays = stay;
  const guests = parseGuestCount(n.folded);
  if (guests !== undefined && guests > 0) q.guests = guests;
  const payer = parsePayer(n.folded);
  if (payer) q.payer = payer;
  if (HOUSEHOLD.test(n.folded)) q.household = true;
  return q;
}

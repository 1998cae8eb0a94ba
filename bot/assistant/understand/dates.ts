/**
 * The dates a question asks about ("cuối tuần này", "tháng 6 năm 2027", "rằm tháng giêng", "next weekend"),
 * resolved against an instant in Vietnam's time zone.
 *
 * Matching runs on folded text (no diacritics, đ→d), because many people type Vietnamese without them.
 * Folding merges some words that mean different things ("tháng sáu" June / "tháng sau" next month,
 * "cuối tuần" weekend / "cưới" wedding, "tối nay" tonight / "tới nay" until now); where the user typed
 * diacritics, the words as typed decide, and text without diacritics gets the common reading.
 */
import { fold, lunarToSolar, solarToLunar } from "../../../indexer/index.ts";

export type LocalDate = { year: number; month: number; day: number };

export type DateRange = {
  /** YYYY-MM-DD inclusive, local dates. */
  from: string;
  to: string;
  kind: "day" | "weekend" | "week" | "month" | "lunar-month" | "year" | "upcoming";
  /** Human label for the range in each language, e.g. { vi: "tháng 6/2027", en: "June 2027" }. */
  label: { vi: string; en: string };
  /** true when the question named the year (so "năm 2027" / "in 2027" / "June 2027"). */
  explicitYear: boolean;
};

type Kind = DateRange["kind"];

/** Vietnam has kept UTC+7 all year since 1975: no daylight saving, so a fixed offset is exact. */
const VIETNAM_UTC_OFFSET_MS = 7 * 3_600_000;
const DAY_MS = 86_400_000;
/** "Sắp tới" / "upcoming" with no other date: today and the next 30 days. */
const UPCOMING_DAYS = 30;

/** Today's date in Asia/Ho_Chi_Minh (UTC+7 all year, no DST) for an instant. */
export function localToday(now: Date): LocalDate {
  const t = new Date(now.getTime() + VIETNAM_UTC_OFFSET_MS);
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/** A local date as "YYYY-MM-DD". */
export function isoOf(d: LocalDate): string {
  return `${String(d.year).padStart(4, "0")}-${String(d.month).padStart(2, "0")}-${String(d.day).padStart(2, "0")}`;
}

// ---------------------------------------------------------------------------------------------------------
// Calendar arithmetic on day numbers (days since 1970-01-01); Date.UTC does the Gregorian bookkeeping.

function dayNumber(d: LocalDate): number {
  return Math.round(Date.UTC(d.year, d.month - 1, d.day) / DAY_MS);
}

function dateOf(n: number): LocalDate {
  const t = new Date(n * DAY_MS);
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

function addDays(d: LocalDate, n: number): LocalDate {
  return dateOf(dayNumber(d) + n);
}

/** 0 = Sunday ... 6 = Saturday (1970-01-01, day 0, was a Thursday). */
function weekdayOf(d: LocalDate): number {
  return (((dayNumber(d) + 4) % 7) + 7) % 7;
}

/** The Monday that starts d's week (weeks run Monday to Sunday in Vietnam). */
function mondayOf(d: LocalDate): LocalDate {
  return addDays(d, -((weekdayOf(d) + 6) % 7));
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function isDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** The same day `n` months later, clamped to the end of a shorter month. */
function addMonths(d: LocalDate, n: number): LocalDate {
  const index = d.year * 12 + d.month - 1 + n;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return { year, month, day: Math.min(d.day, daysInMonth(year, month)) };
}

// ---------------------------------------------------------------------------------------------------------
// Labels

/** English month names, January first (also used by format.ts). */
export const EN_MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
] as const;
const VI_WEEKDAYS = ["Chủ nhật", "thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy"] as const;
const EN_WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;

function enMonth(month: number): string {
  return EN_MONTHS[month - 1] ?? String(month);
}

function viDate(d: LocalDate): string {
  return `${d.day}/${d.month}/${d.year}`;
}

function enDate(d: LocalDate): string {
  return `${d.day} ${enMonth(d.month).slice(0, 3)} ${d.year}`;
}

/** "28–29/11/2026", "30/11–6/12/2026", "31/12/2026–3/1/2027", or one date. */
function viSpan(a: LocalDate, b: LocalDate): string {
  if (a.year !== b.year) return `${viDate(a)}–${viDate(b)}`;
  if (a.month !== b.month) return `${a.day}/${a.month}–${viDate(b)}`;
  return a.day === b.day ? viDate(a) : `${a.day}–${viDate(b)}`;
}

/** "28–29 Nov 2026", "30 Nov – 6 Dec 2026", "31 Dec 2026 – 3 Jan 2027", or one date. */
function enSpan(a: LocalDate, b: LocalDate): string {
  if (a.year !== b.year) return `${enDate(a)} – ${enDate(b)}`;
  if (a.month !== b.month) return `${a.day} ${enMonth(a.month).slice(0, 3)} – ${enDate(b)}`;
  return a.day === b.day ? enDate(a) : `${a.day}–${enDate(b)}`;
}

function viLunarMonth(month: number, leap = false): string {
  const name = month === 1 ? "tháng Giêng" : month === 12 ? "tháng Chạp" : `tháng ${month}`;
  return leap ? `${name} nhuận` : name;
}

function enLunarMonth(month: number, leap = false): string {
  return leap ? `leap lunar month ${month}` : `lunar month ${month}`;
}

function rangeOf(
  kind: Kind,
  from: LocalDate,
  to: LocalDate,
  vi: string,
  en: string,
  explicitYear = false,
): DateRange {
  return { from: isoOf(from), to: isoOf(to), kind, label: { vi, en }, explicitYear };
}

// ---------------------------------------------------------------------------------------------------------
// Ranges

/** A year that the question gave apart from the date it qualifies ("tháng 6 ... năm 2027", "năm sau"). */
type YearHint = { year: number; explicit: boolean };

type Scan = {
  /** Lowercased, NFC, whitespace collapsed: what the user typed. */
  typed: string;
  /** `typed` folded; the patterns run on this. */
  folded: string;
  /** True when folding kept every character in place, so a span of `folded` is the same span of `typed`. */
  aligned: boolean;
  today: LocalDate;
  todayNumber: number;
};

function relativeDay(scan: Scan, offset: number, vi: string, en: string): DateRange {
  const d = addDays(scan.today, offset);
  return rangeOf("day", d, d, `${vi} (${viDate(d)})`, `${en} (${enDate(d)})`);
}

/** "coming": the next such weekday, today included; "after-today": today excluded; or within a given week. */
type WeekdayMode = "coming" | "after-today" | "this-week" | "next-week";

function weekdayRange(scan: Scan, weekday: number, mode: WeekdayMode): DateRange {
  const { today } = scan;
  const current = weekdayOf(today);
  const offsetInWeek = (weekday + 6) % 7;
  const d =
    mode === "coming"
      ? addDays(today, (weekday - current + 7) % 7)
      : mode === "after-today"
        ? addDays(today, ((weekday - current + 6) % 7) + 1)
        : addDays(mondayOf(today), (mode === "next-week" ? 7 : 0) + offsetInWeek);
  return rangeOf(
    "day",
    d,
    d,
    `${VI_WEEKDAYS[weekday] ?? ""} ${viDate(d)}`,
    `${EN_WEEKDAYS[weekday] ?? ""} ${enDate(d)}`,
  );
}

/** A day and month, in `year` or else the next such date from today (today included). */
function explicitDay(scan: Scan, day: number, month: number, year: number | undefined, hint?: YearHint) {
  let y = year ?? hint?.year;
  const explicit = year !== undefined || hint?.explicit === true;
  if (y === undefined) {
    // 29/2 may be up to eight years away (2096 → 2104); anything else is this year or next.
    for (let candidate = scan.today.year; candidate <= scan.today.year + 8 && y === undefined; candidate++) {
      if (isDate(candidate, month, day) && dayNumber({ year: candidate, month, day }) >= scan.todayNumber) {
        y = candidate;
      }
    }
  }
  if (y === undefined || !isDate(y, month, day)) return undefined;
  const d = { year: y, month, day };
  return rangeOf("day", d, d, `ngày ${viDate(d)}`, enDate(d), explicit);
}

function weekendRange(scan: Scan, which: -1 | 0 | 1): DateRange {
  const { today } = scan;
  const current = weekdayOf(today);
  // Saturday of "this weekend": today on Saturday, yesterday on Sunday, the coming one on weekdays.
  const thisSaturday =
    current === 6 ? today : current === 0 ? addDays(today, -1) : addDays(today, 6 - current);
  const saturday = addDays(thisSaturday, 7 * which);
  const sunday = addDays(saturday, 1);
  const [vi, en] =
    which === 0
      ? ["cuối tuần này", "this weekend"]
      : which === 1
        ? ["cuối tuần sau", "next weekend"]
        : ["cuối tuần trước", "last weekend"];
  // On Sunday this weekend is what is left of it: today. Last weekend keeps its Saturday.
  const start = which === 0 && dayNumber(saturday) < scan.todayNumber ? today : saturday;
  return rangeOf(
    "weekend",
    start,
    sunday,
    `${vi} (${viSpan(start, sunday)})`,
    `${en} (${enSpan(start, sunday)})`,
  );
}

function weekRange(scan: Scan, which: -1 | 0 | 1): DateRange {
  const monday = addDays(mondayOf(scan.today), 7 * which);
  const sunday = addDays(monday, 6);
  const from = which === 0 ? scan.today : monday;
  const [vi, en] =
    which === 0
      ? ["tuần này", "this week"]
      : which === 1
        ? ["tuần sau", "next week"]
        : ["tuần trước", "last week"];
  return rangeOf("week", from, sunday, `${vi} (${viSpan(from, sunday)})`, `${en} (${enSpan(from, sunday)})`);
}

function relativeMonth(scan: Scan, which: -1 | 0 | 1): DateRange {
  const first = addMonths({ ...scan.today, day: 1 }, which);
  const last = { ...first, day: daysInMonth(first.year, first.month) };
  if (which === 0) {
    const { today } = scan;
    return rangeOf(
      "month",
      today,
      last,
      `tháng này (${viSpan(today, last)})`,
      `this month (${enSpan(today, last)})`,
    );
  }
  const [vi, en] = which === 1 ? ["tháng sau", "next month"] : ["tháng trước", "last month"];
  return rangeOf(
    "month",
    first,
    last,
    `${vi} (${first.month}/${first.year})`,
    `${en} (${enMonth(first.month)} ${first.year})`,
  );
}

/** A named month: of `year`, or else the next such month from today (the current month counts). */
function namedMonth(
  scan: Scan,
  month: number,
  year: number | undefined,
  hint: YearHint | undefined,
  strictlyFuture = false,
): DateRange | undefined {
  if (month < 1 || month > 12) return undefined;
  const { today } = scan;
  const y =
    year ??
    hint?.year ??
    (month > today.month || (month === today.month && !strictlyFuture) ? today.year : today.year + 1);
  const explicit = year !== undefined || hint?.explicit === true;
  const first = { year: y, month, day: 1 };
  const last = { year: y, month, day: daysInMonth(y, month) };
  return rangeOf("month", first, last, `tháng ${month}/${y}`, `${enMonth(month)} ${y}`, explicit);
}

function yearRange(scan: Scan, year: number, explicit: boolean, relative?: -1 | 0 | 1): DateRange {
  const first = { year, month: 1, day: 1 };
  const last = { year, month: 12, day: 31 };
  if (relative === 0) {
    const { today } = scan;
    return rangeOf(
      "year",
      today,
      last,
      `năm nay (${viSpan(today, last)})`,
      `this year (${enSpan(today, last)})`,
    );
  }
  if (relative === 1) return rangeOf("year", first, last, `năm sau (${year})`, `next year (${year})`);
  if (relative === -1) return rangeOf("year", first, last, `năm ngoái (${year})`, `last year (${year})`);
  return rangeOf("year", first, last, `năm ${year}`, String(year), explicit);
}

function upcomingRange(scan: Scan, to: LocalDate, vi: string, en: string): DateRange {
  const { today } = scan;
  return rangeOf("upcoming", today, to, `${vi} (${viSpan(today, to)})`, `${en} (${enSpan(today, to)})`);
}

function lunarDate(year: number, month: number, day: number): LocalDate | undefined {
  return lunarToSolar({ year, month, day, leap: false });
}

/** Last day of a (non-leap) lunar month: day 30 when the month is long, else day 29. */
function lunarMonthEnd(year: number, month: number): LocalDate | undefined {
  return lunarDate(year, month, 30) ?? lunarDate(year, month, 29);
}

/** The lunar year to use for lunar month `month` (and `day`) when the question gave none. */
function nextLunarYear(scan: Scan, month: number, day?: number): number | undefined {
  const current = solarToLunar(scan.today).year;
  return [current, current + 1].find((y) => {
    const end = day === undefined ? lunarMonthEnd(y, month) : lunarDate(y, month, day);
    return end !== undefined && dayNumber(end) >= scan.todayNumber;
  });
}

function lunarMonthRange(
  scan: Scan,
  month: number,
  year: number | undefined,
  hint: YearHint | undefined,
): DateRange | undefined {
  if (!Number.isInteger(month) || month < 1 || month > 12) return undefined;
  const y = year ?? hint?.year ?? nextLunarYear(scan, month);
  if (y === undefined) return undefined;
  const first = lunarDate(y, month, 1);
  const last = lunarMonthEnd(y, month);
  if (!first || !last) return undefined;
  return rangeOf(
    "lunar-month",
    first,
    last,
    `${viLunarMonth(month)} âm lịch (${viSpan(first, last)})`,
    `${enLunarMonth(month)} (${enSpan(first, last)})`,
    year !== undefined || hint?.explicit === true,
  );
}

function lunarDayRange(
  scan: Scan,
  month: number,
  day: number,
  year: number | undefined,
  hint: YearHint | undefined,
): DateRange | undefined {
  if (!Number.isInteger(month) || month < 1 || month > 12 || day < 1 || day > 30) return undefined;
  const y = year ?? hint?.year ?? nextLunarYear(scan, month, day);
  const d = y === undefined ? undefined : lunarDate(y, month, day);
  if (!d) return undefined;
  const [vi, en] =
    day === 15
      ? [`rằm ${viLunarMonth(month)} âm lịch`, `full moon of ${enLunarMonth(month)}`]
      : [`ngày ${day} ${viLunarMonth(month)} âm lịch`, `day ${day} of ${enLunarMonth(month)}`];
  return rangeOf(
    "day",
    d,
    d,
    `${vi} (${viDate(d)})`,
    `${en} (${enDate(d)})`,
    year !== undefined || hint?.explicit === true,
  );
}

/**
 * A full moon (day 15 of a lunar month): "next" is the next one, today included; "this" and "following" are
 * those of the current lunar month (even if past) and of the month after it.
 */
function fullMoon(scan: Scan, which: "next" | "this" | "following"): DateRange {
  const { today } = scan;
  const lunar = solarToLunar(today);
  const length = lunarToSolar({ ...lunar, day: 30 }) ? 30 : 29;
  const following = which === "following" || (which === "next" && lunar.day > 15);
  const d = addDays(today, 15 - lunar.day + (following ? length : 0));
  const { month, leap } = solarToLunar(d);
  return rangeOf(
    "day",
    d,
    d,
    `rằm ${viLunarMonth(month, leap)} âm lịch (${viDate(d)})`,
    `full moon of ${enLunarMonth(month, leap)} (${enDate(d)})`,
  );
}

// ---------------------------------------------------------------------------------------------------------
// Patterns. All run on folded text; `d` gives group spans so ambiguous words can be checked as typed.

type Span = [number, number] | undefined;

function spanOf(m: RegExpExecArray, group: number): Span {
  return m.indices?.[group];
}

/** True unless the user typed the word at `span` with diacritics that make it another word. */
function typedAs(scan: Scan, span: Span, ...forms: string[]): boolean {
  if (!span || !scan.aligned) return true;
  const typed = scan.typed.slice(span[0], span[1]).replace(/ /g, "");
  return forms.some((f) => f.replace(/ /g, "") === typed);
}

/** Vietnamese month names after "tháng", folded; longest first. */
const VI_MONTH_WORDS = "muoi\\s*mot|muoi\\s*hai|muoi|gieng|chap|mot|hai|ba|tu|bon|nam|sau|bay|tam|chin";
/** Folded month word → [month, as spelled with diacritics]. */
const VI_MONTH_NUMBERS: Record<string, readonly [number, string]> = {
  gieng: [1, "giêng"],
  mot: [1, "một"],
  hai: [2, "hai"],
  ba: [3, "ba"],
  tu: [4, "tư"],
  bon: [4, "bốn"],
  nam: [5, "năm"],
  sau: [6, "sáu"],
  bay: [7, "bảy"],
  tam: [8, "tám"],
  chin: [9, "chín"],
  muoi: [10, "mười"],
  muoimot: [11, "mười một"],
  muoihai: [12, "mười hai"],
  chap: [12, "chạp"],
};

/**
 * The month a Vietnamese month word names, or undefined when the word as typed is another word.
 * Lunar months use the traditional names: tháng Giêng is 1, tháng Một is 11 and tháng Chạp is 12.
 */
function viMonthWord(scan: Scan, word: string, span: Span, lunar: boolean): number | undefined {
  const key = word.replace(/\s+/g, "");
  const entry = VI_MONTH_NUMBERS[key];
  if (!entry) return undefined;
  const [month, spelled] = entry;
  if (key === "sau") {
    // Folded "sau" is "sáu" (six) or "sau" (next): only diacritics make it June.
    if (!scan.aligned || !span || scan.typed.slice(span[0], span[1]) !== "sáu") return undefined;
  } else if (!typedAs(scan, span, key, spelled)) {
    return undefined;
  }
  return lunar && key === "mot" ? 11 : month;
}

const EN_MONTH_NUMBERS: Record<string, number> = {
  january: 1,
  jan: 1,
  february: 2,
  feb: 2,
  march: 3,
  mar: 3,
  april: 4,
  apr: 4,
  may: 5,
  june: 6,
  jun: 6,
  july: 7,
  jul: 7,
  august: 8,
  aug: 8,
  september: 9,
  sept: 9,
  sep: 9,
  october: 10,
  oct: 10,
  november: 11,
  nov: 11,
  december: 12,
  dec: 12,
};
const EN_MONTH_WORDS = Object.keys(EN_MONTH_NUMBERS).join("|");
const EN_ORDINALS: Record<string, number> = {
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  sixth: 6,
  seventh: 7,
  eighth: 8,
  ninth: 9,
  tenth: 10,
  eleventh: 11,
  twelfth: 12,
};
const EN_WEEKDAY_NUMBERS: Record<string, number> = {
  sunday: 0,
  monday: 1,
  tuesday: 2,
  wednesday: 3,
  thursday: 4,
  friday: 5,
  saturday: 6,
};
const VI_WEEKDAY_NUMBERS: Record<string, number> = { hai: 1, ba: 2, tu: 3, nam: 4, sau: 5, bay: 6 };

// Relative days.
const TODAY =
  /\b(?:hom\s*nay|bua\s*nay|today|tonight|(toi|dem|chieu|sang|trua)\s*nay|this\s+(?:morning|afternoon|evening)|right\s+now)\b/dg;
const YESTERDAY = /\b(?:hom\s*qua|yesterday)\b/g;
const TOMORROW = /\b(?:(ngay|sang|trua|chieu|toi|dem)\s*(mai)|tomorrow|tmrw?)\b/dg;
/** "Mai có ..." at the start: "mai" alone is also a name, "mãi" (forever) or "mái" (roof). */
const TOMORROW_LEAD = /^\W*(mai)\s+co\b/dg;
const DAY_AFTER_TOMORROW = /\b(?:ngay\s*(kia|mot)|day\s+after\s+tomorrow)\b/dg;

// Weekdays.
const WEEKDAY_EN =
  /\b(?:(this\s+coming|this|next|coming|on)\s+)?(sunday|monday|tuesday|wednesday|thursday|friday|saturday)\b/g;
const WEEKDAY_VI =
  /\b(?:(chu\s*nhat)|(thu)\s*([2-7]|hai|ba|tu|nam|sau|bay)\b)(?:\s*(tuan\s*(?:nay|sau|toi)|nay|toi|sau)\b)?/dg;
/** "thứ hai" is also "second": a bare Vietnamese weekday needs a time word before it or starts the text. */
const WEEKDAY_VI_CONTEXT = /(?:^\W*|\b(?:vao|hom|sang|trua|chieu|toi|dem|moi|cac)\s+)$/;

// Explicit dates.
const DATE_SLASH = /(?<![\w/.:,-])(\d{1,2})\s*\/\s*(\d{1,2})(?:\s*\/\s*(\d{4}|\d{2}))?(?![\w/:%]|[.,]\d)/dg;
const DATE_DOTTED = /(?<![\w/.:,-])(\d{1,2})([.-])(\d{1,2})\2(\d{4})(?![\w/:-]|[.,]\d)/dg;
const DATE_ISO = /(?<![\w/.:,-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\w/:-]|[.,]\d)/dg;
const DATE_WORD_BEFORE = /\b(?:ngay|mung|mong|hom|on|vao)\s*$/;
/** "số 12/3 đường ...", "hẻm 5/2": addresses, not dates. */
const ADDRESS_BEFORE =
  /\b(?:so|hem|ngo|ngach|kiet|duong|dia\s*chi|address|no|phong|room|ql|quoc\s*lo|tl|tinh\s*lo|km)\.?\s*$/;
/** "1/2 ngày" (half a day): a fraction, not a date. */
const UNIT_AFTER = /^\s*(?:ngay|gio|tieng|phut|nguoi|lan|days?|hours?|minutes?|times?)\b/;
const VI_YEAR_TAIL = "(?:\\s*(?:[/,-]|nam)?\\s*(\\d{4})(?![\\d/]))?";
const DAY_MONTH_VI = new RegExp(
  `(?:\\b(ngay|mung|mong)\\s*|(?<![\\w/.,]))(\\d{1,2})\\s*(thang)\\s*(?:(\\d{1,2})(?![\\d:])|(${VI_MONTH_WORDS})\\b)${VI_YEAR_TAIL}`,
  "dg",
);
/** "trong 6 tháng 2 lần", "mỗi 3 tháng 1 lần": durations, not dates. */
const DURATION_BEFORE = /\b(?:trong|moi|khoang|hon|gan|qua|duoi|tren|sau|mat|them|nhat|da|vong)\s*$/;
const EN_MONTH_DAY = new RegExp(
  `\\b(${EN_MONTH_WORDS})\\b\\.?\\s*(\\d{1,2})(?:st|nd|rd|th)?\\b(?!\\s*(?::|h\\b|am\\b|pm\\b))(?:,?\\s*(\\d{4})(?![\\d/]))?`,
  "dg",
);
const EN_DAY_MONTH = new RegExp(
  `(?<![\\w/.:,])(\\d{1,2})(?:st|nd|rd|th)?\\s*(?:of\\s+)?(${EN_MONTH_WORDS})\\b\\.?(?:,?\\s*(\\d{4})(?![\\d/]))?`,
  "dg",
);

// Lunar dates.
const LUNAR_MARK = /^\s*[,(]?\s*(?:(?:nam\s*)?\d{4}\s*[,(]?\s*)?(?:am\s*lich|al|lunar|(am))\b/d;
const FULL_MOON_VI = new RegExp(
  `\\b(ram)\\s*(thang)\\s*(?:(\\d{1,2})(?![\\d:])|(${VI_MONTH_WORDS})\\b)${VI_YEAR_TAIL}`,
  "dg",
);
const FULL_MOON_RELATIVE_VI = /\b(ram)\s*(thang)\s*(nay|sau|toi)\b/dg;
const NEXT_FULL_MOON_VI = /\b(ngay\s*)?(ram)\b(?!\s*thang)(?:\s*(nay|toi|sap\s*toi))?/dg;
const LUNAR_MONTH_EN = new RegExp(
  `\\b(?:(?:(\\d{1,2})(?:st|nd|rd|th)?|(${Object.keys(EN_ORDINALS).join("|")}))\\s+(?:lunar\\s+month|month\\s+of\\s+the\\s+lunar\\s+(?:calendar|year))|lunar\\s+month\\s+(\\d{1,2})|month\\s+(\\d{1,2})\\s+of\\s+the\\s+lunar\\s+(?:calendar|year))\\b`,
  "dg",
);
const FULL_MOON_EN_BEFORE = /\bfull\s+moon\s+(?:of|in)\s+(?:the\s+)?$/;
const LUNAR_DAY_EN_BEFORE =
  /(?:\bday\s+(\d{1,2})|(?<![\w/.])(\d{1,2})(?:st|nd|rd|th)?(?:\s+day)?)\s+of\s+(?:the\s+)?$/;

// Weekends, weeks, months.
const WEEKEND_VI = /\b(cuoi)\s*tuan\b(?:\s*(nay|sau|toi|truoc|roi))?/dg;
const WEEKEND_EN = /\b(?:(this\s+coming|this|next|last|coming|the|on)\s+)?week[\s-]?ends?\b/g;
const WEEK = /\b(?:tuan\s*(nay|sau|toi|truoc|roi)|(this|next|last)\s+week)\b(?![\s-]?ends?\b)/dg;
const MONTH_RELATIVE = /\b(?:(thang)\s*(nay|sau|toi|truoc|roi)|(this|next|last)\s+month)\b/dg;
const MONTH_VI = new RegExp(
  `\\b(thang)\\s*(?:(\\d{1,2})(?![\\d:])|(${VI_MONTH_WORDS})\\b)(?!\\s*lan\\b)${VI_YEAR_TAIL}`,
  "dg",
);
const MONTH_EN = new RegExp(
  `\\b(?:(next|this|coming)\\s+)?(${EN_MONTH_WORDS})\\b\\.?(?:,?\\s*(?:of\\s+)?(\\d{4})(?![\\d/]))?`,
  "dg",
);
/** "may" is also a verb (and folded "mấy", "máy"), "sep" folded "sếp" (boss): alone, these need a preposition. */
const NEEDS_CONTEXT = new Set(["may", "sep"]);
const MONTH_CONTEXT =
  /\b(?:in|of|during|for|until|till|from|to|through|by|since|before|after|early|late|mid)[\s-]*$/;
/** A small count just before: "15 tháng 3" is a day, "2 tuần tới" two weeks; a year ("2026 tháng giêng") is not one. */
const DIGIT_BEFORE = /(?:^|\D)\d{1,3}\s*$/;

// Years.
/**
 * A year from 2000 to 2100 standing alone: not inside a code ("68/2020/QH14"), a phone number ("0296 2050 123"),
 * an amount ("2000 đồng") or a law's name ("Luật Cư trú 2020").
 */
const YEAR =
  /(?<![\w/.:,-]|\d[\s.,-])(20\d\d|2100)(?![\w/%]|[.,:-]\d|\s\d)(?!\s*(?:dong|d|vnd|usd|k|nghin|ngan|trieu|ty|nguoi|khach|km|m|met|phong|luot|chiec)\b)/g;
const YEAR_WORD_BEFORE = /\b(?:nam|in|of|year|during|for)\s*$/;
const LAW_BEFORE =
  /\b(?:luat|nghi\s*dinh|thong\s*tu|quyet\s*dinh|chi\s*thi|cong\s*van|law|decree|circular|decision)\b[^.?!;]{0,40}$/;
const YEAR_RELATIVE = /\b(?:(nam)\s*(nay|sau|toi|ngoai|truoc|roi)|sang\s*nam|(this|next|last)\s+year)\b/dg;

// Upcoming.
const UPCOMING =
  /\b(?:sap\s*(?:toi|dien\s*ra|co)|thoi\s*gian\s*toi|(?:nhung|may|cac|vai)\s*ngay\s*(?:toi|sap\s*toi)|upcoming|coming\s+up|soon|(?:the\s+)?(?:coming|next\s+few)\s+(?:days|weeks)|what(?:'?s|\s+is)\s+(?:on|happening))\b/g;
const NEXT_PERIOD =
  /\b(?:(\d{1,3})\s*(ngay|tuan|thang)\s*(?:toi|sap\s*toi)|(?:next|coming)\s+(\d{1,3})\s+(days?|weeks?|months?))\b/g;

// ---------------------------------------------------------------------------------------------------------
// Detection

/** Most specific first: a day beats a weekend, which beats a week, a month, a year, "upcoming". */
const RANK = { day: 0, weekend: 1, week: 2, month: 3, year: 4, upcoming: 5 } as const;

type Found = { rank: number; at: number; resolve: (hint: YearHint | undefined) => DateRange | undefined };
type Findings = { found: Found[]; years: (YearHint & { at: number })[] };

function lunarMarkAfter(scan: Scan, end: number): boolean {
  const m = LUNAR_MARK.exec(scan.folded.slice(end));
  if (!m) return false;
  // A bare "am" is "âm" only when typed so; "4 am" is a time.
  const bare = spanOf(m, 1);
  if (!bare) return true;
  return scan.aligned && scan.typed.slice(end + bare[0], end + bare[1]) === "âm";
}

function endOf(m: RegExpExecArray): number {
  return m.index + m[0].length;
}

function findRelativeDays(scan: Scan, { found }: Findings): void {
  const push = (at: number, offset: number, vi: string, en: string): void => {
    found.push({ rank: RANK.day, at, resolve: () => relativeDay(scan, offset, vi, en) });
  };
  for (const m of scan.folded.matchAll(TODAY)) {
    const part = m[1];
    if (part === "toi" && !typedAs(scan, spanOf(m, 1), "toi", "tối")) continue;
    if (part === "sang" && !typedAs(scan, spanOf(m, 1), "sang", "sáng")) continue;
    push(m.index, 0, "hôm nay", "today");
  }
  for (const m of scan.folded.matchAll(YESTERDAY)) push(m.index, -1, "hôm qua", "yesterday");
  for (const m of scan.folded.matchAll(TOMORROW)) {
    const part = m[1];
    if (part === "toi" && !typedAs(scan, spanOf(m, 1), "toi", "tối")) continue;
    if (part === "sang" && !typedAs(scan, spanOf(m, 1), "sang", "sáng")) continue;
    if (m[2] !== undefined && !typedAs(scan, spanOf(m, 2), "mai")) continue;
    push(m.index, 1, "ngày mai", "tomorrow");
  }
  for (const m of scan.folded.matchAll(TOMORROW_LEAD)) {
    if (typedAs(scan, spanOf(m, 1), "mai")) push(m.index, 1, "ngày mai", "tomorrow");
  }
  for (const m of scan.folded.matchAll(DAY_AFTER_TOMORROW)) {
    // "ngày mốt" is the day after tomorrow, "ngày một" is day one: only diacritics tell them apart.
    if (m[1] === "mot" && !(scan.aligned && typedAs(scan, spanOf(m, 1), "mốt"))) continue;
    push(m.index, 2, "ngày kia", "the day after tomorrow");
  }
}

function findWeekdays(scan: Scan, { found }: Findings): void {
  for (const m of scan.folded.matchAll(WEEKDAY_EN)) {
    const weekday = EN_WEEKDAY_NUMBERS[m[2] ?? ""];
    if (weekday === undefined) continue;
    const mode: WeekdayMode = m[1] === "next" ? "next-week" : "coming";
    found.push({ rank: RANK.day, at: m.index, resolve: () => weekdayRange(scan, weekday, mode) });
  }
  for (const m of scan.folded.matchAll(WEEKDAY_VI)) {
    let weekday: number | undefined;
    if (m[1] !== undefined) {
      // "hình chữ nhật" (rectangle) folds to "chu nhat" too.
      if (
        !typedAs(scan, spanOf(m, 1), "chu nhat", "chủ nhật") ||
        /\bhinh\s*$/.test(scan.folded.slice(0, m.index))
      )
        continue;
      weekday = 0;
    } else {
      if (!typedAs(scan, spanOf(m, 2), "thu", "thứ")) continue;
      const n = m[3] ?? "";
      weekday = /^\d$/.test(n) ? Number(n) - 1 : VI_WEEKDAY_NUMBERS[n];
      if (weekday === undefined) continue;
      if (m[4] === undefined && !WEEKDAY_VI_CONTEXT.test(scan.folded.slice(0, m.index))) continue;
    }
    const suffix = m[4]?.replace(/\s+/g, "");
    const mode: WeekdayMode =
      suffix === "tuannay"
        ? "this-week"
        : suffix === "tuansau" || suffix === "tuantoi"
          ? "next-week"
          : suffix === "toi" || suffix === "sau"
            ? "after-today"
            : "coming";
    const day = weekday;
    found.push({ rank: RANK.day, at: m.index, resolve: () => weekdayRange(scan, day, mode) });
  }
}

/** Pushes a solar or lunar day candidate for a day/month[/year] read from the text. */
function pushDay(
  scan: Scan,
  found: Found[],
  at: number,
  day: number,
  month: number,
  year: number | undefined,
  lunar: boolean,
): void {
  found.push({
    rank: RANK.day,
    at,
    resolve: (hint) =>
      lunar ? lunarDayRange(scan, month, day, year, hint) : explicitDay(scan, day, month, year, hint),
  });
}

/** Four-digit years and two-digit ones (as 20xx); outside 1900–2199 the number is not a year. */
function yearOf(text: string | undefined): number | undefined | null {
  if (text === undefined) return undefined;
  const n = Number(text);
  const year = text.length === 2 ? 2000 + n : n;
  return year >= 1900 && year <= 2199 ? year : null;
}

function findExplicitDays(scan: Scan, { found }: Findings): void {
  const { folded } = scan;
  for (const m of folded.matchAll(DATE_SLASH)) {
    const before = folded.slice(0, m.index);
    if (ADDRESS_BEFORE.test(before) || UNIT_AFTER.test(folded.slice(endOf(m)))) continue;
    let day = Number(m[1]);
    let month = Number(m[2]);
    const year = yearOf(m[3]);
    if (year === null) continue;
    // "24/7" is "around the clock" unless it is plainly a date.
    if (day === 24 && month === 7 && year === undefined && !DATE_WORD_BEFORE.test(before)) continue;
    // An impossible day/month that reads as month/day was written the American way.
    if (month > 12 && day <= 12) [day, month] = [month, day];
    pushDay(scan, found, m.index, day, month, year, lunarMarkAfter(scan, endOf(m)));
  }
  for (const m of folded.matchAll(DATE_DOTTED)) {
    const year = yearOf(m[4]);
    if (!year) continue;
    pushDay(scan, found, m.index, Number(m[1]), Number(m[3]), year, lunarMarkAfter(scan, endOf(m)));
  }
  for (const m of folded.matchAll(DATE_ISO)) {
    const year = yearOf(m[1]);
    if (year) pushDay(scan, found, m.index, Number(m[3]), Number(m[2]), year, false);
  }
  for (const m of folded.matchAll(DAY_MONTH_VI)) {
    if (m[1] === undefined && DURATION_BEFORE.test(folded.slice(0, m.index))) continue;
    if (!typedAs(scan, spanOf(m, 3), "thang", "tháng")) continue;
    const word = m[5];
    const lunar = lunarMarkAfter(scan, endOf(m)) || word === "gieng" || word === "chap";
    const month = word === undefined ? Number(m[4]) : viMonthWord(scan, word, spanOf(m, 5), lunar);
    const year = yearOf(m[6]);
    if (month === undefined || year === null) continue;
    pushDay(scan, found, m.index, Number(m[2]), month, year, lunar);
  }
  for (const m of folded.matchAll(EN_MONTH_DAY)) {
    if (!typedAs(scan, spanOf(m, 1), m[1] ?? "")) continue;
    const month = EN_MONTH_NUMBERS[m[1] ?? ""];
    const year = yearOf(m[3]);
    if (month !== undefined && year !== null) pushDay(scan, found, m.index, Number(m[2]), month, year, false);
  }
  for (const m of folded.matchAll(EN_DAY_MONTH)) {
    if (!typedAs(scan, spanOf(m, 2), m[2] ?? "")) continue;
    const month = EN_MONTH_NUMBERS[m[2] ?? ""];
    const year = yearOf(m[3]);
    if (month !== undefined && year !== null) pushDay(scan, found, m.index, Number(m[1]), month, year, false);
  }
}

function findLunar(scan: Scan, { found }: Findings): void {
  const { folded } = scan;
  for (const m of folded.matchAll(FULL_MOON_VI)) {
    if (!typedAs(scan, spanOf(m, 1), "ram", "rằm") || !typedAs(scan, spanOf(m, 2), "thang", "tháng"))
      continue;
    const word = m[4];
    const month = word === undefined ? Number(m[3]) : viMonthWord(scan, word, spanOf(m, 4), true);
    const year = yearOf(m[5]);
    if (month === undefined || year === null) continue;
    pushDay(scan, found, m.index, 15, month, year, true);
  }
  for (const m of folded.matchAll(FULL_MOON_RELATIVE_VI)) {
    if (!typedAs(scan, spanOf(m, 1), "ram", "rằm") || !typedAs(scan, spanOf(m, 2), "thang", "tháng"))
      continue;
    // "rằm tháng sáu" is the full moon of month 6, read by FULL_MOON_VI.
    if (m[3] === "sau" && scan.aligned && typedAs(scan, spanOf(m, 3), "sáu")) continue;
    const which = m[3] === "nay" ? "this" : "following";
    found.push({ rank: RANK.day, at: m.index, resolve: () => fullMoon(scan, which) });
  }
  for (const m of folded.matchAll(NEXT_FULL_MOON_VI)) {
    const typedRam = scan.aligned && typedAs(scan, spanOf(m, 2), "rằm");
    if (!typedAs(scan, spanOf(m, 2), "ram", "rằm")) continue;
    if (!typedRam && m[1] === undefined && m[3] === undefined) continue;
    found.push({ rank: RANK.day, at: m.index, resolve: () => fullMoon(scan, "next") });
  }
  for (const m of folded.matchAll(LUNAR_MONTH_EN)) {
    const ordinal = m[2] === undefined ? undefined : EN_ORDINALS[m[2]];
    const month = ordinal ?? Number(m[1] ?? m[3] ?? m[4]);
    const before = folded.slice(0, m.index);
    const dayMatch = LUNAR_DAY_EN_BEFORE.exec(before);
    const day = FULL_MOON_EN_BEFORE.test(before)
      ? 15
      : dayMatch
        ? Number(dayMatch[1] ?? dayMatch[2])
        : undefined;
    if (day !== undefined) {
      pushDay(scan, found, m.index, day, month, undefined, true);
    } else {
      found.push({
        rank: RANK.month,
        at: m.index,
        resolve: (hint) => lunarMonthRange(scan, month, undefined, hint),
      });
    }
  }
}

function findWeeks(scan: Scan, { found }: Findings): void {
  const { folded } = scan;
  for (const m of folded.matchAll(WEEKEND_VI)) {
    // "đám cưới tuần này" (a wedding this week) folds to "cuoi tuan nay" too.
    if (!typedAs(scan, spanOf(m, 1), "cuoi", "cuối")) continue;
    const w = m[2];
    const which = w === "sau" || w === "toi" ? 1 : w === "truoc" || w === "roi" ? -1 : 0;
    found.push({ rank: RANK.weekend, at: m.index, resolve: () => weekendRange(scan, which) });
  }
  for (const m of folded.matchAll(WEEKEND_EN)) {
    const which = m[1] === "next" ? 1 : m[1] === "last" ? -1 : 0;
    found.push({ rank: RANK.weekend, at: m.index, resolve: () => weekendRange(scan, which) });
  }
  for (const m of folded.matchAll(WEEK)) {
    // "2 tuần tới" is the next two weeks: NEXT_PERIOD reads it.
    if (DIGIT_BEFORE.test(folded.slice(0, m.index))) continue;
    const w = m[1] ?? m[2];
    const which = w === "nay" || w === "this" ? 0 : w === "truoc" || w === "roi" || w === "last" ? -1 : 1;
    found.push({ rank: RANK.week, at: m.index, resolve: () => weekRange(scan, which) });
  }
}

function findMonths(scan: Scan, { found }: Findings): void {
  const { folded } = scan;
  for (const m of folded.matchAll(MONTH_RELATIVE)) {
    if (m[1] !== undefined) {
      if (!typedAs(scan, spanOf(m, 1), "thang", "tháng")) continue;
      if (DIGIT_BEFORE.test(folded.slice(0, m.index))) continue;
      // "tháng sáu" is June, read by MONTH_VI.
      if (m[2] === "sau" && scan.aligned && typedAs(scan, spanOf(m, 2), "sáu")) continue;
    }
    const w = m[2] ?? m[3];
    const which = w === "nay" || w === "this" ? 0 : w === "truoc" || w === "roi" || w === "last" ? -1 : 1;
    found.push({ rank: RANK.month, at: m.index, resolve: () => relativeMonth(scan, which) });
  }
  for (const m of folded.matchAll(MONTH_VI)) {
    if (!typedAs(scan, spanOf(m, 1), "thang", "tháng")) continue;
    // "15 tháng 3" is a day (DAY_MONTH_VI), "6 tháng 2 lần" a duration.
    if (DIGIT_BEFORE.test(folded.slice(0, m.index))) continue;
    const word = m[3];
    const end = endOf(m);
    if (word === "nam") {
      // "ngày tháng năm" is "the date"; "các tháng năm 2027" is "the months of 2027".
      if (
        /\bngay\s*$/.test(folded.slice(0, m.index)) ||
        /^\s*(?:\d|nao\b)/.test(folded.slice(spanOf(m, 3)?.[1] ?? end))
      )
        continue;
    }
    const lunar = lunarMarkAfter(scan, end) || word === "gieng" || word === "chap";
    const month = word === undefined ? Number(m[2]) : viMonthWord(scan, word, spanOf(m, 3), lunar);
    const year = yearOf(m[4]);
    if (month === undefined || year === null) continue;
    found.push({
      rank: RANK.month,
      at: m.index,
      resolve: (hint) =>
        lunar ? lunarMonthRange(scan, month, year, hint) : namedMonth(scan, month, year, hint),
    });
  }
  for (const m of folded.matchAll(MONTH_EN)) {
    const name = m[2] ?? "";
    if (!typedAs(scan, spanOf(m, 2), name)) continue;
    if (NEEDS_CONTEXT.has(name) && m[1] === undefined && m[3] === undefined) {
      if (!MONTH_CONTEXT.test(folded.slice(0, m.index))) continue;
    }
    const month = EN_MONTH_NUMBERS[name];
    const year = yearOf(m[3]);
    if (month === undefined || year === null) continue;
    const strictlyFuture = m[1] === "next";
    found.push({
      rank: RANK.month,
      at: m.index,
      resolve: (hint) => namedMonth(scan, month, year, hint, strictlyFuture),
    });
  }
}

function findYears(scan: Scan, { found, years }: Findings): void {
  const { folded, today } = scan;
  for (const m of folded.matchAll(YEAR)) {
    const before = folded.slice(0, m.index);
    if (!YEAR_WORD_BEFORE.test(before) && LAW_BEFORE.test(before)) continue;
    const year = Number(m[1]);
    years.push({ year, explicit: true, at: m.index });
    found.push({ rank: RANK.year, at: m.index, resolve: () => yearRange(scan, year, true) });
  }
  for (const m of folded.matchAll(YEAR_RELATIVE)) {
    if (m[1] !== undefined && DIGIT_BEFORE.test(folded.slice(0, m.index))) continue;
    const w = m[2] ?? m[3] ?? "sau";
    if (w === "sau" && m[2] !== undefined && !typedAs(scan, spanOf(m, 2), "sau")) continue;
    if (w === "toi" && !typedAs(scan, spanOf(m, 2), "toi", "tới")) continue;
    const relative = w === "nay" || w === "this" ? 0 : w === "sau" || w === "toi" || w === "next" ? 1 : -1;
    const year = today.year + relative;
    years.push({ year, explicit: false, at: m.index });
    found.push({ rank: RANK.year, at: m.index, resolve: () => yearRange(scan, year, false, relative) });
  }
}

function findUpcoming(scan: Scan, { found }: Findings): void {
  const { folded, today } = scan;
  for (const m of folded.matchAll(UPCOMING)) {
    found.push({
      rank: RANK.upcoming,
      at: m.index,
      resolve: () =>
        upcomingRange(
          scan,
          addDays(today, UPCOMING_DAYS),
          `${UPCOMING_DAYS} ngày tới`,
          `the next ${UPCOMING_DAYS} days`,
        ),
    });
  }
  for (const m of folded.matchAll(NEXT_PERIOD)) {
    const n = Number(m[1] ?? m[3]);
    const unit = (m[2] ?? m[4] ?? "").replace(/s$/, "");
    if (n < 1 || n > 366) continue;
    const [to, vi, en] =
      unit === "tuan" || unit === "week"
        ? [addDays(today, 7 * n), `${n} tuần tới`, `the next ${n} weeks`]
        : unit === "thang" || unit === "month"
          ? [addMonths(today, n), `${n} tháng tới`, `the next ${n} months`]
          : [addDays(today, n), `${n} ngày tới`, `the next ${n} days`];
    found.push({ rank: RANK.upcoming, at: m.index, resolve: () => upcomingRange(scan, to, vi, en) });
  }
}

const DETECTORS = [
  findRelativeDays,
  findWeekdays,
  findExplicitDays,
  findLunar,
  findWeeks,
  findMonths,
  findYears,
  findUpcoming,
] as const;

/** The date range a question refers to, resolved against `now` in Asia/Ho_Chi_Minh; undefined when it names none. */
export function resolveDateRange(text: string, now: Date): DateRange | undefined {
  const typed = text
    .normalize("NFC")
    .toLowerCase()
    .replace(/[’‘`´]/g, "'")
    .replace(/[–—]/g, "-")
    .replace(/\s+/g, " ")
    .trim();
  const folded = fold(typed);
  const today = localToday(now);
  const scan: Scan = {
    typed,
    folded,
    aligned: folded.length === typed.length,
    today,
    todayNumber: dayNumber(today),
  };

  const findings: Findings = { found: [], years: [] };
  for (const detect of DETECTORS) detect(scan, findings);
  // A year given apart from its month or day ("tháng 6 ... năm 2027", "15/3 năm sau") qualifies it.
  const hint = findings.years.sort((a, b) => a.at - b.at)[0];
  findings.found.sort((a, b) => a.rank - b.rank || a.at - b.at);
  for (const candidate of findings.found) {
    const range = candidate.resolve(hint);
    if (range) return range;
  }
  return undefined;
}

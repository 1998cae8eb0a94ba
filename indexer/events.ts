import {
  lunarMonthLength,
  lunarToSolar,
  solarToLunar,
  type LunarDate,
  type SolarDate,
} from "./calendar/lunar.ts";
import type { CalendarKind, ContentEntry } from "./content/schema.ts";

/** One dated occurrence of an event, in Gregorian dates (YYYY-MM-DD), with the lunar dates beside them. */
export type Occurrence = {
  eventId: string;
  title: { vi: string; en: string };
  calendar: CalendarKind;
  start: string;
  end: string;
  main?: string;
  lunar?: { start: LunarDate; end: LunarDate; main?: LunarDate };
  /**
   * computed: converted by the project's calendar; known: a past date from a source;
   * usual-window: the usual Gregorian window of an event whose date is announced each year.
   */
  status: "computed" | "known" | "usual-window";
  approximate: boolean;
  announcedYearly: boolean;
};

type EventEntry = Extract<ContentEntry, { type: "event" }>;

/** Occurrences of the events that overlap [from, to] (inclusive), sorted by start date. */
export function eventOccurrences(entries: readonly ContentEntry[], from: string, to: string): Occurrence[] {
  const fromYear = Number(from.slice(0, 4));
  const toYear = Number(to.slice(0, 4));
  const out: Occurrence[] = [];
  for (const entry of entries) {
    if (entry.type !== "event") continue;
    // A window may start in the previous year and run into this one.
    for (let year = fromYear - 1; year <= toYear; year++) out.push(...occurrencesInYear(entry, year));
  }
  return out
    .filter((o) => o.start <= to && o.end >= from)
    .sort((a, b) => a.start.localeCompare(b.start) || a.eventId.localeCompare(b.eventId));
}

function occurrencesInYear(entry: EventEntry, year: number): Occurrence[] {
  const e = entry.event;
  const base = {
    eventId: entry.id,
    title: entry.title,
    calendar: e.calendar,
    approximate: e.approximate,
    announcedYearly: e.announcedYearly,
  };
  if (e.calendar === "lunar-vn" && e.lunar) {
    const startMonth = e.lunar.start.month;
    // A day whose month comes before the start month lies in the next lunar year (a window across Tết).
    const dayOfWindow = (d: { month: number; day: number }) =>
      lunarDay(d.month < startMonth ? year + 1 : year, d);
    const start = dayOfWindow(e.lunar.start);
    const end = dayOfWindow(e.lunar.end);
    const main = e.lunar.main ? dayOfWindow(e.lunar.main) : undefined;
    if (!start || !end) return [];
    return [
      {
        ...base,
        start: iso(start.solar),
        end: iso(end.solar),
        ...(main ? { main: iso(main.solar) } : {}),
        lunar: { start: start.lunar, end: end.lunar, ...(main ? { main: main.lunar } : {}) },
        status: "computed",
      },
    ];
  }
  const solarWindow = (status: Occurrence["status"], approximate: boolean): Occurrence[] => {
    if (!e.solar) return [];
    const endYear = e.solar.end < e.solar.start ? year + 1 : year;
    const main = e.solar.main ? { main: `${year}-${e.solar.main}` } : {};
    return [
      {
        ...base,
        start: `${year}-${e.solar.start}`,
        end: `${endYear}-${e.solar.end}`,
        ...main,
        status,
        approximate,
      },
    ];
  };
  if (e.calendar === "solar") return solarWindow("computed", e.approximate);
  // Khmer and Islamic dates cannot be computed here: past dates from sources, else the usual window.
  const known = e.knownDates
    .filter((k) => Number(k.start.slice(0, 4)) === year)
    .map((k): Occurrence => ({
      ...base,
      start: k.start,
      end: k.end,
      ...(k.main ? { main: k.main } : {}),
      status: "known",
    }));
  return known.length > 0 ? known : solarWindow("usual-window", true);
}

/** A day of a (non-leap) lunar month in a lunar year; day 30 of a 29-day month is its last day. */
function lunarDay(
  year: number,
  d: { month: number; day: number },
): { lunar: LunarDate; solar: SolarDate } | undefined {
  const length = lunarMonthLength(year, d.month, false);
  if (!length) return undefined;
  const lunar: LunarDate = { year, month: d.month, day: Math.min(d.day, length), leap: false };
  const solar = lunarToSolar(lunar);
  return solar ? { lunar, solar } : undefined;
}

/** The lunar date of a Gregorian day (YYYY-MM-DD), for display beside it. */
export function lunarDateOf(isoDate: string): LunarDate {
  const [year, month, day] = isoDate.split("-").map(Number) as [number, number, number];
  return solarToLunar({ year, month, day });
}

function iso(d: SolarDate): string {
  return `${String(d.year).padStart(4, "0")}-${String(d.month).padStart(2, "0")}-${String(d.day).padStart(2, "0")}`;
}

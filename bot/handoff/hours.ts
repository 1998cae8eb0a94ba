import { AppError } from "../../indexer/index.ts";

/**
 * Office hours (STAFF_HOURS) in Vietnam time (Asia/Ho_Chi_Minh, UTC+7 all year, no daylight saving):
 * "Mon-Fri 07:30-11:30,13:30-17:00", groups separated by ";" ("Mon-Fri 07:30-17:00; Sat 08:00-11:00").
 */

/** Minutes after local midnight, [from, to), per weekday (0 = Sunday … 6 = Saturday). */
export type StaffHours = { text: string; days: [number, number][][] };

export const DEFAULT_STAFF_HOURS = "Mon-Fri 07:30-11:30,13:30-17:00";

const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const VN_OFFSET_MS = 7 * 60 * 60_000;

/** Parses STAFF_HOURS; throws an AppError `config_invalid` naming what is wrong. */
export function parseStaffHours(text: string): StaffHours {
  const days: [number, number][][] = DAYS.map(() => []);
  const bad = (why: string) =>
    new AppError("config_invalid", `STAFF_HOURS: ${why} (e.g. "${DEFAULT_STAFF_HOURS}")`);
  const groups = text
    .split(";")
    .map((g) => g.trim())
    .filter(Boolean);
  if (!groups.length) throw bad("no opening hours");
  for (const group of groups) {
    const m = /^([A-Za-z,\- ]+?)\s+(\d.*)$/.exec(group);
    if (!m) throw bad(`"${group}" is not "<days> <hh:mm-hh:mm,…>"`);
    const dayList = dayNumbers(m[1] as string);
    if (!dayList) throw bad(`"${m[1]}" are not days (Mon, Tue, …, Sun, or a range Mon-Fri)`);
    for (const span of (m[2] as string).split(",")) {
      const t = /^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$/.exec(span);
      if (!t) throw bad(`"${span.trim()}" is not a time span hh:mm-hh:mm`);
      const from = Number(t[1]) * 60 + Number(t[2]);
      const to = Number(t[3]) * 60 + Number(t[4]);
      if (Number(t[2]) > 59 || Number(t[4]) > 59 || from >= to || to > 24 * 60)
        throw bad(`"${span.trim()}" does not end after it starts within one day`);
      for (const d of dayList) days[d]?.push([from, to]);
    }
  }
  for (const spans of days) spans.sort((a, b) => a[0] - b[0]);
  return { text, days };
}

function dayNumbers(text: string): number[] | undefined {
  const out = new Set<number>();
  for (const part of text.toLowerCase().split(",")) {
    const [a, b] = part.split("-").map((s) => DAYS.indexOf(s.trim().slice(0, 3)));
    if (a === undefined || a < 0) return undefined;
    if (b === undefined) out.add(a);
    else if (b < 0) return undefined;
    else
      for (let d = a; ; d = (d + 1) % 7) {
        out.add(d);
        if (d === b) break;
      }
  }
  return [...out];
}

/** True when `at` falls in the office hours. */
export function isStaffOpen(hours: StaffHours, at: Date): boolean {
  const local = new Date(at.getTime() + VN_OFFSET_MS);
  const minute = local.getUTCHours() * 60 + local.getUTCMinutes();
  return (hours.days[local.getUTCDay()] ?? []).some(([from, to]) => minute >= from && minute < to);
}

/** `at` itself when the office is open then; otherwise when it next opens (within the next 8 days). */
export function nextStaffOpening(hours: StaffHours, at: Date): Date {
  if (isStaffOpen(hours, at)) return at;
  const local = new Date(at.getTime() + VN_OFFSET_MS);
  const midnight = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()) - VN_OFFSET_MS;
  const minute = local.getUTCHours() * 60 + local.getUTCMinutes();
  for (let offset = 0; offset <= 7; offset++) {
    const day = (local.getUTCDay() + offset) % 7;
    for (const [from] of hours.days[day] ?? []) {
      if (offset === 0 && from <= minute) continue;
      return new Date(midnight + offset * 86_400_000 + from * 60_000);
    }
  }
  return at;
}

const WEEKDAY = {
  vi: ["Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"],
  en: ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
};

/** "07:30 Thứ Hai 23/11" / "07:30 on Monday 23 Nov", in Vietnam time. */
export function formatOpening(at: Date, lang: "vi" | "en"): string {
  const local = new Date(at.getTime() + VN_OFFSET_MS);
  const hh = String(local.getUTCHours()).padStart(2, "0");
  const mm = String(local.getUTCMinutes()).padStart(2, "0");
  const day = WEEKDAY[lang][local.getUTCDay()];
  const d = local.getUTCDate();
  const month = local.getUTCMonth() + 1;
  if (lang === "vi") return `${hh}:${mm} ${day} ${d}/${month}`;
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  return `${hh}:${mm} on ${day} ${d} ${months[month - 1]}`;
}

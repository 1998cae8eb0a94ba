import type { Lang } from "../../indexer/index.ts";

/** Day arithmetic on local dates written YYYY-MM-DD (Date.UTC does the Gregorian bookkeeping). */

const DAY_MS = 86_400_000;

function parts(iso: string): [number, number, number] {
  return iso.split("-").map(Number) as [number, number, number];
}

function isoOfUtc(t: Date): string {
  return t.toISOString().slice(0, 10);
}

/** The day `n` days after `iso`. */
export function addDays(iso: string, n: number): string {
  const [y, m, d] = parts(iso);
  return isoOfUtc(new Date(Date.UTC(y, m - 1, d) + n * DAY_MS));
}

/** The same day `n` months later, clamped to the end of a shorter month. */
export function addMonths(iso: string, n: number): string {
  const [y, m, d] = parts(iso);
  const last = new Date(Date.UTC(y, m - 1 + n + 1, 0)).getUTCDate();
  return isoOfUtc(new Date(Date.UTC(y, m - 1 + n, Math.min(d, last))));
}

/** "2027-05" → "Tháng 5/2027" or "May 2027". */
export function monthLabel(yearMonth: string, lang: Lang): string {
  const [y, m] = yearMonth.split("-").map(Number) as [number, number];
  if (lang === "vi") return `Tháng ${m}/${y}`;
  return new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" }).format(
    new Date(Date.UTC(y, m - 1, 1)),
  );
}

import { CASE_CATEGORIES, type CaseCategory, type CaseRecord } from "../store/index.ts";

/**
 * Accountability figures, as the IOC publishes them: reports per month and category, the share
 * resolved, the median time to resolve, and overdue counts. Counts and durations only: nothing of a
 * case's text, place or reporter.
 */

export type MonthFigures = {
  /** YYYY-MM (UTC+7, Vietnam's months). */
  month: string;
  total: number;
  byCategory: Record<CaseCategory, number>;
  resolved: number;
  rejected: number;
  /** Still open past their deadline now, or closed after it. */
  overdue: number;
  /** Median hours from report to resolution, of the cases resolved; undefined when none. */
  medianHoursToResolve?: number;
};

export type CaseFigures = {
  months: MonthFigures[];
  total: number;
  resolved: number;
  /** resolved / total, 0..1 (0 when there are none). */
  resolvedShare: number;
  medianHoursToResolve?: number;
  /** Open cases past their deadline now. */
  openOverdue: number;
  open: number;
};

const VN_OFFSET_MS = 7 * 60 * 60_000;

/** The Vietnamese month of an instant (YYYY-MM). */
export function monthOf(iso: string): string {
  return new Date(Date.parse(iso) + VN_OFFSET_MS).toISOString().slice(0, 7);
}

/** True when a case is past its deadline: open after it now, or closed after it. */
export function isOverdue(c: CaseRecord, now: Date): boolean {
  const due = Date.parse(c.dueAt);
  if (c.closedAt) return Date.parse(c.closedAt) > due;
  return now.getTime() > due;
}

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const m = s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
  return Math.round(m * 10) / 10;
}

const hoursToResolve = (c: CaseRecord) =>
  c.status === "resolved" && c.closedAt
    ? (Date.parse(c.closedAt) - Date.parse(c.createdAt)) / 3_600_000
    : undefined;

/** The figures of a set of cases, newest month first. */
export function caseFigures(cases: readonly CaseRecord[], now: Date): CaseFigures {
  const byMonth = new Map<string, CaseRecord[]>();
  for (const c of cases) {
    const m = monthOf(c.createdAt);
    byMonth.set(m, [...(byMonth.get(m) ?? []), c]);
  }
  const months = [...byMonth.entries()]
    .sort(([a], [b]) => (a < b ? 1 : -1))
    .map(([month, list]): MonthFigures => {
      const byCategory = Object.fromEntries(CASE_CATEGORIES.map((k) => [k, 0])) as Record<
        CaseCategory,
        number
      >;
      for (const c of list) byCategory[c.category]++;
      const med = median(list.map(hoursToResolve).filter((h): h is number => h !== undefined));
      return {
        month,
        total: list.length,
        byCategory,
        resolved: list.filter((c) => c.status === "resolved").length,
        rejected: list.filter((c) => c.status === "rejected").length,
        overdue: list.filter((c) => isOverdue(c, now)).length,
        ...(med !== undefined ? { medianHoursToResolve: med } : {}),
      };
    });
  const resolved = cases.filter((c) => c.status === "resolved").length;
  const open = cases.filter((c) => c.status === "received" || c.status === "in_progress");
  const med = median(cases.map(hoursToResolve).filter((h): h is number => h !== undefined));
  return {
    months,
    total: cases.length,
    resolved,
    resolvedShare: cases.length ? resolved / cases.length : 0,
    ...(med !== undefined ? { medianHoursToResolve: med } : {}),
    open: open.length,
    openOverdue: open.filter((c) => isOverdue(c, now)).length,
  };
}

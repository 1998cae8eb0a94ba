import type { ContentEntry, DeadlineRule, GuestKind } from "../../../indexer/index.ts";
import type { DeadlineQuery } from "../understand/index.ts";

/**
 * The lodging-deadline calculator. The rules are data in content/lodging/*.md (`deadlines`); this file
 * applies them to a question's details (guest, arrival time, remote area, paper or online), which
 * understand/lodging-details.ts reads.
 * No guest's personal data is asked for or kept: only a kind of guest and a clock time.
 */

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
  /** The rule's own note: how it is read where the law's words leave room. */
  note?: { vi: string; en: string };
};
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
        ...(rule.note ? { note: rule.note } : {}),
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

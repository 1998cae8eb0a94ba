import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadContent } from "./content/load.ts";
import type { ContentEntry } from "./content/schema.ts";
import { eventOccurrences, lunarDateOf } from "./events.ts";

let entries: ContentEntry[];
beforeAll(async () => {
  ({ entries } = await loadContent(path.resolve(import.meta.dirname, "../content")));
});
const of = (id: string, from: string, to: string) =>
  eventOccurrences(entries, from, to).filter((o) => o.eventId === id);

describe("eventOccurrences", () => {
  it("converts the Bà Chúa Xứ festival (22–27 of lunar month 4) to the dates in the facts sheet", () => {
    expect(of("via-ba-chua-xu", "2025-01-01", "2025-12-31")).toMatchObject([
      { start: "2025-05-19", end: "2025-05-24", main: "2025-05-22", status: "computed" },
    ]);
    expect(of("via-ba-chua-xu", "2026-01-01", "2026-12-31")).toMatchObject([
      { start: "2026-06-07", end: "2026-06-12", main: "2026-06-10" },
    ]);
    const [y2027] = of("via-ba-chua-xu", "2027-01-01", "2027-12-31");
    expect(y2027).toMatchObject({ start: "2027-05-27", end: "2027-06-01", main: "2027-05-30" });
    expect(y2027?.lunar?.main).toEqual({ year: 2027, month: 4, day: 25, leap: false });
  });

  it("includes an occurrence that only overlaps the range, and none outside it", () => {
    expect(of("via-ba-chua-xu", "2026-06-12", "2026-06-30")).toHaveLength(1);
    expect(of("via-ba-chua-xu", "2026-06-13", "2026-06-30")).toHaveLength(0);
  });

  it("computes Tết", () => {
    const starts = of("tet-nguyen-dan", "2025-01-01", "2027-12-31").map((o) => o.start);
    expect(starts).toEqual(["2025-01-29", "2026-02-17", "2027-02-06"]);
  });

  it("does not compute Khmer or Islamic dates: known past dates, else the usual window marked approximate", () => {
    const sene2025 = of("sene-dolta-dua-bo", "2025-09-01", "2025-10-31");
    expect(sene2025.length).toBeGreaterThan(0);
    expect(sene2025.every((o) => o.status === "known" && o.announcedYearly)).toBe(true);
    expect(sene2025.map((o) => o.start)).toContain("2025-09-21");
    expect(of("sene-dolta-dua-bo", "2027-01-01", "2027-12-31")).toEqual([]);
    expect(of("chol-chnam-thmay", "2027-01-01", "2027-12-31")).toMatchObject([
      {
        start: "2027-04-14",
        end: "2027-04-16",
        status: "usual-window",
        approximate: true,
        announcedYearly: true,
      },
    ]);
    expect(of("ramadan-cham", "2024-01-01", "2024-12-31")).toMatchObject([
      { start: "2024-03-11", status: "known" },
    ]);
    expect(of("ramadan-cham", "2027-01-01", "2027-12-31")).toEqual([]);
  });

  it("gives a season as an approximate solar window", () => {
    expect(of("mua-nuoc-noi", "2026-10-01", "2026-10-02")).toMatchObject([
      { status: "computed", approximate: true },
    ]);
  });

  it("returns occurrences sorted by start date", () => {
    const all = eventOccurrences(entries, "2026-01-01", "2027-12-31");
    expect(all.length).toBeGreaterThan(6);
    expect(all.map((o) => o.start)).toEqual([...all.map((o) => o.start)].sort());
  });

  it("handles lunar windows that cross into the next lunar year, and day 30 of a 29-day month", () => {
    const tet = entries.find((e) => e.id === "tet-nguyen-dan") as Extract<ContentEntry, { type: "event" }>;
    const crossing: ContentEntry = {
      ...tet,
      id: "test-crossing",
      event: { ...tet.event, lunar: { start: { month: 12, day: 30 }, end: { month: 1, day: 2 } } },
    };
    // Lunar month 12 of 2024 has 29 days: day 30 becomes its last day, 28 Jan 2025; 2/1/2025 is 30 Jan.
    expect(eventOccurrences([crossing], "2025-01-01", "2025-02-28")).toMatchObject([
      { start: "2025-01-28", end: "2025-01-30" },
    ]);
  });
});

describe("lunarDateOf", () => {
  it("gives the lunar date beside a Gregorian one", () => {
    expect(lunarDateOf("2026-06-10")).toEqual({ year: 2026, month: 4, day: 25, leap: false });
  });
});

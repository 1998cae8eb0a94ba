import { describe, expect, it } from "vitest";
import {
  fromJulianDay,
  julianDay,
  leapMonthOf,
  lunarMonthLength,
  lunarToSolar,
  solarToLunar,
  type LunarDate,
  type SolarDate,
} from "./lunar.ts";

/** "2025-01-29" → SolarDate, so expectations read like the calendars they come from. */
function iso(s: string): SolarDate {
  const [year, month, day] = s.split("-").map(Number);
  if (year === undefined || month === undefined || day === undefined) throw new Error(`bad date ${s}`);
  return { year, month, day };
}

function lunar(day: number, month: number, year: number, leap = false): LunarDate {
  return { year, month, day, leap };
}

describe("julianDay / fromJulianDay", () => {
  it("matches known Julian day numbers", () => {
    expect(julianDay(iso("2000-01-01"))).toBe(2451545);
    expect(julianDay(iso("1900-01-01"))).toBe(2415021);
    expect(julianDay(iso("1858-11-17"))).toBe(2400001); // MJD 0 = JD 2400000.5
    expect(julianDay(iso("1800-03-01"))).toBe(2378556);
    expect(fromJulianDay(2451545)).toEqual(iso("2000-01-01"));
    expect(fromJulianDay(2460351)).toEqual(iso("2024-02-10"));
  });

  it("round-trips across leap days and centuries", () => {
    for (const s of ["1800-02-28", "1900-03-01", "2000-02-29", "2100-02-28", "2199-12-31"]) {
      expect(fromJulianDay(julianDay(iso(s)))).toEqual(iso(s));
    }
    expect(julianDay(iso("2000-03-01")) - julianDay(iso("2000-02-28"))).toBe(2);
    expect(julianDay(iso("1900-03-01")) - julianDay(iso("1900-02-28"))).toBe(1);
  });
});

describe("Tết (1/1)", () => {
  it.each([
    [2025, "2025-01-29"],
    [2026, "2026-02-17"],
    [2027, "2027-02-06"],
  ])("1/1/%i is %s", (year, date) => {
    expect(lunarToSolar(lunar(1, 1, year))).toEqual(iso(date));
    expect(solarToLunar(iso(date))).toEqual(lunar(1, 1, year));
  });

  it.each([
    [1985, "1985-01-21", "1985-02-20"],
    [2007, "2007-02-17", "2007-02-18"],
    [2030, "2030-02-02", "2030-02-03"],
  ])("1/1/%i follows UTC+7 (%s), not the Chinese UTC+8 date (%s)", (year, vietnamese, chinese) => {
    expect(lunarToSolar(lunar(1, 1, year))).toEqual(iso(vietnamese));
    expect(lunarToSolar(lunar(1, 1, year), 8)).toEqual(iso(chinese));
  });
});

describe("festival days in the 4th lunar month", () => {
  it.each([
    [2025, "2025-05-20"],
    [2026, "2026-06-08"],
    [2027, "2027-05-28"],
    [2028, "2028-05-17"],
  ])("23/4/%i is %s", (year, date) => {
    expect(lunarToSolar(lunar(23, 4, year))).toEqual(iso(date));
    expect(solarToLunar(iso(date))).toEqual(lunar(23, 4, year));
  });

  it.each([
    [22, 2022, "2022-05-22"],
    [27, 2022, "2022-05-27"],
    [22, 2024, "2024-05-29"],
    [27, 2024, "2024-06-03"],
    [22, 2025, "2025-05-19"],
    [27, 2025, "2025-05-24"],
    [22, 2026, "2026-06-07"],
    [25, 2026, "2026-06-10"],
    [27, 2026, "2026-06-12"],
    [22, 2027, "2027-05-27"],
    [25, 2027, "2027-05-30"],
    [27, 2027, "2027-06-01"],
  ])("%i/4/%i is %s", (day, year, date) => {
    expect(lunarToSolar(lunar(day, 4, year))).toEqual(iso(date));
    expect(solarToLunar(iso(date))).toEqual(lunar(day, 4, year));
  });
});

describe("leap months", () => {
  it("2025 repeats month 6: leap 1/6 is 2025-07-25", () => {
    expect(leapMonthOf(2025)).toBe(6);
    expect(lunarToSolar(lunar(1, 6, 2025, true))).toEqual(iso("2025-07-25"));
    expect(solarToLunar(iso("2025-07-25"))).toEqual(lunar(1, 6, 2025, true));
    expect(solarToLunar(iso("2025-07-24"))).toEqual(lunar(30, 6, 2025));
  });

  it("2028 repeats month 5: leap 1/5 is 2028-06-23", () => {
    expect(leapMonthOf(2028)).toBe(5);
    expect(lunarToSolar(lunar(1, 5, 2028, true))).toEqual(iso("2028-06-23"));
    expect(solarToLunar(iso("2028-06-23"))).toEqual(lunar(1, 5, 2028, true));
  });

  it("2026 and 2027 have no leap month", () => {
    expect(leapMonthOf(2026)).toBeUndefined();
    expect(leapMonthOf(2027)).toBeUndefined();
  });
});

describe("non-existent lunar dates", () => {
  it("rejects a leap month the year does not have", () => {
    expect(lunarToSolar(lunar(1, 3, 2026, true))).toBeUndefined();
    expect(lunarToSolar(lunar(1, 5, 2025, true))).toBeUndefined();
    expect(lunarMonthLength(2026, 3, true)).toBeUndefined();
  });

  it("rejects day 30 of a 29-day month (Giáp Thìn ended on 29 tháng Chạp)", () => {
    expect(lunarMonthLength(2024, 12, false)).toBe(29);
    expect(lunarToSolar(lunar(29, 12, 2024))).toEqual(iso("2025-01-28"));
    expect(lunarToSolar(lunar(30, 12, 2024))).toBeUndefined();
  });

  it("rejects out-of-range months and days", () => {
    expect(lunarToSolar(lunar(0, 1, 2026))).toBeUndefined();
    expect(lunarToSolar(lunar(31, 1, 2026))).toBeUndefined();
    expect(lunarToSolar(lunar(1, 13, 2026))).toBeUndefined();
    expect(lunarToSolar(lunar(1, 0, 2026))).toBeUndefined();
  });
});

describe("lunarMonthLength", () => {
  it("gives 29 or 30 days, summing to the length of the lunar year", () => {
    // Lunar year 2025 (Ất Tỵ) runs from 2025-01-29 to 2026-02-16 and has 13 months.
    const months: Array<[number, boolean]> = [];
    for (let m = 1; m <= 12; m++) {
      months.push([m, false]);
      if (m === 6) months.push([m, true]);
    }
    const lengths = months.map(([m, leap]) => lunarMonthLength(2025, m, leap));
    for (const n of lengths) expect([29, 30]).toContain(n);
    const total = lengths.reduce<number>((a, n) => a + (n ?? 0), 0);
    expect(total).toBe(julianDay(iso("2026-02-17")) - julianDay(iso("2025-01-29")));
  });
});

describe("every day 1990-01-01 .. 2060-12-31", () => {
  it("round-trips and advances one lunar day at a time", () => {
    const first = julianDay(iso("1990-01-01"));
    const last = julianDay(iso("2060-12-31"));
    let previous: LunarDate | undefined;
    for (let jd = first; jd <= last; jd++) {
      const solar = fromJulianDay(jd);
      const l = solarToLunar(solar);
      const back = lunarToSolar(l);
      if (back === undefined || julianDay(back) !== jd) {
        // One expect per failure only: 25,000 passing expects would dominate the runtime.
        expect({ solar, lunar: l, back }).toEqual({ solar, lunar: l, back: solar });
      }
      if (previous) {
        const prevLength = lunarMonthLength(previous.year, previous.month, previous.leap);
        const ok =
          l.day === previous.day + 1
            ? l.month === previous.month && l.leap === previous.leap && l.year === previous.year
            : l.day === 1 && (previous.day === 29 || previous.day === 30) && previous.day === prevLength;
        if (!ok) expect({ solar, lunar: l, previous }).toBe("a continuous lunar calendar");
      }
      previous = l;
    }
    expect(previous).toEqual(solarToLunar(iso("2060-12-31")));
  });
});

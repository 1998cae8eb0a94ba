/**
 * Vietnamese lunisolar calendar (âm lịch), computed astronomically.
 *
 * The rules are the ones described by Hồ Ngọc Đức for the Vietnamese calendar:
 *  - a lunar month starts on the local day that contains an astronomical new moon;
 *  - the month containing the winter solstice (sun longitude 270°) is month 11;
 *  - when 13 new moons separate two consecutive month-11s, the first month after month 11 that
 *    contains no major solar term (trung khí: a multiple of 30° of sun longitude) is a leap month
 *    and repeats the number of the month before it.
 * New moons and sun longitudes use the low-precision series from Jean Meeus ("Astronomical
 * Formulae for Calculators" / "Astronomical Algorithms"), which are far more accurate than the
 * one-day resolution we need for 1800–2199. Everything is evaluated in local time, UTC+7 by
 * default: the Vietnamese calendar differs from the Chinese one (UTC+8) exactly when a new moon
 * or solstice falls between 23:00 and 24:00 Vietnamese time.
 */

export type LunarDate = { year: number; month: number; day: number; leap: boolean };
export type SolarDate = { year: number; month: number; day: number };

/** Vietnam's civil time zone (UTC+7) since 1968; the default for every function. */
const VIETNAM_TIME_ZONE = 7;

/** Julian date (days, UT) of the first mean new moon of 1900: lunation number 0 below. */
const LUNATION_EPOCH = 2415021.076998695;
/** Mean length of a synodic month, in days: enough to pick the right lunation number. */
const SYNODIC_MONTH = 29.530588853;
/** Julian date of J2000.0 (2000-01-01 12:00 TT), the epoch of the solar series. */
const J2000 = 2451545.0;
const DEG = Math.PI / 180;

/** Proleptic Gregorian date to its integer Julian day number (the day that starts at noon UT). */
export function julianDay(d: SolarDate): number {
  // Count years from March so the leap day is the last day of the "year"; this keeps the
  // month-length formula (153 * m + 2) / 5 free of special cases.
  const a = Math.floor((14 - d.month) / 12);
  const y = d.year + 4800 - a;
  const m = d.month + 12 * a - 3;
  return (
    d.day +
    Math.floor((153 * m + 2) / 5) +
    365 * y +
    Math.floor(y / 4) -
    Math.floor(y / 100) +
    Math.floor(y / 400) -
    32045
  );
}

/** Integer Julian day number to its proleptic Gregorian date (inverse of `julianDay`). */
export function fromJulianDay(jd: number): SolarDate {
  // Peel off 400-year cycles, then centuries, 4-year cycles and March-based months.
  const a = jd + 32044;
  const b = Math.floor((4 * a + 3) / 146097);
  const c = a - Math.floor((146097 * b) / 4);
  const d = Math.floor((4 * c + 3) / 1461);
  const e = c - Math.floor((1461 * d) / 4);
  const m = Math.floor((5 * e + 2) / 153);
  return {
    year: 100 * b + d - 4800 + Math.floor(m / 10),
    month: m + 3 - 12 * Math.floor(m / 10),
    day: e - Math.floor((153 * m + 2) / 5) + 1,
  };
}

/** Julian date (UT, fractional) of the true new moon of lunation `k` (k = 0 in January 1900). */
function newMoonJulianDate(k: number): number {
  const t = k / 1236.85; // Julian centuries since 1900, measured in lunations
  const t2 = t * t;
  const t3 = t2 * t;
  // Mean new moon, plus its small long-period perturbation.
  const mean =
    2415020.75933 +
    29.53058868 * k +
    0.0001178 * t2 -
    0.000000155 * t3 +
    0.00033 * Math.sin((166.56 + 132.87 * t - 0.009173 * t2) * DEG);
  // Fundamental arguments (degrees): sun's and moon's mean anomalies, moon's argument of latitude.
  const sunAnomaly = (359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3) * DEG;
  const moonAnomaly = (306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3) * DEG;
  const latitude = (21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3) * DEG;
  // Periodic terms: the true new moon is up to ~14 hours away from the mean one.
  const correction =
    (0.1734 - 0.000393 * t) * Math.sin(sunAnomaly) +
    0.0021 * Math.sin(2 * sunAnomaly) -
    0.4068 * Math.sin(moonAnomaly) +
    0.0161 * Math.sin(2 * moonAnomaly) -
    0.0004 * Math.sin(3 * moonAnomaly) +
    0.0104 * Math.sin(2 * latitude) -
    0.0051 * Math.sin(sunAnomaly + moonAnomaly) -
    0.0074 * Math.sin(sunAnomaly - moonAnomaly) +
    0.0004 * Math.sin(2 * latitude + sunAnomaly) -
    0.0004 * Math.sin(2 * latitude - sunAnomaly) -
    0.0006 * Math.sin(2 * latitude + moonAnomaly) +
    0.001 * Math.sin(2 * latitude - moonAnomaly) +
    0.0005 * Math.sin(2 * moonAnomaly + sunAnomaly);
  // The series runs in ephemeris time; subtract ΔT (days) to get universal time.
  const deltaT =
    t < -11
      ? 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
      : -0.000278 + 0.000265 * t + 0.000262 * t2;
  return mean + correction - deltaT;
}

/** Julian day number of the local civil day on which lunation `k`'s new moon happens. */
function newMoonDay(k: number, timeZone: number): number {
  // A Julian day number's day starts at noon UT, hence +0.5 before shifting to local time.
  return Math.floor(newMoonJulianDate(k) + 0.5 + timeZone / 24);
}

/** Apparent-enough ecliptic longitude of the sun (radians, 0..2π) at Julian date `jd`. */
function sunLongitude(jd: number): number {
  const t = (jd - J2000) / 36525; // Julian centuries since J2000
  const t2 = t * t;
  const meanAnomaly = (357.5291 + 35999.0503 * t - 0.0001559 * t2 - 0.00000048 * t * t2) * DEG;
  const meanLongitude = 280.46645 + 36000.76983 * t + 0.0003032 * t2;
  // Equation of the centre: the eccentric orbit makes the true sun lead or lag the mean sun.
  const centre =
    (1.9146 - 0.004817 * t - 0.000014 * t2) * Math.sin(meanAnomaly) +
    (0.019993 - 0.000101 * t) * Math.sin(2 * meanAnomaly) +
    0.00029 * Math.sin(3 * meanAnomaly);
  const longitude = (meanLongitude + centre) * DEG;
  const turn = 2 * Math.PI;
  return longitude - turn * Math.floor(longitude / turn);
}

/**
 * Which 30° sector (0..11) the sun is in at the local midnight that begins day `jdn`.
 * Sector boundaries are the major solar terms, so a month whose first day and the next month's
 * first day share a sector contains no major term. Sector 9 starts at the winter solstice.
 */
function sunSector(jdn: number, timeZone: number): number {
  const localMidnightUt = jdn - 0.5 - timeZone / 24;
  return Math.floor(sunLongitude(localMidnightUt) / (Math.PI / 6));
}

/** Lunation number of month 11 of Gregorian year `year`: the lunation holding its winter solstice. */
function month11Lunation(year: number, timeZone: number): number {
  // The last lunation whose *mean* new moon falls before 31 December starts in December (or at
  // worst on 1 January); if the sun is already past 270° when it starts, the solstice belongs to
  // the lunation before.
  const k = Math.floor((julianDay({ year, month: 12, day: 31 }) - LUNATION_EPOCH) / SYNODIC_MONTH);
  return sunSector(newMoonDay(k, timeZone), timeZone) >= 9 ? k - 1 : k;
}

/** One lunar month: its number, whether it is the leap repeat, first day (JDN) and length. */
type LunarMonth = { month: number; leap: boolean; start: number; length: number };

/** Memo of `monthCycle` results, keyed by `year@timeZone`. */
const cycleCache = new Map<string, readonly LunarMonth[]>();

/**
 * The 12 or 13 months from month 11 of Gregorian year `year` up to (excluding) the next month 11.
 * Months 11 and 12 (and a leap 11 or 12) belong to lunar year `year`; months 1..10 to `year + 1`.
 */
function monthCycle(year: number, timeZone: number): readonly LunarMonth[] {
  const key = `${year}@${timeZone}`;
  const cached = cycleCache.get(key);
  if (cached) return cached;

  const first = month11Lunation(year, timeZone);
  const count = month11Lunation(year + 1, timeZone) - first; // 12 or 13
  // starts[i] is the first day of month i of the cycle; starts[count] is the next month 11.
  const starts = Array.from({ length: count + 1 }, (_, i) => newMoonDay(first + i, timeZone));
  const startOf = (i: number): number => starts[i] ?? Number.NaN;

  let leapIndex = -1;
  if (count === 13) {
    // Thirteen months share the twelve major terms from this solstice to the next one, so at
    // least one lacks a term; the first such month (never month 11 itself, which holds the
    // solstice) is the leap month.
    for (let i = 1; i < count && leapIndex < 0; i++) {
      if (sunSector(startOf(i), timeZone) === sunSector(startOf(i + 1), timeZone)) leapIndex = i;
    }
    if (leapIndex < 0) throw new Error(`lunar calendar: no leap month found after month 11 of ${year}`);
  }

  const months: LunarMonth[] = [];
  let month = 11;
  for (let i = 0; i < count; i++) {
    const leap = i === leapIndex;
    // A leap month repeats the previous month's number; otherwise numbers advance 11, 12, 1, ...
    if (i > 0 && !leap) month = (month % 12) + 1;
    months.push({ month, leap, start: startOf(i), length: startOf(i + 1) - startOf(i) });
  }

  // Bounded memo: a few centuries of cycles in a handful of zones is far below this, and clearing
  // wholesale is simpler than LRU bookkeeping for a cache that is cheap to refill.
  if (cycleCache.size >= 2000) cycleCache.clear();
  cycleCache.set(key, months);
  return months;
}

/** Lunar year that a month of `monthCycle(cycleYear)` belongs to. */
function lunarYearOf(cycleYear: number, month: number): number {
  return month >= 11 ? cycleYear : cycleYear + 1;
}

/** The month with number `month` (and leap flag) of lunar year `year`, if that year has it. */
function findMonth(year: number, month: number, leap: boolean, timeZone: number): LunarMonth | undefined {
  if (!Number.isInteger(year) || !Number.isInteger(month) || month < 1 || month > 12) return undefined;
  // Months 11 and 12 of lunar year Y open cycle Y; months 1..10 close cycle Y - 1.
  const cycleYear = month >= 11 ? year : year - 1;
  return monthCycle(cycleYear, timeZone).find((m) => m.month === month && m.leap === leap);
}

/** Converts a Gregorian date to the Vietnamese lunar date (UTC+7 unless `timeZone` says otherwise). */
export function solarToLunar(d: SolarDate, timeZone = VIETNAM_TIME_ZONE): LunarDate {
  const jdn = julianDay(d);
  // Month 11 of year Y starts in late November or December of Y, so earlier days of Y belong to
  // the cycle that began in Y - 1.
  const firstOfCycle = monthCycle(d.year, timeZone)[0];
  const cycleYear = firstOfCycle && jdn >= firstOfCycle.start ? d.year : d.year - 1;
  const months = monthCycle(cycleYear, timeZone);
  const containing = months.findLast((m) => m.start <= jdn);
  if (!containing) throw new Error(`lunar calendar: no lunar month contains ${jdn}`);
  return {
    year: lunarYearOf(cycleYear, containing.month),
    month: containing.month,
    day: jdn - containing.start + 1,
    leap: containing.leap,
  };
}

/** Converts a Vietnamese lunar date to Gregorian; undefined if that lunar date does not exist. */
export function lunarToSolar(l: LunarDate, timeZone = VIETNAM_TIME_ZONE): SolarDate | undefined {
  const month = findMonth(l.year, l.month, l.leap, timeZone);
  if (!month || !Number.isInteger(l.day) || l.day < 1 || l.day > month.length) return undefined;
  return fromJulianDay(month.start + l.day - 1);
}

/** Number of days (29 or 30) in a lunar month; undefined if that year has no such month. */
export function lunarMonthLength(
  year: number,
  month: number,
  leap: boolean,
  timeZone = VIETNAM_TIME_ZONE,
): number | undefined {
  return findMonth(year, month, leap, timeZone)?.length;
}

/** The month number that lunar year `lunarYear` repeats as a leap month, or undefined if none. */
export function leapMonthOf(lunarYear: number, timeZone = VIETNAM_TIME_ZONE): number | undefined {
  if (!Number.isInteger(lunarYear)) return undefined;
  // A leap 1..10 sits in the cycle that began the year before; a (very rare) leap 11 or 12 sits
  // in the cycle this year opens.
  const early = monthCycle(lunarYear - 1, timeZone).find((m) => m.leap && m.month <= 10);
  const late = monthCycle(lunarYear, timeZone).find((m) => m.leap && m.month >= 11);
  return (early ?? late)?.month;
}

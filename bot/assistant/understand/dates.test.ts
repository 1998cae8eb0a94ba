import { describe, expect, it } from "vitest";
import { isoOf, localToday, resolveDateRange, type DateRange } from "./dates.ts";

// Every expectation below was worked out by hand from a calendar, not by running the code.
/** 23:30 UTC on Saturday 21 Nov 2026 is already 06:30 on Sunday 22 Nov 2026 in Vietnam. */
const SUNDAY = new Date("2026-11-21T23:30:00Z");
/** 10:00 on Saturday 28 Nov 2026 in Vietnam. */
const SATURDAY = new Date("2026-11-28T03:00:00Z");
/** 10:00 on Wednesday 25 Nov 2026 in Vietnam. */
const WEDNESDAY = new Date("2026-11-25T03:00:00Z");
/** 12:00 on Thursday 31 Dec 2026 in Vietnam. */
const NEW_YEARS_EVE = new Date("2026-12-31T05:00:00Z");
/** 03:00 on Tuesday 29 Feb 2028 (a leap year) in Vietnam; still 28 Feb in UTC. */
const LEAP_DAY = new Date("2028-02-28T20:00:00Z");
/** 10:00 on Saturday 10 Jan 2026: lunar month 11 of 2025, before the lunar new year of 2026. */
const JANUARY_2026 = new Date("2026-01-10T03:00:00Z");

/** kind, from, to: the parts most assertions need. */
function span(text: string, now: Date): [DateRange["kind"], string, string] | undefined {
  const r = resolveDateRange(text, now);
  return r && [r.kind, r.from, r.to];
}

describe("localToday", () => {
  it("uses Vietnam's date, seven hours ahead of UTC", () => {
    expect(localToday(SUNDAY)).toEqual({ year: 2026, month: 11, day: 22 });
    expect(localToday(new Date("2026-11-21T16:59:59Z"))).toEqual({ year: 2026, month: 11, day: 21 });
    expect(localToday(new Date("2026-11-21T17:00:00Z"))).toEqual({ year: 2026, month: 11, day: 22 });
    expect(localToday(new Date("2026-12-31T17:00:00Z"))).toEqual({ year: 2027, month: 1, day: 1 });
    expect(localToday(LEAP_DAY)).toEqual({ year: 2028, month: 2, day: 29 });
  });

  it("formats dates as YYYY-MM-DD", () => {
    expect(isoOf({ year: 2027, month: 3, day: 5 })).toBe("2027-03-05");
    expect(isoOf(localToday(SUNDAY))).toBe("2026-11-22");
  });
});

describe("days", () => {
  it.each([
    ["hôm nay có lễ hội gì", "2026-11-22"],
    ["hom nay co gi", "2026-11-22"],
    ["HÔM  NAY", "2026-11-22"],
    ["what's on today?", "2026-11-22"],
    ["anything tonight", "2026-11-22"],
    ["tối nay đi đâu", "2026-11-22"],
    ["toi nay co gi", "2026-11-22"],
    ["ngày mai có gì", "2026-11-23"],
    ["ngay mai", "2026-11-23"],
    ["Mai có lễ gì không?", "2026-11-23"],
    ["mai co gi", "2026-11-23"],
    ["sáng mai", "2026-11-23"],
    ["events tomorrow", "2026-11-23"],
    ["ngày mốt", "2026-11-24"],
    ["the day after tomorrow", "2026-11-24"],
    ["hôm qua", "2026-11-21"],
  ])("%s → %s", (text, date) => {
    expect(span(text, SUNDAY)).toEqual(["day", date, date]);
  });

  it.each([
    ["15/3", "2027-03-15"],
    ["ngày 15/3/2027", "2027-03-15"],
    ["15 / 3 / 2027", "2027-03-15"],
    ["15.3.2027", "2027-03-15"],
    ["2027-03-15", "2027-03-15"],
    ["ngày 15 tháng 3", "2027-03-15"],
    ["ngay 15 thang 3 nam 2027", "2027-03-15"],
    ["March 15", "2027-03-15"],
    ["on march 15th", "2027-03-15"],
    ["15 March 2027", "2027-03-15"],
    ["the 15th of March", "2027-03-15"],
    ["June 5, 2027", "2027-06-05"],
    ["3/15/2027", "2027-03-15"], // American order, since there is no month 15
    // Today counts; yesterday's date is next year's.
    ["22/11", "2026-11-22"],
    ["21/11", "2027-11-21"],
    ["November 21", "2027-11-21"],
    // 29 Feb next exists in 2028.
    ["29/2", "2028-02-29"],
    // A day and month with a year given elsewhere in the question.
    ["ngày 15/3 năm 2028", "2028-03-15"],
    ["15/3 năm sau", "2027-03-15"],
  ])("%s → %s", (text, date) => {
    expect(span(text, SUNDAY)).toEqual(["day", date, date]);
  });

  it("skips dates that do not exist", () => {
    expect(resolveDateRange("ngày 31/4", SUNDAY)).toBeUndefined();
    expect(resolveDateRange("30/2/2027", SUNDAY)).toBeUndefined();
  });

  it("sets explicitYear only when the question names the year", () => {
    expect(resolveDateRange("15/3/2027", SUNDAY)?.explicitYear).toBe(true);
    expect(resolveDateRange("15 March 2027", SUNDAY)?.explicitYear).toBe(true);
    expect(resolveDateRange("15/3", SUNDAY)?.explicitYear).toBe(false);
    expect(resolveDateRange("hôm nay", SUNDAY)?.explicitYear).toBe(false);
  });

  it("reads weekdays", () => {
    expect(span("chủ nhật này có gì", SUNDAY)).toEqual(["day", "2026-11-22", "2026-11-22"]);
    expect(span("thứ 7 có gì", SUNDAY)).toEqual(["day", "2026-11-28", "2026-11-28"]);
    expect(span("vào thứ sáu", WEDNESDAY)).toEqual(["day", "2026-11-27", "2026-11-27"]);
    expect(span("thứ 7 tuần sau", SATURDAY)).toEqual(["day", "2026-12-05", "2026-12-05"]);
    expect(span("chủ nhật tới", SATURDAY)).toEqual(["day", "2026-11-29", "2026-11-29"]);
    expect(span("on Saturday", SATURDAY)).toEqual(["day", "2026-11-28", "2026-11-28"]);
    expect(span("next saturday", SATURDAY)).toEqual(["day", "2026-12-05", "2026-12-05"]);
  });

  it("crosses the year and the leap day", () => {
    expect(span("ngày mai", NEW_YEARS_EVE)).toEqual(["day", "2027-01-01", "2027-01-01"]);
    expect(span("1/1", NEW_YEARS_EVE)).toEqual(["day", "2027-01-01", "2027-01-01"]);
    expect(span("hôm nay", LEAP_DAY)).toEqual(["day", "2028-02-29", "2028-02-29"]);
    expect(span("tomorrow", LEAP_DAY)).toEqual(["day", "2028-03-01", "2028-03-01"]);
    expect(span("29/2", LEAP_DAY)).toEqual(["day", "2028-02-29", "2028-02-29"]);
  });
});

describe("weekends", () => {
  it.each([
    "cuối tuần này",
    "cuoi tuan nay",
    "cuối tuần",
    "Cuối  Tuần này có gì",
    "this weekend",
    "the weekend",
    "weekend",
  ])("%s on Sunday is the rest of the current weekend: today", (text) => {
    expect(span(text, SUNDAY)).toEqual(["weekend", "2026-11-22", "2026-11-22"]);
  });

  it.each(["cuối tuần sau", "cuối tuần tới", "cuoi tuan toi", "next weekend"])(
    "%s on Sunday is the coming Saturday and Sunday",
    (text) => {
      expect(span(text, SUNDAY)).toEqual(["weekend", "2026-11-28", "2026-11-29"]);
    },
  );

  it("on Saturday this weekend starts today, next weekend a week later", () => {
    expect(span("cuối tuần này", SATURDAY)).toEqual(["weekend", "2026-11-28", "2026-11-29"]);
    expect(span("next weekend", SATURDAY)).toEqual(["weekend", "2026-12-05", "2026-12-06"]);
    expect(span("last weekend", SATURDAY)).toEqual(["weekend", "2026-11-21", "2026-11-22"]);
  });

  it("on a weekday this weekend is the coming one", () => {
    expect(span("this weekend", WEDNESDAY)).toEqual(["weekend", "2026-11-28", "2026-11-29"]);
    expect(span("cuối tuần sau", WEDNESDAY)).toEqual(["weekend", "2026-12-05", "2026-12-06"]);
    expect(span("this weekend", NEW_YEARS_EVE)).toEqual(["weekend", "2027-01-02", "2027-01-03"]);
    expect(span("cuối tuần này", LEAP_DAY)).toEqual(["weekend", "2028-03-04", "2028-03-05"]);
  });
});

describe("weeks", () => {
  it("this week runs from today to Sunday; next week Monday to Sunday", () => {
    expect(span("tuần này", SUNDAY)).toEqual(["week", "2026-11-22", "2026-11-22"]);
    expect(span("this week", WEDNESDAY)).toEqual(["week", "2026-11-25", "2026-11-29"]);
    expect(span("tuần sau", SUNDAY)).toEqual(["week", "2026-11-23", "2026-11-29"]);
    expect(span("tuan toi", SUNDAY)).toEqual(["week", "2026-11-23", "2026-11-29"]);
    expect(span("next week", SATURDAY)).toEqual(["week", "2026-11-30", "2026-12-06"]);
    expect(span("tuần này", NEW_YEARS_EVE)).toEqual(["week", "2026-12-31", "2027-01-03"]);
    expect(span("next week", NEW_YEARS_EVE)).toEqual(["week", "2027-01-04", "2027-01-10"]);
    expect(span("tuần sau", LEAP_DAY)).toEqual(["week", "2028-03-06", "2028-03-12"]);
  });
});

describe("months", () => {
  it("this month runs from today; next month is the whole of it", () => {
    expect(span("tháng này", SUNDAY)).toEqual(["month", "2026-11-22", "2026-11-30"]);
    expect(span("this month", SUNDAY)).toEqual(["month", "2026-11-22", "2026-11-30"]);
    expect(span("tháng sau", SUNDAY)).toEqual(["month", "2026-12-01", "2026-12-31"]);
    expect(span("tháng tới", SUNDAY)).toEqual(["month", "2026-12-01", "2026-12-31"]);
    expect(span("next month", SUNDAY)).toEqual(["month", "2026-12-01", "2026-12-31"]);
    expect(span("tháng sau", NEW_YEARS_EVE)).toEqual(["month", "2027-01-01", "2027-01-31"]);
    expect(span("tháng này", LEAP_DAY)).toEqual(["month", "2028-02-29", "2028-02-29"]);
  });

  it.each([
    "tháng 6",
    "tháng sáu",
    "Tháng Sáu có lễ gì",
    "thang 6",
    "thang6",
    "in June",
    "June",
    "festivals in jun",
    "early june",
  ])("%s in November is next year's June", (text) => {
    expect(span(text, SUNDAY)).toEqual(["month", "2027-06-01", "2027-06-30"]);
  });

  it.each([
    "tháng 6 năm 2027",
    "tháng 6/2027",
    "thang 6 nam 2027",
    "June 2027",
    "june of 2027",
    "tháng 6 năm sau",
  ])("%s is June 2027", (text) => {
    expect(span(text, SUNDAY)).toEqual(["month", "2027-06-01", "2027-06-30"]);
  });

  it("counts the current month as the next such month", () => {
    expect(span("tháng 11", SUNDAY)).toEqual(["month", "2026-11-01", "2026-11-30"]);
    expect(span("in November", SUNDAY)).toEqual(["month", "2026-11-01", "2026-11-30"]);
    expect(span("tháng 12", NEW_YEARS_EVE)).toEqual(["month", "2026-12-01", "2026-12-31"]);
    expect(span("tháng 1", NEW_YEARS_EVE)).toEqual(["month", "2027-01-01", "2027-01-31"]);
    expect(span("tháng 2", LEAP_DAY)).toEqual(["month", "2028-02-01", "2028-02-29"]);
  });

  it("reads Vietnamese month names and English abbreviations", () => {
    expect(span("tháng tư", SUNDAY)).toEqual(["month", "2027-04-01", "2027-04-30"]);
    expect(span("tháng mười hai", SUNDAY)).toEqual(["month", "2026-12-01", "2026-12-31"]);
    expect(span("Sept", SUNDAY)).toEqual(["month", "2027-09-01", "2027-09-30"]);
    expect(span("in May", SUNDAY)).toEqual(["month", "2027-05-01", "2027-05-31"]);
    expect(span("Dec 2026", SUNDAY)).toEqual(["month", "2026-12-01", "2026-12-31"]);
  });

  it("tells 'tháng sáu' (June) from 'tháng sau' (next month); without diacritics it is next month", () => {
    expect(span("tháng sáu", SUNDAY)).toEqual(["month", "2027-06-01", "2027-06-30"]);
    expect(span("tháng sau", SUNDAY)).toEqual(["month", "2026-12-01", "2026-12-31"]);
    expect(span("thang sau co le gi", SUNDAY)).toEqual(["month", "2026-12-01", "2026-12-31"]);
  });

  it("sets explicitYear for a named year", () => {
    expect(resolveDateRange("tháng 6 năm 2027", SUNDAY)?.explicitYear).toBe(true);
    expect(resolveDateRange("June 2027", SUNDAY)?.explicitYear).toBe(true);
    expect(resolveDateRange("tháng 6", SUNDAY)?.explicitYear).toBe(false);
    expect(resolveDateRange("tháng 6 năm sau", SUNDAY)?.explicitYear).toBe(false);
  });
});

describe("lunar months", () => {
  // Tết 2026 fell on 17 Feb 2026 and Tết 2027 falls on 6 Feb 2027; lunar month 2 of 2027 starts 8 Mar 2027.
  it.each(["tháng giêng", "thang gieng", "tháng 1 âm lịch", "lunar month 1", "the first lunar month"])(
    "%s asked on 22 Nov 2026 is lunar month 1 of 2027",
    (text) => {
      expect(span(text, SUNDAY)).toEqual(["lunar-month", "2027-02-06", "2027-03-07"]);
    },
  );

  it("picks this lunar year's month while it is not over", () => {
    // On 10 Jan 2026 the lunar year 2025 is still running, so month 1 of 2026 is still ahead.
    expect(span("tháng giêng", JANUARY_2026)).toEqual(["lunar-month", "2026-02-17", "2026-03-18"]);
    expect(span("tháng giêng năm 2026", SUNDAY)).toEqual(["lunar-month", "2026-02-17", "2026-03-18"]);
  });

  it.each(["tháng 4 âm lịch", "thang 4 am lich", "tháng 4 (ÂL)", "lunar month 4", "4th lunar month"])(
    "%s is 6 May – 4 Jun 2027",
    (text) => {
      expect(span(text, SUNDAY)).toEqual(["lunar-month", "2027-05-06", "2027-06-04"]);
    },
  );

  it("reads tháng Chạp and lunar months with a year", () => {
    // Lunar month 12 of 2026 runs from the new moon of 8 Jan 2027 to the eve of Tết, 5 Feb 2027.
    expect(span("tháng chạp", SUNDAY)).toEqual(["lunar-month", "2027-01-08", "2027-02-05"]);
    // Month 7 of 2027 starts at the new moon of 2 Aug 2027 (the total solar eclipse) and lasts 30 days.
    expect(span("tháng 7 âm lịch năm 2027", SUNDAY)).toEqual(["lunar-month", "2027-08-02", "2027-08-31"]);
    expect(resolveDateRange("tháng 7 âm lịch năm 2027", SUNDAY)?.explicitYear).toBe(true);
    // 2028 repeats month 5; the plain month 5 is the first, 24 May – 22 Jun 2028.
    expect(span("tháng 5 âm lịch", LEAP_DAY)).toEqual(["lunar-month", "2028-05-24", "2028-06-22"]);
  });

  it("reads the full moon (rằm) and lunar days as days", () => {
    expect(span("rằm tháng giêng", SUNDAY)).toEqual(["day", "2027-02-20", "2027-02-20"]);
    expect(span("ram thang gieng", SUNDAY)).toEqual(["day", "2027-02-20", "2027-02-20"]);
    expect(span("full moon of the first lunar month", SUNDAY)).toEqual(["day", "2027-02-20", "2027-02-20"]);
    expect(span("rằm tháng 7", SUNDAY)).toEqual(["day", "2027-08-16", "2027-08-16"]);
    expect(span("rằm tháng bảy", SUNDAY)).toEqual(["day", "2027-08-16", "2027-08-16"]);
    expect(span("15/7 âm lịch", SUNDAY)).toEqual(["day", "2027-08-16", "2027-08-16"]);
    // Giỗ Tổ: 10/3 lunar = 16 Apr 2027 (month 3 starts 7 Apr 2027).
    expect(span("mùng 10 tháng 3 âm lịch", SUNDAY)).toEqual(["day", "2027-04-16", "2027-04-16"]);
    // 22 Nov 2026 is day 14 of lunar month 10 (which began 9 Nov), so the next rằm is tomorrow.
    expect(span("rằm này có gì", SUNDAY)).toEqual(["day", "2026-11-23", "2026-11-23"]);
    // On 28 Nov it has passed: month 11 starts 9 Dec, its rằm is 23 Dec.
    expect(span("rằm", SATURDAY)).toEqual(["day", "2026-12-23", "2026-12-23"]);
    expect(span("rằm tháng sau", SUNDAY)).toEqual(["day", "2026-12-23", "2026-12-23"]);
  });
});

describe("years", () => {
  it.each(["năm 2027", "nam 2027", "in 2027", "2027", "lễ hội năm 2027 có gì"])("%s is 2027", (text) => {
    const r = resolveDateRange(text, SUNDAY);
    expect(r && [r.kind, r.from, r.to, r.explicitYear]).toEqual(["year", "2027-01-01", "2027-12-31", true]);
  });

  it("this year runs from today; next year is the whole of it", () => {
    expect(span("năm nay", SUNDAY)).toEqual(["year", "2026-11-22", "2026-12-31"]);
    expect(span("this year", SUNDAY)).toEqual(["year", "2026-11-22", "2026-12-31"]);
    expect(span("năm nay", NEW_YEARS_EVE)).toEqual(["year", "2026-12-31", "2026-12-31"]);
    for (const text of ["năm sau", "năm tới", "sang năm", "sang nam", "next year"]) {
      expect(span(text, SUNDAY)).toEqual(["year", "2027-01-01", "2027-12-31"]);
      expect(resolveDateRange(text, SUNDAY)?.explicitYear).toBe(false);
    }
  });
});

describe("upcoming", () => {
  it.each(["sắp tới có lễ hội gì", "sap toi", "upcoming events", "what's coming up", "soon", "what's on"])(
    "%s is today and the next 30 days",
    (text) => {
      expect(span(text, SUNDAY)).toEqual(["upcoming", "2026-11-22", "2026-12-22"]);
    },
  );

  it("crosses the year and reads a number of days", () => {
    expect(span("upcoming", NEW_YEARS_EVE)).toEqual(["upcoming", "2026-12-31", "2027-01-30"]);
    expect(span("7 ngày tới", SUNDAY)).toEqual(["upcoming", "2026-11-22", "2026-11-29"]);
    expect(span("next 7 days", SUNDAY)).toEqual(["upcoming", "2026-11-22", "2026-11-29"]);
    expect(span("2 tuần tới", SUNDAY)).toEqual(["upcoming", "2026-11-22", "2026-12-06"]);
  });
});

describe("precedence", () => {
  it("the most specific range wins", () => {
    expect(span("what's on this weekend", SUNDAY)?.[0]).toBe("weekend");
    expect(span("cuối tuần này hay tuần sau", SUNDAY)?.[0]).toBe("weekend");
    expect(span("tuần sau trong tháng 12", SUNDAY)?.[0]).toBe("week");
    expect(span("ngày 15 tháng 3 năm 2027", SUNDAY)).toEqual(["day", "2027-03-15", "2027-03-15"]);
    expect(span("năm 2027, rằm tháng giêng", SUNDAY)).toEqual(["day", "2027-02-20", "2027-02-20"]);
    expect(span("sắp tới, tháng 12", SUNDAY)).toEqual(["month", "2026-12-01", "2026-12-31"]);
    expect(span("hôm nay và cuối tuần", SUNDAY)?.[0]).toBe("day");
  });

  it("an explicit year combines with a month or lunar month given apart from it", () => {
    expect(span("lễ hội tháng 6 của năm 2028", SUNDAY)).toEqual(["month", "2028-06-01", "2028-06-30"]);
    expect(span("in June, 2028", SUNDAY)).toEqual(["month", "2028-06-01", "2028-06-30"]);
    expect(span("năm 2026 tháng giêng", SUNDAY)).toEqual(["lunar-month", "2026-02-17", "2026-03-18"]);
  });
});

describe("not fooled by", () => {
  it.each([
    "mở cửa đến 22h",
    "23:30 còn mở không",
    "lúc 10 giờ",
    "lưu trú 30 ngày",
    "trong 12 giờ",
    "open 24 hours",
    "open 24/7?",
    "Điều 30 Luật Cư trú",
    "Luật 68/2020/QH14",
    "Nghị định 282/2025/NĐ-CP",
    "Luật Cư trú 2020",
    "gọi 113",
    "hotline 1900 2027",
    "vé 500.000 đồng",
    "giá 2000 đồng",
    "số 12/3 đường Lê Lợi",
    "miếu Bà Chúa Xứ ở đâu",
    "mieu ba chua xu o dau",
    "where is the temple",
    "may I bring food?",
    "máy bay mấy giờ",
    "khuyến mại",
    "nhớ mãi",
    "Mai ở đâu",
    "từ trước tới nay",
    "hình chữ nhật",
    "lần thứ hai",
    "lễ hội diễn ra ngày tháng năm nào",
    "sếp ơi",
    "4 am",
  ])("%s", (text) => {
    expect(resolveDateRange(text, SUNDAY)).toBeUndefined();
  });

  it("legal codes next to a real date", () => {
    expect(span("Theo Luật 68/2020/QH14, cuối tuần này", SUNDAY)?.[0]).toBe("weekend");
    expect(span("Nghị định 282/2025/NĐ-CP áp dụng tháng 6", SUNDAY)).toEqual([
      "month",
      "2027-06-01",
      "2027-06-30",
    ]);
    expect(span("Nghị định 282/2025/NĐ-CP áp dụng năm 2026", SUNDAY)).toEqual([
      "year",
      "2026-01-01",
      "2026-12-31",
    ]);
  });

  it("words that fold to date words", () => {
    // "cưới" (wedding) folds to "cuoi": this is this week, not the weekend.
    expect(span("đám cưới tuần này", SUNDAY)?.[0]).toBe("week");
    // "mùa thu năm 2027" (autumn 2027) is not Thursday ("thứ năm").
    expect(span("mùa thu năm 2027", SUNDAY)?.[0]).toBe("year");
    // "các tháng năm 2027" is "the months of 2027", not May.
    expect(span("các tháng năm 2027", SUNDAY)?.[0]).toBe("year");
  });
});

describe("labels", () => {
  it("names the range in both languages", () => {
    expect(resolveDateRange("cuối tuần này", WEDNESDAY)?.label).toEqual({
      vi: "cuối tuần này (28–29/11/2026)",
      en: "this weekend (28–29 Nov 2026)",
    });
    expect(resolveDateRange("tháng 6 năm 2027", SUNDAY)?.label).toEqual({
      vi: "tháng 6/2027",
      en: "June 2027",
    });
    expect(resolveDateRange("next week", SATURDAY)?.label).toEqual({
      vi: "tuần sau (30/11–6/12/2026)",
      en: "next week (30 Nov – 6 Dec 2026)",
    });
    expect(resolveDateRange("tuần này", NEW_YEARS_EVE)?.label).toEqual({
      vi: "tuần này (31/12/2026–3/1/2027)",
      en: "this week (31 Dec 2026 – 3 Jan 2027)",
    });
    expect(resolveDateRange("hôm nay", SUNDAY)?.label).toEqual({
      vi: "hôm nay (22/11/2026)",
      en: "today (22 Nov 2026)",
    });
    expect(resolveDateRange("15/3", SUNDAY)?.label).toEqual({ vi: "ngày 15/3/2027", en: "15 Mar 2027" });
    expect(resolveDateRange("tháng giêng", SUNDAY)?.label).toEqual({
      vi: "tháng Giêng âm lịch (6/2–7/3/2027)",
      en: "lunar month 1 (6 Feb – 7 Mar 2027)",
    });
    expect(resolveDateRange("rằm tháng giêng", SUNDAY)?.label).toEqual({
      vi: "rằm tháng Giêng âm lịch (20/2/2027)",
      en: "full moon of lunar month 1 (20 Feb 2027)",
    });
    expect(resolveDateRange("năm 2027", SUNDAY)?.label).toEqual({ vi: "năm 2027", en: "2027" });
    expect(resolveDateRange("next year", SUNDAY)?.label).toEqual({
      vi: "năm sau (2027)",
      en: "next year (2027)",
    });
    expect(resolveDateRange("sắp tới", SUNDAY)?.label).toEqual({
      vi: "30 ngày tới (22/11–22/12/2026)",
      en: "the next 30 days (22 Nov – 22 Dec 2026)",
    });
    expect(resolveDateRange("thứ 7", SUNDAY)?.label).toEqual({
      vi: "thứ Bảy 28/11/2026",
      en: "Saturday 28 Nov 2026",
    });
  });
});

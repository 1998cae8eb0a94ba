import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadContent, type ContentEntry } from "../../../indexer/index.ts";
import { computeDeadlines } from "./lodging-deadline.ts";
import { parseArrivalTime, parseDeadlineQuery } from "../understand/lodging-details.ts";
import { normalize } from "../understand/phrases.ts";

/**
 * The lodging-deadline calculator on its own: reading a question's details, and applying the rules of
 * the fixture (fixtures/content/lodging: Vietnamese guests before 23:00 the same day, or before 08:00 the
 * next day when they arrive from 23:00; foreign guests on paper within 12 h, 24 h in remote areas,
 * electronically at check-in).
 */

const arrival = (text: string) => parseArrivalTime(normalize(text));
const details = (text: string) => parseDeadlineQuery(normalize(text));
const at = (h: number, m = 0) => h * 60 + m;

let entries: ContentEntry[];

beforeAll(async () => {
  const loaded = await loadContent(path.resolve(import.meta.dirname, "../fixtures/content"), {
    today: "2026-11-22",
  });
  expect(loaded.problems).toEqual([]);
  entries = loaded.entries;
});

describe("parseArrivalTime", () => {
  it.each([
    ["22h", at(22)],
    ["22h30", at(22, 30)],
    ["23h30", at(23, 30)],
    ["22 giờ", at(22)],
    ["22 gio", at(22)],
    ["22g", at(22)],
    ["22:00", at(22)],
    ["22 giờ 30", at(22, 30)],
    ["23 giờ 30 phút", at(23, 30)],
    ["20 giờ 45", at(20, 45)],
    ["lúc 9 giờ", at(9)],
    ["9 giờ tối", at(21)],
    ["9 gio toi", at(21)],
    ["10 giờ tối", at(22)],
    ["10:30 tối", at(22, 30)],
    ["7 giờ 15 tối", at(19, 15)],
    ["11 giờ đêm", at(23)],
    ["8h sáng", at(8)],
    ["8h tối", at(20)],
    ["2 giờ sáng", at(2)],
    ["3 giờ chiều", at(15)],
    ["lúc 5h chiều", at(17)],
    ["12 giờ trưa", at(12)],
    ["0h30", at(0, 30)],
    ["6pm", at(18)],
    ["11:15 pm", at(23, 15)],
    ["11.15pm", at(23, 15)],
    ["at 10 p.m.", at(22)],
    ["8:05 a.m.", at(8, 5)],
    ["9 am", at(9)],
    ["12am", at(0)],
    ["12pm", at(12)],
    ["noon", at(12)],
    ["midnight", at(0)],
    ["nửa đêm", at(0)],
    ["24h", at(0)],
  ])("%j → minute %i", (text, minutes) => {
    expect(arrival(text)).toBe(minutes);
  });

  it.each([
    "trong 12 giờ",
    "trong vòng 12 giờ",
    "khai báo trong vòng 24 giờ",
    "within 24 hours",
    "in 12 hours",
    "khách mất 2 giờ đi đường",
  ])("the duration %j is not an arrival time", (text) => {
    expect(arrival(text)).toBeUndefined();
  });

  it.each([
    "Điều 30",
    "Điều 30 khoản 4",
    "68/2020/QH14",
    "Luật Cư trú 68/2020/QH14, Điều 30 khoản 4",
    "Luật 47/2014/QH13 Điều 33 khoản 2",
    "Nghị định 282/2025/NĐ-CP",
  ])("the legal reference %j is not a time", (text) => {
    expect(arrival(text)).toBeUndefined();
  });

  it.each(["phòng 205", "2 khách", "30 ngày", "gọi 115", "ngày 25/4", "từ 14/4 đến 16/4", "năm 2027"])(
    "the number in %j is not a time",
    (text) => {
      expect(arrival(text)).toBeUndefined();
    },
  );

  it("takes the arrival time, not the duration, from a question with both", () => {
    expect(arrival("trong vòng 24 giờ kể từ 22h")).toBe(at(22));
    expect(arrival("within 12 hours of 22:00")).toBe(at(22));
    expect(arrival("Khách nước ngoài đến lúc 22h, khai báo trong 12 giờ phải không?")).toBe(at(22));
  });
});

describe("parseDeadlineQuery", () => {
  it.each([
    "khách nước ngoài",
    "khach nuoc ngoai",
    "người nước ngoài",
    "khách Hàn Quốc",
    "khách Nhật",
    "khách Campuchia",
    "khách tây ba lô",
    "a Korean guest",
    "a Chinese guest",
    "German tourist",
    "an American couple",
    "a foreigner with a passport",
  ])("%j is a foreign guest", (text) => {
    expect(details(text).guest).toBe("foreign");
  });

  it.each([
    "khách Việt Nam",
    "khach viet nam",
    "người Việt",
    "khách nội địa",
    "domestic guest",
    "a Vietnamese guest",
  ])("%j is a Vietnamese guest", (text) => {
    expect(details(text).guest).toBe("vn");
  });

  it.each(["mắm thái", "mam thai", "khách mua mắm thái về làm quà", "Mắm thái Châu Đốc ăn với gì?"])(
    "%j names no guest (mắm thái is a dish, not a Thai guest)",
    (text) => {
      expect(details(text).guest).toBeUndefined();
    },
  );

  it("names no guest when both kinds are mentioned", () => {
    expect(details("khách Việt Nam và khách nước ngoài").guest).toBeUndefined();
  });

  it("reads a remote area, and its negation", () => {
    expect(details("khách nước ngoài ở vùng sâu vùng xa").remote).toBe(true);
    expect(details("a foreign guest in a remote area").remote).toBe(true);
    expect(details("not remote").remote).toBe(false);
    expect(details("khách nước ngoài đến lúc 22h").remote).toBeUndefined();
  });

  it("reads the declaration method", () => {
    expect(details("khai báo điện tử").method).toBe("electronic");
    expect(details("khai báo online").method).toBe("electronic");
    expect(details("qua VNeID").method).toBe("electronic");
    expect(details("khai báo bằng phiếu").method).toBe("paper");
    expect(details("on a paper form").method).toBe("paper");
    expect(details("khách nước ngoài đến lúc 22h").method).toBeUndefined();
  });

  it("reads all the details of one question", () => {
    expect(details("Khách Nhật đến lúc 23h30 ở vùng sâu, khai báo bằng phiếu trước mấy giờ?")).toEqual({
      guest: "foreign",
      arrival: at(23, 30),
      remote: true,
      method: "paper",
    });
    expect(details("Luật Cư trú 68/2020/QH14 Điều 30 quy định gì?")).toEqual({});
  });
});

describe("computeDeadlines", () => {
  it("Vietnamese guest arriving before 23:00: before 23:00 the same day", () => {
    for (const time of [at(0), at(9), at(22), at(22, 59)]) {
      const out = computeDeadlines(entries, { guest: "vn", arrival: time });
      expect(out).toEqual([
        {
          entryId: "thong-bao-luu-tru",
          guest: "vn",
          method: "any",
          due: { kind: "same-day", before: "23:00" },
          at: { time: "23:00", dayOffset: 0 },
          basis: "Luật Cư trú 68/2020/QH14, Điều 30 khoản 4",
        },
      ]);
    }
  });

  it("Vietnamese guest arriving from 23:00: before 08:00 the next day", () => {
    for (const time of [at(23), at(23, 30), at(23, 59)]) {
      const out = computeDeadlines(entries, { guest: "vn", arrival: time });
      expect(out.map((d) => [d.due.kind, d.at])).toEqual([["next-day", { time: "08:00", dayOffset: 1 }]]);
    }
  });

  it("foreign guest at 22:00: paper within 12 h (10:00 the next day) and electronic at check-in", () => {
    const out = computeDeadlines(entries, { guest: "foreign", arrival: at(22) });
    expect(out).toEqual([
      {
        entryId: "khai-bao-tam-tru-nguoi-nuoc-ngoai",
        guest: "foreign",
        method: "paper",
        remote: false,
        due: { kind: "hours-after-arrival", hours: 12 },
        at: { time: "10:00", dayOffset: 1 },
        basis: "Luật 47/2014/QH13, Điều 33 khoản 2 (sửa đổi)",
      },
      {
        entryId: "khai-bao-tam-tru-nguoi-nuoc-ngoai",
        guest: "foreign",
        method: "electronic",
        due: { kind: "on-arrival" },
        basis: "Luật 47/2014/QH13, Điều 33 khoản 2 (sửa đổi)",
      },
    ]);
  });

  it.each([
    [at(11, 59), { time: "23:59", dayOffset: 0 }],
    [at(12), { time: "00:00", dayOffset: 1 }],
    [at(13, 15), { time: "01:15", dayOffset: 1 }],
    [at(0), { time: "12:00", dayOffset: 0 }],
  ])("foreign guest on paper arriving at minute %i: 12 hours later is %o", (time, due) => {
    const out = computeDeadlines(entries, { guest: "foreign", arrival: time, method: "paper" });
    expect(out.map((d) => d.at)).toEqual([due]);
  });

  it("foreign guest in a remote area on paper: 24 hours", () => {
    const out = computeDeadlines(entries, {
      guest: "foreign",
      arrival: at(22),
      remote: true,
      method: "paper",
    });
    expect(out.map((d) => [d.due, d.at])).toEqual([
      [
        { kind: "hours-after-arrival", hours: 24 },
        { time: "22:00", dayOffset: 1 },
      ],
    ]);
  });

  it("foreign guest declared electronically: on arrival, with no clock time", () => {
    const out = computeDeadlines(entries, { guest: "foreign", arrival: at(22), method: "electronic" });
    expect(out).toHaveLength(1);
    expect(out[0]?.due).toEqual({ kind: "on-arrival" });
    expect(out[0]?.at).toBeUndefined();
  });

  it("without an arrival time, gives the rules but no clock time for hours-after-arrival", () => {
    const out = computeDeadlines(entries, { guest: "foreign" });
    expect(out.map((d) => [d.method, d.due.kind, d.at])).toEqual([
      ["paper", "hours-after-arrival", undefined],
      ["electronic", "on-arrival", undefined],
    ]);
  });

  it("applies nothing when there are no lodging rules", () => {
    const others = entries.filter((e) => e.type !== "lodging-rule");
    expect(computeDeadlines(others, { guest: "vn", arrival: at(22) })).toEqual([]);
  });
});

/** Regressions of bugs these tests found (all fixed). */
describe("found bugs", () => {
  it("'12 giờ đêm' is midnight, not noon", () => {
    expect(arrival("khách đến lúc 12 giờ đêm")).toBe(at(0));
  });

  it("'ở 2 đêm' (two nights) is not an arrival at 02:00", () => {
    expect(arrival("khách ở 2 đêm, đến lúc 21h")).toBe(at(21));
  });

  it("'checkin 22h' is an arrival at 22:00, not a duration", () => {
    expect(arrival("khách nước ngoài checkin 22h")).toBe(at(22));
  });

  it("'khai báo tạm trú tại Việt Nam cho khách Hàn Quốc' is a foreign guest", () => {
    expect(details("khai báo tạm trú tại Việt Nam cho khách Hàn Quốc").guest).toBe("foreign");
  });

  it("a Vietnamese guest's same-day and next-day times do not depend on the arrival time", () => {
    const out = computeDeadlines(entries, { guest: "vn" });
    expect(out.map((d) => d.at)).toEqual([
      { time: "23:00", dayOffset: 0 },
      { time: "08:00", dayOffset: 1 },
    ]);
  });
});

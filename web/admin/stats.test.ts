import { describe, expect, it } from "vitest";
import type { Feedback, InteractionRecord } from "../../bot/index.ts";
import {
  addDays,
  csvCell,
  dashboardStats,
  dayCount,
  excerpt,
  gaps,
  isDay,
  isGap,
  jaccard,
  languages,
  normaliseQuestion,
  perChannel,
  perDay,
  questionWords,
  toCsv,
  topEntries,
  topQuestions,
  unhelpful,
  vnDay,
  vnDayStart,
} from "./stats.ts";

let seq = 0;
/** An interaction with sensible defaults; every test names what it varies. */
function rec(overrides: Partial<InteractionRecord> = {}): InteractionRecord {
  return {
    answerId: `a-${seq++}`,
    at: "2025-03-02T03:00:00.000Z",
    channel: "web",
    userHash: "feedfacefeedfacefeedfacefeedface",
    question: "Miếu Bà Chúa Xứ ở đâu?",
    language: "vi",
    intent: "place",
    confidence: 0.9,
    sources: ["temple-ba-chua-xu"],
    answer: "Dưới chân núi Sam.",
    composer: "extractive",
    latencyMs: 12,
    ...overrides,
  };
}

describe("Vietnamese days", () => {
  it("puts an instant on its day in Vietnam (UTC+7), not in UTC", () => {
    expect(vnDay("2025-03-01T16:59:59.999Z")).toBe("2025-03-01");
    expect(vnDay("2025-03-01T17:00:00.000Z")).toBe("2025-03-02");
    expect(vnDay("2025-03-02T00:30:00+07:00")).toBe("2025-03-02");
    expect(vnDay(new Date("2025-12-31T18:00:00Z"))).toBe("2026-01-01");
  });

  it("starts a Vietnamese day at 17:00 UTC the day before", () => {
    expect(vnDayStart("2025-03-02")).toBe("2025-03-01T17:00:00.000Z");
    expect(vnDayStart("2025-01-01")).toBe("2024-12-31T17:00:00.000Z");
  });

  it("adds days across months and leap days, and counts days both included", () => {
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(addDays("2024-03-01", -1)).toBe("2024-02-29");
    expect(addDays("2025-03-30", -29)).toBe("2025-03-01");
    expect(dayCount("2025-03-01", "2025-03-30")).toBe(30);
    expect(dayCount("2025-03-01", "2025-03-01")).toBe(1);
    expect(dayCount("2025-03-02", "2025-03-01")).toBe(0);
  });

  it("accepts only real days written YYYY-MM-DD", () => {
    expect(isDay("2024-02-29")).toBe(true);
    expect(isDay("2025-02-29")).toBe(false);
    expect(isDay("2025-3-1")).toBe(false);
    expect(isDay("2025-03-01T00:00")).toBe(false);
    expect(isDay("")).toBe(false);
  });
});

describe("perDay", () => {
  it("buckets by Vietnamese day across the UTC/Vietnam midnight and fills empty days with 0", () => {
    const records = [
      rec({ at: "2025-03-01T16:59:00.000Z" }), // 23:59 on 1 March in Vietnam
      rec({ at: "2025-03-01T17:00:00.000Z" }), // 00:00 on 2 March in Vietnam, still 1 March in UTC
      rec({ at: "2025-03-01T23:00:00.000Z" }), // 06:00 on 2 March
      rec({ at: "2025-03-04T10:00:00+07:00" }),
      rec({ at: "2025-02-28T10:00:00.000Z" }), // before the range: not counted
    ];
    expect(perDay(records, "2025-03-01", "2025-03-04")).toEqual([
      { day: "2025-03-01", count: 1 },
      { day: "2025-03-02", count: 2 },
      { day: "2025-03-03", count: 0 },
      { day: "2025-03-04", count: 1 },
    ]);
  });

  it("gives one zero day for a one-day range without questions", () => {
    expect(perDay([], "2025-03-05", "2025-03-05")).toEqual([{ day: "2025-03-05", count: 0 }]);
  });
});

describe("perChannel and languages", () => {
  const records = [
    rec({ channel: "telegram", language: "en" }),
    rec({ channel: "web" }),
    rec({ channel: "zalo-oa" }),
    rec({ channel: "web", language: "en" }),
    rec({ channel: "telegram" }),
    rec({ channel: "web" }),
  ];

  it("counts per channel, most first, ties alphabetically", () => {
    expect(perChannel(records)).toEqual([
      { channel: "web", count: 3 },
      { channel: "telegram", count: 2 },
      { channel: "zalo-oa", count: 1 },
    ]);
  });

  it("counts per language", () => {
    expect(languages(records)).toEqual([
      { language: "vi", count: 4 },
      { language: "en", count: 2 },
    ]);
  });
});

describe("topQuestions", () => {
  it("normalises case, punctuation and spaces, keeping the diacritics", () => {
    expect(normaliseQuestion("  Miếu Bà mở cửa   mấy giờ?? ")).toBe("miếu bà mở cửa mấy giờ");
    expect(normaliseQuestion("Giá vé, cáp treo!")).toBe("giá vé cáp treo");
    expect(normaliseQuestion("What's the price?")).toBe("what s the price");
    // NFD input counts with its NFC twin.
    expect(normaliseQuestion("Núi Sam".normalize("NFD"))).toBe("núi sam");
  });

  it("counts normalised questions, most first, and cuts at n", () => {
    const records = [
      rec({ question: "Miếu Bà ở đâu?" }),
      rec({ question: "miếu bà ở đâu" }),
      rec({ question: "  MIẾU BÀ Ở ĐÂU ?" }),
      rec({ question: "Giá vé cáp treo?" }),
      rec({ question: "giá vé cáp treo" }),
      rec({ question: "Chợ nổi ở đâu?" }),
      rec({ question: "?!" }), // nothing left to count
    ];
    expect(topQuestions(records)).toEqual([
      { question: "miếu bà ở đâu", count: 3 },
      { question: "giá vé cáp treo", count: 2 },
      { question: "chợ nổi ở đâu", count: 1 },
    ]);
    expect(topQuestions(records, 1)).toEqual([{ question: "miếu bà ở đâu", count: 3 }]);
  });
});

describe("topEntries", () => {
  it("counts each entry once per answer, most first", () => {
    const records = [
      rec({ sources: ["sam-mountain", "temple-ba-chua-xu", "sam-mountain"] }),
      rec({ sources: ["temple-ba-chua-xu"] }),
      rec({ sources: ["tra-su-forest", "temple-ba-chua-xu"] }),
      rec({ sources: [] }),
    ];
    expect(topEntries(records)).toEqual([
      { entryId: "temple-ba-chua-xu", count: 3 },
      { entryId: "sam-mountain", count: 1 },
      { entryId: "tra-su-forest", count: 1 },
    ]);
    expect(topEntries(records, 2)).toHaveLength(2);
  });
});

describe("unhelpful", () => {
  it("joins unhelpful feedback to its question, newest question first, without the helpful or unknown ones", () => {
    const older = rec({ answerId: "old", at: "2025-03-01T01:00:00.000Z", question: "Q cũ" });
    const newer = rec({
      answerId: "new",
      at: "2025-03-03T01:00:00.000Z",
      channel: "telegram",
      question: "Q mới",
      answer: "Trả lời   dài\nnhiều dòng",
    });
    const liked = rec({ answerId: "liked" });
    const feedback: Feedback[] = [
      { answerId: "old", helpful: false, comment: "sai giờ mở cửa", at: "2025-03-05T00:00:00.000Z" },
      { answerId: "new", helpful: false, at: "2025-03-04T00:00:00.000Z" },
      { answerId: "liked", helpful: true, comment: "hay", at: "2025-03-04T00:00:00.000Z" },
      { answerId: "gone", helpful: false, comment: "?", at: "2025-03-04T00:00:00.000Z" },
    ];
    const map = new Map([older, newer, liked].map((r) => [r.answerId, r]));
    expect(unhelpful(feedback, map)).toEqual([
      {
        at: "2025-03-03T01:00:00.000Z",
        feedbackAt: "2025-03-04T00:00:00.000Z",
        channel: "telegram",
        question: "Q mới",
        answer: "Trả lời dài nhiều dòng",
        comment: "",
      },
      {
        at: "2025-03-01T01:00:00.000Z",
        feedbackAt: "2025-03-05T00:00:00.000Z",
        channel: "web",
        question: "Q cũ",
        answer: "Dưới chân núi Sam.",
        comment: "sai giờ mở cửa",
      },
    ]);
  });

  it("cuts long answers at a word boundary with an ellipsis", () => {
    expect(excerpt("một hai ba bốn năm sáu bảy tám chín mười", 20)).toBe("một hai ba bốn năm…");
    expect(excerpt("ngắn", 20)).toBe("ngắn");
    expect([...excerpt("x".repeat(500))]).toHaveLength(200);
  });
});

describe("content gaps", () => {
  it("counts out-of-scope and low-confidence answers as gaps", () => {
    expect(isGap(rec({ intent: "out_of_scope", confidence: 0.9 }))).toBe(true);
    expect(isGap(rec({ confidence: 0.29 }))).toBe(true);
    expect(isGap(rec({ confidence: 0.3 }))).toBe(false);
  });

  it("compares folded topical words", () => {
    expect([...questionWords("Miếu Bà mở cửa mấy giờ?")].sort()).toEqual(["ba", "gio", "mieu", "mo"]);
    expect(questionWords("mieu ba mo cua may gio")).toEqual(questionWords("Miếu Bà mở cửa mấy giờ?"));
    expect(jaccard(new Set(["a", "b", "c"]), new Set(["a", "b", "d"]))).toBe(0.5);
    expect(jaccard(new Set(), new Set())).toBe(0);
  });

  it("groups 'miếu bà mở cửa mấy giờ' with 'mieu ba mo cua may gio?' and keeps 'giá vé cáp treo' apart", () => {
    const records = [
      rec({ question: "miếu bà mở cửa mấy giờ", intent: "out_of_scope", confidence: 0.1 }),
      rec({ question: "Miếu bà mở cửa mấy giờ?", intent: "out_of_scope", confidence: 0.1 }),
      rec({ question: "mieu ba mo cua may gio?", intent: "info", confidence: 0.2 }),
      rec({ question: "giá vé cáp treo", intent: "out_of_scope", confidence: 0 }),
      rec({ question: "Giá vé cáp treo núi Sam?", intent: "info", confidence: 0.1 }),
      // Answered well: not a gap, so it counts nowhere here.
      rec({ question: "miếu bà mở cửa mấy giờ", intent: "place", confidence: 0.9 }),
    ];
    expect(gaps(records)).toEqual([
      {
        size: 3,
        representative: "miếu bà mở cửa mấy giờ",
        variants: [
          { question: "miếu bà mở cửa mấy giờ", count: 2 },
          { question: "mieu ba mo cua may gio?", count: 1 },
        ],
        missing: ["(ngoài phạm vi)"],
      },
      {
        size: 2,
        representative: "giá vé cáp treo",
        variants: [
          { question: "giá vé cáp treo", count: 1 },
          { question: "Giá vé cáp treo núi Sam?", count: 1 },
        ],
        missing: ["(ngoài phạm vi)"],
      },
    ]);
  });

  it("counts a question with an unknown part as a gap whatever its confidence, and names what was missing", () => {
    const partly = rec({
      question: "Núi Cấm cao bao nhiêu, mấy giờ mở cửa?",
      intent: "place",
      confidence: 0.9,
      coverage: [
        { subject: "nui-cam", attribute: "size", status: "answered" },
        { subject: "nui-cam", attribute: "hours", status: "unknown" },
      ],
    });
    const answered = rec({
      question: "Núi Cấm cao bao nhiêu?",
      intent: "place",
      confidence: 0.2,
      coverage: [{ subject: "nui-cam", attribute: "size", status: "answered" }],
    });
    expect(isGap(partly)).toBe(true);
    // Coverage, when recorded, decides: a low confidence alone no longer makes a gap.
    expect(isGap(answered)).toBe(false);
    expect(gaps([partly, answered])).toEqual([
      {
        size: 1,
        representative: "Núi Cấm cao bao nhiêu, mấy giờ mở cửa?",
        variants: [{ question: "Núi Cấm cao bao nhiêu, mấy giờ mở cửa?", count: 1 }],
        missing: ["hours – nui-cam"],
      },
    ]);
  });

  it("joins at the threshold and not below it", () => {
    const q = (question: string) => rec({ question, intent: "out_of_scope" });
    // {chua, hang, nui} vs {chua, hang, sam}: 2/4 = 0.5, joins.
    expect(gaps([q("chùa hang núi"), q("chùa hang sam")])).toHaveLength(1);
    // {chua, hang, nui} vs {chua, tay, an}: 1/5, apart.
    expect(gaps([q("chùa hang núi"), q("chùa tây an")])).toHaveLength(2);
    expect(gaps([q("chùa hang núi"), q("chùa hang sam")], 0.6)).toHaveLength(2);
  });
});

describe("dashboardStats", () => {
  it("computes every table over the same records, joining feedback to any interaction given", () => {
    const records = [rec({ answerId: "x", at: "2025-03-02T03:00:00Z" })];
    const outside = rec({ answerId: "y", at: "2025-02-01T00:00:00Z", question: "cũ hơn" });
    const feedback: Feedback[] = [
      { answerId: "x", helpful: false, at: "2025-03-02T04:00:00Z" },
      { answerId: "y", helpful: false, at: "2025-03-02T04:00:00Z" },
    ];
    const range = { from: "2025-03-01", to: "2025-03-02" };
    const stats = dashboardStats(records, feedback, range);
    expect(stats.total).toBe(1);
    expect(stats.perDay).toEqual([
      { day: "2025-03-01", count: 0 },
      { day: "2025-03-02", count: 1 },
    ]);
    expect(stats.unhelpful.map((u) => u.question)).toEqual(["Miếu Bà Chúa Xứ ở đâu?"]);
    const joined = dashboardStats(
      records,
      feedback,
      range,
      new Map([records[0], outside].map((r) => [r!.answerId, r!])),
    );
    expect(joined.unhelpful.map((u) => u.question)).toEqual(["Miếu Bà Chúa Xứ ở đâu?", "cũ hơn"]);
    expect(joined.total).toBe(1);
  });
});

describe("CSV", () => {
  it("quotes commas, quotes and line breaks, and nothing else", () => {
    expect(csvCell("plain text")).toBe("plain text");
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("line\nbreak")).toBe('"line\nbreak"');
    expect(csvCell("cr\rlf")).toBe('"cr\rlf"');
    expect(csvCell("Miếu Bà; giờ")).toBe("Miếu Bà; giờ");
  });

  it("guards text that a spreadsheet would run as a formula", () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell("+84 296")).toBe("'+84 296");
    expect(csvCell("-1")).toBe("'-1");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("\t=1")).toBe("'\t=1");
    expect(csvCell("=1,2")).toBe('"\'=1,2"');
    expect(csvCell("a=b")).toBe("a=b");
    // Numbers are data, not text: never prefixed.
    expect(csvCell(-5)).toBe("-5");
    expect(csvCell(0)).toBe("0");
  });

  it("starts with a UTF-8 BOM and ends every line with CRLF", () => {
    const csv = toCsv(
      ["Câu hỏi", "Số lần"],
      [
        ["giá vé, cáp treo", 2],
        ["=cmd", 1],
      ],
    );
    expect(csv).toBe('\uFEFFCâu hỏi,Số lần\r\n"giá vé, cáp treo",2\r\n\'=cmd,1\r\n');
    expect(Buffer.from(csv, "utf8").subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(toCsv(["a"], [])).toBe("\uFEFFa\r\n");
  });
});

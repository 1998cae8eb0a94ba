import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildFromEntries, loadContent, type ContentEntry } from "../../../indexer/index.ts";
import { createAssistant, type Assistant } from "../assistant.ts";

/**
 * What composition writes, over the real content: every entry asked in both languages in a few ways,
 * and no answer shows a value that was never turned into words ("[object Object]", "undefined", "NaN").
 */

let entries: ContentEntry[];
let assistant: Assistant;
beforeAll(async () => {
  const loaded = await loadContent(path.resolve(import.meta.dirname, "../../../content"));
  entries = loaded.entries;
  const { index } = await buildFromEntries(entries, "0".repeat(64));
  const now = new Date("2026-12-01T10:00:00+07:00");
  assistant = createAssistant({ index, clock: { now: () => now } });
});

const UNWRITTEN = /\[object Object\]|\bundefined\b|\bNaN\b|\bnull\b/;

describe("composed answers", () => {
  it("write every value as words, for every entry and a few ways of asking", async () => {
    const asks = (title: string) => [
      `${title}`,
      `${title} năm 2024 ở đâu, ngày nào`,
      `${title} các năm trước`,
      `${title} giá vé bao nhiêu, mấy giờ mở cửa`,
      `${title} when, where and how much`,
    ];
    let checked = 0;
    for (const e of entries) {
      for (const text of [...asks(e.title.vi), ...asks(e.title.en)]) {
        const a = await assistant.ask({ text, conversationId: `${e.id}:${text}` });
        expect(a.answer, `${e.id}: ${text}`).not.toMatch(UNWRITTEN);
        expect(a.answer.trim().length, `${e.id}: ${text}`).toBeGreaterThan(0);
        checked++;
      }
    }
    expect(checked).toBe(entries.length * 10);
  });
});

let conversations = 0;
const ask = (text: string) => assistant.ask({ text, conversationId: `single-${++conversations}` });
function conversation() {
  const conversationId = `chat-${++conversations}`;
  return (text: string) => assistant.ask({ text, conversationId });
}
const ids = (a: { sources: { id: string }[] }) => a.sources.map((s) => s.id);

describe("lodging rules on the real content", () => {
  it("a private home that does not report a relative's stay: the general fine, not a business's brackets", async () => {
    const a = await ask("nhà riêng có bà con ở lại qua đêm mà không báo lưu trú thì bị phạt bao nhiêu");
    expect(ids(a)).toEqual(["muc-phat-luu-tru"]);
    expect(a.intent).toBe("lodging_fine");
    expect(a.answer).toMatch(/500\.000 đồng – 1\.000\.000 đồng/);
    expect(a.answer).not.toMatch(/2\.000\.000 đồng/);
    // A lodging business keeps its brackets.
    const hotel = await ask("khách sạn quên báo lưu trú 2 khách Việt thì phạt bao nhiêu");
    expect(hotel.answer).toMatch(/2\.000\.000 đồng – 4\.000\.000 đồng/);
    // A temporary residence not registered: the temporary-residence rule's own line.
    const stay = await ask("người thuê ở 3 tháng mà không đăng ký tạm trú thì bị phạt bao nhiêu");
    expect(ids(stay)).toEqual(["dang-ky-tam-tru"]);
    expect(stay.answer).toMatch(/500\.000 đồng – 1\.000\.000 đồng/);
  });

  it("a stay of a month or more is a temporary residence, whose term is not a deadline", async () => {
    const a = await ask("I'm Vietnamese, staying with my aunt for 45 days, anything to register?");
    expect(ids(a)[0]).toBe("dang-ky-tam-tru");
    const say = conversation();
    await say("ở nhờ nhà người quen 2 tháng thì phải làm gì");
    const term = await say("đăng ký tạm trú được tối đa bao lâu");
    expect(ids(term)).toEqual(["dang-ky-tam-tru"]);
    expect(term.intent).not.toBe("lodging_deadline");
    // A short stay is still the stay report.
    expect(ids(await ask("khách Việt ở 2 ngày thì báo lưu trú trước mấy giờ"))).toEqual([
      "thong-bao-luu-tru",
    ]);
  });
});

describe("a turn of several clauses on the real content", () => {
  it("a clause that names nothing leans on the subject the clause before it found", async () => {
    const a = await ask("Luật 118 có đổi gì về thông báo lưu trú không? Cụ thể là gì?");
    expect(ids(a)).toEqual(["thong-bao-luu-tru"]);
    expect(a.coverage?.every((c) => c.status === "answered")).toBe(true);
    expect(a.answer).not.toMatch(/Tôi không chắc/);
  });

  it("quotes the doubt with the claim: a cable car on Núi Sam is not confirmed", async () => {
    const vi = await ask("núi Sam có cáp treo không");
    expect(vi.answer).toMatch(/chưa được xác nhận/);
    expect(vi.answer).toMatch(/núi Cấm/);
    const en = await ask("is there a cable car on Sam Mountain?");
    expect(en.answer).toMatch(/not confirmed/);
  });
});

describe("an event whose dates are announced yearly", () => {
  it("says it has no confirmed date, then what its sources say of the year asked, with the doubt", async () => {
    // The clock is 1 Dec 2026: "this year" is 2026, and the entry has a 2026 estimate but no date.
    const en = await ask("when does Ramadan start this year?");
    expect(en.answer).toMatch(/I don't have the confirmed dates/);
    expect(en.answer).toMatch(/18 or 19 February 2026/);
    expect(en.answer).toMatch(/unconfirmed/);
    const vi = await ask("Ramadan năm 2027 bắt đầu ngày nào");
    expect(vi.answer).toMatch(/2027: chưa có nguồn/);
    // The caveat that introduces the list comes before it.
    const lines = vi.answer.split("\n");
    const caveat = lines.findIndex((l) => /chưa được xác nhận:$/.test(l));
    const estimate = lines.findIndex((l) => l.includes("2027: chưa có nguồn"));
    expect(caveat).toBeGreaterThan(-1);
    expect(caveat).toBeLessThan(estimate);
  });
});

describe("a value the content says it does not have", () => {
  it("is said plainly as unknown, with the entry's own words on it, and counts as a gap", async () => {
    const a = await ask("cửa khẩu Tịnh Biên mấy giờ mở cửa");
    expect(a.answer).toMatch(/Giờ mở cửa: chưa xác nhận; nguồn của chúng tôi ghi:/);
    expect(a.answer).toMatch(/Lonely Planet/);
    expect(a.coverage?.[0]?.status).toBe("unknown");
    const hotline = await ask("tourist hotline number of An Giang?");
    expect(hotline.coverage?.[0]?.status).toBe("unknown");
    expect(hotline.answer).toMatch(/not confirmed|don.t have/);
  });
});

describe("itineraries in a conversation", () => {
  it("after the one-day plan, 'and with two days?' gives the two-day plan", async () => {
    const say = conversation();
    const one = await say("gợi ý lịch trình một ngày quanh núi Sam");
    expect(ids(one)[0]).toBe("mot-ngay-nui-sam");
    const two = await say("còn nếu có hai ngày thì sao");
    expect(ids(two)[0]).toBe("hai-ngay-nui-sam-tra-su-nui-cam");
  });

  it("a day in another destination is out of scope, even during the chat; getting there is not", async () => {
    const say = conversation();
    await say("gợi ý lịch trình một ngày quanh núi Sam");
    const elsewhere = await say("còn ngày thứ ba đi Đà Lạt chơi gì");
    expect(elsewhere.intent, elsewhere.answer).toBe("out_of_scope");
    expect((await say("từ Châu Đốc đi Đà Lạt bao xa")).intent).not.toBe("out_of_scope");
  });
});

describe("the fare of a vehicle", () => {
  it("is stated under any name of that vehicle, and never as another vehicle's price", async () => {
    const cable = await ask("how much is the cable car at Cam Mountain?");
    expect(cable.answer).toMatch(/320,000/);
    const taxi = await ask("how much is a taxi to Tra Su forest?");
    expect(taxi.coverage?.find((c) => c.attribute === "price")?.status).toBe("unknown");
    expect(taxi.answer).not.toMatch(/190,000/);
  });
});

describe("a long question with one rare word", () => {
  it("finds the entry of that word although the common words pull search elsewhere", async () => {
    // "từ Châu Đốc đi đường bộ … bao xa": every entry has those words; only "Phnom Penh" tells.
    for (const text of [
      "từ Châu Đốc đi đường bộ lên Phnom Penh bao xa",
      "tu chau doc di duong bo qua phnom penh bao xa",
    ]) {
      const a = await assistant.ask({ text, conversationId: `rare:${text}` });
      expect(a.coverage?.[0]?.status, text).toBe("answered");
      expect(a.answer, text).toMatch(/Phnom Penh/);
      expect(a.sources.length, text).toBeGreaterThan(0);
    }
  });
});

describe("questions of a lodging's owner without the words of the rules", () => {
  it("are never refused as out of scope", async () => {
    for (const text of [
      "khi khách check out, chủ nhà nghỉ có cần trình báo gì không",
      "do I need to tell the police when guests check out",
      "khach tra phong roi co phai bao cong an nua khong",
    ]) {
      const a = await assistant.ask({ text, conversationId: `owner:${text}` });
      expect(a.intent, text).not.toBe("out_of_scope");
    }
  });
});

describe("a follow-up whose words search places nowhere", () => {
  it("stays with the conversation's subject instead of 'not sure'", async () => {
    const { buildCatalog, buildFactIndex, createFinder } = await import("../find/index.ts");
    const { foldedPhrases, understandTurn } = await import("../understand/index.ts");
    const { index } = await buildFromEntries(entries, "0".repeat(64));
    const catalog = buildCatalog(index);
    const find = createFinder({
      index,
      catalog,
      facts: buildFactIndex(catalog.entries),
      elsewhere: foldedPhrases(["đà lạt"]),
      minCoverage: 0.55,
      today: () => "2026-12-01",
    });
    const text = "and what religion do they follow";
    const reading = understandTurn(text, { now: new Date("2026-12-01T10:00:00+07:00"), lexicon: catalog });
    const frame = {
      subject: "lang-cham-chau-giang",
      subjectSource: "weak" as const,
      attributes: [],
      years: [],
      text,
      topicTerms: ["religion", "follow"],
      lodging: {},
    };
    const findings = await find(frame, reading, "en");
    expect(findings.map((f) => ("entryId" in f ? f.entryId : undefined))).toContain("lang-cham-chau-giang");
  });
});

describe("small talk", () => {
  it("gets a short reply, never a refusal, and the conversation keeps its subject", async () => {
    const conversationId = "small-talk";
    await assistant.ask({ text: "Núi Cấm cao bao nhiêu?", conversationId });
    const talk = await assistant.ask({ text: "haha hay quá", conversationId });
    expect(talk.intent).not.toBe("out_of_scope");
    expect(talk.sources).toEqual([]);
    expect(talk.answer).toMatch(/Núi Cấm/);
    const me = await assistant.ask({ text: "are you a real person?", conversationId: "small-talk-2" });
    expect(me.answer).toMatch(/not a person/);
    const next = await assistant.ask({ text: "có cáp treo không?", conversationId });
    expect(next.sources[0]?.id).toBe("nui-cam");
  });
});

describe("a part of a festival in a given year", () => {
  it("is answered with the sentence of that year that says it, beside the dates", async () => {
    const a = await assistant.ask({
      text: "khai hội Vía Bà năm 2024 vào tối nào",
      conversationId: "part-2024",
    });
    expect(a.answer).toMatch(/khai hội tối 28\/5/);
    expect(a.answer).toMatch(/29\/5\/2024/);
  });
});

describe("how to declare, when the guest's kind is not given", () => {
  it("leads with the rule in short (who declares, by when) before the channels", async () => {
    const a = await assistant.ask({
      text: "do guesthouses have to report guests to the police",
      conversationId: "obl",
    });
    const lines = a.answer.split("\n");
    expect(lines.some((l) => /23:00|11 pm|before 23/.test(l))).toBe(true);
  });
});

describe("the area as a whole", () => {
  it("'what is there to do in Châu Đốc' lists the entries the office ranks first, each in short", async () => {
    for (const text of ["what is there to do in Chau Doc?", "Châu Đốc có gì chơi không"]) {
      const a = await assistant.ask({ text, conversationId: `overview:${text}` });
      const ranked = entries
        .filter((e) => e.featured !== undefined)
        .sort((x, y) => (x.featured as number) - (y.featured as number));
      expect(a.sources.map((s) => s.id).slice(0, 3), text).toEqual(ranked.slice(0, 3).map((e) => e.id));
      expect(a.answer, text).toContain(ranked[0]?.summary[a.language] as string);
    }
  });
});

describe("a Khmer festival in a year with known dates", () => {
  it("gives that year's dates without the other years' beside them", async () => {
    const a = await assistant.ask({ text: "đua bò Bảy Núi năm 2023 ở đâu", conversationId: "race-2023" });
    expect(a.answer).toMatch(/14\/10\/2023/);
    expect(a.answer).not.toMatch(/2024/);
  });
});

describe("a topic page named after a place in the same message", () => {
  it("asks the topic of that place ('Trà Sư …, and the best season?'), not the page", async () => {
    for (const text of [
      "how do I get to Tra Su forest, and what is the best season to go",
      "rừng tràm Trà Sư đi thế nào, mùa du lịch đẹp nhất là khi nào",
    ]) {
      const a = await assistant.ask({ text, conversationId: `topic:${text}` });
      expect(
        a.sources.map((s) => s.id),
        text,
      ).toEqual(["rung-tram-tra-su"]);
      expect(
        a.coverage?.map((c) => c.attribute),
        text,
      ).toContain("season");
    }
  });
});

describe("a new topic in two clauses", () => {
  it("keeps the second clause on the topic the first one found, not on the old subject", async () => {
    const conversationId = "food-after-mountain";
    await assistant.ask({ text: "Núi Sam cao bao nhiêu", conversationId });
    const a = await assistant.ask({
      text: "thế ở Châu Đốc ăn gì ngon? có món nào đặc biệt không",
      conversationId,
    });
    expect(a.sources.map((s) => s.id)).toEqual(["dac-san-am-thuc"]);
  });
});

describe("another destination that the content mentions in passing", () => {
  it("has its plan or sights refused, while a question that only names it is answered", async () => {
    const plan = await assistant.ask({ text: "gợi ý lịch trình một ngày ở Hà Tiên", conversationId: "ht-1" });
    expect(plan.intent).toBe("out_of_scope");
    const sights = await assistant.ask({ text: "what to see in Phu Quoc", conversationId: "ht-2" });
    expect(sights.intent).toBe("out_of_scope");
    const canal = await assistant.ask({
      text: "kênh Vĩnh Tế nối Châu Đốc với Hà Tiên dài bao nhiêu",
      conversationId: "ht-3",
    });
    expect(canal.intent).not.toBe("out_of_scope");
  });
});

describe("a thing the content never mentions", () => {
  it("asked of a place is said to be unknown there, not answered with the place's card", async () => {
    const a = await assistant.ask({ text: "wifi ở Miếu Bà có không", conversationId: "wifi" });
    expect(a.coverage?.[0]).toMatchObject({ subject: "mieu-ba-chua-xu", status: "unknown" });
    expect(a.answer).toMatch(/chưa có thông tin/);
  });
});

describe("a pick of a hotel or a restaurant", () => {
  it("is not made: the answer says so, gives what the page says instead, and counts as a gap", async () => {
    for (const text of ["recommend me a good hotel near the market", "gợi ý quán ăn ngon ở Châu Đốc"]) {
      const a = await assistant.ask({ text, conversationId: `pick:${text}` });
      expect(a.answer, text).toMatch(/don't recommend|không giới thiệu/);
      expect(a.coverage?.[0]?.status, text).toBe("unknown");
      expect(a.sources.length, text).toBeGreaterThan(0);
    }
  });
});

describe("chat shorthand", () => {
  it("'ko', 'dc', 'j' are not words of the topic: they weigh nothing in how well an entry covers a question", async () => {
    const { buildCatalog } = await import("../find/index.ts");
    const { index } = await buildFromEntries(entries, "0".repeat(64));
    const catalog = buildCatalog(index);
    const terms = (text: string) =>
      catalog
        .questionTerms(text)
        .filter((t) => !t.pair)
        .map((t) => t.term);
    expect(terms("mieu ba co mo cua ko dc j")).not.toEqual(expect.arrayContaining(["ko"]));
    expect(terms("mieu ba co mo cua ko dc j")).toEqual(expect.arrayContaining(["mieu"]));
  });
});

describe("a festival of a calendar the assistant does not compute", () => {
  it("says first when it falls by its own calendar (the entry's summary), then the dates it knows", async () => {
    const a = await assistant.ask({ text: "When is Ok Om Bok?", conversationId: "okombok" });
    const first = a.answer.split("\n")[0] as string;
    expect(first).toMatch(/15th day of the 10th Khmer lunar month/);
  });
});

import { describe, expect, it } from "vitest";
import { bodyTextProblems, inOtherLanguage, internalMarker, publicTextProblems } from "./public-text.ts";

describe("internalMarker", () => {
  it("finds the notes editors write for each other", () => {
    expect(internalMarker("Xã An Hảo cũ (tên xã sau ngày 1/7/2025 cần kiểm tra)")).toBe("cần kiểm tra");
    expect(internalMarker("một danh sách dự kiến ghi là xã An Cư")).toBe("danh sách dự kiến");
    expect(internalMarker("nhưng điều khoản chưa được đọc")).toBe("chưa đọc");
    expect(internalMarker("Opening hours [UNCONFIRMED]")).toBe("a [BRACKETED] research tag");
    expect(internalMarker("TODO: add the 2026 dates")).toBe("TODO");
    expect(internalMarker("but the clause was not read")).toBe("not read");
    expect(internalMarker("the commune name should be checked")).toBe("should be checked");
    // Decomposed Vietnamese (NFD, as some editors paste it) is found too.
    expect(internalMarker("cần kiểm tra".normalize("NFD"))).toBe("cần kiểm tra");
  });

  it("lets text say plainly what is unconfirmed", () => {
    expect(internalMarker("Giá vé hiện nay chưa được xác nhận; hãy hỏi ban quản lý.")).toBeUndefined();
    expect(internalMarker("The current fare is unconfirmed: ask at the pier.")).toBeUndefined();
    expect(internalMarker("Thời gian dự kiến lưu trú")).toBeUndefined();
    expect(internalMarker("a readable guide; he reads it")).toBeUndefined();
  });
});

describe("inOtherLanguage", () => {
  it("flags English text in a Vietnamese field and Vietnamese text in an English one", () => {
    expect(inOtherLanguage("French fort on top; the two ways up", "vi")).toBe(true);
    expect(inOtherLanguage("Huyện An Phú cũ, tỉnh An Giang, đường đi qua cầu Cồn Tiên", "en")).toBe(true);
  });

  it("accepts place names, law titles and short labels in either language", () => {
    expect(inOtherLanguage("Former Văn Giáo commune (former Tịnh Biên district), An Giang province", "en")).toBe(
      false,
    );
    expect(inOtherLanguage("Lady Chua Xu Temple (Miếu Bà Chúa Xứ Núi Sam)", "en")).toBe(false);
    expect(inOtherLanguage("Ứng dụng VNeID (chức năng Thông báo lưu trú)", "vi")).toBe(false);
    expect(inOtherLanguage("Sene Dolta", "vi")).toBe(false);
    expect(inOtherLanguage("Theo Lonely Planet, cửa khẩu mở từ 7 giờ đến 17 giờ.", "vi")).toBe(false);
  });
});

describe("publicTextProblems", () => {
  it("checks every public string and the language of each { vi, en } pair, but not staffNote or links", () => {
    const problems = publicTextProblems({
      title: { vi: "Núi Sam", en: "Sam Mountain" },
      summary: { vi: "Ngọn núi có pháo đài cũ.", en: "Ngọn núi có pháo đài cũ trên đỉnh, đường lên dốc." },
      tags: ["TODO"],
      staffNote: "cần kiểm tra giá vé; TODO",
      sources: [{ url: "https://example.vn/can-kiem-tra", note: { vi: "the fort and the ways up", en: "ok" } }],
    });
    expect(problems).toEqual([
      { where: ["summary", "en"], reason: expect.stringContaining("written in Vietnamese") },
      { where: ["tags", 0], reason: expect.stringContaining('("TODO")') },
      { where: ["sources", 0, "note", "vi"], reason: expect.stringContaining("written in English") },
    ]);
  });
});

describe("bodyTextProblems", () => {
  it("reports the line of a marker and the first line of a paragraph in the other language", () => {
    const lines = [
      "Núi Sam nằm ở phường Vĩnh Tế.",
      "",
      "## Giá vé",
      "Giá vé cần kiểm tra lại.",
      "",
      "The cable car runs to the summit and the fare is not known.",
      "It was seen in 2022.",
    ];
    expect(bodyTextProblems(lines, "vi")).toEqual([
      { offset: 3, reason: expect.stringContaining("cần kiểm tra") },
      { offset: 5, reason: expect.stringContaining("written in English") },
    ]);
    expect(bodyTextProblems(lines.slice(0, 3), "vi")).toEqual([]);
  });
});

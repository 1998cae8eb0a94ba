import { describe, expect, it } from "vitest";
import { detectLanguage, fold, tokenize } from "./normalize.ts";

describe("fold", () => {
  it("removes diacritics and folds đ, in NFC and NFD input alike", () => {
    const nfc = "Châu Đốc lưu trú Miếu Bà Chúa Xứ".normalize("NFC");
    const nfd = nfc.normalize("NFD");
    expect(nfd.length).toBeGreaterThan(nfc.length);
    expect(fold(nfc)).toBe("chau doc luu tru mieu ba chua xu");
    expect(fold(nfd)).toBe("chau doc luu tru mieu ba chua xu");
  });
});

describe("tokenize", () => {
  it("keeps the exact form beside the folded one, and stems English plurals only", () => {
    expect(tokenize("Đền, temples & ferries!")).toEqual([
      { exact: "đền", folded: "den" },
      { exact: "temples", folded: "temple" },
      { exact: "ferries", folded: "ferry" },
    ]);
    expect(tokenize("Thoại Hà 1819–1824").map((t) => t.folded)).toEqual(["thoai", "ha", "1819", "1824"]);
  });
});

describe("detectLanguage", () => {
  it.each([
    ["Miếu Bà Chúa Xứ ở đâu?", "vi"],
    ["mieu ba chua xu o dau", "vi"],
    ["khai bao tam tru cho nguoi nuoc ngoai", "vi"],
    ["le hoi via ba ngay nao", "vi"],
    ["Where is Sam Mountain?", "en"],
    ["how to get from ho chi minh city to chau doc", "en"],
    ["Do I need to register my foreign guests with the police?", "en"],
    ["???", "unknown"],
  ])("%s → %s", (text, lang) => {
    expect(detectLanguage(text)).toBe(lang);
  });
});

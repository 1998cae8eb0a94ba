import type { EntryType } from "../content/schema.ts";
import { fold } from "../text/normalize.ts";

/**
 * Phrases (folded, matched on word boundaries) that show which kind of entry a question is after.
 * Only clear signals are listed: a hint boosts that type in the ranking, it never filters.
 */
const HINTS: Record<EntryType, string[]> = {
  itinerary: ["lich trinh", "itinerary", "mot ngay", "hai ngay", "2 ngay", "one day", "two days", "day trip"],
  event: [
    "le hoi",
    "festival",
    "ngay nao",
    "khi nao",
    "thang may",
    "ngay may",
    "dien ra",
    "to chuc",
    "su kien",
    "event",
    "when is",
    "when does",
    "what date",
    "celebrate",
    "celebration",
    "vía",
    "via ba",
    "tet",
  ],
  "lodging-rule": [
    "luu tru",
    "tam tru",
    "khai bao",
    "thong bao luu tru",
    "dang ky cho khach",
    "register",
    "registration",
    "declare",
    "declaration",
    "report guest",
    "my guest",
    "khach nuoc ngoai",
    "foreign guest",
    "bi phat",
    "muc phat",
    "fine",
    "penalty",
    "na17",
    "vneid",
    "kinh doanh homestay",
    "mo homestay",
    "open a homestay",
  ],
  attraction: [
    "o dau",
    "where is",
    "dia chi",
    "address",
    "gio mo cua",
    "opening hour",
    "mo cua",
    "ve vao",
    "tham quan",
    "ticket",
    "visit",
    "di tich",
    "how far",
    "bao xa",
  ],
  practical: [
    "so dien thoai",
    "cap cuu",
    "emergency",
    "xe khach",
    "bus",
    "how to get",
    "di chuyen",
    "dac san",
    "an gi",
    "what to eat",
    "mua nao",
    "best time",
    "season",
    "phuong nao",
    "sap nhap",
    "merger",
    "scam",
    "lua dao",
    "phan anh",
    "complain",
  ],
};

const COMPILED = Object.entries(HINTS).map(([type, phrases]) => ({
  type: type as EntryType,
  patterns: phrases.map((p) => new RegExp(`(^|[^a-z0-9])${fold(p)}($|[^a-z0-9])`)),
}));

/** The entry types a question clearly asks for (possibly several, possibly none). */
export function typeHints(query: string): EntryType[] {
  const q = fold(query);
  return COMPILED.filter((c) => c.patterns.some((p) => p.test(q))).map((c) => c.type);
}

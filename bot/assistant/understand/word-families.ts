import { fold } from "../../../indexer/index.ts";

/**
 * Word families: words and phrases, Vietnamese (folded) and English, that say the same thing in a
 * question and in the knowledge base ("trùng tu" asked, "xây lại" written; "who is buried" asked, "an
 * táng" written). A question's families pull the sentences of the same families ahead when fact units
 * are ranked (find/facts.ts). General vocabulary of places and visits, written by the team; add a family
 * (or a member) when the content says a thing in words a visitor does not use.
 */
const FAMILIES: Record<string, string[]> = {
  built: [
    "xay dung",
    "duoc xay",
    "xay nam",
    "dung len",
    "khoi cong",
    "built",
    "build",
    "constructed",
    "construction",
    "erected",
  ],
  founded: [
    "thanh lap",
    "sang lap",
    "khai lap",
    "lap ra",
    "ra doi",
    "founded",
    "founder",
    "established",
    "set up",
  ],
  rebuilt: [
    "trung tu",
    "xay lai",
    "tai thiet",
    "tu bo",
    "sua chua",
    "rebuilt",
    "restored",
    "restoration",
    "renovated",
    "renovation",
    "repaired",
  ],
  life: [
    "song nam",
    "song tu",
    "song vao",
    "song den",
    "nam sinh",
    "nam mat",
    "qua doi",
    "tu tran",
    "mat nam",
    "sinh nam",
    "sinh ra",
    "died",
    "death",
    "passed away",
    "born",
    "lived",
    "lifetime",
  ],
  buried: [
    "an tang",
    "chon",
    "yen nghi",
    "mo phan",
    "lang mo",
    "buried",
    "burial",
    "grave",
    "tomb of",
    "resting place",
  ],
  name: [
    "ten that",
    "ten goc",
    "ten huy",
    "ten khac",
    "con goi la",
    "ten goi",
    "real name",
    "birth name",
    "also called",
    "also known as",
    "known as",
    "named after",
  ],
  height: [
    "chieu cao",
    "do cao",
    "cao bao nhieu",
    "cao nhat",
    "height",
    "high",
    "tall",
    "elevation",
    "altitude",
    "highest",
  ],
  area: [
    "dien tich",
    "rong bao nhieu",
    "mat nuoc",
    "hecta",
    "hectare",
    "hectares",
    "area",
    "surface",
    "covers",
  ],
  length: ["chieu dai", "dai bao nhieu", "dai hon", "length", "long", "stretches"],
  famous: [
    "noi tieng",
    "dac biet",
    "dac sac",
    "doc dao",
    "famous",
    "known for",
    "special",
    "unique",
    "renowned",
    "best known",
  ],
  religion: [
    "ton giao",
    "dao",
    "hoi giao",
    "dao hoi",
    "phat giao",
    "islam",
    "muslim",
    "muslims",
    "sunni",
    "religion",
    "religious",
    "faith",
    "buddhist",
    "buddhism",
  ],
  film: ["phim", "quay phim", "bo phim", "dien anh", "film", "movie", "filmed", "filming", "cinema"],
  fort: ["phao dai", "don binh", "fort", "fortress", "stronghold", "military post"],
  war: [
    "chien tranh",
    "tran danh",
    "chien dich",
    "khang chien",
    "war",
    "battle",
    "fighting",
    "fought",
    "wartime",
  ],
  airport: ["san bay", "may bay", "chuyen bay", "airport", "airports", "flight", "flights", "fly"],
  operator: [
    "nha xe",
    "hang xe",
    "nha van hanh",
    "cong ty",
    "operator",
    "operators",
    "company",
    "companies",
    "run by",
    "operated by",
  ],
  visa: ["visa", "thi thuc", "e visa", "evisa", "thi thuc dien tu", "visa on arrival"],
  recognised: [
    "cong nhan",
    "xep hang",
    "di san",
    "unesco",
    "recognised",
    "recognized",
    "recognition",
    "heritage",
    "listed",
    "inscribed",
  ],
  legend: ["truyen thuyet", "su tich", "tich", "giai thoai", "legend", "legends", "story", "tale", "myth"],
  meaning: [
    "y nghia",
    "nghia la",
    "vi sao goi",
    "tai sao goi",
    "meaning",
    "means",
    "why is it called",
    "named",
  ],
  statue: ["tuong", "pho tuong", "statue", "statues", "figure"],
  // Not "da" alone: folded, it is also "đã", "đa" ("tối đa") and "da" (skin).
  stone: ["sa thach", "da xanh", "bang da", "tuong da", "be da", "sandstone", "stone", "granite"],
  summit: ["tren dinh", "dinh nui", "tren nui", "top", "summit", "peak", "hilltop", "on top", "mountaintop"],
  crowd: [
    "dong duc",
    "dong nhat",
    "rat dong",
    "dong lam",
    "qua dong",
    "chen chuc",
    "dong nguoi",
    "dong khach",
    "crowded",
    "crowds",
    "crowd",
    "busy",
    "packed",
    "peak",
  ],
  free: [
    "mien phi",
    "khong thu phi",
    "khong mat phi",
    "mien ve",
    "free",
    "waived",
    "no charge",
    "free of charge",
  ],
  ward: ["xa nao", "phuong nao", "thuoc xa", "thuoc phuong", "commune", "ward", "district"],
  border: ["cua khau", "bien gioi", "border", "border gate", "crossing", "checkpoint"],
  shop: [
    "mua o dau",
    "cho ban",
    "cua hang",
    "sap",
    "tiem",
    "buy",
    "shop",
    "shops",
    "sells",
    "sold",
    "stall",
    "stalls",
  ],
  ingredients: [
    "lam tu",
    "lam bang",
    "nguyen lieu",
    "gom co",
    "ingredients",
    "made of",
    "made from",
    "made with",
  ],
  details: [
    "quoc tich",
    "ho ten",
    "ngay sinh",
    "so ho chieu",
    "nationality",
    "full name",
    "date of birth",
    "passport number",
  ],
  schedule: [
    "lich chay",
    "gio chay",
    "gio khoi hanh",
    "khoi hanh",
    "xuat phat",
    "schedule",
    "timetable",
    "departs",
    "departure",
    "departures",
    "leaves",
  ],
  pier: ["ben tau", "ben", "cang", "pier", "jetty", "dock", "wharf", "landing"],
  night: ["ban dem", "buoi toi", "dem", "night", "evening", "overnight"],
  worship: ["tho", "tho phung", "cung bai", "worship", "worshipped", "dedicated to", "venerated", "shrine"],
  relics: ["di tich", "quan the", "relic", "relics", "monument", "monuments", "historic site"],
  season: ["mua nuoc noi", "mua lu", "nuoc len", "flood season", "floating water", "high water"],
  dry: ["mua kho", "dry season", "low water"],
};

export type WordFamily = string;

/** Each member as its words, listed under its first word: a text is read once, word by word. */
const BY_FIRST_WORD = new Map<string, { family: WordFamily; words: string[] }[]>();
for (const [family, members] of Object.entries(FAMILIES))
  for (const m of members) {
    const words = fold(m.toLowerCase())
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean);
    const first = words[0];
    if (!first) continue;
    const list = BY_FIRST_WORD.get(first) ?? [];
    list.push({ family, words });
    BY_FIRST_WORD.set(first, list);
  }

/** The families a text has a member of (the text is folded here). */
export function familiesOf(text: string): WordFamily[] {
  const words = fold(text.toLowerCase())
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  const out = new Set<WordFamily>();
  // A lifetime written as years, "(1761–1829)": the person's life.
  if (/\b1[0-9]{3}\s*[–-]\s*1[0-9]{3}\)/.test(text)) out.add("life" as WordFamily);
  for (let i = 0; i < words.length; i++) {
    for (const m of BY_FIRST_WORD.get(words[i] as string) ?? []) {
      if (out.has(m.family)) continue;
      if (m.words.every((w, j) => words[i + j] === w)) out.add(m.family);
    }
  }
  return [...out];
}

import { fold } from "../../../indexer/index.ts";

/**
 * What a question can ask of a subject. The same vocabulary labels the knowledge base's fact units
 * (find/facts.ts), so that a frame is answered by the sentences that state what it asks.
 */
export const ATTRIBUTES = [
  "where",
  "distance",
  "getting-there",
  "travel-time",
  "hours",
  "price",
  "size",
  "history",
  "what-to-see",
  "dates",
  "rite-time",
  "season",
  "made-of",
  "contact",
  "deadline",
  "fine",
  "documents",
  "how-to-register",
  "events-list",
  "official",
  "itinerary",
  "legal-basis",
] as const;
export type Attribute = (typeof ATTRIBUTES)[number];

/** Attributes answered by a calculator, not by sentences. */
export const LODGING_ATTRIBUTES: ReadonlySet<Attribute> = new Set([
  "deadline",
  "fine",
  "documents",
  "how-to-register",
]);

/**
 * Question cues: words and phrases by which people ask for an attribute, in Vietnamese (matched folded,
 * so with or without diacritics) and English. A cue is a whole-word phrase; `*` at the end of a cue
 * matches any ending ("open*": open, opens, opening).
 */
const QUESTION_CUES: Record<Attribute, string[]> = {
  where: [
    "ở đâu",
    "o dau",
    "chỗ nào",
    "nơi nào",
    "nằm ở",
    "nằm đâu",
    "nằm trên đường",
    "trên đường nào",
    "which street",
    "what street",
    "which road",
    "địa chỉ",
    "vị trí",
    "where",
    "address",
    "location",
    "located",
    "situated",
  ],
  distance: [
    "bao xa",
    "xa không",
    "xa ko",
    "xa k",
    "có xa",
    "bao nhiêu km",
    "mấy km",
    "bao nhiêu cây",
    "mấy cây số",
    "cách bao nhiêu",
    "cách trung tâm",
    "how far",
    "distance",
    "far from",
    "far is",
    "km from",
    "kilomet*",
  ],
  "getting-there": [
    "đi như thế nào",
    "đi thế nào",
    "đi sao",
    "đi bằng gì",
    "đi bằng",
    "đi đường nào",
    "đường đi",
    "cách đi",
    "đi tới",
    "đi đến",
    "tới đó",
    "đến đó",
    "lên đỉnh",
    "xe buýt",
    "xe bus",
    "xe khách",
    "xe ôm",
    "taxi",
    "grab",
    "phương tiện",
    "how to get",
    "how do i get",
    "how can i get",
    "how do we get",
    "get there",
    "get to",
    "getting to",
    "go to",
    "reach",
    "transport*",
    "bus",
    "buses",
    "by boat",
    "directions",
    "cable car",
    "cáp treo",
  ],
  "travel-time": [
    "mất bao lâu",
    "đi bao lâu",
    "đi mất",
    "mấy tiếng",
    "bao nhiêu tiếng",
    "how long does it take",
    "how long is the trip",
    "how long is the ride",
    "how long does the",
    "how many hours",
    "travel time",
    "journey time",
  ],
  hours: [
    "giờ mở cửa",
    "mở cửa",
    "đóng cửa",
    "mấy giờ mở",
    "mở lúc",
    "mở tới",
    "mở đến",
    "giờ giấc",
    "open*",
    "clos*",
    "hours",
    "what time does",
  ],
  price: [
    "giá vé",
    "vé vào",
    "vé",
    "phí",
    "lệ phí",
    "bao nhiêu tiền",
    "mất tiền",
    "tốn tiền",
    "tốn bao nhiêu",
    "hết bao nhiêu",
    "trả bao nhiêu",
    "bao nhiêu một người",
    "miễn phí",
    "giá",
    "ticket*",
    "fee",
    "fees",
    "entrance",
    "admission",
    "price*",
    "cost*",
    "how much",
    "free",
    "pay",
  ],
  size: [
    "cao bao nhiêu",
    "cao không",
    "cao mấy",
    "bao nhiêu mét",
    "mấy mét",
    "độ cao",
    "chiều cao",
    "rộng bao nhiêu",
    "rộng không",
    "diện tích",
    "dài bao nhiêu",
    "lớn không",
    "how high",
    "how tall",
    "height",
    "tall",
    "high is",
    "elevation",
    "how big",
    "how large",
    "how long is",
    "size",
    "hectare*",
    "metres",
    "meters",
  ],
  history: [
    "ai xây",
    "do ai",
    "ai khai lập",
    "ai sáng lập",
    "ai thành lập",
    "người sáng lập",
    "by whom",
    "who founded",
    "xây năm",
    "xây khi nào",
    "xây từ",
    "xây dựng",
    "được xây",
    "lịch sử",
    "có từ",
    "có từ bao giờ",
    "thành lập",
    "ra đời",
    "nguồn gốc",
    "sự tích",
    "truyền thuyết",
    "trùng tu",
    "của ai",
    "thờ ai",
    "thờ gì",
    "là ai",
    "ai là",
    "bao nhiêu năm",
    "bao nhiêu tuổi",
    "who built",
    "built",
    "thiết kế",
    "kiến trúc sư",
    "design*",
    "architect*",
    "founded",
    "history",
    "historic*",
    "origin*",
    "legend",
    "how old",
    "restored",
    "dedicated to",
    "who was",
    "who is",
    "worship*",
    "tomb of",
    "buried",
  ],
  "what-to-see": [
    "có gì",
    "có gì hay",
    "có gì đặc biệt",
    "có gì đẹp",
    "xem gì",
    "chơi gì",
    "làm gì",
    "nổi tiếng",
    "đặc biệt",
    "điểm nhấn",
    "đáng đi",
    "đáng xem",
    "what to see",
    "what to do",
    "what is there",
    "what's there",
    "special",
    "famous",
    "highlight*",
    "worth",
    "things to do",
    "known for",
    "activities",
    "see there",
  ],
  dates: [
    "ngày nào",
    "ngày mấy",
    "năm nào",
    "khi nào",
    "bao giờ",
    "lúc nào",
    "hôm nào",
    "diễn ra",
    "tổ chức",
    "tháng mấy",
    "mùng mấy",
    "ngày bao nhiêu",
    "âm lịch",
    "dương lịch",
    "when",
    "what date",
    "which day",
    "which date",
    "dates",
    "date",
    "held",
    "take place",
    "takes place",
    "lunar",
  ],
  "rite-time": [
    "lễ tắm",
    "tắm bà",
    "tắm tượng",
    "rước",
    "thỉnh sắc",
    "nghi thức",
    "nghi lễ",
    "mấy giờ tắm",
    "giờ làm lễ",
    "ritual*",
    "rite",
    "rites",
    "ceremon*",
    "procession",
    "bathing",
  ],
  season: [
    "mùa nào",
    "tháng nào",
    "thời điểm nào",
    "thời điểm",
    "nên đi lúc nào",
    "nên đi khi nào",
    "nên đi mùa",
    "best time",
    "best month",
    "best season",
    "when to visit",
    "when to go",
    "when should",
    "season",
    "rainy",
    "dry season",
  ],
  "made-of": [
    "làm từ",
    "làm bằng",
    "làm bằng gì",
    "nguyên liệu",
    "gồm những gì",
    "là món gì",
    "món gì",
    "ăn gì",
    "món",
    "made of",
    "made from",
    "made with",
    "ingredient*",
    "what is in",
    "dish",
    "dishes",
    "eat",
    "food",
    "taste",
  ],
  contact: [
    "số điện thoại",
    "điện thoại",
    "đường dây nóng",
    "hotline",
    "liên hệ",
    "gọi ai",
    "gọi số",
    "gọi cho",
    "số nào",
    "khiếu nại",
    "phản ánh",
    "tố cáo",
    "phone",
    "number",
    "call",
    "contact",
    "complain*",
    "report",
    "who do i",
  ],
  deadline: [
    "trước mấy giờ",
    "mấy giờ phải",
    "trong bao lâu",
    "bao lâu",
    "thời hạn",
    "hạn chót",
    "hạn",
    "khi nào phải",
    "chậm nhất",
    "trễ nhất",
    "lúc nào phải",
    "by when",
    "deadline",
    "how soon",
    "how long do",
    "how long have",
    "how many hours",
    "within",
    "latest",
    "in time",
  ],
  fine: [
    "phạt",
    "mức phạt",
    "bị phạt",
    "xử phạt",
    "tiền phạt",
    "fine",
    "fines",
    "fined",
    "penalt*",
    "punish*",
    "sanction*",
  ],
  documents: [
    "giấy tờ",
    "cần gì",
    "cần những gì",
    "cần mang",
    "mang theo",
    "thông tin gì",
    "thông tin nào",
    "những thông tin",
    "hồ sơ",
    "document*",
    "papers",
    "what information",
    "which information",
    "what details",
    "which details",
    "what do i need",
    "need to provide",
    "required",
  ],
  "how-to-register": [
    "khai báo thế nào",
    "khai báo như thế nào",
    "khai báo sao",
    "khai báo ở đâu",
    "khai báo qua",
    "đăng ký thế nào",
    "đăng ký như thế nào",
    "đăng ký ở đâu",
    "thông báo thế nào",
    "thông báo như thế nào",
    "thông báo qua",
    "cách khai báo",
    "cách đăng ký",
    "cách thông báo",
    "thủ tục",
    "vneid",
    "how to declare",
    "how do i declare",
    "how to report",
    "how do i report",
    "how to register",
    "how do i register",
    "where do i declare",
    "where do i report",
    "where to declare",
    "where to register",
    "procedure",
    "website",
    "trang web",
    "trang nào",
    "web nào",
    "ứng dụng",
    "app",
    "link",
  ],
  "legal-basis": [
    "hiệu lực",
    "có hiệu lực",
    "in force",
    "take effect",
    "takes effect",
    "took effect",
    "come into force",
    "came into force",
    "nghị định nào",
    "luật nào",
    "văn bản nào",
    "thông tư nào",
    "điều nào",
    "căn cứ",
    "theo luật",
    "quy định ở đâu",
    "which decree",
    "which law",
    "what law",
    "what decree",
    "legal basis",
    "under which",
    "which article",
  ],
  itinerary: [
    "lịch trình",
    "lộ trình",
    "đi những chỗ nào",
    "đi những đâu",
    "nên đi đâu",
    "đi đâu",
    "ghé những",
    "một ngày",
    "1 ngày",
    "hai ngày",
    "2 ngày",
    "itinerary",
    "itineraries",
    "day trip",
    "one day",
    "two days",
    "2 days",
    "plan",
    "route",
    "where should i go",
    "what should i visit",
    "hành hương",
    "pilgrim*",
  ],
  official: [
    "chủ tịch",
    "giám đốc",
    "bí thư",
    "trưởng ban",
    "trưởng phòng",
    "trưởng công an",
    "ai phụ trách",
    "ai quản lý",
    "tên người",
    "chairman",
    "chairwoman",
    "director",
    "mayor",
    "head of",
    "in charge",
    "official's name",
    "name of the",
  ],
  "events-list": [
    "sự kiện",
    "lễ hội",
    "festival",
    "sự kiện gì",
    "lễ hội gì",
    "lễ hội nào",
    "có lễ gì",
    "có hội gì",
    "sự kiện nào",
    "có gì vui",
    "lịch lễ hội",
    "what's on this",
    "whats on this",
    "what is on this",
    "what's on in",
    "whats on in",
    "what's on next",
    "what events",
    "which festivals",
    "what festivals",
    "any festivals",
    "any events",
    "events",
    "festivals",
    "happening",
    "going on",
  ],
};

/** One regex per attribute: its cues as whole-word alternatives, longest first (global, for every match). */
type Cue = { attribute: Attribute; re: RegExp };

function cueBody(cue: string): string {
  const open = cue.endsWith("*");
  const body = fold(open ? cue.slice(0, -1) : cue)
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim()
    .replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
    .replace(/ +/g, "\\s+");
  return `${body}${open ? "\\p{L}*" : ""}`;
}

const CUES: Cue[] = ATTRIBUTES.map((attribute) => {
  const bodies = [...new Set(QUESTION_CUES[attribute].map(cueBody))].sort((x, y) => y.length - x.length);
  return { attribute, re: new RegExp(`(?<![\\p{L}\\p{N}])(?:${bodies.join("|")})(?![\\p{L}\\p{N}])`, "gu") };
});

/** The attributes a piece of a question asks for, by its cues, with the text each cue matched. */
export function attributeCues(folded: string, exact = folded): { attribute: Attribute; match: string }[] {
  const out: { attribute: Attribute; match: string }[] = [];
  const typedWithDiacritics = fold(exact) !== exact;
  for (const c of CUES) {
    for (const m of folded.matchAll(c.re)) {
      // Folded "ve" is both "vé" (a ticket) and "về" (about, back): the typed form decides, and without
      // diacritics only beside a word of buying or price.
      // Folded "phi" and "gia" are "phí" (a fee) and "giá" (a price), and also the "phi" of "phi vật thể"
      // (intangible) and the "gia" of "quốc gia", "tham gia", "gia hạn": the typed form decides, and
      // without diacritics the words around.
      const homograph = c.attribute === "price" ? PRICE_HOMOGRAPHS[m[0]] : undefined;
      if (homograph) {
        const price = typedWithDiacritics ? homograph.exact.test(exact) : !homograph.other.test(folded);
        if (!price) continue;
      }
      if (m[0] === "ve" && c.attribute === "price") {
        const ticket = typedWithDiacritics
          ? /(?<![\p{L}])vé(?![\p{L}])/u.test(exact)
          : /\b(?:gia ve|ve vao|mua ve|ve bao|ve tau|ve cap treo|ve xe|tien ve|ve khu)\b/.test(folded);
        if (!ticket) continue;
      }
      out.push({ attribute: c.attribute, match: m[0] });
    }
  }
  return out;
}

/** Folded price cues that are other words too: the typed form, or the words around, decide. */
const PRICE_HOMOGRAPHS: Record<string, { exact: RegExp; other: RegExp }> = {
  phi: {
    exact: /(?<![\p{L}])phí(?![\p{L}])/u,
    other: /\bphi (?:vat the|truong|cong|co|thuong|phap|loi nhuan|chinh phu)\b/,
  },
  gia: {
    exact: /(?<![\p{L}])giá(?![\p{L}])/u,
    other:
      /\b(?:quoc|tham|an|nha|hoa|dai|chuyen|tac|ong|ba|chu|dong|tu) gia\b|\bgia (?:dinh|han|tang|tri|su|lai|nhap|vi|truyen|toc|chanh|long|su|co|canh|cong|pha|nhan)\b/,
  },
};

// ---------------------------------------------------------------- content side

const MONEY =
  /\d{1,3}(?:[.,]\d{3})+|\d+(?:[.,]\d+)?\s*(?:dong|vnd|d\b|nghin|ngan|k\b|trieu|million|usd|\$)|mien phi|free of charge|\bfree\b/;
const TIME_OF_DAY = /\b\d{1,2}(?::\d{2}|h\d{0,2}\b|\s*gio\b|\s*(?:am|pm)\b)|nua dem|midnight|\bnoon\b/;

/**
 * Labels of a sentence of the knowledge base: which attributes it states. Read off the sentence (and the
 * heading of its section): a number with "m" and a word of height states a size, money with a word of
 * price states a price, a time of day with a word of a rite states a rite time, and so on.
 */
export function factAttributes(sentence: string, heading: string): Set<Attribute> {
  const s = fold(sentence).toLowerCase().replace(/²/g, "2");
  const h = fold(heading).toLowerCase();
  const out = new Set<Attribute>();
  const has = (re: RegExp) => re.test(s);
  if (
    has(/\b\d+(?:[.,]\d+)?\s?(?:m|met|metres?|meters?|ha|hecta|hectares?|km2)\b/) &&
    has(
      /\b(?:cao|height|tall|high|highest|dai|long|rong|wide|dien tich|area|covers?|size|hill|mountain|peak|summit|doi|nui|dinh)\b/,
    )
  )
    out.add("size");
  if (has(/\b(?:do cao|chieu cao|elevation)\b/)) out.add("size");
  // A length in km ("kênh dài hơn 90 km", "a 90 km canal"): a size, not a distance away.
  if (
    has(
      /\b(?:dai|long|length|chieu dai)\b[^.;]{0,20}\b\d+(?:[.,]\d+)?\s?km\b|\b\d+(?:[.,]\d+)?\s?km(?:-| )long\b/,
    )
  )
    out.add("size");
  // An area in hectares or km² is a size whatever the words around it.
  if (has(/\b\d+(?:[.,]\d+)?\s?(?:ha|hecta|hectares?|km2)\b/)) out.add("size");
  if (
    has(MONEY) &&
    has(/\b(?:ve|ticket|tickets|phi|fee|fees|gia|price|prices|cost|costs|entry|entrance|admission)\b/)
  )
    out.add("price");
  if (has(/\b(?:mien phi|free of charge|no fee|khong thu phi|khong mat phi)\b/)) out.add("price");
  if (has(/\b(?:phat|fine|fines|fined|penalt\w*)\b/)) out.add("fine");
  if (
    has(TIME_OF_DAY) &&
    has(
      /\b(?:mo cua|dong cua|open|opens|opening|close|closes|hours|khoi hanh|xuat phat|departs?|departures?|leaves?|chay luc|chuyen)\b/,
    )
  )
    out.add("hours");
  if (has(/\b(?:gio mo cua|opening hours)\b/)) out.add("hours");
  if (
    (has(TIME_OF_DAY) || has(/\b(?:dem|night|evening|toi|sang|morning|chieu|afternoon)\b/)) &&
    has(
      /\b(?:le|rite|rites|ceremony|nghi thuc|tam ba|bathing|ruoc|procession|thinh sac|cung|tuc yet|chanh te|xay chau)\b/,
    )
  )
    out.add("rite-time");
  if (
    has(
      /\b(?:xay|xay dung|dung|built|rebuilt|founded|thanh lap|trung tu|restor\w*|legend|truyen thuyet|the ky|century|khoi cong|nguon goc|origin\w*|established|tho|worship\w*|dedicated|an tang|buried|tomb|lang mo|kien truc su|architect\w*|di tich|relic|khai quat|excavat\w*)\b/,
    )
  )
    out.add("history");
  // A year in the past with "since", "from", "in": when something began or happened.
  if (
    has(/\b(?:1[5-9]\d\d|20[0-2]\d)\b/) &&
    has(/\b(?:tu|nam|since|from|in|thap nien|decade|khoang|around|the ky|century|dau|cuoi)\b/)
  )
    out.add("history");
  if (has(/\b\d+(?:[.,]\d+)?\s?km\b/) && has(/\b(?:cach|from|away|khoang|about|around|den|to)\b/))
    out.add("distance");
  if (
    has(
      /\b(?:xe buyt|xe bus|bus|buses|xe khach|coach|taxi|xe om|motorbike|xe may|grab|ferry|pha|tau|boat|boats|xuong|cap treo|cable car|duong|road|route|di bang|by car|by boat|quoc lo|highway|di bo|walk|stairs|bac thang)\b/,
    )
  )
    out.add("getting-there");
  if (
    has(/\b\d+(?:[.,]\d+)?\s*(?:-|–)?\s*\d*\s*(?:gio|tieng|hours?|phut|minutes?)\b/) &&
    has(/\b(?:mat|takes?|di|trip|journey|chay|ride|about|khoang)\b/)
  )
    out.add("travel-time");
  if (
    has(
      /\b(?:mua|season|seasons|thang \d+|months?|january|february|march|april|may|june|july|august|september|october|november|december|best time|nen di|nuoc noi|flood)\b/,
    )
  )
    out.add("season");
  if (
    has(
      /\b(?:lam tu|lam bang|made (?:of|from|with)|nguyen lieu|ingredients?|nau|cooked|mon an|dac san|dish|dishes|mam|ca loc|ca linh|fish|gao|rice|thot not|palm|sugar|banh|cake|noodles?|bun|lau|hotpot|sauce|fermented|speciality|specialities|specialty)\b/,
    )
  )
    out.add("made-of");
  if (
    has(/\b(?:0\d{2,3}[ .]?\d{3}[ .]?\d{3,4}|1[18]\d{2,3}|11[345])\b/) ||
    has(/\b(?:hotline|duong day nong|lien he|contact|phone)\b/)
  )
    out.add("contact");
  if (
    has(/\b\d{1,2}\/\d{1,2}\b|\bam lich\b|\blunar\b|\bngay \d{1,2}\b/) ||
    has(/\b\d{1,2}(?:st|nd|rd|th)? (?:day|of)\b/) ||
    (has(/\b(?:ngay|thang|month|day)\b/) && has(/\b(?:le hoi|festival|dien ra|held|to chuc|runs|lasts)\b/))
  )
    out.add("dates");
  if (
    has(
      /\b(?:giay to|ho chieu|passport|cccd|can cuoc|identity|ngay sinh|date of birth|thi thuc|visa|thong tin|information|details?)\b/,
    )
  )
    out.add("documents");
  if (
    has(
      /\b(?:vneid|cong dich vu|portal|truc tuyen|online|ung dung|app|phieu|form|na17|dien tu|electronic\w*)\b/,
    )
  )
    out.add("how-to-register");
  if (
    has(
      /\b(?:truoc \d|before \d|trong \d+ gio|within \d+ hours?|\d+ gio|\d+ hours?|ngay khi|on arrival|check.in)\b/,
    ) &&
    has(/\b(?:thong bao|khai bao|report|declare|notify|notif\w*)\b/)
  )
    out.add("deadline");
  if (
    has(
      /\b(?:co|there (?:is|are)|tuong|statue|view|views|canh|ngam|nhin|thap|tower|den|temple|pagoda|chua|lang|village|cho|market|dong|cave|hang|rung|forest|ho|lake|noi tieng|famous|known for|dep|beautiful|attract\w*)\b/,
    )
  )
    out.add("what-to-see");
  if (
    has(/\b(?:luat|nghi dinh|thong tu|decree|law|circular|dieu \d+|article \d+)\b/) &&
    has(/\b\d+\/\d{4}\b/)
  )
    out.add("legal-basis");
  // The heading of a section says what its sentences are about.
  if (/\b(?:lich su|history|kien truc|architecture|nguon goc|origin|truyen thuyet|legend)\b/.test(h))
    out.add("history");
  if (/\b(?:gio mo cua|opening hours|hours)\b/.test(h)) out.add("hours");
  if (/\b(?:ve|ticket|tickets|gia|price|phi|fee|fees)\b/.test(h)) out.add("price");
  if (/\b(?:do cao|height|dien tich|size)\b/.test(h)) out.add("size");
  if (/\b(?:co gi|what to see|xem gi|highlights|diem tham quan|sights|tham quan)\b/.test(h))
    out.add("what-to-see");
  if (/\b(?:nghi le|nghi thuc|cac le|rites|rituals|ceremon\w*)\b/.test(h)) out.add("rite-time");
  if (/\b(?:di lai|cach di|getting there|how to get|duong di|transport)\b/.test(h)) out.add("getting-there");
  if (/\b(?:mon|dac san|food|dishes|an uong|specialit\w*)\b/.test(h)) out.add("made-of");
  if (/\b(?:an toan|safety|phan anh|complaints?|lien he|contact)\b/.test(h)) out.add("contact");
  if (/\b(?:ngay|dates|duong lich|gregorian|lich)\b/.test(h)) out.add("dates");
  if (/\b(?:mua|season|seasons|thoi diem|when to)\b/.test(h)) out.add("season");
  return out;
}

import { fold, type Lang } from "../../../indexer/index.ts";
import { guessAttributes } from "./attribute-classifier.ts";
import { attributeCues, type Attribute } from "./attributes.ts";
import { AREA, asksNearby, greetingKind, isEmergency, isOffTopicTask, soundsLikeFollowUp } from "./cues.ts";
import { resolveDateRange, type DateRange } from "./dates.ts";
import { parseLodgingDetails, type LodgingDetails } from "./lodging-details.ts";
import { chooseLanguage, type LanguageChoice } from "./language.ts";
import { normalize, type Normalized } from "./phrases.ts";
import { familiesOf } from "./word-families.ts";

/**
 * Understanding one turn: its text → what it does (the act) and what it asks, as clauses, each naming
 * its subjects, the attributes it asks for and its constraints. Pure: the same text, clock and lexicon
 * give the same reading; nothing here knows the conversation (track/ does).
 */

/** What the turn does. */
export type Act =
  | "question"
  | "emergency"
  | "greeting"
  | "help"
  | "thanks"
  | "smalltalk"
  | "correction"
  | "out-of-scope"
  | "nearby";

/** One asked thing of a turn ("Núi Cấm cao bao nhiêu" | "có cáp treo không"). */
export type Clause = {
  text: string;
  /** Entry ids the clause names, best first. */
  named: string[];
  /** Entries named as a starting point ("từ chùa Tây An đi qua bao xa"): not what the clause is about. */
  origins: string[];
  attributes: Attribute[];
  /** Years the clause names ("2027", "năm sau" read against the clock). */
  years: number[];
  /** The period the clause names, when it names one ("cuối tuần này", "tháng 6/2027"). */
  range?: DateRange;
  /** The clause leans on what came before ("nó", "ở đó", "còn … thì sao", "it", "what about"). */
  pointsBack: boolean;
  /** Folded content words that are neither cue words, names nor the area: what the clause is about. */
  topicTerms: string[];
  /** The content words of the cues that matched ("xay", "thiet ke"): which part of an attribute. */
  cueTerms: string[];
  /** The word families the clause has a member of (word-families.ts), its names aside. */
  families: string[];
  /** The clause asks for a number: a year, a count, a size, a price ("năm nào", "bao nhiêu"). */
  wantsNumber: boolean;
};

/** What a turn of small talk is: a question about the assistant, how it is, a reaction, praise, goodbye. */
export type SmallTalk = "about-me" | "how-are-you" | "reaction" | "compliment" | "bye";

const SMALL_TALK: [SmallTalk, RegExp][] = [
  [
    "about-me",
    /^(?:ban|em|may|bot|u|you|ad)?\s*(?:(?:la|ten la|ten) (?:ai|gi|nguoi that|nguoi hay may|nguoi|bot|robot|may|ai vay|chatbot)|(?:co phai|phai) (?:la )?(?:bot|robot|nguoi that|nguoi|may|chatbot)(?: khong| ko| k)?|ai (?:tao|lam|viet|lap trinh) ra ban|(?:do )?ai (?:tao|lam) ra|who are you|what are you|what s your name|whats your name|your name|(?:are|r) (?:you|u) (?:a |an )?(?:bot|robot|human|real|person|real person|ai|chatbot|machine|computer|program)|is this (?:a |an )?(?:bot|human|real person|robot|ai|chatbot)|(?:you re|you are|u r|ur) (?:a |an )?(?:bot|robot|human|real person|person|ai|chatbot|machine|program)|am i (?:talking|chatting) (?:to|with) (?:a |an )?(?:bot|human|real person|person|robot|ai|machine)|who (?:made|built|created|programmed) you)(?: vay| the| a| ha| ak| nhi| not| really)*$/,
  ],
  [
    "how-are-you",
    /^(?:chao |hi |hello |hey )?(?:ban |em |ad |bot )?(?:(?:co )?khoe (?:khong|ko|k|hong|chu)|dao nay the nao|on (?:khong|ko)|how are you(?: doing| today)?|how r u|how s it going|hows it going|how do you do|how is your day|how are things)(?: vay| the| nhi| a)*$/,
  ],
  [
    "compliment",
    /^(?:(?:cam on|thanks?|thank you|thx)(?: ban| you)?(?: nhieu| so much| a lot| very much)?\s*)?(?:(?:ban|bot|em|you re|you are|this is|that s|thats|that was|so|very|really|super|qua|that|la) )*(?:helpful|useful|great bot|good bot|smart|clever|amazing|awesome bot|the best|gioi (?:qua|the|ghe)|hay (?:qua|the|ghe)|de thuong|tuyet voi qua|huu ich(?: qua)?|thong minh(?: qua| the)?)(?: nha| nhe| a| qua| lam| really| too| thanks| thank you)*$/,
  ],
  [
    "bye",
    /^(?:ok |oke |thanks |thank you |cam on |cảm ơn )?(?:bye(?: bye)?|goodbye|good bye|see you(?: later| soon)?|see ya|good night|tam biet|hen gap lai|chuc ngu ngon|pai pai)(?: ban| nha| nhe| a| ad| all| everyone| mn)*$/,
  ],
  [
    "reaction",
    /^(?:(?:ha)+|(?:he)+|(?:hi)+|(?:hu)+|kk+|lol|lmao|rofl|wow|woa+|whoa|oh+|ooh|ah+|uh+|um+|hm+|oa+|ua|omg|interesting|thu vi|vui|hay|dep|tuyet|ghe|that|really|seriously|nice|cool|qua|vay|the|nha|nhe|ha|ok|oke|okay|uh huh|a|o|u)(?: (?:(?:ha)+|(?:he)+|(?:hi)+|kk+|lol|wow|oh|ah|thu vi|vui|hay|dep|tuyet|ghe|that|really|nice|cool|qua|vay|the|nha|nhe|ha|ok|oke|a|o|u))*$/,
  ],
];

/** The kind of small talk a whole message is, when it is small talk. */
export function smallTalkKind(plain: string): SmallTalk | undefined {
  const p = plain.trim();
  if (!p || p.split(" ").length > 10) return undefined;
  return SMALL_TALK.find(([, re]) => re.test(p))?.[0];
}

export type Reading = {
  /** The text, NFC, trimmed and capped. */
  text: string;
  normalized: Normalized;
  language: LanguageChoice;
  act: Act;
  clauses: Clause[];
  lodging: LodgingDetails;
  /** The text names Châu Đốc, An Giang or a place of the area. */
  inArea: boolean;
  /** A period for a day-sized range (used to tell a forecast from a season). */
  dayRange: boolean;
  /** The kind of small talk, when the act is "smalltalk". */
  smallTalk?: SmallTalk;
};

/** What understanding needs of the knowledge base: the names of its entries. */
export type Lexicon = {
  /** Entries named in folded text, longest names first. */
  namedEntries(folded: string): { id: string; name: string }[];
};

export const MAX_QUESTION = 2000;

const THANKS =
  /^(?:(?:cam on|cảm ơn|cám ơn|thanks?|thank you|thx|tks|ok|oke|okay|okie|ok nha|da|dạ|vang|vâng|duoc roi|được rồi|tuyet|tuyệt|tuyet voi|great|cool|nice|good|perfect|awesome|bye|tam biet|tạm biệt|hay qua|hay quá|vay a|vậy à|vay ha|got it|i see|alright|noted|ban|bạn|nhieu|nhiều|nha|nhé|nhe|a|ạ|ad|em|anh|chi|chị|so much|very much|lot|a lot|bot|ban oi|nhe ban|you|guys|mn|moi nguoi|that s all|thats all|that is all|that s it|thats it|for now|all good|het roi|vay thoi|the thoi|vay la du|du roi)\s*)+$/u;

const CORRECTION_START =
  /^(?:a khong|à không|a ko|ko phai|không phải|khong phai|khong|không|ko|k|nham|nhầm|xin loi|xin lỗi|sorry|no|nope|not|i mean|i meant|y toi la|ý tôi là|y minh la|ý mình là|y la|ý là|thuc ra|thật ra|actually|oh|ah|à|a|ờ|o)\b[\s,.!]*/u;
const CORRECTION_ANYWHERE =
  /\b(?:i mean|i meant|y toi la|ý tôi là|y minh la|ý mình là|toi hoi|tôi hỏi|minh hoi|mình hỏi|i was asking|i asked about|instead|thay vì|thay vi|chứ không phải|chu khong phai|not .{1,30} but)\b/u;

/** Reads one turn. `now` resolves "năm sau", "this weekend"; `lexicon` recognises the content's names. */
export function understandTurn(
  rawText: string,
  options: {
    now: Date;
    lexicon: Lexicon;
    lang?: Lang;
    remembered?: () => Lang | undefined;
    hasLocation?: boolean;
  },
): Reading {
  const text = rawText.normalize("NFC").trim().slice(0, MAX_QUESTION);
  const language = chooseLanguage(text, options.lang, options.remembered);
  const n = normalize(text);
  const lodging = parseLodgingDetails(n);
  const inArea = AREA.test(n.folded);
  const whole = resolveDateRange(text, options.now);
  const dayRange = whole !== undefined && ["day", "weekend", "week"].includes(whole.kind);
  const clauses = mergeClauses(splitClauses(text), options);
  const base = { text, normalized: n, language, lodging, inArea, dayRange, clauses };

  if (isEmergency(n)) return { ...base, act: "emergency" };
  const greeting = greetingKind(n);
  const anyNamed = clauses.some((c) => c.named.length > 0);
  const anyAsked = clauses.some((c) => c.attributes.length > 0);
  if (options.hasLocation && (text === "" || asksNearby(n) || greeting)) return { ...base, act: "nearby" };
  if (greeting) return { ...base, act: greeting };
  if (asksNearby(n) && !anyNamed) return { ...base, act: "nearby" };
  if (isOffTopicTask(n, dayRange)) return { ...base, act: "out-of-scope" };
  const plain = plainOf(text);
  // Small talk: about the assistant, how it is, a laugh, a compliment, goodbye (never refused).
  const talk = anyNamed ? undefined : smallTalkKind(plain);
  if (talk) return { ...base, act: "smalltalk", smallTalk: talk };
  if (!anyNamed && !anyAsked && THANKS.test(plain)) return { ...base, act: "thanks" };
  if (isCorrection(plain)) return { ...base, act: "correction" };
  return { ...base, act: "question" };
}

function isCorrection(plain: string): boolean {
  if (CORRECTION_ANYWHERE.test(plain)) return true;
  const m = CORRECTION_START.exec(plain);
  if (!m || m[0].trim() === "") return false;
  const rest = plain.slice(m[0].length).trim();
  // "không biết …", "ko có …", "no problem": not corrections.
  if (/^(?:biet|co|sao|can|duoc|problem|thanks|thank|ok)\b/.test(rest)) return false;
  // A correction restates one detail: short, and it starts with a bare refusal of the last reading.
  const words = rest.split(" ").filter(Boolean).length;
  const firstWord = m[0].trim().split(/[\s,.!]+/)[0] ?? "";
  const strong = /^(?:khong|ko|k|no|nope|nham|sorry|xin|i|y|a|thuc|actually|not)$/.test(firstWord);
  return strong && words > 0 && words <= 9 && /[,.!]|\s/.test(m[0]);
}

/**
 * Splits a message into the things it asks: at "?", ";", new lines, commas (not inside "4,000,000"),
 * and at "còn", "và có", "and what" …; mergeClauses joins again a piece that asks nothing of its own.
 */
export function splitClauses(text: string): string[] {
  const pieces = text
    .split(
      /[?？!;\n]+|,(?!\d)\s*|,\s+|(?<!(?:^|\s)(?:ko|không|khong|k|vẫn|van|chẳng|chang|hết|het|chưa|chua|có|co|đâu|dau))\s+(?:còn|and also|and what about|and how|and when|and where|and is|and are|and does|and do|and can|and the|and what|và có|va co|và giá|và vé|va gia|va ve|và mấy|va may|và bao|va bao|với lại|voi lai|rồi|roi|plus)\s+/iu,
    )
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  return pieces.length ? pieces : [text];
}

/**
 * Reads each piece, joining a piece that asks nothing of its own ("khách sạn tôi có 6 khách Việt",
 * "Hi") to the next one, and a piece that only names a subject to a next piece that names none
 * ("Núi Cấm, có cáp treo không?").
 */
function mergeClauses(pieces: string[], options: { now: Date; lexicon: Lexicon }): Clause[] {
  const out: Clause[] = [];
  const read = new Map<string, Clause>();
  const readClause = (text: string) => {
    let c = read.get(text);
    if (!c) read.set(text, (c = readOneClause(text, options)));
    return c;
  };
  let pending = "";
  for (const [i, piece] of pieces.entries()) {
    // "haha thôi.", "ok cảm ơn," before a question: small talk, not part of what is asked.
    if (i < pieces.length - 1 && !pending && isFiller(piece)) continue;
    const text = pending ? `${pending}, ${piece}` : piece;
    const clause = readClause(text);
    const next = pieces[i + 1];
    const empty =
      clause.named.length === 0 &&
      clause.attributes.length === 0 &&
      clause.years.length === 0 &&
      !clause.pointsBack;
    const onlyName =
      clause.named.length > 0 &&
      clause.attributes.length === 0 &&
      clause.years.length === 0 &&
      clause.topicTerms.length === 0;
    // "once i'm there, how far is Tra Su?": a clause that only points back sets the scene of the next.
    const onlyBack =
      clause.pointsBack &&
      clause.named.length === 0 &&
      clause.attributes.length === 0 &&
      clause.years.length === 0 &&
      clause.topicTerms.length <= 1;
    const nextNames = next !== undefined && readClause(next).named.length > 0;
    if (next !== undefined && (empty || (onlyName && !nextNames) || (onlyBack && nextNames))) {
      pending = text;
      continue;
    }
    pending = "";
    out.push(clause);
  }
  if (pending) out.push(readClause(pending));
  return out;
}

/** Folded words only, one space apart: what the small-talk, thanks and correction patterns read. */
function plainOf(text: string): string {
  return fold(text.toLowerCase())
    .replace(/[^\p{L}\p{N} ]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** A piece that is only small talk or thanks ("haha thôi", "ok cảm ơn ad"). */
function isFiller(piece: string): boolean {
  const plain = plainOf(piece);
  return (
    plain === "" ||
    smallTalkKind(plain) !== undefined ||
    THANKS.test(plain) ||
    /^(?:thoi|thoi duoc|vay thoi)$/.test(plain)
  );
}

function readOneClause(text: string, options: { now: Date; lexicon: Lexicon }): Clause {
  const n = normalize(text);
  const all = options.lexicon.namedEntries(n.folded);
  // A place named as a starting point or a landmark ("từ chùa Tây An", "gần miếu Bà", "near the market")
  // is where the question is measured from, not what it is about.
  const isOrigin = (name: string) =>
    new RegExp(
      `(?:^| )(?:tu|from|di tu|starting at|gan|near|close to|next to|canh|ben canh|doi dien|opposite) ${name}(?= |$)`,
    ).test(n.folded);
  const names = all.filter((m) => !isOrigin(m.name));
  const origins = all.filter((m) => isOrigin(m.name));
  const cues = attributeCues(n.folded, n.exact);
  let attributes = [...new Set(cues.map((c) => c.attribute))];
  // Folded "phat" is both "phạt" (a fine) and "Phật" (the Buddha): the typed form, or the words around, decide.
  if (
    attributes.includes("fine") &&
    cues.filter((c) => c.attribute === "fine").every((c) => c.match === "phat")
  ) {
    const buddha =
      /phật/u.test(n.exact) ||
      (!/phạt/u.test(n.exact) && /\b(?:tuong|chua|di lac|thay|phap|buddha)\b/.test(n.folded));
    if (buddha) attributes = attributes.filter((a) => a !== "fine");
  }
  // "ok fine", "I'm fine", "that's fine": the adjective, not a penalty.
  if (
    attributes.includes("fine") &&
    cues.filter((c) => c.attribute === "fine").every((c) => c.match === "fine") &&
    /\b(?:ok|okay|im|i m|am|that s|thats|its|it s|all|is|sounds)\s+fine\b|\bfine (?:thanks|thank|by me|with me)\b/.test(
      n.folded,
    )
  )
    attributes = attributes.filter((a) => a !== "fine");
  // The clause without its names: what the classifier and the word families read.
  const namedWords = new Set(names.flatMap((m) => m.name.split(" ")));
  const unnamed = n.folded
    .split(" ")
    .filter((w) => !namedWords.has(w))
    .join(" ");
  // No cue: the classifier's reading, when it is fairly sure.
  if (!attributes.length) {
    attributes = guessAttributes(unnamed)
      .filter((g) => g.p >= GUESS_AT_LEAST)
      .map((g) => g.attribute);
  }
  // "mấy giờ" is hours at a place and a rite time at a festival: the composer decides with the subject.
  if (/\bmay gio\b|\bwhat time\b|\bluc may gio\b/.test(n.folded) && !attributes.length)
    attributes = ["hours"];
  const range = resolveDateRange(text, options.now);
  const years = yearsOf(n.folded, range, options.now);
  // The words of the cues that matched say what is asked; the rest (names aside) say what it is about.
  const cueWords = new Set(cues.flatMap((c) => c.match.split(/\s+/)));
  // A cue that names a thing ("cáp treo", "taxi", "ferry") is also what the question is about.
  // "Sao gọi là vương quốc mắm?", "why is it called …": the name is what the question is about.
  const asksName =
    /\b(?:goi(?: [a-z]+){0,4} la|duoc goi|menh danh|biet danh|ten goi|called|known as|nicknamed)\b/.test(
      n.folded,
    );
  // "Có đông không?" typed with its circumflex asks about crowds; folded, "dong" is also "đồng" (VND).
  const crowded = /(?:^|[^\p{L}])đông(?:$|[^\p{L}])/u.test(n.exact.toLowerCase());
  const topicTerms = n.folded
    .split(/[^\p{L}\p{N}]+/u)
    .filter(
      (w) =>
        w.length > 1 &&
        (!cueWords.has(w) || THING_WORDS.has(w)) &&
        (!namedWords.has(w) || asksName) &&
        !FRAME_WORDS.has(w) &&
        !/^\d+$/.test(w),
    );
  return {
    text,
    named: names.map((m) => m.id),
    origins: origins.map((m) => m.id),
    cueTerms: [...cueWords].filter((w) => w.length > 2 && !FRAME_WORDS.has(w)),
    families: [...new Set([...familiesOf(unnamed), ...(crowded ? ["crowd" as const] : [])])],
    wantsNumber:
      /\b(?:nam nao|bao nhieu|may|how many|how much|how high|how tall|how far|how long|which year|what year|when)\b/.test(
        n.folded,
      ),
    attributes,
    years,
    ...(range ? { range } : {}),
    pointsBack:
      soundsLikeFollowUp(n) || /^(?:con|còn|and|what about|how about|va|và)\b/iu.test(n.exact.trim()),
    topicTerms,
  };
}

/**
 * The years a clause names: written ones, and "năm sau"/"next year". "Năm nay"/"this year" stays a
 * range: for an event already held this year the answer says when it was and when it comes next.
 */
function yearsOf(folded: string, range: DateRange | undefined, now: Date): number[] {
  const years = [...folded.matchAll(/(?<!\d)(20\d\d)(?!\d)/g)].map((m) => Number(m[1]));
  const thisYear = new Date(now.getTime() + 7 * 3_600_000).getUTCFullYear();
  const relative = range?.kind === "year" && !range.explicitYear ? Number(range.from.slice(0, 4)) : undefined;
  if (relative !== undefined && relative !== thisYear) years.push(relative);
  return [...new Set(years)].sort((a, b) => a - b);
}

/** Words of cues that name things, not ways of asking: they are topic words too. */
const THING_WORDS: ReadonlySet<string> = new Set(
  "cap treo cable car taxi grab bus buses buyt boat boats ferry motorbike visa passport".split(" "),
);

/** How sure the classifier must be to read an attribute the cues did not. */
const GUESS_AT_LEAST = 0.5;

/** Words of a question that carry no topic: question words, pronouns, politeness, the area's name. */
const FRAME_WORDS: ReadonlySet<string> = new Set(
  (
    "gi nao dau may bao nhieu lau sao the nhe nha a ha khong ko k chua roi duoc dc co cho xin hoi oi ban minh toi " +
    "em anh chi ad shop vay va voi thi la cua cac nhung mot hai nay do day kia o tai den di nam thang ngay tuan gio luc hom mai " +
    "sau truoc con ve len xuong ra vao tu qua nua cung rat lam the nao nhu vay a u uh ok trong ai " +
    "ta nghe up down " +
    "chau doc an giang nui sam vinh te " +
    "what where when how which who why whose does do did is are was were be can could should would will shall " +
    "tell me about please the a an of to in on at for from and or it its this that there here there's what's " +
    "i we you my our your us they them he she his her any some much many far long time get go visit know want " +
    "need have has had just also really very hi hello hey thanks thank"
  ).split(/\s+/),
);

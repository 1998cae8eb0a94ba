import { featuresOf, parseExamples, probabilities, train, type Model } from "./attribute-classifier.ts";
import { ATTRIBUTE_EXAMPLES } from "./attribute-examples.ts";
import { EMERGENCY_EXAMPLES } from "./emergency-examples.ts";
import { foldedPhrases, normalize, phrases } from "./phrases.ts";
import type { Normalized } from "./phrases.ts";

/**
 * The phrase lists that route a question. Matched on folded text (diacritics optional) unless a folded
 * form would collide with a common word, in which case the exact form is matched.
 */

const EMERGENCY_FOLDED = foldedPhrases([
  "cấp cứu",
  "khẩn cấp",
  "cứu thương",
  "xe cứu thương",
  "cứu hỏa",
  "hỏa hoạn",
  "tai nạn",
  "bị cướp",
  "cướp giật",
  "bị trộm",
  "mất trộm",
  "móc túi",
  "đuối nước",
  "chết đuối",
  "bị thương",
  "cứu với",
  "cứu tôi",
  "gọi công an",
  "số công an",
  "đột quỵ",
  "ngất xỉu",
  "bị ngất",
  "lạc con",
  "mất con",
  "bị lạc",
  "trẻ lạc",
  "lạc mất",
  "mất tích",
  "đau tim",
  "choking",
  "fainted",
  "collapsed",
  "lost child",
  "lost my child",
  "missing child",
  "lost my son",
  "lost my daughter",
  "emergency",
  "ambulance",
  "accident",
  "robbed",
  "robbery",
  "mugged",
  "stolen",
  "pickpocket",
  "pickpocketed",
  "injured",
  "drowning",
  "call the police",
  "police number",
  "fire brigade",
  "heart attack",
  "bleeding",
  "unconscious",
  "rắn cắn",
  "bị bỏng",
  "bỏng nặng",
  "cứu hộ",
  "cứu nạn",
  "rescue",
  "burned",
  "burnt",
  "chay o day",
  "chay nha",
  "chay lon",
  "chó cắn",
  "bị cắn",
  "bị ong đốt",
  "khó thở",
  "ngộ độc",
  "co giật",
  "gãy chân",
  "gãy tay",
  "té ngã",
  "bị té",
  "chảy máu",
  "bất tỉnh",
  "không thở",
  "cháy nhà",
  "đang cháy",
  "bị cháy",
  "cháy rồi",
  "giật túi",
  "giật điện thoại",
  "bị giật",
  "snake bite",
  "bitten",
  "stung",
  "poisoning",
  "can't breathe",
  "cannot breathe",
  "not breathing",
  "broke his",
  "broke her",
  "broken leg",
  "broken arm",
  "seizure",
  "grabbed my",
  "snatched",
  "stole my",
  "stolen my",
  "took my bag",
  "on fire",
  "house fire",
  "drowned",
  "overdose",
]);
const EMERGENCY_EXACT = phrases(["cháy", "bị đánh", "đánh nhau", "fire", "113", "114", "115"]);
// "fire" alone is also in "fireworks"; the word-bounded match keeps that apart.

/** True when the message mentions an emergency (the numbers come first, whatever else it says). */
export function isEmergency(n: Normalized): boolean {
  // "Cứu hộ chó mèo", "animal rescue shelter": rescue of animals, an insurance or a volunteer question.
  if (NOT_AN_EMERGENCY.test(n.folded) && !STRONG_EMERGENCY.test(n.folded)) return false;
  return (
    EMERGENCY_FOLDED.test(n.folded) ||
    EMERGENCY_EXACT.test(n.exact) ||
    EMERGENCY_PATTERNS.some((re) => re.test(n.folded)) ||
    // What no word list names, the classifier of emergency-examples.ts reads, when it is quite sure.
    emergencyLikelihood(n.folded) >= EMERGENCY_AT_LEAST ||
    // Typed without diacritics, "chay" is "cháy" (fire), "chạy" (run) or "chay" (vegetarian): with a
    // number to call, smoke or flames it is a fire.
    (n.exact === n.folded && /\bchay\b/.test(n.folded) && FIRE_CONTEXT.test(n.folded))
  );
}

/** isEmergency of a raw text (a hook for bot/reports/: an emergency in the middle of a report). */
export function isEmergencyText(text: string): boolean {
  return isEmergency(normalize(text));
}

let emergencyModel: Model | undefined;
const EMERGENCY_AT_LEAST = 0.95;

/** How likely a message is an emergency, by the classifier trained on emergency-examples.ts. */
export function emergencyLikelihood(text: string): number {
  // Every ordinary question of attribute-examples.ts is a counter-example too.
  emergencyModel ??= train(
    [
      ...parseExamples(EMERGENCY_EXAMPLES, ["emergency"], "emergency-examples"),
      ...ordinaryQuestions().map((q) => ({ labels: new Set<"emergency">(), features: featuresOf(q) })),
    ],
    ["emergency"],
  );
  return probabilities(emergencyModel, text)[0] ?? 0;
}

/**
 * The questions of attribute-examples.ts, the counter-examples of the emergency classifier, less those
 * that ask whom to call about a complaint or a cheat (they sit next to an emergency).
 */
function ordinaryQuestions(): string[] {
  return ATTRIBUTE_EXAMPLES.split("\n")
    .map((l) => l.slice(l.indexOf("|") + 1).trim())
    .filter((q) => q.length > 0 && !/\b(?:who do i call|khiếu nại|complain|chặt chém|cheated)\b/.test(q));
}

/** Situations by their shape rather than one word (folded text). */
const EMERGENCY_PATTERNS: RegExp[] = [
  // Someone fell into the water.
  /\b(?:rot|te|roi|nga|nhay|fell|fallen|falling|jumped|slipped)\b.{0,25}\b(?:xuong song|xuong nuoc|xuong kenh|xuong ho|into the river|into the water|in the river|into the canal)\b/,
  // A child lost or missing.
  /\b(?:lac|mat tich|missing|lost|can t find|cannot find|khong thay|ko thay|k thay|chua thay)\b.{0,40}\b(?:be|chau|dua nho|tre|em be|kid|child|son|daughter|boy|girl)\b/,
  /\b(?:be|chau|dua nho|tre em|em be|kid|child|son|daughter|boy|girl|\d+ ?(?:yo|tuoi))\b.{0,40}\b(?:lac|mat tich|missing|lost|dau mat)\b/,
  // A broken bone, a fall that leaves someone unable to walk.
  /\b(?:gay|lua)\b.{0,12}\b(?:chan|tay|xuong)\b|\b(?:chan|tay)\b.{0,6}\bgay\b|\bloi xuong\b/,
  /\bbroken (?:leg|arm|bone|neck|back)\b|\bbroke (?:my|his|her|their) (?:leg|arm|neck|back)\b|\b(?:can t|cannot|can not) (?:stand|walk|move)\b/,
  // Signs of a stroke.
  /\b(?:meo mieng|liet nua nguoi|noi ngong|stroke|face drooping|slurred)\b/,
  // Smoke, burning smell, someone trapped.
  /\b(?:khoi den|boc khoi|mui khet|bi ket|ket ben trong|trapped|smoke everywhere|smell of burning|full of smoke)\b/,
  // A traffic accident.
  /\b(?:bi tong|xe tong|tong vao|dung xe|bi xe|hit by a|knocked down by|run over)\b/,
  // An animal's bite or sting.
  /\b(?:dog|dogs|snake|snakes|monkey|monkeys|bee|bees|wasp|wasps|scorpion)\b.{0,20}\b(?:bit|bite|bites|bitten|stung|sting)\b|\b(?:bit|bitten|stung) by\b/,
  // Vomiting, poisoning.
  /\b(?:oi mua|non mua|vomiting|throwing up|food poisoning)\b/,
];

/** Rescue or help of another kind: animals, adoption, insurance, volunteering, a course. */
const NOT_AN_EMERGENCY =
  /\b(?:cuu ho (?:cho|meo|dong vat|thu cung)|tram cuu ho|nhan nuoi|animal rescue|animal shelter|shelter|adopt|adoption|volunteer|bao hiem|insurance|khoa hoc|course|training)\b/;

/** Words that are an emergency whatever else the message says. */
const STRONG_EMERGENCY =
  /\b(?:cap cuu|bat tinh|khong tho|chay mau|dang chay|chet duoi|unconscious|not breathing|bleeding|ambulance)\b/;

const FIRE_CONTEXT = /\b(?:goi so|goi ai|so nao|cuu|khoi|lua|bong|chay nha|bi chay|dang chay|chay lon)\b/;

const GREETING_WORDS = new Set(
  (
    "xin chao chao ban oi hello hi hey alo allo good morning afternoon evening day bot ad admin shop a nhe nha " +
    "start there em anh chi co ạ a oi ơi buoi sang trua chieu"
  ).split(/\s+/),
);
const HELP = foldedPhrases([
  "help",
  "giúp",
  "hướng dẫn",
  "làm được gì",
  "biết gì",
  "hỏi gì",
  "giúp gì",
  "có thể làm gì",
  "what can you do",
  "what do you know",
  "how does this work",
  "who are you",
  "bạn là ai",
  "menu",
]);

/** "greeting" for a bare hello, "help" for "what can you do"; undefined for a real question. */
export function greetingKind(n: Normalized): "greeting" | "help" | undefined {
  const words = n.folded.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return "greeting";
  if (words.every((w) => GREETING_WORDS.has(w) || w === "/start")) return "greeting";
  if (words.length <= 7 && (HELP.test(n.folded) || words[0] === "/help")) {
    // "giúp tôi tìm khách sạn" is a question, not a help request: only help-ish words besides.
    const rest = words.filter(
      (w) =>
        !GREETING_WORDS.has(w) &&
        !/^(giup|help|huong|dan|lam|duoc|gi|biet|hoi|co|the|toi|minh|ban|what|can|you|do|know|how|does|this|work|who|are|la|ai|menu|me|i|with|for|us|can|could|about|vay|the|nhi|ha|z|day|do|thế|vậy|đấy|đó)$/.test(
          w,
        ),
    );
    if (rest.length === 0) return "help";
  }
  return undefined;
}

const NEARBY = foldedPhrases([
  "gần đây",
  "gần tôi",
  "gần nhất",
  "quanh đây",
  "xung quanh",
  "near me",
  "nearby",
  "near here",
  "around me",
  "closest",
  "nearest",
]);

/** True when the question asks for places near the user. */
export function asksNearby(n: Normalized): boolean {
  return NEARBY.test(n.folded);
}

const FOLLOW_UP_EXACT = phrases(["còn", "thì sao", "nó", "ở đó", "chỗ đó", "nơi đó", "đó", "đấy", "ở đấy"]);
const FOLLOW_UP_FOLDED = foldedPhrases([
  "thì sao",
  "chỗ đó",
  "what about",
  "how about",
  "and the",
  "it",
  "its",
  "there",
  "that place",
  "this place",
  "that one",
]);

/** True when the question leans on the previous turn ("còn … thì sao?", "how far is it?"). */
export function soundsLikeFollowUp(n: Normalized): boolean {
  return FOLLOW_UP_EXACT.test(n.exact) || FOLLOW_UP_FOLDED.test(n.folded);
}

/** Names that place a question in the area the content covers. */
export const AREA = foldedPhrases([
  "châu đốc",
  "chau doc",
  "an giang",
  "núi sam",
  "vĩnh tế",
  "tịnh biên",
  "tri tôn",
  "bảy núi",
  "thất sơn",
]);

/**
 * Destinations elsewhere. A question that names one of these (and not the Châu Đốc area) is out of
 * scope; the assistant filters out any that the content itself mentions (Cần Thơ, Phnom Penh ...).
 */
export const OTHER_DESTINATIONS = [
  "hà nội",
  "hanoi",
  "đà lạt",
  "dalat",
  "đà nẵng",
  "danang",
  "hội an",
  "hà tiên",
  "cái răng",
  "cái bè",
  "ninh kiều",
  "bạc liêu",
  "trà vinh",
  "vĩnh long",
  "đồng tháp",
  "sa đéc",
  "hồ chí minh city",
  "bangkok",
  "hoi an",
  "huế",
  "nha trang",
  "phú quốc",
  "phu quoc",
  "sa pa",
  "sapa",
  "hạ long",
  "halong",
  "vũng tàu",
  "phan thiết",
  "mũi né",
  "quy nhơn",
  "ninh bình",
  "côn đảo",
  "cà mau",
  "mỹ tho",
  "bến tre",
  "hà giang",
  "cát bà",
  "bangkok",
  "thái lan",
  "thailand",
  "singapore",
  "paris",
  "london",
  "tokyo",
  "seoul",
  "nhật bản",
  "japan",
  "hàn quốc",
  "korea",
  "trung quốc",
  "china",
  "bali",
  "new york",
  "europe",
  "châu âu",
  "mỹ",
  "america",
  "siem reap",
  "angkor",
];

/** Words that belong to the product's domain: an uncovered question with one is "not sure", not refused. */
export const DOMAIN = foldedPhrases([
  "du lịch",
  "tham quan",
  "lễ hội",
  "chùa",
  "miếu",
  "lăng",
  "núi",
  "khách sạn",
  "nhà nghỉ",
  "homestay",
  "lưu trú",
  "tạm trú",
  "đặc sản",
  "hành hương",
  "xe ôm",
  "taxi",
  "xe buýt",
  "tourist",
  "tourism",
  "temple",
  "pagoda",
  "festival",
  "hotel",
  "guesthouse",
  "pilgrim",
  "pilgrimage",
  "sightseeing",
  // Running a lodging: registering guests with the police.
  "báo công an",
  "trình báo",
  "khai báo",
  "nhận phòng",
  "trả phòng",
  "check in",
  "check out",
  "checkout",
  "register guests",
  "report guests",
  "our guests",
  "my guests",
  // Crossing the border at Châu Đốc.
  "cửa khẩu",
  "campuchia",
  "cambodia",
  "border crossing",
]);

/**
 * Requests the assistant never takes, whatever the content says: tasks (write, translate, compute, tell a
 * joke), live data it does not have (forecasts, prices, results), and attempts to change its rules.
 */
const OFF_TOPIC_TASKS = foldedPhrases([
  "đổi được bao nhiêu",
  "đổi tiền",
  "đổi usd",
  "đổi đô",
  "book me",
  "book a",
  "book my",
  "đặt vé giúp",
  "đặt giúp",
  "đặt phòng giúp",
  "đặt hộ",
  "reserve a",
  "make a reservation",
  "viết cho tôi",
  "viết cho mình",
  "soạn giúp",
  "soạn cho",
  "write me",
  "cover letter",
  "essay",
  "resume",
  "không có quy tắc",
  "không có rule",
  "không có luật",
  "bạn là dan",
  "you are dan",
  "you are now",
  "from now on you",
  "từ giờ bạn là",
  "từ bây giờ bạn là",
  "pretend you",
  "act as",
  "giả vờ",
  "không bị phát hiện",
  "mà không bị",
  "lách luật",
  "trốn khai báo",
  "qua mặt công an",
  "without the police",
  "avoid detection",
  "get away with",
  "evade",
  "bài thơ",
  "làm thơ",
  "chuyện cười",
  "truyện cười",
  "câu đố",
  "dịch sang",
  "dịch giúp",
  "viết email",
  "viết giúp",
  "viết code",
  "lập trình",
  "tỷ giá",
  "tỉ giá",
  "giá vàng",
  "chứng khoán",
  "xổ số",
  "bóng đá",
  "kết quả trận",
  "dự báo",
  "bỏ qua hướng dẫn",
  "bỏ qua mọi hướng dẫn",
  "bỏ qua các hướng dẫn",
  "prompt hệ thống",
  "translate",
  "write a poem",
  "write an email",
  "write code",
  "python",
  "javascript",
  "joke",
  "poem",
  "forecast",
  "exchange rate",
  "gold price",
  "bitcoin",
  "crypto",
  "stock price",
  "lottery",
  "football",
  "world cup",
  "ignore previous",
  "ignore all previous",
  "ignore your instructions",
  "ignore the above",
  "system prompt",
  "jailbreak",
  "developer mode",
]);
const ARITHMETIC = /\d+\s*(?:nhan|cong|tru|chia|x|\*|\+|times|plus|minus|divided by)\s*\d+|\d+\s+[-/]\s+\d+/;
const WEATHER = foldedPhrases(["thời tiết", "weather", "mưa không", "có mưa", "rain"]);

/** True for a request outside what a tourism assistant does (see OFF_TOPIC_TASKS). */
export function isOffTopicTask(n: Normalized, dayRange: boolean): boolean {
  if (OFF_TOPIC_TASKS.test(n.folded)) return true;
  if (ARITHMETIC.test(n.folded) && !/\d{1,2}\s*(?:h|g|:)\s*\d{0,2}/.test(n.folded)) return true;
  // "thời tiết tháng 12" is about seasons (in the content); tomorrow's weather is a forecast.
  return WEATHER.test(n.folded) && dayRange;
}

import { fold } from "../../indexer/index.ts";
import { CASE_CATEGORIES, parseCaseCode, type CaseCategory } from "../store/index.ts";

/**
 * What a visitor's message means for reports: start one, ask a case's status, or a question that is
 * only near a report ("where do I complain about a vendor": answered, with a report button). Word lists
 * are data beside the code that reads them; everything is matched on folded text (no diacritics), so
 * "phản ánh" and "phan anh" read alike.
 */

/** Words that name a complaint, a report or a cheat. */
const COMPLAINT =
  /\b(?:phan anh|khieu nai|to cao|to giac|chat chem|lua dao|bi lua|bi chem|bi ep gia|cheo keo|scam|scammed|overcharg\w*|ripped off|rip off|complain\w*|complaint|tout|touts)\b/;
/** "report" alone is too broad ("weather report"): only as asking to report something. */
const REPORT_PHRASE =
  /\b(?:report (?:a |an |the )?(?:scam|problem|issue|vendor|tout|incident|complaint|seller|driver|hotel)|(?:want|like|need) to report|send (?:a )?report|file (?:a )?report|make (?:a )?report|gui phan anh|gui bao cao|bao cao vu viec)\b/;
/** A question about the topic rather than the act ("where", "how", "who do I call"). */
const QUESTION =
  /\?|\b(?:o dau|where|how|lam sao|lam the nao|the nao|nhu the nao|ai|who|what|which|so nao|so dien thoai|duong day nong|hotline|co the|can i|co duoc|khong\s*$)\b/;
/** Saying one wants to report now ("tôi muốn", "I want to", "bị ..."): the act, even with a question word. */
const WANTS = /\b(?:toi muon|minh muon|em muon|muon gui|i want to|i d like to|i would like to|i need to)\b/;

const COMMAND_START = /^\/(?:report|phananh|baocao)(?:@\S+)?\b/i;
const COMMAND_STATUS = /^\/(?:status|trangthai)(?:@\S+)?\b/i;
const STATUS_WORDS = /\b(?:trang thai|tinh trang|status|tra cuu|kiem tra)\b/;

/** How a message relates to reports. */
export type ReportIntent =
  { kind: "start" } | { kind: "status"; code?: string; token?: string } | { kind: "near" } | undefined;

/** Reads a message for a report intent (outside an open report's own steps). */
export function readReportIntent(text: string): ReportIntent {
  const raw = text.trim();
  if (COMMAND_START.test(raw)) return { kind: "start" };
  const f = fold(raw);
  const code = parseCaseCode(raw);
  if (
    COMMAND_STATUS.test(raw) ||
    (code && (STATUS_WORDS.test(f) || f.replace(/[^a-z0-9]/g, "").length <= 16))
  )
    return { kind: "status", ...(code ? { code } : {}), ...tokenOf(raw) };
  const about = REPORT_PHRASE.test(f) || COMPLAINT.test(f);
  // "How do I report a scam?" asks about reporting: answered, with the button; "report a scam" starts.
  if (about && (WANTS.test(f) || !QUESTION.test(f))) return { kind: "start" };
  if (about) return { kind: "near" };
  return undefined;
}

/** A case token given after the code ("CD-2026-000001 Ab3…"): 22 base64url characters. */
function tokenOf(text: string): { token?: string } {
  const m = /\b([A-Za-z0-9_-]{22})\b/.exec(text.replace(/\bcd[\s-]?\d{4}[\s-]?\d{1,9}\b/i, " "));
  return m?.[1] ? { token: m[1] } : {};
}

/**
 * An explicit wish to file a (new) report: a command, the button, "tôi muốn phản ánh", "I want to
 * report ...". Inside an open report only these count as a second one ("bị chặt chém" there is an answer).
 */
export function isExplicitStart(text: string): boolean {
  const raw = text.trim();
  const f = fold(raw);
  return COMMAND_START.test(raw) || REPORT_PHRASE.test(f) || (COMPLAINT.test(f) && WANTS.test(f));
}

/** Control words inside a report (a whole short message). */
export type ReportControl = "skip" | "cancel" | "now" | "continue" | "restart" | undefined;

const CONTROLS: [Exclude<ReportControl, undefined>, RegExp][] = [
  ["cancel", /^(?:\/cancel|\/huy|huy|huy bo|huy phan anh|cancel|stop|thoi|dung lai|khong gui nua)$/],
  ["skip", /^(?:\/skip|bo qua|skip|khong co|ko co|none|no photo|khong|no|next|tiep)$/],
  ["now", /^(?:bay gio|ngay bay gio|ngay luc nay|luc nay|vua xong|vua moi|now|right now|just now)$/],
  ["continue", /^(?:tiep tuc|tiep tuc phan anh|continue|continue report|keep going)$/],
  ["restart", /^(?:lam lai|bat dau lai|phan anh moi|start over|new report|restart)$/],
];

/** The control word a message is, if it is one. */
export function readControl(text: string): ReportControl {
  const f = fold(text.trim())
    .replace(/[.!,;]+$/g, "")
    .replace(/\s+/g, " ");
  return CONTROLS.find(([, re]) => re.test(f))?.[0];
}

/** Words of each category (folded), for a typed answer rather than a button or a number. */
const CATEGORY_WORDS: Record<CaseCategory, RegExp> = {
  prices: /\b(?:gia|chat chem|lua|scam|price|prices|overcharg\w*|tout|touts|cheo keo|ep mua)\b/,
  safety: /\b(?:an ninh|an toan|trom|cuop|moc tui|safety|security|theft|stolen|unsafe)\b/,
  cleanliness: /\b(?:rac|ve sinh|moi truong|o nhiem|litter|clean\w*|trash|rubbish|environment|dirty)\b/,
  infrastructure:
    /\b(?:ha tang|duong|ben|cau|den|infrastructure|road|landing|pier|bridge|broken|hu hong|hong)\b/,
  lodging: /\b(?:luu tru|khach san|nha nghi|homestay|dich vu|hoan tien|lodging|hotel|service|refund)\b/,
  lost: /\b(?:that lac|mat do|lac do|nhat duoc|lost|found|lost and found)\b/,
  other: /\b(?:khac|other)\b/,
};

/** The category a message picks: its number in the list (1–7), or its words; undefined otherwise. */
export function readCategory(text: string): CaseCategory | undefined {
  const f = fold(text.trim());
  const n = /^(\d)\.?$/.exec(f)?.[1];
  if (n) return CASE_CATEGORIES[Number(n) - 1];
  return CASE_CATEGORIES.find((c) => CATEGORY_WORDS[c].test(f));
}

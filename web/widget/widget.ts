/**
 * The embeddable chat widget: one tag on any site,
 * `<script src="https://HOST/widget.js" data-lang="vi" async></script>`.
 *
 * Everything lives in a Shadow DOM so that the host page's CSS cannot break it and it cannot break the host
 * page. Browser code only (no Node imports, no framework); web/routes/widget.ts bundles it with esbuild.
 * Everything the user or the content supplies is rendered with textContent, never as HTML.
 */

type Lang = "vi" | "en";
type Source = { title: string; url: string };
type Place = { name: string; mapUrl: string; pageUrl?: string; approximate: boolean; distanceKm?: number };
type ErrorKey = "rateLimited" | "network" | "tooLong" | "badRequest" | "forbidden" | "server";
type Message =
  | { role: "user"; text: string }
  | {
      role: "bot";
      text: string;
      lang: Lang;
      answerId?: string;
      sources: Source[];
      suggestions: string[];
      places: Place[];
      feedback?: "up" | "down";
    }
  | { role: "error"; key: ErrorKey }
  /** A message from the tourism office's staff (a handoff), read from the conversation's mailbox. */
  | { role: "staff"; text: string };
type BotMessage = Extract<Message, { role: "bot" }>;

/** What is kept in localStorage, per HOST. */
type Saved = {
  v: 1;
  lang: Lang;
  langChosen: boolean;
  conversationId: string;
  messages: Message[];
  /** A staff member has the chat: the widget polls the mailbox. */
  handoff?: boolean;
  /** The last mailbox message read. */
  seq?: number;
};

const MAX_MESSAGES = 40;
/** Most report codes kept (code and its link token) in localStorage. */
const MAX_REPORTS = 20;
/** A report's status link in an answer: its code and token (kept so the widget can show the status). */
const REPORT_LINK = /\/bao-cao\/(CD-\d{4}-\d{6})\?t=([A-Za-z0-9_-]{22})/;
type KeptReport = { code: string; token: string };
const MAX_INPUT = 1000;
const REQUEST_TIMEOUT_MS = 45_000;
const MAILBOX_POLL_MS = 3000;

const STRINGS = {
  vi: {
    title: "Trợ lý du lịch Châu Đốc",
    launcher: "Hỏi trợ lý du lịch Châu Đốc",
    close: "Đóng trợ lý",
    languages: "Ngôn ngữ",
    newChat: "Cuộc trò chuyện mới",
    inputLabel: "Câu hỏi của bạn",
    placeholder: "Hỏi về điểm tham quan, lễ hội, lưu trú…",
    send: "Gửi",
    welcome:
      "Xin chào! Tôi trả lời các câu hỏi về điểm tham quan, lễ hội và thủ tục khai báo lưu trú ở Châu Đốc.",
    you: "Bạn:",
    assistant: "Trợ lý:",
    thinking: "Đang trả lời…",
    sources: "Nguồn",
    map: "Xem bản đồ",
    placePage: "trang địa điểm",
    approximate: "(vị trí gần đúng)",
    suggestions: "Gợi ý câu hỏi",
    helpful: "Câu trả lời hữu ích",
    notHelpful: "Câu trả lời chưa hữu ích",
    thanks: "Cảm ơn bạn đã góp ý!",
    feedbackFailed: "Chưa gửi được góp ý, vui lòng thử lại.",
    newTab: "(mở trong thẻ mới)",
    km: "km",
    photo: "Gửi ảnh (cho phản ánh)",
    shareLocation: "Gửi vị trí",
    locationSent: "[Vị trí của tôi]",
    photoSent: "[Ảnh]",
    myReports: "Phản ánh của tôi",
    noReports: "Bạn chưa gửi phản ánh nào từ trình duyệt này. Gõ “phản ánh” để gửi.",
    reportsTitle: "Trạng thái các phản ánh bạn đã gửi:",
    reportUnknown: "không tra được",
    status: {
      received: "Đã tiếp nhận",
      in_progress: "Đang xử lý",
      resolved: "Đã giải quyết",
      rejected: "Không xử lý",
    },
    staff: "Nhân viên",
    waiting:
      "Một nhân viên Phòng Du lịch sẽ trả lời bạn tại đây. Trợ lý tự động tạm dừng; gõ “hủy” để quay lại.",
    person: "Gặp nhân viên",
    personAsk: "gặp nhân viên",
    errors: {
      rateLimited: "Bạn hỏi hơi nhanh. Vui lòng đợi một chút rồi thử lại.",
      network: "Không kết nối được với trợ lý. Vui lòng kiểm tra mạng và thử lại sau.",
      tooLong: "Câu hỏi quá dài (tối đa 1000 ký tự). Vui lòng viết ngắn hơn.",
      badRequest: "Không gửi được câu hỏi này. Vui lòng viết lại.",
      forbidden: "Trang web này chưa được phép dùng trợ lý.",
      server: "Trợ lý đang gặp sự cố. Vui lòng thử lại sau.",
    },
  },
  en: {
    title: "Châu Đốc travel assistant",
    launcher: "Ask the Châu Đốc travel assistant",
    close: "Close the assistant",
    languages: "Language",
    newChat: "New conversation",
    inputLabel: "Your question",
    placeholder: "Ask about sights, festivals, lodging…",
    send: "Send",
    welcome:
      "Hello! I answer questions about Châu Đốc's sights, festivals and the rules for registering a stay.",
    you: "You:",
    assistant: "Assistant:",
    thinking: "Answering…",
    sources: "Sources",
    map: "View on map",
    placePage: "place page",
    approximate: "(approximate location)",
    suggestions: "Suggested questions",
    helpful: "Helpful answer",
    notHelpful: "Not a helpful answer",
    thanks: "Thank you for your feedback!",
    feedbackFailed: "Your feedback could not be sent; please try again.",
    newTab: "(opens in a new tab)",
    km: "km",
    photo: "Send a photo (for a report)",
    shareLocation: "Share location",
    locationSent: "[My location]",
    photoSent: "[Photo]",
    myReports: "My reports",
    noReports: "You have not sent a report from this browser. Type “report” to send one.",
    reportsTitle: "The status of the reports you sent:",
    reportUnknown: "could not be checked",
    status: { received: "Received", in_progress: "In progress", resolved: "Resolved", rejected: "Rejected" },
    staff: "Staff",
    waiting:
      "A tourism office staff member will answer you here. The automatic assistant is paused; type “cancel” to go back.",
    person: "Talk to a person",
    personAsk: "talk to a human",
    errors: {
      rateLimited: "You are asking a little fast. Please wait a moment and try again.",
      network: "The assistant cannot be reached. Please check your connection and try again later.",
      tooLong: "The question is too long (1000 characters at most). Please shorten it.",
      badRequest: "This question could not be sent. Please rephrase it.",
      forbidden: "This website is not allowed to use the assistant.",
      server: "The assistant has a problem. Please try again later.",
    },
  },
} as const;
type Strings = (typeof STRINGS)[Lang];

const STYLES = `
:host { all: initial !important; display: block !important; position: static !important; }
.root {
  position: fixed; bottom: 20px; right: 20px; z-index: 2147483000;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: #1b1f24; text-align: left; direction: ltr; letter-spacing: normal;
  display: flex; flex-direction: column; align-items: flex-end; gap: 12px;
}
.root.left { right: auto; left: 20px; align-items: flex-start; }
*, *::before, *::after { box-sizing: border-box; }
[hidden] { display: none !important; }
button, textarea { font: inherit; color: inherit; }
button { cursor: pointer; }
:focus-visible { outline: 3px solid #f0a000; outline-offset: 2px; }
.sr-only {
  position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}
.launcher {
  display: inline-flex; align-items: center; justify-content: center; width: 58px; height: 58px;
  border: 0; border-radius: 50%; background: #0b5d3b; color: #fff; order: 2;
  box-shadow: 0 4px 14px rgba(0, 0, 0, 0.25); padding: 0; margin: 0;
}
.launcher:hover { background: #084a2f; }
.launcher svg { width: 28px; height: 28px; fill: currentColor; }
.panel {
  order: 1; display: flex; flex-direction: column; width: min(380px, calc(100vw - 24px));
  height: min(580px, calc(100vh - 110px)); background: #fff; border-radius: 14px; overflow: hidden;
  box-shadow: 0 10px 36px rgba(0, 0, 0, 0.28); border: 1px solid #d5dbe1;
}
header {
  display: flex; align-items: center; gap: 8px; padding: 10px 12px; background: #0b5d3b; color: #fff;
}
h2 { flex: 1; margin: 0; font-size: 16px; font-weight: 600; line-height: 1.3; }
.langs { display: inline-flex; border: 1px solid rgba(255, 255, 255, 0.7); border-radius: 8px; overflow: hidden; }
.langs button {
  border: 0; background: transparent; color: #fff; padding: 3px 8px; font-size: 13px; font-weight: 600; margin: 0;
}
.langs button[aria-pressed="true"] { background: #fff; color: #0b5d3b; }
.icon {
  border: 0; background: transparent; color: #fff; width: 32px; height: 32px; border-radius: 8px;
  font-size: 20px; line-height: 1; padding: 0; margin: 0;
}
.icon:hover { background: rgba(255, 255, 255, 0.18); }
.log { flex: 1; overflow-y: auto; padding: 12px; background: #f4f6f8; display: flex; flex-direction: column; gap: 10px; }
.msg { max-width: 92%; padding: 8px 11px; border-radius: 12px; overflow-wrap: anywhere; }
.msg.user { align-self: flex-end; background: #0b5d3b; color: #fff; border-bottom-right-radius: 4px; }
.msg.bot { align-self: flex-start; background: #fff; border: 1px solid #d5dbe1; border-bottom-left-radius: 4px; }
.msg.staff { align-self: flex-start; background: #fff8e6; border: 1px solid #c98a00; border-bottom-left-radius: 4px; }
.msg.staff .who { margin: 0 0 2px; font-size: 13px; font-weight: 700; color: #6b4500; }
.handoff-status { margin: 0; padding: 8px 12px; background: #fff8e6; color: #4d3300; border-top: 1px solid #c98a00; font-size: 13.5px; }
.msg.error { align-self: stretch; background: #fdecea; color: #8a1c12; border: 1px solid #f2b8b0; }
.text { white-space: pre-wrap; margin: 0; }
.msg a { color: #0a58a8; text-decoration: underline; }
.msg.user a { color: #fff; }
.thinking { color: #4a5560; font-style: italic; }
.sources, .places { margin: 8px 0 0; padding: 0; list-style: none; font-size: 14px; }
.sources li, .places li { margin: 2px 0; }
.label { font-size: 13px; font-weight: 600; color: #4a5560; margin: 8px 0 0; }
.chips { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 8px; }
.chip {
  border: 1px solid #0b5d3b; background: #fff; color: #0b5d3b; border-radius: 16px; padding: 4px 10px;
  font-size: 13.5px; text-align: left; margin: 0;
}
.chip:hover { background: #e6f2ec; }
.feedback { display: flex; align-items: center; gap: 4px; margin-top: 6px; font-size: 13.5px; color: #4a5560; }
.feedback button {
  border: 1px solid #c4ccd4; background: #fff; border-radius: 8px; width: 34px; height: 30px; padding: 0;
  font-size: 16px; margin: 0;
}
.feedback button:hover { background: #eef1f4; }
.feedback svg { width: 16px; height: 16px; fill: #4a5560; vertical-align: middle; }
form { display: flex; gap: 8px; padding: 10px; border-top: 1px solid #d5dbe1; background: #fff; margin: 0; }
textarea {
  flex: 1; resize: none; max-height: 120px; padding: 8px 10px; border: 1px solid #8a96a3;
  border-radius: 10px; background: #fff; color: #1b1f24; margin: 0;
}
textarea::placeholder { color: #5f6b77; }
.send {
  border: 0; border-radius: 10px; background: #0b5d3b; color: #fff; padding: 0 14px; font-weight: 600; margin: 0;
}
.send:disabled { background: #6c8a7c; cursor: progress; }
.foot { display: flex; justify-content: space-between; gap: 8px; padding: 0 10px 8px; background: #fff; }
.attach { display: inline-flex; align-items: center; justify-content: center; position: relative; }
.attach input { position: absolute; inset: 0; opacity: 0; width: 100%; cursor: pointer; }
.link-button {
  border: 0; background: transparent; color: #0a58a8; text-decoration: underline; font-size: 13px; padding: 2px; margin: 0;
}
@media (max-width: 480px) {
  .root, .root.left { right: 12px; left: auto; bottom: 12px; }
  .root.left { left: 12px; right: auto; }
  .panel { width: calc(100vw - 24px); height: calc(100vh - 96px); }
}
@media (prefers-reduced-motion: no-preference) { .launcher { transition: background 0.15s; } }
`;

/** The script element that loaded the widget: it tells where the API is and the starting language. */
function findScript(): HTMLScriptElement | null {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement && current.src) return current;
  const all = document.querySelectorAll<HTMLScriptElement>(
    'script[src$="widget.js"], script[src*="/widget.js?"]',
  );
  return all[all.length - 1] ?? null;
}

function isLang(value: unknown): value is Lang {
  return value === "vi" || value === "en";
}

/** An absolute http(s) URL for a link, or undefined for anything else (javascript:, data:, garbage). */
function safeUrl(value: unknown, base: string): string | undefined {
  if (typeof value !== "string" || !value) return undefined;
  try {
    const url = new URL(value, base);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function newConversationId(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return "w" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/** Reads an Answer from the API defensively: only the fields the widget shows, with links made absolute. */
function toBotMessage(data: unknown, host: string, fallbackLang: Lang): BotMessage | undefined {
  if (!isRecord(data) || typeof data.answer !== "string") return undefined;
  const sources: Source[] = [];
  for (const s of Array.isArray(data.sources) ? data.sources : []) {
    if (!isRecord(s)) continue;
    const url = safeUrl(s.url, host);
    const title = str(s.title);
    if (url && title) sources.push({ title, url });
  }
  const places: Place[] = [];
  const rawPlaces = Array.isArray(data.places) && data.places.length ? data.places : [data.place];
  for (const p of rawPlaces) {
    if (!isRecord(p)) continue;
    const mapUrl = safeUrl(p.mapUrl, host);
    const name = str(p.name);
    if (!mapUrl || !name) continue;
    const place: Place = { name, mapUrl, approximate: p.approximate === true };
    // The place's page on the portal, at its map (a path on the widget's own host).
    const pageUrl = safeUrl(p.pageUrl, host);
    if (pageUrl) place.pageUrl = pageUrl;
    if (typeof p.distanceKm === "number" && Number.isFinite(p.distanceKm)) place.distanceKm = p.distanceKm;
    places.push(place);
  }
  const suggestions = (Array.isArray(data.suggestions) ? data.suggestions : [])
    .filter((s): s is string => typeof s === "string" && s.trim() !== "")
    .slice(0, 4);
  const message: BotMessage = {
    role: "bot",
    text: data.answer,
    lang: isLang(data.language) ? data.language : fallbackLang,
    sources,
    suggestions,
    places,
  };
  const answerId = str(data.answerId);
  if (answerId) message.answerId = answerId;
  return message;
}

/** Restores the saved conversation; anything that does not look right is dropped, never trusted. */
function loadSaved(key: string, host: string): Saved | undefined {
  try {
    const raw = localStorage.getItem(key);
    if (!raw) return undefined;
    const data: unknown = JSON.parse(raw);
    if (!isRecord(data) || data.v !== 1 || !isLang(data.lang) || typeof data.conversationId !== "string")
      return undefined;
    if (!/^[A-Za-z0-9_-]{1,100}$/.test(data.conversationId)) return undefined;
    const messages: Message[] = [];
    for (const m of Array.isArray(data.messages) ? data.messages : []) {
      if (!isRecord(m)) continue;
      if (m.role === "user" && typeof m.text === "string") messages.push({ role: "user", text: m.text });
      else if (m.role === "staff" && typeof m.text === "string")
        messages.push({ role: "staff", text: m.text });
      else if (m.role === "error" && typeof m.key === "string" && m.key in STRINGS.vi.errors)
        messages.push({ role: "error", key: m.key as ErrorKey });
      else if (m.role === "bot") {
        const bot = toBotMessage(
          { ...m, answer: m.text, language: m.lang, sources: m.sources, places: m.places },
          host,
          data.lang,
        );
        if (!bot) continue;
        if (m.feedback === "up" || m.feedback === "down") bot.feedback = m.feedback;
        messages.push(bot);
      }
    }
    return {
      v: 1,
      lang: data.lang,
      langChosen: data.langChosen === true,
      conversationId: data.conversationId,
      messages: messages.slice(-MAX_MESSAGES),
      handoff: data.handoff === true,
      seq: typeof data.seq === "number" && Number.isSafeInteger(data.seq) && data.seq >= 0 ? data.seq : 0,
    };
  } catch {
    return undefined;
  }
}

const SVG_NS = "http://www.w3.org/2000/svg";

function chatIcon(): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  const path = document.createElementNS(SVG_NS, "path");
  path.setAttribute(
    "d",
    "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm3 6.5a1.5 1.5 0 1 0 0 " +
      "3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3z",
  );
  svg.append(path);
  return svg;
}

const THUMB =
  "M1 21h4V9H1v12zm22-11c0-1.1-.9-2-2-2h-6.31l.95-4.57.03-.32c0-.41-.17-.79-.44-1.06L14.17 1 7.59 7.59C7.22 " +
  "7.95 7 8.45 7 9v10c0 1.1.9 2 2 2h9c.83 0 1.54-.5 1.84-1.22l3.02-7.05c.09-.23.14-.47.14-.73v-2z";

/** A thumbs-up (or, turned over, thumbs-down) icon drawn as SVG, so that no emoji font is needed. */
function thumbIcon(down: boolean): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  const path = document.createElementNS(SVG_NS, "path");
  path.setAttribute("d", THUMB);
  if (down) path.setAttribute("transform", "rotate(180 12 12)");
  svg.append(path);
  return svg;
}

/** Creates an element with a class and optional text (always as text, never parsed as HTML). */
function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Splits answer text into text nodes and links for the http(s) URLs in it (map links, websites). */
function linkified(text: string, newTab: string): DocumentFragment {
  const out = document.createDocumentFragment();
  const pattern = /https?:\/\/[^\s<>"]+/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    let url = match[0];
    const trail = /[.,;:!?)\]]+$/.exec(url);
    if (trail) url = url.slice(0, -trail[0].length);
    const start = match.index ?? 0;
    const href = safeUrl(url, "http://invalid/");
    if (!href) continue;
    out.append(document.createTextNode(text.slice(last, start)));
    out.append(externalLink(href, url, newTab));
    last = start + url.length;
  }
  out.append(document.createTextNode(text.slice(last)));
  return out;
}

/**
 * The answer's text without the lines that only give a place's map link ("• Bản đồ: https://…"), when
 * that link is shown in the list of places anyway: the map link then appears once.
 */
function withoutMapLines(text: string, places: readonly Place[]): string {
  if (!places.length) return text;
  const maps = new Set(places.map((p) => p.mapUrl));
  return text
    .split("\n")
    .filter((line) => {
      const urls = [...line.matchAll(/https?:\/\/[^\s<>"]+/g)].map((m) => m[0]);
      const isMap = urls.some((u) => maps.has(safeUrl(u, "http://invalid/") ?? u) || maps.has(u));
      if (!isMap) return true;
      // Only a label is left beside the link ("• Map:", "(approximate location)"): the line goes.
      const rest = urls.reduce((acc, u) => acc.replace(u, ""), line).replace(/\([^)]*\)/g, "");
      return rest.replace(/[\s•:\-–]/g, "").length > 24;
    })
    .join("\n");
}

function externalLink(href: string, text: string, newTab: string): HTMLAnchorElement {
  const a = el("a", undefined, text);
  a.href = href;
  a.target = "_blank";
  a.rel = "noopener noreferrer";
  a.append(el("span", "sr-only", " " + newTab));
  return a;
}

type Outcome =
  /** `handoff`: whether a staff member has the chat, when the server said (the handoff desk's answers). */
  | { kind: "answer"; message: BotMessage; handoff?: boolean }
  | { kind: "error"; key: ErrorKey }
  /** Streaming did not work (no body, a broken stream, a network failure): try plain JSON. */
  | { kind: "retry" };

/** The handoff state an answer carries (`handoff: {open}`), if any. */
function handoffOf(data: unknown): boolean | undefined {
  return isRecord(data) && isRecord(data.handoff) && typeof data.handoff.open === "boolean"
    ? data.handoff.open
    : undefined;
}

/** An answer outcome, with the handoff state when the data has one. */
function answerOutcome(data: unknown, message: BotMessage): Outcome {
  const handoff = handoffOf(data);
  return handoff === undefined ? { kind: "answer", message } : { kind: "answer", message, handoff };
}

function errorKeyOf(status: number, code?: string): ErrorKey {
  if (status === 429 || code?.startsWith("rate_limited")) return "rateLimited";
  if (status === 413 || code?.startsWith("payload_too_large")) return "tooLong";
  if (status === 403) return "forbidden";
  if (status === 400) return "badRequest";
  return "server";
}

async function errorOf(res: Response): Promise<Outcome> {
  let code: string | undefined;
  try {
    const body: unknown = await res.json();
    if (isRecord(body) && isRecord(body.error)) code = str(body.error.code);
  } catch {
    // Not JSON (a proxy's error page): the status says enough.
  }
  return { kind: "error", key: errorKeyOf(res.status, code) };
}

/** Parses one SSE block ("event: x\ndata: ...") into its event name and data. */
function parseSseBlock(block: string): { event: string; data: string } {
  let event = "message";
  const data: string[] = [];
  for (const line of block.split(/\r?\n/)) {
    if (line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") event = value;
    else if (field === "data") data.push(value);
  }
  return { event, data: data.join("\n") };
}

function start(script: HTMLScriptElement | null): void {
  if (!script || document.querySelector("[data-chau-doc-widget]")) return;
  let host: string;
  try {
    host = new URL(script.src, location.href).origin;
  } catch {
    return;
  }
  const storageKey = `chau-doc-widget:v1:${host}`;
  const initialLang: Lang = isLang(script.dataset.lang) ? script.dataset.lang : "vi";
  const onLeft = (script.dataset.position ?? "").toLowerCase().includes("left");

  const saved = loadSaved(storageKey, host);
  const state: Saved = saved ?? {
    v: 1,
    lang: initialLang,
    langChosen: false,
    conversationId: newConversationId(),
    messages: [],
  };
  let busy = false;

  function save(): void {
    state.messages = state.messages.slice(-MAX_MESSAGES);
    try {
      localStorage.setItem(storageKey, JSON.stringify(state));
    } catch {
      // Storage full or blocked (private mode, sandboxed frame): the conversation just is not kept.
    }
  }

  const t = (): Strings => STRINGS[state.lang];

  // The host element is the only thing added to the page; everything else is inside its shadow root.
  const hostEl = document.createElement("div");
  hostEl.setAttribute("data-chau-doc-widget", "");
  hostEl.id = "chau-doc-widget";
  const shadow = hostEl.attachShadow({ mode: "open" });
  if ("adoptedStyleSheets" in Document.prototype && "replaceSync" in CSSStyleSheet.prototype) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(STYLES);
    shadow.adoptedStyleSheets = [sheet];
  } else {
    shadow.append(el("style", undefined, STYLES));
  }

  const root = el("div", onLeft ? "root left" : "root");
  const launcher = el("button", "launcher");
  launcher.type = "button";
  launcher.setAttribute("aria-expanded", "false");
  launcher.setAttribute("aria-controls", "cdw-panel");
  launcher.append(chatIcon());

  const panel = el("section", "panel");
  panel.id = "cdw-panel";
  panel.hidden = true;
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-labelledby", "cdw-title");

  const header = el("header");
  const title = el("h2");
  title.id = "cdw-title";
  const langs = el("div", "langs");
  langs.setAttribute("role", "group");
  const langButtons = (["vi", "en"] as const).map((lang) => {
    const b = el("button", undefined, lang.toUpperCase());
    b.type = "button";
    b.lang = lang;
    b.dataset.lang = lang;
    b.setAttribute("aria-label", lang === "vi" ? "VI – Tiếng Việt" : "EN – English");
    b.addEventListener("click", () => setLang(lang));
    langs.append(b);
    return b;
  });
  const closeButton = el("button", "icon", "×");
  closeButton.type = "button";
  closeButton.addEventListener("click", () => close());
  header.append(title, langs, closeButton);

  const log = el("div", "log");
  log.setAttribute("role", "log");
  // Answers are announced through `live` once complete, not delta by delta.
  log.setAttribute("aria-live", "off");
  const live = el("div", "sr-only");
  live.setAttribute("aria-live", "polite");
  live.setAttribute("aria-atomic", "true");

  const form = el("form");
  const inputLabel = el("label", "sr-only");
  inputLabel.htmlFor = "cdw-input";
  const input = el("textarea");
  input.id = "cdw-input";
  input.rows = 2;
  input.maxLength = MAX_INPUT;
  const send = el("button", "send");
  send.type = "submit";
  form.append(inputLabel, input, send);
  const foot = el("div", "foot");
  const newChat = el("button", "link-button");
  newChat.type = "button";
  // A report's photo: a file input styled as a link; the server checks the bytes, not the name.
  const attach = el("label", "link-button attach");
  const attachText = el("span");
  const file = el("input");
  file.type = "file";
  file.accept = "image/jpeg,image/png,image/webp";
  attach.append(attachText, file);
  const myReports = el("button", "link-button");
  myReports.type = "button";
  // A shared location (a report's "where", or "what is near me"); only where the browser has geolocation.
  const shareLocation = el("button", "link-button");
  shareLocation.type = "button";
  shareLocation.hidden = !("geolocation" in navigator);
  const person = el("button", "link-button");
  person.type = "button";
  person.addEventListener("click", () => void ask(t().personAsk));
  foot.append(attach, shareLocation, myReports, person, newChat);
  const handoffStatus = el("p", "handoff-status");
  handoffStatus.setAttribute("role", "status");

  panel.append(header, log, handoffStatus, form, foot, live);
  root.append(launcher, panel);
  shadow.append(root);

  function applyStrings(): void {
    const s = t();
    root.lang = state.lang;
    title.textContent = s.title;
    launcher.setAttribute("aria-label", s.launcher);
    launcher.title = s.launcher;
    closeButton.setAttribute("aria-label", s.close);
    closeButton.title = s.close;
    langs.setAttribute("aria-label", s.languages);
    for (const b of langButtons) b.setAttribute("aria-pressed", String(b.dataset.lang === state.lang));
    inputLabel.textContent = s.inputLabel;
    input.placeholder = s.placeholder;
    send.textContent = s.send;
    newChat.textContent = s.newChat;
    attachText.textContent = s.photo;
    myReports.textContent = s.myReports;
    shareLocation.textContent = s.shareLocation;
    person.textContent = s.person;
    handoffStatus.textContent = s.waiting;
    handoffStatus.hidden = !state.handoff;
    person.hidden = state.handoff === true;
  }

  const reportsKey = `chau-doc-widget:reports:v1:${host}`;
  function keptReports(): KeptReport[] {
    try {
      const data: unknown = JSON.parse(localStorage.getItem(reportsKey) ?? "[]");
      return Array.isArray(data)
        ? data.filter(
            (r): r is KeptReport =>
              isRecord(r) &&
              typeof r.code === "string" &&
              /^CD-\d{4}-\d{6}$/.test(r.code) &&
              typeof r.token === "string" &&
              /^[A-Za-z0-9_-]{22}$/.test(r.token),
          )
        : [];
    } catch {
      return [];
    }
  }
  /** Keeps the code and token of a report filed in this answer (the reporter's own cases only). */
  function keepReport(text: string): void {
    const m = REPORT_LINK.exec(text);
    if (!m) return;
    const list = keptReports().filter((r) => r.code !== m[1]);
    list.push({ code: m[1] as string, token: m[2] as string });
    try {
      localStorage.setItem(reportsKey, JSON.stringify(list.slice(-MAX_REPORTS)));
    } catch {
      // Storage blocked: the link in the answer still works.
    }
  }

  async function showReports(): Promise<void> {
    if (busy) return;
    const s = t();
    const list = keptReports();
    // The office's replies to a report land in the conversation's mailbox: read it too.
    if (list.length) await readMailbox();
    if (list.length === 0) {
      push({ role: "bot", text: s.noReports, lang: state.lang, sources: [], suggestions: [], places: [] });
      renderLog();
      announce(s.noReports);
      return;
    }
    busy = true;
    const lines = await Promise.all(
      list.map(async (r) => {
        try {
          const res = await fetch(`${host}/api/reports/${r.code}?token=${encodeURIComponent(r.token)}`, {
            credentials: "omit",
          });
          if (!res.ok) return `• ${r.code}: ${s.reportUnknown}`;
          const data: unknown = await res.json();
          const status = isRecord(data) ? str(data.status) : undefined;
          const label =
            status && status in s.status ? s.status[status as keyof typeof s.status] : s.reportUnknown;
          return `• ${r.code}: ${label}`;
        } catch {
          return `• ${r.code}: ${s.reportUnknown}`;
        }
      }),
    );
    busy = false;
    const text = `${s.reportsTitle}\n${lines.join("\n")}`;
    push({ role: "bot", text, lang: state.lang, sources: [], suggestions: [], places: [] });
    renderLog();
    announce(text);
  }

  async function sendPhoto(photo: File): Promise<void> {
    if (busy) return;
    busy = true;
    send.disabled = true;
    push({ role: "user", text: `${t().photoSent} ${photo.name}`.trim() });
    renderLog();
    const body = new FormData();
    body.set("conversationId", state.conversationId);
    if (state.langChosen) body.set("lang", state.lang);
    body.set("photo", photo, photo.name);
    let outcome: Outcome;
    try {
      const res = await fetch(`${host}/api/reports/photo`, { method: "POST", body, credentials: "omit" });
      if (!res.ok) outcome = await errorOf(res);
      else {
        const message = toBotMessage(await res.json(), host, state.lang);
        outcome = message ? { kind: "answer", message } : { kind: "error", key: "server" };
      }
    } catch {
      outcome = { kind: "error", key: "network" };
    }
    if (outcome.kind === "answer") push(outcome.message);
    else if (outcome.kind === "error") push({ role: "error", key: outcome.key });
    busy = false;
    send.disabled = false;
    renderLog();
    announce(
      outcome.kind === "answer"
        ? outcome.message.text
        : outcome.kind === "error"
          ? t().errors[outcome.key]
          : "",
    );
  }

  function setLang(lang: Lang): void {
    state.lang = lang;
    state.langChosen = true;
    save();
    applyStrings();
    renderLog();
  }

  function renderMessage(message: Message, latest: boolean): HTMLElement {
    const s = t();
    if (message.role === "user") {
      const node = el("div", "msg user");
      node.append(el("span", "sr-only", s.you + " "), el("p", "text", message.text));
      return node;
    }
    if (message.role === "staff") {
      const node = el("div", "msg staff");
      node.append(el("p", "who", s.staff), el("span", "sr-only", ": "));
      const text = el("p", "text");
      text.append(linkified(message.text, s.newTab));
      node.append(text);
      return node;
    }
    if (message.role === "error") {
      const node = el("div", "msg error", s.errors[message.key]);
      node.setAttribute("role", "alert");
      return node;
    }
    // Everything inside an answer (labels, notes, buttons) is in the answer's language, which may differ
    // from the panel's when the language was detected from the question.
    const a = STRINGS[message.lang];
    const node = el("div", "msg bot");
    node.lang = message.lang;
    node.append(el("span", "sr-only", a.assistant + " "));
    const text = el("p", "text");
    // A map link is shown once, in the list of places below, not also as a raw URL in the text.
    text.append(linkified(withoutMapLines(message.text, message.places), a.newTab));
    node.append(text);
    if (message.places.length) {
      const list = el("ul", "places");
      for (const place of message.places) {
        const item = el("li");
        const label = place.distanceKm === undefined ? `${a.map}: ${place.name}` : `${place.name}`;
        item.append(externalLink(place.mapUrl, label, a.newTab));
        if (place.pageUrl) {
          item.append(document.createTextNode(" · "));
          item.append(externalLink(place.pageUrl, a.placePage, a.newTab));
        }
        const notes = [
          place.distanceKm === undefined ? "" : `${place.distanceKm.toFixed(1)} ${a.km}`,
          place.approximate ? a.approximate : "",
        ].filter(Boolean);
        if (notes.length) item.append(document.createTextNode(" " + notes.join(" ")));
        list.append(item);
      }
      node.append(list);
    }
    if (message.sources.length) {
      node.append(el("p", "label", a.sources));
      const list = el("ul", "sources");
      for (const source of message.sources) {
        const item = el("li");
        item.append(externalLink(source.url, source.title, a.newTab));
        list.append(item);
      }
      node.append(list);
    }
    if (message.answerId) node.append(feedbackRow(message));
    if (latest && message.suggestions.length) {
      const chips = el("div", "chips");
      chips.setAttribute("role", "group");
      chips.setAttribute("aria-label", a.suggestions);
      for (const suggestion of message.suggestions) {
        const chip = el("button", "chip", suggestion);
        chip.type = "button";
        chip.addEventListener("click", () => void ask(suggestion));
        chips.append(chip);
      }
      node.append(chips);
    }
    return node;
  }

  function feedbackRow(message: BotMessage): HTMLElement {
    const s = STRINGS[message.lang];
    const row = el("div", "feedback");
    if (message.feedback) {
      row.textContent = s.thanks;
      return row;
    }
    for (const [value, label] of [
      ["up", s.helpful],
      ["down", s.notHelpful],
    ] as const) {
      const b = el("button");
      b.append(thumbIcon(value === "down"));
      b.type = "button";
      b.setAttribute("aria-label", label);
      b.title = label;
      b.addEventListener("click", () => void sendFeedback(message, value, row));
      row.append(b);
    }
    return row;
  }

  async function sendFeedback(message: BotMessage, value: "up" | "down", row: HTMLElement): Promise<void> {
    for (const b of row.querySelectorAll("button")) b.disabled = true;
    let ok = false;
    try {
      const res = await fetch(`${host}/api/feedback`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ answerId: message.answerId, helpful: value === "up" }),
        credentials: "omit",
      });
      ok = res.ok;
    } catch {
      ok = false;
    }
    const hadFocus = shadow.activeElement !== null && row.contains(shadow.activeElement);
    if (ok) {
      message.feedback = value;
      save();
      row.replaceChildren(document.createTextNode(STRINGS[message.lang].thanks));
      announce(STRINGS[message.lang].thanks);
      // The pressed button is gone: keep keyboard users in the panel rather than on the page body.
      if (hadFocus) input.focus();
    } else {
      for (const b of row.querySelectorAll("button")) b.disabled = false;
      announce(STRINGS[message.lang].feedbackFailed);
    }
  }

  function renderLog(): void {
    const nodes: HTMLElement[] = [];
    if (!state.messages.length) {
      const welcome = el("div", "msg bot welcome");
      welcome.append(el("p", "text", t().welcome));
      nodes.push(welcome);
    }
    const lastBot = state.messages.map((m) => m.role).lastIndexOf("bot");
    state.messages.forEach((m, i) =>
      nodes.push(renderMessage(m, i === lastBot && i === state.messages.length - 1)),
    );
    log.replaceChildren(...nodes);
    revealLatest();
  }

  function scrollDown(): void {
    log.scrollTop = log.scrollHeight;
  }

  /**
   * Scrolls the log so that a message's first line is at the top of the log (or the whole message shows,
   * when it is short and the log is at its end): a long answer is read from its beginning, not upwards
   * from its last line.
   */
  function reveal(node: HTMLElement): void {
    const gap = 8;
    const offset = node.getBoundingClientRect().top - log.getBoundingClientRect().top;
    // The browser clamps scrollTop to the end of the log, so a short message ends up fully in view.
    log.scrollTop = Math.max(0, log.scrollTop + offset - gap);
  }

  function revealLatest(): void {
    const last = log.lastElementChild;
    if (last instanceof HTMLElement) reveal(last);
  }

  function announce(text: string): void {
    live.textContent = "";
    // A fresh text node after a tick is announced even when it repeats the previous one.
    setTimeout(() => {
      live.textContent = text;
    }, 50);
  }

  function push(message: Message): void {
    state.messages.push(message);
    save();
  }

  async function ask(raw: string, location?: { lat: number; lng: number }): Promise<void> {
    const text = raw.trim().slice(0, MAX_INPUT);
    if (!text || busy) return;
    busy = true;
    // A clicked suggestion chip is about to be re-rendered away: keep keyboard focus in the panel.
    const active = shadow.activeElement;
    if (active && log.contains(active)) input.focus();
    send.disabled = true;
    log.setAttribute("aria-busy", "true");
    push({ role: "user", text });
    renderLog();
    const pending = el("div", "msg bot pending");
    const pendingText = el("p", "text thinking", t().thinking);
    pending.append(pendingText);
    log.append(pending);
    scrollDown();

    let streamed = "";
    const onDelta = (delta: string): void => {
      if (!streamed) pendingText.className = "text";
      streamed += delta;
      pendingText.textContent = streamed;
      reveal(pending);
    };
    const body = JSON.stringify({
      message: text,
      ...(location ? { location } : {}),
      conversationId: state.conversationId,
      ...(state.langChosen ? { lang: state.lang } : {}),
    });
    let outcome = await askStreaming(body, onDelta);
    if (outcome.kind === "retry") outcome = await askJson(body);
    if (outcome.kind === "retry") outcome = { kind: "error", key: "network" };

    if (outcome.kind === "answer") keepReport(outcome.message.text);
    // While staff have the chat the desk may have nothing to say: no empty bubble then.
    if (outcome.kind === "answer" && (outcome.message.text.trim() || outcome.handoff === undefined))
      push(outcome.message);
    else if (outcome.kind === "error") push({ role: "error", key: outcome.key });
    if (outcome.kind === "answer" && outcome.handoff !== undefined) setHandoff(outcome.handoff);
    busy = false;
    send.disabled = false;
    log.removeAttribute("aria-busy");
    renderLog();
    announce(outcome.kind === "answer" ? outcome.message.text : t().errors[outcome.key]);
  }

  // ---------------------------------------------------------------- the mailbox (talking to a person)
  let polling: number | undefined;

  function setHandoff(open: boolean): void {
    state.handoff = open;
    save();
    applyStrings();
    if (open) startPolling();
    // One more read after it closed: the notice that the chat is back with the assistant.
    else void readMailbox();
  }

  function startPolling(): void {
    if (polling !== undefined) return;
    polling = window.setInterval(() => void readMailbox(), MAILBOX_POLL_MS);
    void readMailbox();
  }

  function stopPolling(): void {
    if (polling !== undefined) window.clearInterval(polling);
    polling = undefined;
  }

  let reading = false;
  async function readMailbox(): Promise<void> {
    if (reading) return;
    reading = true;
    try {
      const id = encodeURIComponent(state.conversationId);
      const res = await fetch(`${host}/api/conversations/${id}/messages?after=${state.seq ?? 0}`, {
        headers: { Accept: "application/json" },
        credentials: "omit",
      });
      if (!res.ok) return;
      const data: unknown = await res.json();
      if (!isRecord(data) || !Array.isArray(data.messages)) return;
      let added = "";
      for (const m of data.messages) {
        if (!isRecord(m) || typeof m.seq !== "number" || typeof m.text !== "string") continue;
        if (m.seq <= (state.seq ?? 0)) continue;
        state.seq = m.seq;
        if (m.from === "staff") push({ role: "staff", text: m.text });
        else {
          const bot = toBotMessage({ answer: m.text, suggestions: m.suggestions }, host, state.lang);
          if (bot) push(bot);
        }
        added = m.text;
      }
      const open = handoffOf(data);
      if (open === false && state.handoff) {
        state.handoff = false;
        applyStrings();
      }
      if (!state.handoff) stopPolling();
      save();
      if (added) {
        renderLog();
        announce(added);
      }
    } catch {
      // Offline for a moment: the next poll tries again.
    } finally {
      reading = false;
    }
  }

  async function post(body: string, accept: string): Promise<Response | undefined> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
    try {
      return await fetch(`${host}/api/ask`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: accept },
        body,
        credentials: "omit",
        signal: controller.signal,
      });
    } catch {
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  async function askStreaming(body: string, onDelta: (text: string) => void): Promise<Outcome> {
    const res = await post(body, "text/event-stream");
    if (!res) return { kind: "retry" };
    if (!res.ok) return errorOf(res);
    const type = res.headers.get("content-type") ?? "";
    if (!type.includes("text/event-stream")) {
      // The server answered in JSON anyway.
      try {
        const data: unknown = await res.json();
        const message = toBotMessage(data, host, state.lang);
        return message ? answerOutcome(data, message) : { kind: "error", key: "server" };
      } catch {
        return { kind: "retry" };
      }
    }
    const handle = (block: string): Outcome | undefined => {
      const { event, data } = parseSseBlock(block);
      if (!data) return undefined;
      let parsed: unknown;
      try {
        parsed = JSON.parse(data);
      } catch {
        return undefined;
      }
      if (event === "delta" && isRecord(parsed) && typeof parsed.text === "string") onDelta(parsed.text);
      else if (event === "answer") {
        const message = toBotMessage(parsed, host, state.lang);
        return message ? answerOutcome(parsed, message) : { kind: "error", key: "server" };
      } else if (event === "error") {
        const code = isRecord(parsed) && isRecord(parsed.error) ? str(parsed.error.code) : undefined;
        return { kind: "error", key: errorKeyOf(0, code) };
      }
      return undefined;
    };
    try {
      if (!res.body) {
        for (const block of (await res.text()).split(/\r?\n\r?\n/)) {
          const done = handle(block);
          if (done) return done;
        }
        return { kind: "retry" };
      }
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        buffer += decoder.decode(value, { stream: !done });
        const blocks = buffer.split(/\r?\n\r?\n/);
        buffer = done ? "" : (blocks.pop() ?? "");
        for (const block of blocks) {
          const outcome = handle(block);
          if (outcome) {
            void reader.cancel().catch(() => {});
            return outcome;
          }
        }
        if (done) return { kind: "retry" };
      }
    } catch {
      return { kind: "retry" };
    }
  }

  async function askJson(body: string): Promise<Outcome> {
    const res = await post(body, "application/json");
    if (!res) return { kind: "retry" };
    if (!res.ok) return errorOf(res);
    try {
      const data: unknown = await res.json();
      const message = toBotMessage(data, host, state.lang);
      return message ? answerOutcome(data, message) : { kind: "error", key: "server" };
    } catch {
      return { kind: "error", key: "server" };
    }
  }

  function open(): void {
    // Replies of the office to the visitor's reports may be waiting in the mailbox.
    if (!state.handoff && keptReports().length) void readMailbox();
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    revealLatest();
    input.focus();
  }

  function close(): void {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    launcher.focus();
  }

  launcher.addEventListener("click", () => (panel.hidden ? open() : close()));
  root.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !panel.hidden) {
      event.stopPropagation();
      close();
    }
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value;
    if (!text.trim() || busy) return;
    input.value = "";
    void ask(text);
  });
  input.addEventListener("keydown", (event) => {
    // Enter sends, Shift+Enter starts a new line; not while an IME is composing Vietnamese text.
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  file.addEventListener("change", () => {
    const chosen = file.files?.[0];
    file.value = "";
    if (chosen) void sendPhoto(chosen);
  });
  myReports.addEventListener("click", () => void showReports());
  shareLocation.addEventListener("click", () => {
    navigator.geolocation.getCurrentPosition(
      (p) => void ask(t().locationSent, { lat: p.coords.latitude, lng: p.coords.longitude }),
      () => announce(t().errors.badRequest),
      { timeout: 15_000, maximumAge: 60_000 },
    );
  });
  newChat.addEventListener("click", () => {
    state.messages = [];
    state.handoff = false;
    state.seq = 0;
    stopPolling();
    applyStrings();
    state.conversationId = newConversationId();
    save();
    renderLog();
    input.focus();
  });
  // Another tab of the same site changed the conversation: show it here too.
  window.addEventListener("storage", (event) => {
    if (event.key !== storageKey || busy) return;
    const next = loadSaved(storageKey, host);
    if (!next) return;
    Object.assign(state, next);
    applyStrings();
    renderLog();
  });

  applyStrings();
  renderLog();
  document.body.append(hostEl);
  if (state.handoff) startPolling();
}

// currentScript is only set while the script first runs, so it is read now, before any waiting.
const ownScript = findScript();
if (document.body) start(ownScript);
else document.addEventListener("DOMContentLoaded", () => start(ownScript), { once: true });

import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { fold, type Lang } from "../../indexer/index.ts";
import {
  isEmergencyText,
  reduceReport,
  type Answer,
  type Clock,
  type DialogueState,
  type Logger,
  type Question,
  type ReportEvent,
  type ReportProgress,
  type ReportStep,
  type TrackedTurn,
  type TurnHook,
} from "../assistant/index.ts";
import {
  CASE_CATEGORIES,
  hashId,
  type CaseCategory,
  type CaseLine,
  type CasePlace,
  type CaseRecord,
  type Store,
} from "../store/index.ts";
import { isExplicitStart, readCategory, readControl, readReportIntent } from "./intent.ts";
import { PhotoTooLarge, photoTypeOf, type PhotoStore } from "./photos.ts";
import { CATEGORY_LABEL, say, STATUS_LABEL, T } from "./text.ts";

/** Something that happened to a case, for the webhook and the staff notifications. */
export type CaseEventName = "case.created" | "case.status";
export type CaseEventSink = (event: CaseEventName, c: CaseRecord) => Promise<void>;

/** Days the office has for a case, per category; `default` for the others. */
export type CaseDeadlines = Partial<Record<CaseCategory, number>> & { default: number };

export const DEFAULT_DEADLINES: CaseDeadlines = { safety: 1, lost: 1, prices: 3, default: 5 };

export type ReportsOptions = {
  /** Reports one user may file in 24 hours. Default 5. */
  perDay?: number;
  /** Longest description kept, in characters. Default 1000. */
  maxDescription?: number;
  /** Largest photo accepted, in bytes. Default 5 MB. */
  maxPhotoBytes?: number;
  deadlines?: CaseDeadlines;
  /** Salt of the reporter hash: the assistant's HASH_SALT, so a reporter is the same person everywhere. */
  hashSalt?: string;
  /** Absolute base of status links (PUBLIC_URL); relative without it. */
  publicUrl?: string;
};

export type ReportsDeps = {
  store: Store;
  photos: PhotoStore;
  clock: Clock;
  log: Logger;
  /** The place of the knowledge base a text names, if any (see placeFinder). */
  findPlace?: (text: string) => CasePlace | undefined;
  /** Told of new cases (the webhook, the staff chat). */
  onEvent?: CaseEventSink;
  /** Told when a reporter reads a case in the chat (the audit log records it beside the staff's reads). */
  onRead?: (code: string, channel: string) => Promise<void>;
  options?: ReportsOptions;
};

export type Reports = {
  /** The assistant's hook: report turns, status questions, and the report button on near questions. */
  hook: TurnHook;
  /** A case for the holder of its link token; undefined for a wrong code or token (alike). */
  caseForToken(code: string, token: string): Promise<CaseRecord | undefined>;
  /** The reporter's hash of a question's user, as stored on the case. */
  reporterOf(userId: string): string;
};

const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_FIELD = 200;
const MAX_LINE = 4000;

/** sha256 of a case token, as stored. */
export function tokenHash(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** True when `token` is the case's token (constant time). */
export function tokenMatches(c: CaseRecord, token: string): boolean {
  const a = Buffer.from(tokenHash(token), "hex");
  const b = Buffer.from(c.tokenHash, "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The path of a case's status page with its token. */
export function statusPath(code: string, token: string): string {
  return `/bao-cao/${code}?t=${encodeURIComponent(token)}`;
}

/** When a case is due, from its creation and category. */
export function dueAt(createdAt: string, category: CaseCategory, deadlines: CaseDeadlines): string {
  const days = deadlines[category] ?? deadlines.default;
  return new Date(Date.parse(createdAt) + days * DAY_MS).toISOString();
}

/** Creates the report dialogue (used as the assistant's `beforeAnswer` hook). */
export function createReports(deps: ReportsDeps): Reports {
  const { store, photos, clock, log } = deps;
  const o = {
    perDay: deps.options?.perDay ?? 5,
    maxDescription: deps.options?.maxDescription ?? 1000,
    maxPhotoBytes: deps.options?.maxPhotoBytes ?? 5 * 1024 * 1024,
    deadlines: deps.options?.deadlines ?? DEFAULT_DEADLINES,
    hashSalt: deps.options?.hashSalt ?? "chau-doc",
    base: deps.options?.publicUrl?.replace(/\/+$/, "") ?? "",
  };
  const reporterOf = (userId: string) => hashId(userId, o.hashSalt);
  const now = () => clock.now().toISOString();

  function answerOf(text: string, lang: Lang, suggestions: string[] = []): Answer {
    return {
      answer: text,
      language: lang,
      intent: "report",
      confidence: 1,
      sources: [],
      suggestions,
      coverage: [],
      composer: "extractive",
    };
  }

  /** The question of a step and its buttons. */
  function ask(step: ReportStep, lang: Lang): { text: string; buttons: string[] } {
    switch (step) {
      case "category":
        return {
          text: `${say("intro", lang)}\n${CASE_CATEGORIES.map((c, i) => `${i + 1}. ${CATEGORY_LABEL[c][lang]}`).join("\n")}`,
          buttons: [...CASE_CATEGORIES.map((c) => CATEGORY_LABEL[c][lang]), T.cancel[lang]],
        };
      case "where":
        return { text: say("where", lang), buttons: [T.skip[lang], T.cancel[lang]] };
      case "when":
        return { text: say("when", lang), buttons: [T.now[lang], T.skip[lang], T.cancel[lang]] };
      case "photo":
        return { text: say("photo", lang), buttons: [T.skip[lang], T.cancel[lang]] };
      case "description":
        return { text: say("description", lang, { max: o.maxDescription }), buttons: [T.cancel[lang]] };
    }
  }

  /** A report turn: its answer, and its events with the lines of the conversation added. */
  function turn(
    question: Question,
    lang: Lang,
    userLine: string,
    reply: string,
    buttons: string[],
    events: ReportEvent[],
  ): { answer: Answer; turn: TrackedTurn } {
    const at = now();
    const lines: ReportEvent[] = [
      { kind: "line", line: { from: "user", text: userLine.slice(0, MAX_LINE), at } },
      { kind: "line", line: { from: "bot", text: reply.slice(0, MAX_LINE), at } },
    ];
    // Lines go after a start (which begins an empty draft) and before an end (which drops the draft).
    const ends = events.at(-1)?.kind === "end";
    const ordered = ends
      ? [...events.slice(0, -1), ...lines, events.at(-1) as ReportEvent]
      : [...events, ...lines];
    return {
      answer: answerOf(reply, lang, buttons),
      turn: { act: "report", lang, text: question.text.slice(0, MAX_LINE), answered: [], report: ordered },
    };
  }

  function userLineOf(q: Question): string {
    if (q.photo) return `[ảnh / photo]${q.text.trim() ? ` ${q.text.trim()}` : ""}`;
    if (q.location) return `[vị trí / location] ${q.location.lat}, ${q.location.lng}`;
    return q.text.trim();
  }

  async function statusReply(question: Question, lang: Lang, code: string | undefined, token?: string) {
    if (!code) return say("statusAsk", lang);
    const c = await store.getCase(code);
    const mine =
      c &&
      ((question.userId !== undefined && c.reporterHash === reporterOf(question.userId)) ||
        (token !== undefined && tokenMatches(c, token)));
    // A code of someone else's case gets the same reply as one that does not exist.
    if (!c || !mine) return say("unknownCase", lang);
    try {
      await deps.onRead?.(c.code, question.channel ?? "unknown");
    } catch (err) {
      deps.log.error({ err, code: c.code }, "reports: could not record a read of a case");
    }
    const text = say("status", lang, {
      code: c.code,
      category: CATEGORY_LABEL[c.category][lang],
      status: STATUS_LABEL[c.status][lang],
      updated: c.updatedAt.slice(0, 16).replace("T", " ") + " UTC",
    });
    return c.status === "rejected" && c.reason
      ? `${text}\n${say("rejectedReason", lang, { reason: c.reason })}`
      : text;
  }

  async function file(
    question: Question,
    progress: ReportProgress,
    description: string,
    lang: Lang,
    notice: string,
  ): Promise<{ answer: Answer; turn: TrackedTurn }> {
    const draft = progress.draft;
    const at = now();
    const token = randomBytes(16).toString("base64url");
    const category = (CASE_CATEGORIES as readonly string[]).includes(draft.category ?? "")
      ? (draft.category as CaseCategory)
      : "other";
    const userLine: CaseLine = { from: "user", text: userLineOf(question).slice(0, MAX_LINE), at };
    const created = await store.createCase({
      createdAt: at,
      tokenHash: tokenHash(token),
      channel: question.channel ?? "unknown",
      reporterHash: reporterOf(question.userId ?? question.conversationId ?? "anonymous"),
      ...(question.conversationId ? { conversationId: question.conversationId } : {}),
      lang,
      category,
      ...(draft.place ? { place: draft.place } : {}),
      ...(draft.when ? { when: draft.when } : {}),
      description,
      ...(draft.photo ? { photo: draft.photo } : {}),
      dueAt: dueAt(at, category, o.deadlines),
      transcript: [...draft.lines, userLine],
    });
    const link = `${o.base}${statusPath(created.code, token)}`;
    const reply = `${notice ? `${notice}\n\n` : ""}${say("filed", lang, { code: created.code, link })}`;
    // The receipt without the link's token: staff read the conversation, the token is the reporter's.
    await store.appendCaseLine(created.code, {
      from: "bot",
      text: reply.replace(link, `${o.base}/bao-cao/${created.code}`),
      at,
    });
    await store.addCaseEvent({ code: created.code, at, kind: "created", by: "reporter", detail: category });
    try {
      await deps.onEvent?.("case.created", created);
    } catch (err) {
      log.error({ err, code: created.code }, "reports: a new-case listener failed");
    }
    const result = turn(
      question,
      lang,
      userLineOf(question),
      reply,
      [],
      [{ kind: "answer", value: { step: "description", description } }, { kind: "end" }],
    );
    // The case keeps its own lines; the state's are dropped with the report.
    return result;
  }

  async function start(question: Question, lang: Lang): Promise<{ answer: Answer; turn: TrackedTurn }> {
    const who = reporterOf(question.userId ?? question.conversationId ?? "anonymous");
    const since = new Date(clock.now().getTime() - DAY_MS).toISOString();
    const n = await store.countCasesSince(who, since);
    if (n >= o.perDay) {
      return { answer: answerOf(say("tooMany", lang, { n }), lang), turn: plainTurn(question, lang) };
    }
    const q = ask("category", lang);
    return turn(question, lang, userLineOf(question), q.text, q.buttons, [{ kind: "start" }]);
  }

  async function step(
    question: Question,
    state: DialogueState,
    progress: ReportProgress,
    lang: Lang,
  ): Promise<{ answer: Answer; turn: TrackedTurn }> {
    const text = question.text.trim();
    const control = question.photo || question.location ? undefined : readControl(text);
    const reply = (t: string, buttons: string[], events: ReportEvent[]) =>
      turn(question, lang, userLineOf(question), t, buttons, events);
    const again = (prefix: string) => {
      const q = ask(progress.step, lang);
      return reply(`${prefix}\n\n${q.text}`, q.buttons, []);
    };
    const moveOn = (events: ReportEvent[], prefix = "") => {
      const after = events.reduce(reduceReport, progress) ?? progress;
      const q = ask(after.step, lang);
      return reply(prefix ? `${prefix}\n\n${q.text}` : q.text, q.buttons, events);
    };

    if (progress.asking === "restart") {
      if (control === "continue") return moveOn([{ kind: "resume" }]);
      if (control === "restart") return moveOn([{ kind: "start" }]);
      if (control === "cancel") return reply(say("cancelled", lang), [], [{ kind: "end" }]);
      return reply(say("alreadyOpen", lang), [T.continue[lang], T.restart[lang], T.cancel[lang]], []);
    }
    if (control === "cancel") return reply(say("cancelled", lang), [], [{ kind: "end" }]);
    const answersCategory = progress.step === "category" && readCategory(text) !== undefined;
    if (!question.photo && !question.location && !answersCategory && isExplicitStart(text))
      return reply(
        say("alreadyOpen", lang),
        [T.continue[lang], T.restart[lang], T.cancel[lang]],
        [{ kind: "interrupt" }],
      );

    /** The photo checked and stored, or the message that says why not. */
    const takePhoto = async (
      photo: NonNullable<Question["photo"]>,
    ): Promise<{ name: string } | { refused: string }> => {
      const tooLarge = () => say("photoSize", lang, { mb: Math.floor(o.maxPhotoBytes / 1024 / 1024) });
      let bytes: Uint8Array;
      try {
        bytes = await photo.load(o.maxPhotoBytes);
      } catch (err) {
        if (err instanceof PhotoTooLarge) return { refused: tooLarge() };
        log.warn({ err }, "reports: a photo could not be loaded");
        return { refused: say("photoFailed", lang) };
      }
      if (bytes.length > o.maxPhotoBytes) return { refused: tooLarge() };
      const type = photoTypeOf(bytes);
      if (!type) return { refused: say("photoType", lang) };
      return { name: await photos.save(bytes, type) };
    };

    // A photo before its step (people often send the picture first): kept, and the step asked again.
    if (question.photo && progress.step !== "photo") {
      const got = await takePhoto(question.photo);
      if ("refused" in got) return again(got.refused);
      return reply(
        `${say("photoReceived", lang)}\n\n${ask(progress.step, lang).text}`,
        ask(progress.step, lang).buttons,
        [{ kind: "attach", photo: got.name }],
      );
    }

    switch (progress.step) {
      case "category": {
        const category = readCategory(text);
        if (!category) return again(say("notACategory", lang));
        return moveOn([{ kind: "answer", value: { step: "category", category } }]);
      }
      case "where": {
        if (question.location)
          return moveOn([
            {
              kind: "answer",
              value: { step: "where", place: { lat: question.location.lat, lng: question.location.lng } },
            },
          ]);
        if (control === "skip") return moveOn([{ kind: "skip" }]);
        if (!text) return again("");
        const named = deps.findPlace?.(text);
        const place: CasePlace = { ...(named ?? {}), text: text.slice(0, MAX_FIELD) };
        return moveOn([{ kind: "answer", value: { step: "where", place } }]);
      }
      case "when": {
        if (control === "skip") return moveOn([{ kind: "skip" }]);
        if (control === "now")
          return moveOn([{ kind: "answer", value: { step: "when", when: `${T.now[lang]} (${now()})` } }]);
        if (!text) return again("");
        return moveOn([{ kind: "answer", value: { step: "when", when: text.slice(0, MAX_FIELD) } }]);
      }
      case "photo": {
        if (question.photo) {
          const got = await takePhoto(question.photo);
          if ("refused" in got) return again(got.refused);
          return moveOn(
            [{ kind: "answer", value: { step: "photo", photo: got.name } }],
            say("photoReceived", lang),
          );
        }
        if (control === "skip") return moveOn([{ kind: "skip" }]);
        return again(say("photoPlease", lang));
      }
      case "description": {
        if (question.photo || question.location || control === "skip" || !text)
          return again(say("descriptionRequired", lang));
        const chars = [...text];
        const cut = chars.length > o.maxDescription;
        const description = cut ? chars.slice(0, o.maxDescription).join("") : text;
        const notice = cut ? say("truncated", lang, { len: chars.length, max: o.maxDescription }) : "";
        return file(question, { ...progress, draft: { ...progress.draft } }, description, lang, notice);
      }
    }
    void state;
  }

  const hook: TurnHook = async ({ question, state, answer }) => {
    const text = question.text.trim();
    const progress = state.report;
    const lang = languageOf(question, state);
    const intent = question.photo || question.location ? undefined : readReportIntent(text);

    if (intent?.kind === "status") {
      const status = await statusReply(question, lang, intent.code, intent.token);
      const pending = progress && !progress.asking ? `\n\n${ask(progress.step, lang).text}` : "";
      return { answer: answerOf(`${status}${pending}`, lang), turn: plainTurn(question, lang) };
    }

    if (!progress) {
      if (question.photo && !text)
        return {
          answer: answerOf(say("photoOutside", lang), lang, [T.startButton[lang]]),
          turn: plainTurn(question, lang),
        };
      if (intent?.kind === "start") return start(question, lang);
      if (intent?.kind === "near") {
        const a = await answer(question);
        const suggestions = [
          T.startButton[a.language],
          ...a.suggestions.filter((s) => s !== T.startButton[a.language]),
        ];
        return {
          answer: {
            ...a,
            answer: `${a.answer}\n\n${say("nearHint", a.language)}`,
            suggestions: suggestions.slice(0, 3),
          },
        };
      }
      return undefined;
    }

    // An emergency in the middle of a report: the numbers first, then the report's question again.
    if (text && !question.photo && isEmergencyText(text)) {
      const a = await answer(question);
      const q = ask(progress.step, lang);
      return {
        answer: {
          ...a,
          answer: `${a.answer}\n\n${say("afterEmergency", a.language, { question: q.text })}`,
          suggestions: q.buttons,
        },
        turn: {
          act: "report",
          lang,
          text: question.text,
          answered: [],
          report: [{ kind: "line", line: { from: "user", text: text.slice(0, MAX_LINE), at: now() } }],
        },
      };
    }
    return step(question, state, progress, lang);
  };

  return {
    hook,
    reporterOf,
    async caseForToken(code, token) {
      const c = await store.getCase(code);
      return c && tokenMatches(c, token) ? c : undefined;
    },
  };
}

/** A turn that changes nothing of the report (a status answer, a refusal). */
function plainTurn(question: Question, lang: Lang): TrackedTurn {
  return { act: "report", lang, text: question.text.slice(0, MAX_LINE), answered: [], report: [] };
}

/** The reply language: asked for, or Vietnamese diacritics, or English words, or the conversation's. */
function languageOf(question: Question, state: DialogueState): Lang {
  if (question.lang) return question.lang;
  // A command ("/report") says nothing of the language.
  // A case code and a link token ("CD-2026-000001 Ab3-x_a…") say nothing of it either.
  const t = question.text
    .replace(/^\/\w+/, "")
    .replace(/\bcd[\s-]?\d{4}[\s-]?\d{1,9}\b/gi, " ")
    .split(/\s+/)
    .filter((w) => !/^[A-Za-z0-9_-]{16,}$/.test(w))
    .join(" ");
  if (t && fold(t) !== t.toLowerCase()) return "vi";
  if (
    /\b(?:i|the|a|my|want|report|scam|complain\w*|where|how|status|skip|cancel|now|continue|start over|send)\b/i.test(
      t,
    )
  )
    return "en";
  return state.lang ?? "vi";
}

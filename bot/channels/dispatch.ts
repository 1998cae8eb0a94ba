import { createHash } from "node:crypto";
import { detectLanguage, type Lang } from "../../indexer/index.ts";
import type { Answer, Assistant, Clock, Logger, Question } from "../assistant/index.ts";
import type { Store } from "../store/index.ts";
import { memoryLimits, type RateLimits } from "../limits.ts";
import type { HandoffDesk } from "../handoff/index.ts";
import type { Outbox } from "./outbox.ts";
import { languageFromHint, type ChannelLimits, type Incoming, type OutgoingMessage } from "./types.ts";

/**
 * What every channel shares: dedupe of redelivered updates, commands, suggestion keys, the language of a
 * conversation, a per-user rate limit, and turning an Answer into messages within the channel's limits.
 * Adapters call `handle` and send what it returns; they hold no business logic.
 */
export type Dispatcher = {
  /** The messages to send for one incoming update; [] when it was a duplicate or needs no reply. */
  handle(incoming: Incoming, limits: ChannelLimits): Promise<OutgoingMessage[]>;
};

export type DispatcherDeps = {
  assistant: Assistant;
  store: Store;
  log: Logger;
  clock: Clock;
  /** Absolute base for source links (PUBLIC_URL); links stay relative paths without it. */
  publicUrl?: string;
  /** Messages per minute one user may send before being asked to slow down. Default 20. */
  perUserPerMinute?: number;
  /** Where the per-user limit counts: postgresLimits(pool) with replicas; in memory by default. */
  rateLimits?: RateLimits;
  /**
   * Photos go to the assistant (which takes them in a tourist report, bot/reports/); without it they
   * get the "text and locations only" reply, as stickers do.
   */
  acceptPhotos?: boolean;
  /** Told of every new user message, so that messages held for the conversation go out (outbox.ts). */
  outbox?: Pick<Outbox, "userWrote">;
  /** Talking to a person: asked before the bot answers; while a chat is with staff the bot is quiet. */
  handoff?: Pick<HandoffDesk, "intercept">;
};

const TEXT = {
  unsupported: {
    vi: "Xin lỗi, tôi chỉ đọc được tin nhắn chữ và vị trí. Bạn hãy gõ câu hỏi, ví dụ: “Miếu Bà Chúa Xứ ở đâu?”",
    en: "Sorry, I can only read text and locations. Please type your question, for example: “Where is the Ba Chua Xu Temple?”",
  },
  slowDown: {
    vi: "Bạn gửi hơi nhanh. Hãy đợi một chút rồi hỏi tiếp nhé.",
    en: "You are sending messages a little fast. Please wait a moment and ask again.",
  },
  failed: {
    vi: "Xin lỗi, tôi đang gặp sự cố. Bạn hãy thử lại sau ít phút.",
    en: "Sorry, something went wrong on my side. Please try again in a few minutes.",
  },
  forgotten: {
    vi: "Gợi ý này đã cũ. Bạn hãy gõ lại câu hỏi nhé.",
    en: "That suggestion has expired. Please type your question again.",
  },
  language: { vi: "Đã chuyển sang tiếng Việt.", en: "Switched to English." },
  sources: { vi: "Nguồn", en: "Sources" },
  map: { vi: "Bản đồ", en: "Map" },
  portalMap: { vi: "Trang địa điểm", en: "Place page" },
  photo: { vi: "Ảnh", en: "Photo" },
} as const;

/** The question each command asks the assistant, in the conversation's language. */
const COMMAND_QUESTION: Record<"start" | "help" | "events" | "lodging", Record<Lang, string>> = {
  start: { vi: "xin chào", en: "hello" },
  help: { vi: "bạn làm được gì", en: "what can you do" },
  events: { vi: "sự kiện trong 30 ngày tới", en: "events in the next 30 days" },
  lodging: {
    vi: "thời hạn thông báo lưu trú cho khách là khi nào",
    en: "when is the deadline to register a guest's stay",
  },
};

/** Creates the dispatcher shared by the Telegram, Zalo OA and Zalo Bot adapters. */
export function createDispatcher(deps: DispatcherDeps): Dispatcher {
  const { assistant, store, log, clock } = deps;
  const perMinute = deps.perUserPerMinute ?? 20;
  const perUser = (deps.rateLimits ?? memoryLimits()).limiter("channel-user", perMinute, 60);

  const langKey = (i: Incoming) => `lang:${i.channel}:${i.conversationId}`;
  async function languageOf(i: Incoming): Promise<Lang | undefined> {
    const chosen = await store.getState(langKey(i));
    return chosen === "vi" || chosen === "en" ? chosen : undefined;
  }

  /** Counts the user's message; true when they sent more than `perMinute` in their current minute. */
  async function limited(i: Incoming): Promise<boolean> {
    return !(await perUser.consume(`${i.channel}:${i.userId}`)).allowed;
  }

  /**
   * The user wrote: their reply window restarts (Zalo OA counts from the user's message; the earlier of
   * the platform's time and ours is kept, to be safe), and the outbox sends what it held for them.
   */
  async function noteUserMessage(i: Incoming): Promise<void> {
    const at = Math.min(i.receivedAt, clock.now().getTime());
    try {
      await store.noteUserMessage(i.channel, i.conversationId, at);
      await deps.outbox?.userWrote({ channel: i.channel, conversationId: i.conversationId });
    } catch (err) {
      // Held messages wait for the next message; the user's question is still answered.
      log.error({ err, channel: i.channel }, "channel: could not release held messages");
    }
  }

  /** What the user said, as the handoff transcript shows it; undefined for a follow (nothing said). */
  async function turnText(i: Incoming): Promise<string | undefined> {
    const e = i.event;
    switch (e.kind) {
      case "text":
        return e.text;
      case "button":
        return (await store.getState(`suggestion:${e.key}`)) ?? undefined;
      case "command":
        return `/${e.command}${e.args ? ` ${e.args}` : ""}`;
      case "location":
        return `[vị trí / location: ${e.lat}, ${e.lng}]`;
      case "unsupported":
        return `[${e.what}]`;
      case "follow":
        return undefined;
    }
  }

  async function ask(
    i: Incoming,
    text: string,
    lang: Lang | undefined,
    location?: { lat: number; lng: number },
    photo?: Question["photo"],
  ) {
    return assistant.ask({
      text,
      ...(photo ? { photo } : {}),
      conversationId: `${i.channel}:${i.conversationId}`,
      userId: `${i.channel}:${i.userId}`,
      channel: i.channel,
      ...(lang ? { lang } : {}),
      ...(location ? { location } : {}),
    });
  }

  return {
    async handle(i, limits) {
      // Kept by when it came, not by the event's own time: a replayed old event must still be a
      // duplicate after a retention purge (the channels refuse events too old to be new).
      const fresh = await store.claimUpdate(i.channel, i.updateId, clock.now().toISOString());
      if (!fresh) {
        log.info({ channel: i.channel, updateId: i.updateId }, "duplicate delivery ignored");
        return [];
      }
      await noteUserMessage(i);
      const chosen = await languageOf(i);
      const lang = chosen ?? languageFromHint(i.languageHint);
      const fallbackLang: Lang = lang ?? "vi";
      if (await limited(i)) return [plain(TEXT.slowDown[fallbackLang])];
      const e = i.event;
      try {
        // The handoff desk first: a chat with staff is not answered by the bot (save emergencies).
        let before: OutgoingMessage[] = [];
        const said = deps.handoff ? await turnText(i) : undefined;
        if (deps.handoff && said !== undefined) {
          const detected = detectLanguage(said);
          const turnLang = lang ?? (detected === "unknown" ? undefined : detected);
          const caught = await deps.handoff.intercept({
            channel: i.channel,
            conversationId: i.conversationId,
            text: said,
            ...(turnLang ? { lang: turnLang } : {}),
          });
          if (caught && !caught.answer) return caught.reply;
          before = caught?.reply ?? [];
        }
        let answer: Answer;
        switch (e.kind) {
          case "unsupported":
            return [plain(TEXT.unsupported[fallbackLang])];
          case "photo":
            if (!deps.acceptPhotos) return [plain(TEXT.unsupported[fallbackLang])];
            answer = await ask(i, e.caption ?? "", chosen, undefined, { load: e.load });
            break;
          case "location":
            answer = await ask(i, "", lang, { lat: e.lat, lng: e.lng });
            break;
          case "follow":
            answer = await ask(i, COMMAND_QUESTION.start[fallbackLang], fallbackLang);
            break;
          case "button": {
            const text = await store.getState(`suggestion:${e.key}`);
            if (!text) return [plain(TEXT.forgotten[fallbackLang])];
            answer = await ask(i, text, chosen);
            break;
          }
          case "command":
            if (e.command === "language") {
              const next: Lang = e.args.trim().toLowerCase().startsWith("en")
                ? "en"
                : e.args.trim().toLowerCase().startsWith("vi")
                  ? "vi"
                  : fallbackLang === "vi"
                    ? "en"
                    : "vi";
              await store.setState(langKey(i), next);
              return [plain(TEXT.language[next])];
            }
            // Reports read their commands themselves (bot/reports/): "/report", "/status CD-2026-000123".
            if (e.command === "report" || e.command === "status") {
              answer = await ask(i, `/${e.command} ${e.args}`.trim(), chosen);
              break;
            }
            if (e.command === "human") {
              // No handoff desk here: say what the assistant can do instead.
              answer = await ask(i, COMMAND_QUESTION.help[fallbackLang], fallbackLang);
              break;
            }
            answer = await ask(i, e.args.trim() || COMMAND_QUESTION[e.command][fallbackLang], fallbackLang);
            break;
          case "text":
            answer = await ask(i, e.text, chosen);
            break;
        }
        if (deps.handoff) answer = withPersonButton(answer, limits);
        return [...before, ...(await planMessages(answer, limits, store, deps.publicUrl))];
      } catch (err) {
        log.error({ err, channel: i.channel }, "channel: could not answer");
        return [plain(TEXT.failed[fallbackLang])];
      }
    },
  };
}

/** What the "talk to a person" button says (the handoff desk reads these words). */
const PERSON_BUTTON: Record<Lang, string> = { vi: "gặp nhân viên", en: "talk to a human" };

/**
 * With a handoff desk, an answer that did not help much (out of scope, help, low confidence) offers a
 * person as its last suggestion button, in place of the last other suggestion when there is no room.
 */
function withPersonButton(answer: Answer, limits: ChannelLimits): Answer {
  const weak = answer.intent === "out_of_scope" || answer.intent === "help" || answer.confidence < 0.35;
  if (!weak) return answer;
  const label = PERSON_BUTTON[answer.language];
  if (answer.suggestions.includes(label)) return answer;
  const links = answer.place ? 2 : 0;
  const room = Math.max(0, limits.maxButtons - links - 1);
  return { ...answer, suggestions: [...answer.suggestions.slice(0, room), label] };
}

function plain(text: string): OutgoingMessage {
  return { text, buttons: [] };
}

/** The key a suggestion travels as in a button payload (Telegram callback data is limited to 64 bytes). */
export function suggestionKey(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex").slice(0, 16);
}

/**
 * An Answer as messages within a channel's limits: the text (with its sources) split at paragraph
 * boundaries, the entry's picture with its credit on the first message, suggestion and map buttons on the
 * last message, and the place as a venue where the channel has native locations. Suggestion texts are remembered in the store under their keys.
 */
export async function planMessages(
  answer: Answer,
  limits: ChannelLimits,
  store: Store,
  publicUrl?: string,
): Promise<OutgoingMessage[]> {
  const lang = answer.language;
  const base = publicUrl?.replace(/\/+$/, "") ?? "";
  const sources = answer.sources.length
    ? `\n\n${TEXT.sources[lang]}:\n${answer.sources.map((s) => `• ${s.title}: ${base}${s.url}`).join("\n")}`
    : "";
  const parts = splitText(`${answer.answer}${sources}`, limits.maxText);
  const buttons: OutgoingMessage["buttons"] = [];
  if (answer.place) buttons.push({ kind: "url", label: TEXT.map[lang], url: answer.place.mapUrl });
  // The place's page and its map on the portal, when the portal has a public address to link to.
  if (answer.place && base)
    buttons.push({ kind: "url", label: TEXT.portalMap[lang], url: `${base}${answer.place.pageUrl}` });
  for (const suggestion of answer.suggestions) {
    if (buttons.length >= limits.maxButtons) break;
    const key = suggestionKey(suggestion);
    await store.setState(`suggestion:${key}`, suggestion);
    buttons.push({ kind: "suggestion", label: clip(suggestion, limits.maxButtonLabel), key });
  }
  const messages: OutgoingMessage[] = parts.map((text) => ({ text, buttons: [] }));
  const image = answer.image;
  if (image) {
    (messages[0] as OutgoingMessage).photo = {
      url: image.url,
      alt: image.alt,
      credit: `${TEXT.photo[lang]}: ${image.author} · ${image.licence} · ${image.sourceUrl}`,
    };
  }
  const last = messages[messages.length - 1] as OutgoingMessage;
  last.buttons = buttons.slice(0, limits.maxButtons);
  if (answer.place && limits.nativeLocation) {
    const address = answer.answer.split("\n").find((l) => /Địa chỉ|Address/.test(l)) ?? "";
    last.venue = {
      lat: answer.place.lat,
      lng: answer.place.lng,
      title: answer.place.name,
      address: address.replace(/^•\s*(Địa chỉ|Address):\s*/, "").slice(0, 200),
    };
  }
  return messages;
}

/**
 * Splits text into pieces of at most `max` characters: at paragraph breaks first, then line breaks, then
 * sentence ends, then spaces; a single word longer than `max` is cut.
 */
export function splitText(text: string, max: number): string[] {
  const out: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    const window = rest.slice(0, max + 1);
    let cut = -1;
    for (const sep of ["\n\n", "\n", ". ", " "]) {
      const at = window.lastIndexOf(sep);
      if (at > max / 3) {
        cut = at + (sep === ". " ? 1 : 0);
        break;
      }
    }
    if (cut <= 0) cut = max;
    out.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest) out.push(rest);
  return out.length ? out : [""];
}

function clip(s: string, max: number): string {
  return [...s].length <= max ? s : `${[...s].slice(0, max - 1).join("")}…`;
}

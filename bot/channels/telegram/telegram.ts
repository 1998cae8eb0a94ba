import { stat } from "node:fs/promises";
import { autoRetry } from "@grammyjs/auto-retry";
import {
  Bot,
  BotError,
  GrammyError,
  HttpError,
  InlineKeyboard,
  InputFile,
  type Api,
  type Transformer,
} from "grammy";
import type { BotCommand, Message, MessageEntity, PhotoSize, Update, UserFromGetMe } from "grammy/types";
import { fetchCapped, PhotoTooLarge } from "../../reports/index.ts";
import { z } from "zod";
import { AppError, type Lang } from "../../../indexer/index.ts";
import { sameSecret } from "../../../indexer/util/same-secret.ts";
import type { Clock, Logger } from "../../assistant/index.ts";
import { splitText, type Dispatcher } from "../dispatch.ts";
import { createChatQueue } from "../chat-queue.ts";
import { webhookHeader } from "../webhook.ts";
import type {
  ChannelAdapter,
  ChannelLimits,
  Incoming,
  OutgoingButton,
  OutgoingMessage,
  OutgoingPhoto,
  WebhookRequest,
  WebhookResponse,
} from "../types.ts";

/**
 * What a Telegram message carries. maxText stays well under Telegram's 4096 so that the escaped HTML of a
 * part (`&` becomes `&amp;`) still fits; a part whose HTML does not is split again before sending.
 */
export const TELEGRAM_LIMITS: ChannelLimits = {
  maxText: 3500,
  maxButtons: 4,
  maxButtonLabel: 60,
  nativeLocation: true,
};

/** Where web/routes/webhooks.ts mounts the adapter, and the URL registered with setWebhook. */
export const TELEGRAM_WEBHOOK_PATH = "/webhooks/telegram";

/**
 * Telegram's own ceilings (Bot API: sendMessage text 1-4096 characters, a caption 0-1024, callback_data
 * 1-64 bytes, a photo uploaded with sendPhoto at most 10 MB).
 */
const MAX_MESSAGE = 4096;
const MAX_CAPTION = 1024;
const MAX_CALLBACK_BYTES = 64;
const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
/** Telegram file ids of photos already uploaded, so a picture is uploaded once per file version. */
const MAX_REMEMBERED_PHOTOS = 500;
/** The updates the adapter reads; everything else Telegram need not send. */
const ALLOWED_UPDATES = ["message", "callback_query"] as const;
/** setWebhook's secret_token: 1-256 characters, A-Z, a-z, 0-9, _ and -. */
const SECRET_FORMAT = /^[A-Za-z0-9_-]{1,256}$/;

/** The command menu, in the default scope (Vietnamese) and for users whose app is in English. */
const COMMAND_MENU: Record<Lang, BotCommand[]> = {
  vi: [
    { command: "start", description: "Bắt đầu và xem câu hỏi mẫu" },
    { command: "help", description: "Trợ lý trả lời được những gì" },
    { command: "events", description: "Lễ hội, sự kiện trong 30 ngày tới" },
    { command: "lodging", description: "Thông báo lưu trú: quy định và thời hạn" },
    { command: "language", description: "Đổi ngôn ngữ Việt / Anh" },
    { command: "report", description: "Gửi phản ánh (chặt chém, mất an toàn, rác...)" },
    { command: "status", description: "Xem trạng thái phản ánh: /status CD-2026-000123" },
    { command: "human", description: "Gặp nhân viên Phòng Du lịch" },
  ],
  en: [
    { command: "start", description: "Start and see example questions" },
    { command: "help", description: "What the assistant can answer" },
    { command: "events", description: "Festivals and events in the next 30 days" },
    { command: "lodging", description: "Registering guests' stays: rules and deadline" },
    { command: "language", description: "Switch between Vietnamese and English" },
    { command: "report", description: "Send a report (scams, safety, litter...)" },
    { command: "status", description: "A report's status: /status CD-2026-000123" },
    { command: "human", description: "Talk to a person at the tourism office" },
  ],
};

type CommandName = Extract<Incoming["event"], { kind: "command" }>["command"];
const COMMANDS: readonly CommandName[] = [
  "start",
  "help",
  "events",
  "lodging",
  "language",
  "report",
  "status",
  "human",
];
/** Other names of commands: the Vietnamese ones of reports. */
const COMMAND_ALIASES: Record<string, CommandName> = { phananh: "report", trangthai: "status" };

/** Message fields that carry something the assistant cannot read; service messages are not among them. */
const UNREADABLE = [
  "sticker",
  "photo",
  "voice",
  "audio",
  "video",
  "video_note",
  "animation",
  "document",
  "contact",
  "poll",
  "dice",
  "game",
  "story",
  "paid_media",
] as const;

/** The least of an update the adapter relies on before grammY takes it. */
const UpdateShape = z.looseObject({ update_id: z.number().int().nonnegative() });

export type TelegramChannelOptions = {
  /** The bot token from @BotFather. Never logged. */
  token: string;
  /** TELEGRAM_API_ROOT; default https://api.telegram.org (tests point it at a local fake). */
  apiRoot?: string;
  /** PUBLIC_URL: when set, webhook mode at `${publicUrl}/webhooks/telegram`; long polling otherwise. */
  publicUrl?: string;
  /** TELEGRAM_WEBHOOK_SECRET: required with publicUrl; the header every webhook delivery must carry. */
  webhookSecret?: string;
  dispatcher: Dispatcher;
  log: Logger;
  /** The bot's own user (getMe); when given, no getMe call is made (tests). */
  botInfo?: UserFromGetMe;
  /** What "now" is for the age of a message; the system clock by default. */
  clock?: Clock;
  /**
   * Messages older than this are acknowledged and not answered: a replayed old update, or a backlog
   * nobody waits for any more. Default one day.
   */
  maxMessageAgeMs?: number;
  /**
   * The local file of a portal image path ("/content-images/…", "/media/…"): answers about an entry with a
   * picture send it first with sendPhoto, uploaded from this file (Telegram need not reach the portal, and
   * it works without PUBLIC_URL). Without it, or when it gives no file, answers go as text only.
   */
  photoFile?: (url: string) => string | undefined;
  /**
   * An API transformer installed beneath auto-retry (nearer the network), so it sees every attempt,
   * retries included; tests use it to capture calls and answer them without a network.
   */
  transformer?: Transformer;
};

/** The Telegram adapter: Telegram updates to Incoming, the dispatcher's messages to Bot API calls. */
export function createTelegramChannel(options: TelegramChannelOptions): ChannelAdapter {
  const { token, dispatcher, log, publicUrl, webhookSecret } = options;
  if (!token) throw new AppError("config_invalid:telegram", "The Telegram bot token is empty.");
  if (publicUrl !== undefined && !webhookSecret) {
    throw new AppError(
      "config_invalid:telegram",
      "TELEGRAM_WEBHOOK_SECRET is required when PUBLIC_URL is set (Telegram webhook mode).",
    );
  }
  if (webhookSecret !== undefined && !SECRET_FORMAT.test(webhookSecret)) {
    throw new AppError(
      "config_invalid:telegram",
      "TELEGRAM_WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and -.",
    );
  }
  const webhookUrl = publicUrl === undefined ? undefined : webhookUrlOf(publicUrl);
  const clock = options.clock ?? { now: () => new Date() };
  const maxMessageAgeMs = options.maxMessageAgeMs ?? 24 * 60 * 60_000;

  const bot = new Bot(token, {
    ...(options.botInfo ? { botInfo: options.botInfo } : {}),
    ...(options.apiRoot ? { client: { apiRoot: options.apiRoot } } : {}),
  });
  if (options.transformer) bot.api.config.use(options.transformer);
  bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 30 }));

  /** The one error sink: whatever goes wrong with an update is logged (without the token) and dropped. */
  function logFailure(err: unknown, updateId?: number): void {
    const cause = err instanceof BotError ? err.error : err;
    log.error({ err: describeError(cause, token), updateId }, "telegram: update failed");
  }
  bot.catch((err) => logFailure(err, err.ctx.update.update_id));

  bot.use(async (ctx) => {
    const update = ctx.update;
    const callback = update.callback_query;
    // Stops the button's spinner whether or not the press leads anywhere.
    if (callback) {
      await ctx.api.answerCallbackQuery(callback.id).catch((err) => warn("answerCallbackQuery", err));
    }
    const now = clock.now().getTime();
    // Acknowledged (the webhook has answered 200, polling moves on) and dropped; the update id is not
    // claimed, so the answer is the same however often it comes.
    if (update.message && now - update.message.date * 1000 > maxMessageAgeMs) {
      log.info(
        { updateId: update.update_id },
        "telegram: message older than a day acknowledged, not answered",
      );
      return;
    }
    const mapped = incomingFromUpdate(update, ctx.me, now);
    if (!mapped) return;
    const { incoming, chatId } = mapped;
    const sizes = update.message?.photo;
    if (sizes?.length && incoming.event.kind === "unsupported") {
      const caption = update.message?.caption?.trim();
      incoming.event = {
        kind: "photo",
        ...(caption ? { caption } : {}),
        load: (maxBytes) => downloadPhoto(ctx.api, sizes, maxBytes),
      };
    }
    const typing =
      incoming.event.kind === "unsupported"
        ? undefined
        : ctx.api.sendChatAction(chatId, "typing").catch((err) => warn("sendChatAction", err));
    const messages = await dispatcher.handle(incoming, TELEGRAM_LIMITS);
    await typing;
    await sendMessages(ctx.api, chatId, messages);
  });

  /** The largest size of a photo within `maxBytes`, fetched from the Bot API's file endpoint. */
  async function downloadPhoto(api: Api, sizes: PhotoSize[], maxBytes: number): Promise<Uint8Array> {
    const fitting = [...sizes].reverse().find((p) => (p.file_size ?? 0) <= maxBytes);
    if (!fitting) throw new PhotoTooLarge(sizes.at(-1)?.file_size ?? 0);
    const file = await api.getFile(fitting.file_id);
    if (!file.file_path) throw new Error("telegram: getFile gave no file_path");
    const root = (options.apiRoot ?? "https://api.telegram.org").replace(/\/+$/, "");
    return fetchCapped(fetch, `${root}/file/bot${token}/${file.file_path}`, maxBytes);
  }

  function warn(method: string, err: unknown): void {
    log.warn({ method, err: describeError(err, token) }, "telegram: call failed");
  }

  async function sendMessages(api: Api, chatId: number, messages: OutgoingMessage[]): Promise<void> {
    for (const [m, message] of messages.entries()) {
      let parts = fitMessage(message.text);
      if (message.photo && (await sendPhoto(api, chatId, message, message.photo, parts))) parts = [];
      for (const [p, part] of parts.entries()) {
        const keyboard = p === parts.length - 1 ? keyboardOf(message.buttons) : undefined;
        await sendText(api, chatId, part, m === 0 && p === 0, keyboard);
      }
      const venue = message.venue;
      if (venue) {
        const address = venue.address.trim() || `${venue.lat}, ${venue.lng}`;
        await api.sendVenue(chatId, venue.lat, venue.lng, venue.title, address);
      }
    }
  }

  const uploaded = new Map<string, string>();

  /**
   * Sends a message's picture. A short answer goes whole as the caption (with the credit, and the
   * buttons): true, nothing is left to send. A longer one (over Telegram's 1024-character caption) gets
   * the picture with its alt text and credit first, then the text as messages with the buttons on the
   * last, so the buttons stay under the answer. A picture that cannot be sent (no file, too big, refused
   * by Telegram) is left out and logged: the answer goes as text all the same.
   */
  async function sendPhoto(
    api: Api,
    chatId: number,
    message: OutgoingMessage,
    photo: OutgoingPhoto,
    parts: string[],
  ): Promise<boolean> {
    const file = options.photoFile?.(photo.url);
    if (file === undefined) return false;
    let version: string;
    try {
      const info = await stat(file);
      if (!info.isFile() || info.size > MAX_PHOTO_BYTES) {
        log.warn(
          { url: photo.url, bytes: info.size },
          "telegram: picture not a file or over 10 MB, left out",
        );
        return false;
      }
      version = `${file}:${info.mtimeMs}:${info.size}`;
    } catch (err) {
      log.warn({ url: photo.url, err: describeError(err, token) }, "telegram: picture not found, left out");
      return false;
    }
    const full = `${message.text}\n\n${photo.credit}`;
    const whole = parts.length === 1 && full.length <= MAX_CAPTION;
    const caption = whole ? full : clipText(`${photo.alt}\n${photo.credit}`, MAX_CAPTION);
    const keyboard = whole ? keyboardOf(message.buttons) : undefined;
    const other = {
      caption: renderHtml(caption, whole),
      parse_mode: "HTML" as const,
      ...(keyboard ? { reply_markup: keyboard } : {}),
    };
    // A file id Telegram gave for this file before, then (when there is none, or it is refused) the file.
    const known = uploaded.get(version);
    for (const source of known ? [known, undefined] : [undefined]) {
      try {
        const sent = await api.sendPhoto(chatId, source ?? new InputFile(file), other);
        const largest = sent.photo.at(-1)?.file_id;
        if (largest) {
          if (uploaded.size >= MAX_REMEMBERED_PHOTOS) uploaded.delete(uploaded.keys().next().value as string);
          uploaded.set(version, largest);
        }
        return whole;
      } catch (err) {
        uploaded.delete(version);
        warn("sendPhoto", err);
      }
    }
    return false;
  }

  async function sendText(
    api: Api,
    chatId: number,
    text: string,
    first: boolean,
    keyboard: InlineKeyboard | undefined,
  ): Promise<void> {
    if (!text.trim()) return;
    const common = {
      link_preview_options: { is_disabled: true },
      ...(keyboard ? { reply_markup: keyboard } : {}),
    };
    try {
      await api.sendMessage(chatId, renderHtml(text, first), { ...common, parse_mode: "HTML" });
    } catch (err) {
      if (!isUnparsableHtml(err)) throw err;
      log.warn({ description: err.description }, "telegram: HTML rejected, sent as plain text");
      await api.sendMessage(chatId, text, common);
    }
  }

  function keyboardOf(buttons: OutgoingButton[]): InlineKeyboard | undefined {
    const keyboard = new InlineKeyboard();
    let count = 0;
    for (const button of buttons) {
      if (button.kind === "suggestion") {
        const data = `s:${button.key}`;
        if (Buffer.byteLength(data, "utf8") > MAX_CALLBACK_BYTES) {
          log.warn(
            { bytes: Buffer.byteLength(data, "utf8") },
            "telegram: suggestion key too long, button left out",
          );
          continue;
        }
        keyboard.text(button.label, data).row();
      } else {
        // Telegram refuses a URL button whose URL is not absolute http(s) (a relative source path).
        if (!/^https?:\/\//i.test(button.url)) continue;
        keyboard.url(button.label, button.url).row();
      }
      count++;
    }
    return count ? keyboard : undefined;
  }

  // Webhook deliveries run in the background, one chat at a time so that a follow-up waits for the
  // question before it; idle() and stop() wait for the queue.
  const work = createChatQueue((err) => logFailure(err));
  let stopped = false;
  let polling: Promise<void> | undefined;

  function enqueue(update: Update): void {
    work.push(chatKeyOf(update), async () => {
      try {
        await bot.init();
        await bot.handleUpdate(update);
      } catch (err) {
        logFailure(err, update.update_id);
      }
    });
  }

  const idle = () => work.idle();

  async function registerCommands(): Promise<void> {
    try {
      await bot.api.setMyCommands(COMMAND_MENU.vi);
      await bot.api.setMyCommands(COMMAND_MENU.en, { language_code: "en" });
    } catch (err) {
      // The menu is a convenience; a bot without it still answers.
      warn("setMyCommands", err);
    }
  }

  return {
    name: "telegram",
    limits: TELEGRAM_LIMITS,

    async handleWebhook(request: WebhookRequest): Promise<WebhookResponse> {
      if (!webhookSecret) return { status: 404, body: { error: "The Telegram webhook is not enabled." } };
      const given = webhookHeader(request, "x-telegram-bot-api-secret-token");
      if (given === undefined || !sameSecret(given, webhookSecret)) {
        log.warn({}, "telegram: webhook delivery with a wrong or missing secret token");
        return { status: 401, body: { error: "unauthorized" } };
      }
      let update: Update;
      try {
        update = UpdateShape.parse(JSON.parse(request.rawBody.toString("utf8"))) as unknown as Update;
      } catch {
        return { status: 400, body: { error: "The body is not a Telegram update." } };
      }
      // Refused while shutting down: Telegram redelivers it later, to whichever instance serves then.
      if (stopped) return { status: 503, body: { error: "shutting down" } };
      enqueue(update);
      return { status: 200, body: { ok: true } };
    },

    async start(): Promise<void> {
      stopped = false;
      await bot.init();
      await registerCommands();
      if (webhookUrl !== undefined) {
        await bot.api.setWebhook(webhookUrl, {
          secret_token: webhookSecret,
          allowed_updates: [...ALLOWED_UPDATES],
        });
        log.info({ url: webhookUrl }, "telegram: webhook registered");
        return;
      }
      await new Promise<void>((resolve, reject) => {
        polling = bot
          .start({ allowed_updates: [...ALLOWED_UPDATES], onStart: () => resolve() })
          .catch((err: unknown) => {
            logFailure(err);
            reject(err instanceof Error ? err : new Error(String(err)));
          });
      });
      log.info({}, "telegram: long polling started");
    },

    async stop(): Promise<void> {
      stopped = true;
      if (polling) {
        await bot.stop().catch((err: unknown) => warn("getUpdates", err));
        await polling.catch(() => undefined);
        polling = undefined;
      }
      await idle();
    },

    idle,

    async send(conversationId, messages) {
      const chatId = Number(conversationId);
      if (!Number.isSafeInteger(chatId))
        throw new AppError("bad_request:telegram", "a Telegram chat id is a whole number");
      await sendMessages(bot.api, chatId, messages);
    },
  };
}

/** Telegram's 400 for markup it cannot parse; the message then goes again as plain text. */
function isUnparsableHtml(err: unknown): err is GrammyError {
  return (
    err instanceof GrammyError && err.error_code === 400 && /can't parse entities/i.test(err.description)
  );
}

/** The full webhook URL for a public base URL (a trailing slash is dropped). */
function webhookUrlOf(publicUrl: string): string {
  let url: URL;
  try {
    url = new URL(publicUrl);
  } catch (cause) {
    throw new AppError("config_invalid:telegram", `PUBLIC_URL is not a URL: ${publicUrl}`, { cause });
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}${TELEGRAM_WEBHOOK_PATH}`;
}

/** Updates of one chat are processed in order; the chat id, or the update id when there is none. */
function chatKeyOf(update: Update): string {
  const chat =
    update.message?.chat.id ?? update.callback_query?.message?.chat.id ?? update.callback_query?.from.id;
  return chat === undefined ? `update:${update.update_id}` : `chat:${chat}`;
}

/** One update as Incoming, with the chat to answer in; undefined when the bot should stay silent. */
function incomingFromUpdate(
  update: Update,
  me: UserFromGetMe,
  now: number,
): { incoming: Incoming; chatId: number } | undefined {
  const callback = update.callback_query;
  if (callback) {
    const data = callback.data ?? "";
    if (!data.startsWith("s:") || data.length < 3) return undefined;
    const chatId = callback.message?.chat.id ?? callback.from.id;
    return {
      chatId,
      incoming: {
        channel: "telegram",
        updateId: String(update.update_id),
        conversationId: String(chatId),
        userId: String(callback.from.id),
        ...(callback.from.language_code ? { languageHint: callback.from.language_code } : {}),
        receivedAt: now,
        event: { kind: "button", key: data.slice(2) },
      },
    };
  }
  const message = update.message;
  if (!message?.from || message.from.is_bot) return undefined;
  const event = eventOf(message, me);
  if (!event) return undefined;
  return {
    chatId: message.chat.id,
    incoming: {
      channel: "telegram",
      updateId: String(update.update_id),
      conversationId: String(message.chat.id),
      userId: String(message.from.id),
      ...(message.from.language_code ? { languageHint: message.from.language_code } : {}),
      receivedAt: message.date * 1000,
      event,
    },
  };
}

/**
 * What a message asks for. In groups the bot answers only commands, mentions of it and replies to its
 * own messages (with privacy mode on, Telegram sends little else anyway).
 */
function eventOf(message: Message, me: UserFromGetMe): Incoming["event"] | undefined {
  const chatType = message.chat.type;
  if (chatType === "channel") return undefined;
  const group = chatType === "group" || chatType === "supergroup";
  const replyToBot = message.reply_to_message?.from?.id === me.id;
  const text = message.text;
  if (text !== undefined) {
    const entities = message.entities ?? [];
    const command = commandOf(text, entities, me, group);
    if (command === "not-ours") return undefined;
    if (command) return { kind: "command", ...command };
    const { mentioned, rest } = withoutMentions(text, entities, me);
    if (group && !mentioned && !replyToBot) return undefined;
    // A bare "@bot" asks what the bot can do.
    if (!rest) return { kind: "command", command: "help", args: "" };
    return { kind: "text", text: rest };
  }
  if (group && !replyToBot) return undefined;
  if (message.location) {
    return { kind: "location", lat: message.location.latitude, lng: message.location.longitude };
  }
  const what = UNREADABLE.find((field) => message[field] !== undefined);
  return what ? { kind: "unsupported", what } : undefined;
}

/** The command a message starts with; "not-ours" for `/cmd@other_bot` or an unknown `/cmd` in a group. */
function commandOf(
  text: string,
  entities: MessageEntity[],
  me: UserFromGetMe,
  group: boolean,
): { command: CommandName; args: string } | "not-ours" | undefined {
  const entity = entities.find((e) => e.type === "bot_command" && e.offset === 0);
  if (!entity) return undefined;
  const [name = "", target] = text.slice(1, entity.length).split("@");
  if (target !== undefined && target.toLowerCase() !== me.username.toLowerCase()) return "not-ours";
  const command = COMMANDS.find((c) => c === name.toLowerCase()) ?? COMMAND_ALIASES[name.toLowerCase()];
  const args = text.slice(entity.length).trim();
  // An unknown command is answered with help, unless in a group it may be meant for another bot.
  if (!command) return group && target === undefined ? "not-ours" : { command: "help", args: "" };
  // /start carries a deep-link payload, not a question.
  return { command, args: command === "start" ? "" : args };
}

/** The text with mentions of this bot removed, and whether there was one. */
function withoutMentions(
  text: string,
  entities: MessageEntity[],
  me: UserFromGetMe,
): { mentioned: boolean; rest: string } {
  const handle = `@${me.username}`.toLowerCase();
  const ours = entities
    .filter(
      (e) =>
        (e.type === "mention" && text.slice(e.offset, e.offset + e.length).toLowerCase() === handle) ||
        (e.type === "text_mention" && e.user.id === me.id),
    )
    .sort((a, b) => b.offset - a.offset);
  let rest = text;
  for (const e of ours) rest = `${rest.slice(0, e.offset)} ${rest.slice(e.offset + e.length)}`;
  return {
    mentioned: ours.length > 0,
    rest: rest
      .replace(/[ \t]+/g, " ")
      .replace(/^[\s,:]+/, "")
      .trim(),
  };
}

/** Escapes text for parse_mode HTML: only &, < and > need it outside tags. */
function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * Plain answer text as Telegram HTML: everything escaped; on the first message a short heading line
 * ending in ":" is bold. Bullets and URLs stay text (Telegram links URLs itself).
 */
function renderHtml(text: string, first: boolean): string {
  const newline = text.indexOf("\n");
  const heading = newline > 0 ? text.slice(0, newline) : "";
  if (first && heading.endsWith(":") && heading.length <= 120) {
    return `<b>${escapeHtml(heading)}</b>${escapeHtml(text.slice(newline))}`;
  }
  return escapeHtml(text);
}

/** A planned message cut further when its HTML would pass Telegram's limit (text full of & < >). */
function fitMessage(text: string): string[] {
  if (renderHtml(text, true).length <= MAX_MESSAGE) return [text];
  const half = Math.max(1, Math.floor(text.length / 2));
  return splitText(text, half).flatMap(fitMessage);
}

/** At most `max` UTF-16 units (what Telegram counts), cut at a character with an ellipsis. */
function clipText(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = "";
  for (const ch of text) {
    if (out.length + ch.length > max - 1) break;
    out += ch;
  }
  return `${out}…`;
}

/** An error as a log field, with the token cut out of every message (network errors quote the URL). */
function describeError(err: unknown, token: string): Record<string, unknown> {
  const redact = (s: string) => s.split(token).join("<token>");
  if (err instanceof GrammyError) {
    return {
      name: err.name,
      method: err.method,
      error_code: err.error_code,
      description: redact(err.description),
    };
  }
  if (err instanceof HttpError) {
    const cause = err.error instanceof Error ? redact(err.error.message) : undefined;
    return { name: err.name, message: redact(err.message), cause };
  }
  if (err instanceof Error) {
    return { name: err.name, message: redact(err.message), stack: err.stack ? redact(err.stack) : undefined };
  }
  return { message: redact(String(err)) };
}

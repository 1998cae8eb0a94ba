import { createHash } from "node:crypto";
import { z } from "zod";
import { AppError } from "../../../indexer/index.ts";
import { sameSecret } from "../../../indexer/util/same-secret.ts";
import type { Logger } from "../../assistant/index.ts";
import { fetchCapped, type PhotoFetch } from "../../reports/index.ts";
import { splitText, type Dispatcher } from "../dispatch.ts";
import { createChatQueue } from "../chat-queue.ts";
import { webhookHeader } from "../webhook.ts";
import type {
  ChannelAdapter,
  ChannelLimits,
  Incoming,
  OutgoingMessage,
  WebhookRequest,
  WebhookResponse,
} from "../types.ts";
import { createZaloBotClient, redactToken, type ZaloBotClient, type ZaloBotFetch } from "./client.ts";

/**
 * The Zalo Bot Platform channel: a webhook at /webhooks/zalo-bot when a public URL is set, getUpdates long
 * polling otherwise. It maps Zalo updates to Incoming and the dispatcher's messages to sendMessage calls.
 * The platform has no buttons, so suggestions (and the map link) are rendered as "• …" lines at the end of
 * the last message; the user types or copies one to ask it.
 */

export type ZaloBotChannelOptions = {
  /** ZALO_BOT_TOKEN. */
  token: string;
  /** ZALO_BOT_API_BASE; default https://bot-api.zaloplatforms.com. */
  apiBase?: string;
  /** PUBLIC_URL: when set, start() registers the webhook `${publicUrl}/webhooks/zalo-bot` instead of polling. */
  publicUrl?: string;
  /** ZALO_BOT_WEBHOOK_SECRET (8–256 characters); required with publicUrl. Webhooks are refused without it. */
  webhookSecret?: string;
  dispatcher: Dispatcher;
  log: Logger;
  fetch?: ZaloBotFetch;
  /** Long-poll timeout of one getUpdates call, in seconds. Default 30. */
  pollTimeoutS?: number;
  /** First wait after a failed poll; it doubles up to 30 s and resets after a good poll. Default 1000 ms. */
  pollRetryDelayMs?: number;
};

/**
 * Zalo Bot text is 1–2000 characters. There are no buttons: up to three "buttons" (the map link and
 * suggestions) become text lines, and labels are not clipped because users copy them as questions.
 */
export const ZALO_BOT_LIMITS: ChannelLimits = {
  maxText: 2000,
  maxButtons: 3,
  maxButtonLabel: 200,
  nativeLocation: false,
};

/** Where the web layer mounts handleWebhook, under PUBLIC_URL. */
export const ZALO_BOT_WEBHOOK_PATH = "/webhooks/zalo-bot";

const NAME = "zalo-bot";
const SECRET_HEADER = "x-bot-api-secret-token";
const MAX_BODY_BYTES = 1024 * 1024;
const MAX_RETRY_DELAY_MS = 30_000;
const SEEN_LIMIT = 10_000;
/** sendPhoto's caption: at most 2000 characters (Zalo Bot API reference). */
const MAX_CAPTION = 2000;
const COMMANDS = ["start", "help", "events", "lodging", "language", "report", "status", "human"] as const;
/** Other names of commands: the Vietnamese ones of reports. */
const COMMAND_ALIASES: Record<string, (typeof COMMANDS)[number]> = { phananh: "report", trangthai: "status" };

const idSchema = z.union([z.string().min(1), z.number()]).transform(String);
/** A number, or a numeric string (ids and coordinates arrive both ways across Zalo's APIs). */
const numeric = z.preprocess((v) => (typeof v === "string" && v.trim() !== "" ? Number(v) : v), z.number());
const pointSchema = z.union([
  z
    .object({ latitude: numeric, longitude: numeric })
    .transform((p) => ({ lat: p.latitude, lng: p.longitude })),
  z.object({ lat: numeric, lng: numeric }),
  z.object({ lat: numeric, long: numeric }).transform((p) => ({ lat: p.lat, lng: p.long })),
]);

/**
 * A Zalo Bot update as the reference and its samples show it, parsed tolerantly: ids may be strings or
 * numbers, `event_name` may be missing (the docs' getUpdates sample has none), unknown fields pass.
 */
const updateSchema = z
  .object({
    event_name: z.string().optional(),
    update_id: idSchema.optional(),
    message: z
      .object({
        message_id: idSchema.optional(),
        from: z
          .object({
            id: idSchema,
            is_bot: z.boolean().optional().catch(undefined),
            language_code: z.string().optional().catch(undefined),
          })
          .loose()
          .optional(),
        chat: z.object({ id: idSchema, chat_type: z.string().optional() }).loose(),
        date: numeric.optional().catch(undefined),
        text: z.string().optional().catch(undefined),
        // An image message: `photo_url` (OpenClaw's schema) or `photo` (the reference); both accepted.
        photo_url: z.string().optional().catch(undefined),
        photo: z.string().optional().catch(undefined),
        caption: z.string().optional().catch(undefined),
        // Not in the Bot Platform reference (it lists no location event): accepted in the shapes Zalo
        // OA and other bot APIs use, so a shared location works if the platform starts sending one.
        location: pointSchema.optional().catch(undefined),
        attachments: z
          .array(
            z.object({ type: z.string(), payload: z.object({ coordinates: pointSchema }).loose() }).loose(),
          )
          .optional()
          .catch(undefined),
      })
      .loose(),
  })
  .loose();

type ZaloBotUpdate = z.infer<typeof updateSchema>;

/** Creates the Zalo Bot channel adapter. Nothing is sent until start() or a webhook delivery. */
export function createZaloBotChannel(options: ZaloBotChannelOptions): ChannelAdapter {
  const { dispatcher, log, token } = options;
  const secret = options.webhookSecret;
  if (secret !== undefined && (secret.length < 8 || secret.length > 256)) {
    throw new AppError(
      "config_invalid",
      "ZALO_BOT_WEBHOOK_SECRET must be 8–256 characters (Zalo Bot setWebhook)",
    );
  }
  const publicUrl = options.publicUrl?.replace(/\/+$/, "");
  if (publicUrl && !secret) {
    throw new AppError("config_invalid", "ZALO_BOT_WEBHOOK_SECRET is required when PUBLIC_URL is set");
  }
  // sendPhoto takes only a URL Zalo can fetch: pictures go only when the portal has a public HTTPS address.
  const photoBase = publicUrl?.startsWith("https://") ? publicUrl : undefined;
  const client: ZaloBotClient = createZaloBotClient({
    token,
    ...(options.apiBase ? { apiBase: options.apiBase } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const pollTimeoutS = options.pollTimeoutS ?? 30;
  const firstRetryDelayMs = options.pollRetryDelayMs ?? 1000;
  const redact = (s: string) => redactToken(s, token);

  const seen = new Set<string>();
  // Photos come from Zalo's file servers, not the Bot API: fetched with the platform fetch.
  const photoFetch: PhotoFetch = (url, init) => fetch(url, init);
  // answer() never rejects: it logs (with the token redacted) and returns.
  const work = createChatQueue(() => {});
  let polling: { controller: AbortController; loop: Promise<void> } | undefined;

  /** Logs a failure by its (redacted) message only: raw errors may carry the URL with the token. */
  function logError(level: "warn" | "error", err: unknown, context: object, msg: string) {
    const message = redact(err instanceof Error ? err.message : String(err));
    const code = err instanceof AppError ? err.code : undefined;
    log[level]({ channel: NAME, ...context, err: { message, ...(code ? { code } : {}) } }, msg);
  }

  /** Accepts one raw update: maps it, drops repeats, and queues it behind earlier ones of the same chat. */
  function accept(raw: unknown, source: "webhook" | "polling") {
    const parsed = updateSchema.safeParse(raw);
    if (!parsed.success) {
      const fields = parsed.error.issues.map((i) => i.path.join(".") || "(root)");
      log.warn({ channel: NAME, source, fields }, "zalo-bot: update ignored (not a message)");
      return;
    }
    const incoming = toIncoming(parsed.data, photoFetch);
    if (!incoming) return;
    if (seen.has(incoming.updateId)) {
      log.info({ channel: NAME, source, updateId: incoming.updateId }, "zalo-bot: repeated update ignored");
      return;
    }
    seen.add(incoming.updateId);
    if (seen.size > SEEN_LIMIT) seen.delete(seen.values().next().value as string);
    work.push(incoming.conversationId, () => answer(incoming));
  }

  /** Runs the dispatcher for one update and sends its messages; never rejects. */
  async function answer(incoming: Incoming): Promise<void> {
    const chat_id = incoming.conversationId;
    const context = { updateId: incoming.updateId, event: incoming.event.kind };
    try {
      const typing = client
        .sendChatAction({ chat_id, action: "typing" })
        .catch((err: unknown) => logError("warn", err, context, "zalo-bot: sendChatAction failed"));
      const messages = await dispatcher.handle(incoming, ZALO_BOT_LIMITS);
      await typing;
      const photo = messages[0]?.photo;
      if (photo && photoBase) {
        // Zalo fetches the picture itself, from the portal's public HTTPS address; a failure leaves the
        // picture out and the text goes all the same.
        await client
          .sendPhoto({
            chat_id,
            photo: `${photoBase}${photo.url}`,
            caption: clipCaption(`${photo.alt}\n${photo.credit}`),
          })
          .catch((err: unknown) => logError("warn", err, context, "zalo-bot: sendPhoto failed, text only"));
      }
      for (const text of renderMessages(messages, ZALO_BOT_LIMITS.maxText)) {
        await client.sendMessage({ chat_id, text });
      }
    } catch (err) {
      logError("error", err, context, "zalo-bot: could not answer an update");
    }
  }

  const idle = () => work.idle();

  async function pollLoop(signal: AbortSignal) {
    let delay = firstRetryDelayMs;
    while (!signal.aborted) {
      try {
        const updates = await client.getUpdates({ timeout: pollTimeoutS }, signal);
        for (const update of updates) accept(update, "polling");
        delay = firstRetryDelayMs;
      } catch (err) {
        if (signal.aborted) break;
        logError("warn", err, { retryInMs: delay }, "zalo-bot: getUpdates failed; retrying");
        await sleep(delay, signal);
        delay = Math.min(delay * 2, MAX_RETRY_DELAY_MS);
      }
    }
  }

  return {
    name: NAME,
    limits: ZALO_BOT_LIMITS,

    async handleWebhook(request: WebhookRequest): Promise<WebhookResponse> {
      const given = webhookHeader(request, SECRET_HEADER);
      if (!secret || given === undefined || !sameSecret(given, secret)) {
        log.warn({ channel: NAME, hasHeader: given !== undefined }, "zalo-bot: webhook with a wrong secret");
        return { status: 401, body: { ok: false, description: "wrong secret token" } };
      }
      if (request.rawBody.length > MAX_BODY_BYTES) {
        return { status: 413, body: { ok: false, description: "body too large" } };
      }
      let body: unknown;
      try {
        body = JSON.parse(request.rawBody.toString("utf8"));
      } catch {
        return { status: 400, body: { ok: false, description: "body is not JSON" } };
      }
      if (typeof body !== "object" || body === null) {
        return { status: 400, body: { ok: false, description: "body is not a JSON object" } };
      }
      for (const update of unwrap(body)) accept(update, "webhook");
      return { status: 200, body: { ok: true } };
    },

    async start() {
      if (publicUrl && secret) {
        const url = `${publicUrl}${ZALO_BOT_WEBHOOK_PATH}`;
        try {
          await client.setWebhook({ url, secret_token: secret });
        } catch (err) {
          throw new AppError("zalo_bot_start", redact(`zalo-bot: setWebhook failed: ${errorText(err)}`));
        }
        log.info({ channel: NAME, url }, "zalo-bot: webhook registered");
        return;
      }
      if (polling) return;
      // getUpdates silently returns nothing while a webhook is set (goclaw #1542).
      await client
        .deleteWebhook()
        .catch((err: unknown) => logError("warn", err, {}, "zalo-bot: deleteWebhook failed"));
      const controller = new AbortController();
      polling = { controller, loop: pollLoop(controller.signal) };
      log.info({ channel: NAME, pollTimeoutS }, "zalo-bot: long polling started");
    },

    async stop() {
      if (polling) {
        polling.controller.abort();
        await polling.loop;
        polling = undefined;
      }
      await idle();
    },

    idle,

    async send(conversationId, messages) {
      try {
        for (const text of renderMessages(messages, ZALO_BOT_LIMITS.maxText)) {
          await client.sendMessage({ chat_id: conversationId, text });
        }
      } catch (err) {
        // The client's errors have the token redacted already; this keeps it so for anything else.
        if (err instanceof AppError) throw err;
        throw new AppError("zalo_bot_api", redact(errorText(err)));
      }
    },
  };
}

/** One Zalo Bot update as Incoming; undefined for what needs no reply (the bot's own or other bots' messages). */
function toIncoming(
  update: ZaloBotUpdate,
  photoFetch: PhotoFetch = (url, init) => fetch(url, init),
): Incoming | undefined {
  const m = update.message;
  if (m.from?.is_bot) return undefined;
  const updateId =
    m.message_id ??
    update.update_id ??
    createHash("sha256").update(JSON.stringify(update)).digest("hex").slice(0, 32);
  const date = m.date ?? Date.now();
  const base = {
    channel: NAME,
    updateId,
    conversationId: m.chat.id,
    userId: m.from?.id ?? m.chat.id,
    ...(m.from?.language_code ? { languageHint: m.from.language_code } : {}),
    // The platform sends milliseconds; a value in seconds is scaled.
    receivedAt: date < 1e12 ? date * 1000 : date,
  };
  const event = update.event_name ?? "";
  const point = m.location ?? m.attachments?.find((a) => a.type === "location")?.payload.coordinates;
  if (point) return { ...base, event: { kind: "location", lat: point.lat, lng: point.lng } };
  const photoUrl = m.photo_url ?? m.photo;
  if (event === "message.image.received" && photoUrl && /^https?:\/\//.test(photoUrl)) {
    const caption = m.caption?.trim();
    return {
      ...base,
      event: {
        kind: "photo",
        ...(caption ? { caption } : {}),
        load: (maxBytes) => fetchCapped(photoFetch, photoUrl, maxBytes),
      },
    };
  }
  const text = m.text?.trim();
  const isText = event === "message.text.received" || (event === "" && text !== undefined);
  if (isText && text) return { ...base, event: commandOf(text) ?? { kind: "text", text } };
  const what = /^message\.(\w+)\.received$/.exec(event)?.[1] ?? (event || "empty");
  return { ...base, event: { kind: "unsupported", what: isText ? "empty" : what } };
}

/** "/events", "/language en" ... as a command; anything else is a question. */
function commandOf(text: string): Incoming["event"] | undefined {
  const match = /^\/(\w+)(?:@\S+)?(?:\s+([\s\S]*))?$/.exec(text);
  const name = match?.[1]?.toLowerCase();
  const command = COMMANDS.find((c) => c === name) ?? (name ? COMMAND_ALIASES[name] : undefined);
  return command ? { kind: "command", command, args: match?.[2] ?? "" } : undefined;
}

/** The updates in a webhook body: the update itself, or wrapped as `{ok: true, result: update}`. */
function unwrap(body: object): unknown[] {
  if ("result" in body && "ok" in body) {
    const result = (body as { result: unknown }).result;
    return Array.isArray(result) ? result : [result];
  }
  return [body];
}

/**
 * The dispatcher's messages as Zalo texts: each message's buttons become "• label" lines (a link as
 * "• label: url", left out when the text already shows that URL) appended to it, split again to the limit.
 */
export function renderMessages(messages: OutgoingMessage[], maxText: number): string[] {
  const out: string[] = [];
  for (const message of messages) {
    const lines = message.buttons.flatMap((b) =>
      b.kind === "suggestion"
        ? [`• ${b.label}`]
        : message.text.includes(b.url)
          ? []
          : [`• ${b.label}: ${b.url}`],
    );
    const text = lines.length ? `${message.text}\n\n${lines.join("\n")}` : message.text;
    out.push(...splitText(text, maxText).filter((part) => part.trim() !== ""));
  }
  return out;
}

/** A photo caption within Zalo's 2000 characters. */
function clipCaption(text: string): string {
  const chars = [...text];
  return chars.length <= MAX_CAPTION ? text : `${chars.slice(0, MAX_CAPTION - 1).join("")}…`;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

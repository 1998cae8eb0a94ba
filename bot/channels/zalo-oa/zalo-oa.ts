import { createHash } from "node:crypto";
import { z } from "zod";
import { AppError } from "../../../indexer/index.ts";
import { sameSecret } from "../../../indexer/util/same-secret.ts";
import type { Clock, Logger } from "../../assistant/index.ts";
import { fetchCapped } from "../../reports/index.ts";
import type { Store } from "../../store/index.ts";
import type { Dispatcher } from "../dispatch.ts";
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
import { createZaloOaClient, type ZaloOaButton, type ZaloOaMessage } from "./client.ts";
import { createTokenStore } from "./tokens.ts";

/**
 * Zalo Official Account (API v3) as a channel: the webhook (X-ZEvent-Signature), the event table
 * (user_send_text / user_send_location / follow / other user_send_* / ignored echoes), and replies as
 * consultation messages with a button template. Business logic stays in the dispatcher.
 */

/**
 * What a Zalo OA consultation message carries: 2000 characters of text (eSMS and the OA docs), button
 * titles up to 100 characters and oa.query.show payloads up to 1000 (OA button docs); five buttons is
 * the conservative count. No location message exists for the OA, so places go out as map-link buttons.
 */
export const LIMITS: ChannelLimits = {
  maxText: 2000,
  maxButtons: 5,
  maxButtonLabel: 100,
  nativeLocation: false,
};

const NAME = "zalo-oa";
const MAX_QUERY_PAYLOAD = 1000;

export type ZaloOaChannelOptions = {
  appId: string;
  /** App Secret Key: authenticates the token refresh. */
  appSecret: string;
  /** OA Secret Key: the key inside the webhook MAC (not the App Secret). */
  oaSecretKey: string;
  /** Seed tokens (ZALO_OA_ACCESS_TOKEN / ZALO_OA_REFRESH_TOKEN), stored only when the store holds none. */
  accessToken?: string | undefined;
  refreshToken?: string | undefined;
  /** ZALO_OA_API_BASE. Default https://openapi.zalo.me */
  apiBase?: string;
  /** ZALO_OAUTH_BASE. Default https://oauth.zaloapp.com */
  oauthBase?: string;
  dispatcher: Dispatcher;
  store: Store;
  log: Logger;
  fetch?: typeof fetch;
  clock?: Clock;
  /** How often start() refreshes the token pair (the access token lives 25 h). Default 12 h. */
  refreshEveryMs?: number;
  /**
   * ZALO_OA_MAX_EVENT_AGE_SECONDS in ms: signed events whose timestamp is further than this from now
   * (either way) are refused, so a recorded delivery cannot be replayed later. Default 5 minutes.
   */
  maxEventAgeMs?: number;
};

/** Default window around now that an event's timestamp must fall in. */
export const DEFAULT_MAX_EVENT_AGE_MS = 5 * 60_000;

const Id = z.union([z.string(), z.number()]).transform(String);

const ZaloOaEvent = z.object({
  event_name: z.string(),
  app_id: Id.optional(),
  timestamp: Id.optional(),
  sender: z.object({ id: Id }).optional(),
  follower: z.object({ id: Id }).optional(),
  message: z
    .object({
      msg_id: Id.optional(),
      text: z.string().optional(),
      // Tolerant: an odd attachment list must not cost the text or location next to it.
      attachments: z
        .array(z.object({ type: z.string().optional(), payload: z.unknown() }))
        .optional()
        .catch(undefined),
      location: z.unknown().optional(),
    })
    .optional(),
});
/** A Zalo OA webhook event, as far as the channel reads it. */
export type ZaloOaEvent = z.infer<typeof ZaloOaEvent>;

/** Creates the Zalo OA channel adapter. */
export function createZaloOaChannel(options: ZaloOaChannelOptions): ChannelAdapter {
  const { dispatcher, store, log } = options;
  const clock = options.clock ?? { now: () => new Date() };
  const refreshEveryMs = options.refreshEveryMs ?? 12 * 60 * 60_000;
  const maxEventAgeMs = options.maxEventAgeMs ?? DEFAULT_MAX_EVENT_AGE_MS;
  const client = createZaloOaClient({
    appId: options.appId,
    appSecret: options.appSecret,
    apiBase: options.apiBase ?? "https://openapi.zalo.me",
    oauthBase: options.oauthBase ?? "https://oauth.zaloapp.com",
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const tokens = createTokenStore({
    store,
    log,
    clock,
    refresh: (refreshToken) => client.refreshTokens(refreshToken),
    seed: { accessToken: options.accessToken, refreshToken: options.refreshToken },
  });

  /** Work of one user runs in order, so the replies to two quick questions do not cross. */
  const work = createChatQueue(() => {});
  let timer: NodeJS.Timeout | undefined;

  const idle = () => work.idle();

  function enqueue(incoming: Incoming): void {
    work.push(incoming.conversationId, () =>
      reply(incoming).catch((err: unknown) => {
        log.error({ err, channel: NAME, updateId: incoming.updateId }, "zalo-oa: could not reply");
      }),
    );
  }

  async function reply(incoming: Incoming): Promise<void> {
    const messages = await dispatcher.handle(incoming, LIMITS);
    for (const message of messages) await send(incoming.conversationId, await render(message));
  }

  /**
   * Sends with the current token; on -216 refreshes (once, shared) and sends again once. Each message
   * sent is counted against the user's reply window (8 free replies within 48 h of their message).
   */
  async function send(userId: string, message: ZaloOaMessage): Promise<void> {
    const token = await tokens.accessToken();
    try {
      await client.sendMessage(token, userId, message);
    } catch (err) {
      if (!(err instanceof AppError && err.code === "zalo_oa_token_expired")) throw err;
      log.warn({ channel: NAME }, "zalo-oa: access token rejected (-216); refreshing");
      await client.sendMessage(await tokens.refresh(token), userId, message);
    }
    await store.noteSent(NAME, userId);
  }

  async function render(message: OutgoingMessage): Promise<ZaloOaMessage> {
    const buttons: ZaloOaButton[] = [];
    for (const b of message.buttons.slice(0, LIMITS.maxButtons)) {
      const title = clip(b.label, LIMITS.maxButtonLabel);
      if (b.kind === "url") {
        buttons.push({ title, type: "oa.open.url", payload: { url: b.url } });
      } else {
        // oa.query.show posts its payload back as the user's own message, so the payload is the
        // suggestion's full text (the label may be clipped); it arrives again as user_send_text.
        const text = (await store.getState(`suggestion:${b.key}`)) ?? b.label;
        buttons.push({ title, type: "oa.query.show", payload: clip(text, MAX_QUERY_PAYLOAD) });
      }
    }
    return buttons.length
      ? {
          text: message.text,
          attachment: { type: "template", payload: { template_type: "button", buttons } },
        }
      : { text: message.text };
  }

  return {
    name: NAME,
    limits: LIMITS,

    async handleWebhook(request: WebhookRequest): Promise<WebhookResponse> {
      const signature = webhookHeader(request, "x-zevent-signature");
      if (!signature) return { status: 401, body: { error: "missing X-ZEvent-Signature" } };
      let parsed: unknown;
      try {
        parsed = parseKeepingLongIntegers(request.rawBody.toString("utf8"));
      } catch {
        return { status: 400, body: { error: "malformed JSON" } };
      }
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
        return { status: 400, body: { error: "not a Zalo OA event" } };
      }
      const fields = parsed as Record<string, unknown>;
      if (
        !verifySignature(request.rawBody, signature, fields.app_id, fields.timestamp, options.oaSecretKey)
      ) {
        log.warn({ channel: NAME }, "zalo-oa: webhook with a bad signature refused");
        return { status: 401, body: { error: "bad signature" } };
      }
      // The MAC proves the body came from Zalo once, not that it is for us or that it is new.
      if (String(fields.app_id) !== options.appId) {
        log.warn({ channel: NAME }, "zalo-oa: signed event of another app refused");
        return { status: 403, body: { error: "the event is for another app" } };
      }
      const sentAt = eventTime(fields.timestamp);
      if (sentAt === undefined || Math.abs(clock.now().getTime() - sentAt) > maxEventAgeMs) {
        log.warn(
          { channel: NAME, timestamp: String(fields.timestamp).slice(0, 20), maxEventAgeMs },
          "zalo-oa: signed event outside the accepted time window refused (a replay, or a clock off)",
        );
        return { status: 403, body: { error: "the event is outside the accepted time window" } };
      }
      // From here on the delivery is Zalo's: always 200 at once (its 2-second window), or it retries.
      const event = ZaloOaEvent.safeParse(parsed);
      if (!event.success) {
        log.warn({ channel: NAME }, "zalo-oa: signed webhook of an unknown shape ignored");
        return { status: 200, body: { ok: true } };
      }
      const incoming = toIncoming(event.data, clock.now().getTime());
      if (incoming) enqueue(incoming);
      return { status: 200, body: { ok: true } };
    },

    async start() {
      await tokens.seed();
      if (timer) clearInterval(timer);
      timer = setInterval(() => {
        tokens.refresh().catch(() => {
          // Logged by the token store; the next tick or a -216 tries again.
        });
      }, refreshEveryMs);
      timer.unref();
      log.info(
        { channel: NAME, refreshEveryMs },
        "zalo-oa: ready (webhook /webhooks/zalo-oa is registered in the Zalo developer console)",
      );
    },

    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await idle();
      await tokens.idle();
    },

    idle,

    async send(conversationId, messages) {
      for (const message of messages) await send(conversationId, await render(message));
    },
  };
}

/**
 * One Zalo OA event as an Incoming, or undefined for what needs no reply (delivery and seen receipts,
 * the OA's own oa_send_* echoes, unfollow, anonymous chats, unknown events).
 */
export function toIncoming(event: ZaloOaEvent, now: number): Incoming | undefined {
  const name = event.event_name;
  let userId: string | undefined;
  let what: Incoming["event"];
  if (name === "follow") {
    userId = event.follower?.id ?? event.sender?.id;
    what = { kind: "follow" };
  } else if (name.startsWith("user_send_")) {
    userId = event.sender?.id;
    const text = event.message?.text?.trim();
    if (name === "user_send_text") {
      what = text ? { kind: "text", text } : { kind: "unsupported", what: "empty text" };
    } else if (name === "user_send_location") {
      const at = locationOf(event.message);
      what = at ? { kind: "location", ...at } : { kind: "unsupported", what: "location without coordinates" };
    } else if (name === "user_send_image" && imageUrlOf(event.message)) {
      const url = imageUrlOf(event.message) as string;
      what = {
        kind: "photo",
        ...(text ? { caption: text } : {}),
        load: (maxBytes) => fetchCapped((u, init) => fetch(u, init), url, maxBytes),
      };
    } else {
      what = { kind: "unsupported", what: name.slice("user_send_".length) };
    }
  } else {
    return undefined;
  }
  if (!userId) return undefined;
  const at = Number(event.timestamp);
  return {
    channel: NAME,
    // Events without a msg_id (follow) get a key that is the same on every redelivery.
    updateId: event.message?.msg_id ?? `${name}:${userId}:${event.timestamp ?? ""}`,
    conversationId: userId,
    userId,
    receivedAt: Number.isFinite(at) && at > 0 ? at : now,
    event: what,
  };
}

/** The URL of an image attachment ({type:"image", payload:{url}}), http(s) only. */
function imageUrlOf(message: ZaloOaEvent["message"]): string | undefined {
  for (const a of message?.attachments ?? []) {
    const url = field(a.payload, "url");
    if (a.type === "image" && typeof url === "string" && /^https?:\/\//.test(url)) return url;
  }
  return undefined;
}

/**
 * The shared location in either shape seen in the wild: an attachment {type:"location",
 * payload:{coordinates:{latitude, longitude}}} (Chatwoot) or message.location (hoangnd25 guide);
 * coordinates may be numbers or strings.
 */
function locationOf(message: ZaloOaEvent["message"]): { lat: number; lng: number } | undefined {
  const candidates: unknown[] = [];
  for (const a of message?.attachments ?? []) {
    if (a.type === "location") candidates.push(field(a.payload, "coordinates"), a.payload);
  }
  candidates.push(field(message?.location, "coordinates"), message?.location);
  for (const c of candidates) {
    const lat = coordinate(field(c, "latitude") ?? field(c, "lat"));
    const lng = coordinate(field(c, "longitude") ?? field(c, "lng") ?? field(c, "long") ?? field(c, "lon"));
    if (lat !== undefined && lng !== undefined && Math.abs(lat) <= 90 && Math.abs(lng) <= 180) {
      return { lat, lng };
    }
  }
  return undefined;
}

function field(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

function coordinate(value: unknown): number | undefined {
  const n =
    typeof value === "number" ? value : typeof value === "string" && value.trim() ? Number(value) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/**
 * X-ZEvent-Signature: "mac=" + hex(SHA-256(app_id + raw body + timestamp + OA secret key)), with app_id
 * and timestamp taken from the body. Plain SHA-256 over the exact bytes received, not an HMAC.
 */
export function verifySignature(
  rawBody: Buffer,
  signature: string,
  appId: unknown,
  timestamp: unknown,
  oaSecretKey: string,
): boolean {
  if (!isScalar(appId) || !isScalar(timestamp)) return false;
  const expected = createHash("sha256")
    .update(String(appId), "utf8")
    .update(rawBody)
    .update(String(timestamp), "utf8")
    .update(oaSecretKey, "utf8")
    .digest("hex");
  return sameSecret(signature.trim().replace(/^mac=/i, "").toLowerCase(), expected);
}

/** An event's timestamp in epoch ms: Zalo sends milliseconds (as a string); seconds are read as such. */
function eventTime(value: unknown): number | undefined {
  const n =
    typeof value === "number"
      ? value
      : typeof value === "string" && /^\d{1,16}$/.test(value)
        ? Number(value)
        : NaN;
  if (!Number.isFinite(n) || n <= 0) return undefined;
  return n < 1e12 ? n * 1000 : n;
}

function isScalar(value: unknown): value is string | number {
  return typeof value === "string" || typeof value === "number";
}

const NUMBER = /-?\d+(\.\d+)?([eE][+-]?\d+)?/y;

/**
 * JSON.parse, except that integer literals of 16 digits or more become strings: Zalo ids are 64-bit
 * integers and would silently lose digits as numbers. Strings are skipped, so their content is untouched.
 */
export function parseKeepingLongIntegers(text: string): unknown {
  let out = "";
  let copied = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
    } else if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text);
      if (!m) continue;
      const digits = m[0].replace("-", "").length;
      if (m[1] === undefined && m[2] === undefined && digits >= 16) {
        out += `${text.slice(copied, i)}"${m[0]}"`;
        copied = i + m[0].length;
      }
      i += m[0].length - 1;
    }
  }
  return JSON.parse(out + text.slice(copied));
}

function clip(s: string, max: number): string {
  const chars = [...s];
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join("")}…`;
}

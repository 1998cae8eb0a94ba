import type { Lang } from "../../indexer/index.ts";

/**
 * One channel-neutral shape for what arrives from a chat platform. Adapters (telegram/, zalo-oa/,
 * zalo-bot/) translate platform payloads into it and nothing more; the dispatcher decides what to do.
 */
export type Incoming = {
  /** "telegram" | "zalo-oa" | "zalo-bot" */
  channel: string;
  /** Dedupe key of the platform delivery (Telegram update_id, Zalo msg_id / event id). */
  updateId: string;
  /** Where replies go (chat id / user id). */
  conversationId: string;
  /** Who wrote; hashed before it is stored. */
  userId: string;
  /** The user's app language when the platform says (Telegram language_code "vi", "en-US" ...). */
  languageHint?: string;
  /** Unix ms when the platform says; now otherwise. */
  receivedAt: number;
  event:
    | { kind: "text"; text: string }
    | { kind: "location"; lat: number; lng: number }
    /** A suggestion button pressed: the key of the suggestion (see SuggestionBook). */
    | { kind: "button"; key: string }
    | {
        kind: "command";
        command: "start" | "help" | "events" | "lodging" | "language" | "report" | "status" | "human";
        args: string;
      }
    /**
     * A photo (a report's picture): `load` fetches its bytes from the platform, at most `maxBytes`
     * (PhotoTooLarge past it); the caption is the text sent with it.
     */
    | { kind: "photo"; caption?: string; load: (maxBytes: number) => Promise<Uint8Array> }
    /** The user followed the account (Zalo OA): send the welcome. */
    | { kind: "follow" }
    /** Stickers, photos, voice, files ...: a short friendly reply, never an error. */
    | { kind: "unsupported"; what: string };
};

/** What a channel can carry; the reply planner keeps within it. */
export type ChannelLimits = {
  /** Longest text of one message, in characters (Telegram 4096, Zalo 2000). */
  maxText: number;
  /** Most suggestion buttons on one message. */
  maxButtons: number;
  /** Longest button label, in characters. */
  maxButtonLabel: number;
  /** The platform can send a native location / venue message (Telegram sendVenue; Zalo cannot). */
  nativeLocation: boolean;
};

/** One message to send, channel-neutral; each adapter renders it in its own format. */
export type OutgoingMessage = {
  text: string;
  /** Suggestions (as keys the channel puts in button payloads) and links, on the last message only. */
  buttons: OutgoingButton[];
  /** A place to send as a native venue where the channel can. */
  venue?: { lat: number; lng: number; title: string; address: string };
  /**
   * The picture of the entry the answer is about, on the first message only; a channel that can send
   * photos sends it with this message (Telegram sendPhoto), the others leave it out.
   */
  photo?: OutgoingPhoto;
  /** Who wrote a proactive message (outbox.ts): the widget marks staff messages as such. */
  from?: "staff" | "bot";
};

/** A picture to send: where the portal serves it, its alt text and the credit its licence asks for. */
export type OutgoingPhoto = {
  /** Portal path ("/content-images/…", "/media/…"); each channel finds the file or public URL from it. */
  url: string;
  alt: string;
  /** "Ảnh: author · licence · source link", in the answer's language. */
  credit: string;
};

export type OutgoingButton =
  { kind: "suggestion"; label: string; key: string } | { kind: "url"; label: string; url: string };

/** The language to answer in from a platform's language code ("vi", "en-US"); undefined otherwise. */
export function languageFromHint(hint: string | undefined): Lang | undefined {
  if (!hint) return undefined;
  const base = hint.toLowerCase().split(/[-_]/)[0];
  return base === "vi" ? "vi" : base === "en" ? "en" : undefined;
}

/** A webhook request as the HTTP layer hands it over: headers (lowercase names) and the raw body bytes. */
export type WebhookRequest = { headers: Record<string, string | string[] | undefined>; rawBody: Buffer };

/** What the HTTP layer answers a webhook with; the work itself happens in the background. */
export type WebhookResponse = { status: number; body?: unknown };

/**
 * One chat platform. Framework-neutral (bot/ never imports express): web/routes/webhooks.ts mounts
 * `handleWebhook` at `/webhooks/<name>` with a raw body, and web/main.ts calls start/stop.
 */
export interface ChannelAdapter {
  /** "telegram" | "zalo-oa" | "zalo-bot": also the webhook path segment. */
  readonly name: string;
  readonly limits: ChannelLimits;
  /** Authenticates and accepts one webhook delivery; answers at once and processes in the background. */
  handleWebhook(request: WebhookRequest): Promise<WebhookResponse>;
  /** Registers the webhook (when a public URL is set) or starts long polling; registers commands. */
  start(): Promise<void>;
  /** Stops polling and waits for work in flight. */
  stop(): Promise<void>;
  /** Resolves when everything accepted so far has been processed (tests, shutdown). */
  idle(): Promise<void>;
  /**
   * Sends messages to a conversation outside a webhook reply (staff replies, notices; see outbox.ts),
   * through the adapter's own client and base URL. Throws what the platform answered, so the outbox can
   * tell a transient failure (5xx, network) from a refusal. Windows and quotas are the outbox's business.
   */
  send(conversationId: string, messages: OutgoingMessage[]): Promise<void>;
}

import { z } from "zod";
import { AppError } from "../../../indexer/index.ts";

/**
 * A thin typed client of the Zalo Bot Platform (a Telegram-like Bot API, docs: bot.zaloplatforms.com):
 * `POST {apiBase}/bot<TOKEN>/<method>` with a JSON body, answered with `{ok, result?, error_code?,
 * description?}`. Success is `ok: true`, never the HTTP status alone. The token is part of the URL, so
 * every error this client raises has it replaced by `<redacted>` (and carries no raw cause that could hold it).
 */

/** The subset of `fetch` the client uses; tests pass a stub. */
export type ZaloBotFetch = (url: string, init: RequestInit) => Promise<Response>;

export type ZaloBotClientOptions = {
  /** ZALO_BOT_TOKEN ("<numeric id>:<secret>"). */
  token: string;
  /** ZALO_BOT_API_BASE; default https://bot-api.zaloplatforms.com. */
  apiBase?: string;
  fetch?: ZaloBotFetch;
  /** Longest wait for a call other than getUpdates. Default 15 s. */
  timeoutMs?: number;
};

/** getMe's result. */
export type ZaloBotMe = {
  id: string;
  account_name?: string;
  account_type?: string;
  can_join_groups?: boolean;
};

/** sendMessage's result. */
export type ZaloBotSent = { message_id?: string; date?: number };

export type ZaloBotClient = {
  /** Checks the token; the bot's id and name. */
  getMe(): Promise<ZaloBotMe>;
  /**
   * Long-polls for updates: the platform hands out one update per call (an array is accepted too).
   * [] when the poll timed out (error_code 408). The request is aborted by `signal`.
   */
  getUpdates(params: { timeout: number }, signal?: AbortSignal): Promise<unknown[]>;
  /** Registers the webhook: `url` must be public HTTPS, `secret_token` 8–256 characters. */
  setWebhook(params: { url: string; secret_token: string }): Promise<unknown>;
  /** Removes the webhook (getUpdates returns nothing while one is set). */
  deleteWebhook(): Promise<unknown>;
  getWebhookInfo(): Promise<unknown>;
  /** Sends a text of 1–2000 characters. */
  sendMessage(params: { chat_id: string; text: string }): Promise<ZaloBotSent>;
  /** Sends a picture Zalo fetches from `photo` (a public http(s) URL), with a caption of up to 2000 characters. */
  sendPhoto(params: { chat_id: string; photo: string; caption?: string }): Promise<ZaloBotSent>;
  /** Shows "typing…" in the chat. */
  sendChatAction(params: { chat_id: string; action: "typing" }): Promise<void>;
  /** Any other method; the `result` of a successful call. */
  call(method: string, body?: object, options?: CallOptions): Promise<unknown>;
};

type CallOptions = { signal?: AbortSignal; timeoutMs?: number };

/** A failed Zalo Bot API call: `{ok:false}`, a body that is not the envelope, or a network error. */
export class ZaloBotApiError extends AppError {
  constructor(
    readonly method: string,
    message: string,
    /** The platform's error_code (408 = getUpdates timed out), when it sent one. */
    readonly errorCode: number | undefined,
    /** The HTTP status, when a response arrived. */
    readonly status: number | undefined,
  ) {
    super("zalo_bot_api", message, { details: { method, errorCode, status } });
    this.name = "ZaloBotApiError";
  }
}

export const DEFAULT_ZALO_BOT_API_BASE = "https://bot-api.zaloplatforms.com";

const envelopeSchema = z.object({
  ok: z.boolean(),
  result: z.unknown().optional(),
  error_code: z.union([z.number(), z.string()]).optional(),
  description: z.string().optional(),
});

/** Replaces every occurrence of the token (and its URL-encoded form) in a text with `<redacted>`. */
export function redactToken(text: string, token: string): string {
  if (!token) return text;
  let out = text;
  for (const form of new Set([token, encodeURIComponent(token)])) out = out.split(form).join("<redacted>");
  return out;
}

/** Creates the client. Nothing is sent until a method is called. */
export function createZaloBotClient(options: ZaloBotClientOptions): ZaloBotClient {
  const { token } = options;
  const apiBase = (options.apiBase ?? DEFAULT_ZALO_BOT_API_BASE).replace(/\/+$/, "");
  const doFetch: ZaloBotFetch = options.fetch ?? ((url, init) => fetch(url, init));
  const defaultTimeoutMs = options.timeoutMs ?? 15_000;
  const redact = (s: string) => redactToken(s, token);

  async function call(method: string, body: object = {}, callOptions: CallOptions = {}): Promise<unknown> {
    const timeout = AbortSignal.timeout(callOptions.timeoutMs ?? defaultTimeoutMs);
    const signal = callOptions.signal ? AbortSignal.any([callOptions.signal, timeout]) : timeout;
    const where = `POST ${apiBase}/bot<redacted>/${method}`;
    let response: Response;
    let text: string;
    try {
      response = await doFetch(`${apiBase}/bot${token}/${method}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
        signal,
      });
      text = await response.text();
    } catch (err) {
      const reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      const detail = err instanceof Error && err.cause instanceof Error ? ` (${err.cause.message})` : "";
      throw new ZaloBotApiError(method, redact(`${where} failed: ${reason}${detail}`), undefined, undefined);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const envelope = envelopeSchema.safeParse(json);
    if (!envelope.success) {
      throw new ZaloBotApiError(
        method,
        `${where}: HTTP ${response.status} without a Zalo Bot API envelope`,
        undefined,
        response.status,
      );
    }
    const { ok, result, error_code, description } = envelope.data;
    if (!ok) {
      const code = error_code === undefined ? undefined : Number(error_code);
      throw new ZaloBotApiError(
        method,
        redact(
          `${where}: error_code ${code ?? "?"} (HTTP ${response.status}): ${description ?? "no description"}`,
        ),
        Number.isFinite(code) ? code : undefined,
        response.status,
      );
    }
    return result;
  }

  return {
    call,
    async getMe() {
      const result = z
        .object({ id: z.union([z.string(), z.number()]).transform(String) })
        .loose()
        .safeParse(await call("getMe"));
      if (!result.success) throw new ZaloBotApiError("getMe", "getMe: result without an id", undefined, 200);
      return result.data as ZaloBotMe;
    },
    async getUpdates(params, signal) {
      let result: unknown;
      try {
        // OpenClaw's working client sends the timeout as a string; the docs' example shows a number.
        result = await call(
          "getUpdates",
          { timeout: String(params.timeout) },
          { ...(signal ? { signal } : {}), timeoutMs: (params.timeout + 15) * 1000 },
        );
      } catch (err) {
        if (err instanceof ZaloBotApiError && (err.errorCode === 408 || err.status === 408)) return [];
        throw err;
      }
      if (result === undefined || result === null) return [];
      return Array.isArray(result) ? result : [result];
    },
    setWebhook: (params) => call("setWebhook", params),
    deleteWebhook: () => call("deleteWebhook"),
    getWebhookInfo: () => call("getWebhookInfo"),
    async sendMessage(params) {
      const result = await call("sendMessage", params);
      return (typeof result === "object" && result !== null ? result : {}) as ZaloBotSent;
    },
    async sendPhoto(params) {
      const result = await call("sendPhoto", params);
      return (typeof result === "object" && result !== null ? result : {}) as ZaloBotSent;
    },
    async sendChatAction(params) {
      await call("sendChatAction", params);
    },
  };
}

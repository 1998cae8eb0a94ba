import { z } from "zod";
import { AppError } from "../../../indexer/index.ts";

/**
 * A thin typed client of the two Zalo endpoints the OA channel needs: the consultation message
 * (`POST {apiBase}/v3.0/oa/message/cs`) and the token refresh (`POST {oauthBase}/v4/oa/access_token`).
 * Base URLs and `fetch` are parameters so tests point it at a local fake. Error messages never carry a
 * token: tokens travel in headers and form bodies only, and nothing of a request is echoed.
 */
export type ZaloOaClientOptions = {
  appId: string;
  /** The App Secret Key (the `secret_key` header of the refresh), not the OA Secret Key. */
  appSecret: string;
  /** https://openapi.zalo.me */
  apiBase: string;
  /** https://oauth.zaloapp.com */
  oauthBase: string;
  fetch?: typeof fetch;
  /** Longest wait for one request. Default 10 s. */
  timeoutMs?: number;
};

/** A button of the OA button template. */
export type ZaloOaButton =
  /** Tapping sends `payload` back as a message from the user (and shows it in the chat). */
  | { title: string; type: "oa.query.show"; payload: string }
  | { title: string; type: "oa.open.url"; payload: { url: string } };

/** The `message` of a consultation message: text, optionally with a button template. */
export type ZaloOaMessage = {
  text: string;
  attachment?: { type: "template"; payload: { template_type: "button"; buttons: ZaloOaButton[] } };
};

/** A token pair from the refresh endpoint. The refresh token is single-use: persist it at once. */
export type ZaloOaTokenPair = { accessToken: string; refreshToken: string; expiresInS?: number };

export type ZaloOaClient = {
  /** Sends one consultation message; resolves with Zalo's message id. Throws AppError `zalo_oa_token_expired` on -216. */
  sendMessage(accessToken: string, userId: string, message: ZaloOaMessage): Promise<string | undefined>;
  /** Exchanges a refresh token for a new pair. Throws AppError `zalo_oa_refresh_failed` on any error shape. */
  refreshTokens(refreshToken: string): Promise<ZaloOaTokenPair>;
};

/** The send error Zalo answers when the access token expired or was revoked. */
export const TOKEN_EXPIRED = -216;

const SendResponse = z.object({
  error: z.coerce.number(),
  message: z.string().optional(),
  data: z.object({ message_id: z.union([z.string(), z.number()]).optional() }).optional(),
});

const RefreshResponse = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]).optional(),
});

const RefreshError = z.object({
  error: z.union([z.number(), z.string()]).optional(),
  error_name: z.string().optional(),
  error_reason: z.string().optional(),
  error_description: z.string().optional(),
  message: z.string().optional(),
});

/** Creates the client. */
export function createZaloOaClient(options: ZaloOaClientOptions): ZaloOaClient {
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const apiBase = options.apiBase.replace(/\/+$/, "");
  const oauthBase = options.oauthBase.replace(/\/+$/, "");

  /** POSTs; answers the HTTP status and the parsed JSON body (undefined when it is not JSON). */
  async function post(
    url: string,
    what: string,
    init: RequestInit,
  ): Promise<{ status: number; body: unknown }> {
    let response: Response;
    try {
      response = await doFetch(url, { ...init, method: "POST", signal: AbortSignal.timeout(timeoutMs) });
    } catch (cause) {
      throw new AppError("zalo_oa_unreachable", `Zalo OA ${what}: request failed`, { cause });
    }
    const text = await response.text().catch(() => "");
    try {
      return { status: response.status, body: JSON.parse(text) };
    } catch {
      return { status: response.status, body: undefined };
    }
  }

  function httpError(what: string, status: number): AppError {
    const reason = status >= 200 && status < 300 ? "unexpected response" : `HTTP ${status}`;
    return new AppError("zalo_oa_bad_response", `Zalo OA ${what}: ${reason}`, { details: { status } });
  }

  return {
    async sendMessage(accessToken, userId, message) {
      const { status, body } = await post(`${apiBase}/v3.0/oa/message/cs`, "send", {
        headers: { "content-type": "application/json", access_token: accessToken },
        body: JSON.stringify({ recipient: { user_id: userId }, message }),
      });
      const parsed = SendResponse.safeParse(body);
      if (!parsed.success) throw httpError("send", status);
      const { error, message: reason } = parsed.data;
      if (error === TOKEN_EXPIRED) {
        throw new AppError(
          "zalo_oa_token_expired",
          `Zalo OA send: error ${error} (${reason ?? "no reason"})`,
          {
            details: { zaloError: error },
          },
        );
      }
      // A non-zero `error` is a failure even with HTTP 200.
      if (error !== 0) {
        throw new AppError("zalo_oa_send_failed", `Zalo OA send: error ${error} (${reason ?? "no reason"})`, {
          details: { zaloError: error },
        });
      }
      if (status < 200 || status >= 300) throw httpError("send", status);
      const id = parsed.data.data?.message_id;
      return id === undefined ? undefined : String(id);
    },

    async refreshTokens(refreshToken) {
      const { status, body } = await post(`${oauthBase}/v4/oa/access_token`, "token refresh", {
        headers: { "content-type": "application/x-www-form-urlencoded", secret_key: options.appSecret },
        body: new URLSearchParams({
          refresh_token: refreshToken,
          app_id: options.appId,
          grant_type: "refresh_token",
        }).toString(),
      });
      // OAuth errors come back with HTTP 200 as `error` or `error_name` / `error_description` and no
      // access_token (ChatbotX PR #1019): anything but a full pair is an error, never a token.
      const ok = RefreshResponse.safeParse(body);
      const error = RefreshError.safeParse(body);
      const code = error.success ? error.data.error : undefined;
      if (ok.success && (code === undefined || Number(code) === 0) && status >= 200 && status < 300) {
        const { access_token, refresh_token, expires_in } = ok.data;
        return {
          accessToken: access_token,
          refreshToken: refresh_token,
          ...(expires_in !== undefined ? { expiresInS: expires_in } : {}),
        };
      }
      const e = error.success ? error.data : {};
      const reason =
        [e.error_name, e.error_reason, e.error_description ?? e.message].filter(Boolean).join(": ") ||
        (status >= 200 && status < 300 ? "no access_token in the response" : `HTTP ${status}`);
      // The description is Zalo's text; make sure it cannot echo the refresh token into a log.
      const safe = reason.split(refreshToken).join("[redacted]").slice(0, 300);
      throw new AppError("zalo_oa_refresh_failed", `Zalo OA token refresh failed: ${safe}`, {
        details: { zaloError: code },
      });
    },
  };
}

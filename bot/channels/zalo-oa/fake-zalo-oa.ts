import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/**
 * A local stand-in for the two Zalo OA endpoints the channel calls, for tests only, strict where the real
 * one punishes mistakes: `POST /v3.0/oa/message/cs` wants the current token in an `access_token` header
 * and answers -216 otherwise; `POST /v4/oa/access_token` rotates a single-use refresh token, and using
 * an old one is recorded as a violation. Serve both (apiBase and oauthBase) from one port.
 */

export type FakeZaloOaOptions = {
  appId: string;
  /** The App Secret the refresh must carry in its `secret_key` header. */
  appSecret: string;
  /** The pair the fake starts with (the seed tokens of the test). */
  accessToken: string;
  refreshToken: string;
};

/** A consultation message the fake accepted. */
export type FakeSentMessage = {
  userId: string;
  text: string;
  /** The button template's buttons, [] without one. */
  buttons: { title: string; type: string; payload: unknown }[];
  /** The token it was sent with. */
  accessToken: string;
};

export type FakeZaloOa = {
  /** Pass as both apiBase and oauthBase: http://127.0.0.1:<port> */
  baseUrl: string;
  sent: FakeSentMessage[];
  /** Every refresh request, answered or refused. */
  refreshRequests: { refreshToken: string; ok: boolean }[];
  /** What a real Zalo would have punished: a reused refresh token, a wrong secret, a Bearer header ... */
  violations: string[];
  /** The pair that is valid now. */
  tokens(): { accessToken: string; refreshToken: string };
  /** From now on the current access token answers -216 (until the next refresh). */
  expireAccessToken(): void;
  /** The next refresh answers HTTP 200 with `{error_name, error_description}` and rotates nothing. */
  failNextRefresh(): void;
  /** The next `count` messages answer HTTP `status` (default 502) with a proxy's HTML page, and are not kept. */
  failNextSends(count: number, status?: number): void;
  close(): Promise<void>;
};

/** Starts the fake on 127.0.0.1 and an ephemeral port. */
export async function startFakeZaloOa(options: FakeZaloOaOptions): Promise<FakeZaloOa> {
  const sent: FakeSentMessage[] = [];
  const refreshRequests: FakeZaloOa["refreshRequests"] = [];
  const violations: string[] = [];
  const usedRefreshTokens = new Set<string>();
  const sockets = new Set<Socket>();
  let accessToken = options.accessToken;
  let refreshToken = options.refreshToken;
  let expired = false;
  let failNext = false;
  const sendFailures: number[] = [];
  let generation = 0;

  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on("data", (c: Buffer) => parts.push(c));
    req.on("end", () => {
      const path = (req.url ?? "").split("?")[0] ?? "";
      const text = Buffer.concat(parts).toString("utf8");
      if (req.method === "POST" && path === "/v3.0/oa/message/cs") return sendMessage(req, res, text);
      if (req.method === "POST" && path === "/v4/oa/access_token") return refresh(req, res, text);
      sendJson(res, 404, { error: 404, message: `no route for ${req.method} ${path}` });
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  function sendMessage(req: IncomingMessage, res: ServerResponse, text: string): void {
    const failure = sendFailures.shift();
    if (failure !== undefined) {
      res.writeHead(failure, { "content-type": "text/html" });
      return void res.end("<html><body>Bad Gateway</body></html>");
    }
    if (req.headers.authorization)
      violations.push("message/cs: Authorization header sent (Zalo wants access_token)");
    const token = single(req.headers["access_token"]);
    if (!token || token !== accessToken || expired) {
      return sendJson(res, 200, { error: -216, message: "Access token is invalid" });
    }
    const body = parseJson(text) as {
      recipient?: { user_id?: unknown };
      message?: { text?: unknown; attachment?: { type?: unknown; payload?: { buttons?: unknown } } };
    };
    const userId = body?.recipient?.user_id;
    const messageText = body?.message?.text;
    if (typeof userId !== "string" || typeof messageText !== "string" || !messageText) {
      violations.push("message/cs: recipient.user_id or message.text missing or not a string");
      return sendJson(res, 200, { error: -201, message: "Parameters are invalid" });
    }
    if ([...messageText].length > 2000) {
      violations.push("message/cs: text longer than 2000 characters");
      return sendJson(res, 200, { error: -201, message: "Text is too long" });
    }
    const attachment = body.message?.attachment;
    const buttons = Array.isArray(attachment?.payload?.buttons)
      ? (attachment.payload.buttons as FakeSentMessage["buttons"])
      : [];
    sent.push({ userId, text: messageText, buttons, accessToken: token });
    sendJson(res, 200, {
      error: 0,
      message: "Success",
      data: { message_id: `m${sent.length}`, user_id: userId },
    });
  }

  function refresh(req: IncomingMessage, res: ServerResponse, text: string): void {
    const form = new URLSearchParams(text);
    const given = form.get("refresh_token") ?? "";
    const refuse = (name: string, description: string) => {
      refreshRequests.push({ refreshToken: given, ok: false });
      sendJson(res, 200, { error_name: name, error_reason: name, error_description: description });
    };
    if (!String(req.headers["content-type"]).startsWith("application/x-www-form-urlencoded")) {
      violations.push("access_token: body is not a form");
    }
    if (single(req.headers["secret_key"]) !== options.appSecret) {
      violations.push("access_token: secret_key header is not the App Secret");
      return refuse("invalid_client", "Invalid secret key");
    }
    if (form.get("app_id") !== options.appId || form.get("grant_type") !== "refresh_token") {
      violations.push("access_token: app_id or grant_type wrong");
      return refuse("invalid_request", "Invalid app_id or grant_type");
    }
    if (failNext) {
      failNext = false;
      return refuse("Invalid refresh token", "The refresh token is invalid or has expired");
    }
    if (usedRefreshTokens.has(given)) {
      violations.push("access_token: a refresh token was used twice");
      return refuse("Invalid refresh token", "The refresh token has been used");
    }
    if (given !== refreshToken) {
      violations.push("access_token: unknown refresh token");
      return refuse("Invalid refresh token", "The refresh token is invalid");
    }
    usedRefreshTokens.add(refreshToken);
    generation += 1;
    const salt = randomBytes(4).toString("hex");
    accessToken = `fake-access-${generation}-${salt}`;
    refreshToken = `fake-refresh-${generation}-${salt}`;
    expired = false;
    refreshRequests.push({ refreshToken: given, ok: true });
    // Zalo sends expires_in as a string of seconds.
    sendJson(res, 200, { access_token: accessToken, refresh_token: refreshToken, expires_in: "90000" });
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    sent,
    refreshRequests,
    violations,
    tokens: () => ({ accessToken, refreshToken }),
    expireAccessToken() {
      expired = true;
    },
    failNextRefresh() {
      failNext = true;
    },
    failNextSends(count, status = 502) {
      for (let i = 0; i < count; i++) sendFailures.push(status);
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

/**
 * The X-ZEvent-Signature Zalo puts on a webhook body: "mac=" + hex SHA-256 of app_id + body + timestamp
 * + OA secret key, app_id and timestamp read from the body. Written apart from the channel's check, so
 * each tests the other.
 */
export function signWebhookBody(rawBody: string, oaSecretKey: string): string {
  const { app_id, timestamp } = JSON.parse(rawBody) as { app_id: string; timestamp: string };
  return `mac=${createHash("sha256").update(`${app_id}${rawBody}${timestamp}${oaSecretKey}`).digest("hex")}`;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

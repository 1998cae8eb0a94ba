import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local fake of the Zalo Bot Platform API for protocol tests (node:http on 127.0.0.1, port 0), after the
 * reference's samples: `POST /bot<token>/<method>` answered with `{ok, result}` or
 * `{ok:false, error_code, description}`. getUpdates hands out one queued update per call, or holds the
 * request until one is queued or the timeout passes and then answers error_code 408; like the real
 * platform it returns nothing while a webhook is set. sendMessage refuses texts over 2000 characters;
 * sendPhoto takes a photo URL (http or https; it fetches nothing) and a caption of at most 2000.
 */

export type FakeZaloBotCall = { method: string; body: Record<string, unknown> };

export type FakeZaloBot = {
  /** Base URL to pass as apiBase (http://127.0.0.1:<port>). */
  url: string;
  token: string;
  /** Every call with the right token, in order. */
  calls: FakeZaloBotCall[];
  /** Texts accepted by sendMessage, in order. */
  sent(): { chat_id: string; text: string }[];
  /** Photos accepted by sendPhoto, in order. */
  photos(): { chat_id: string; photo: string; caption?: string }[];
  /** The next sendPhoto fails with a 400, as for a URL Zalo cannot fetch. */
  failNextPhoto(): void;
  /** The next `count` sendMessage calls answer HTTP `status` (default 503) without an envelope. */
  failNextSends(count: number, status?: number): void;
  /** Queues an update for the next getUpdates (and wakes a waiting one). */
  queueUpdate(update: object): void;
  /** The webhook set with setWebhook, if any. */
  webhook(): { url: string; secret_token: string } | undefined;
  /** getUpdates requests being held open right now. */
  waitingPolls(): number;
  close(): Promise<void>;
};

const MAX_TEXT = 2000;

/** Starts the fake on 127.0.0.1 with a free port. */
export async function startFakeZaloBot(options: { token: string }): Promise<FakeZaloBot> {
  const { token } = options;
  const calls: FakeZaloBotCall[] = [];
  const queue: object[] = [];
  const waiters = new Set<() => void>();
  let webhook: { url: string; secret_token: string } | undefined;
  const accepted: { chat_id: string; text: string }[] = [];
  const photos: { chat_id: string; photo: string; caption?: string }[] = [];
  let failPhoto = false;
  const sendFailures: number[] = [];

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) reply(res, 500, { ok: false, error_code: 500, description: "fake crashed" });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(new URL(req.url ?? "/", "http://fake").pathname);
    if (req.method !== "POST" || !match)
      return reply(res, 404, { ok: false, error_code: 404, description: "Not Found" });
    if (decodeURIComponent(match[1] ?? "") !== token) {
      return reply(res, 401, { ok: false, error_code: 401, description: "Unauthorized" });
    }
    const method = match[2] ?? "";
    let body: Record<string, unknown>;
    try {
      const text = Buffer.concat(await readAll(req)).toString("utf8");
      const parsed: unknown = text ? JSON.parse(text) : {};
      if (typeof parsed !== "object" || parsed === null) throw new Error("not an object");
      body = parsed as Record<string, unknown>;
    } catch {
      return reply(res, 400, { ok: false, error_code: 400, description: "Bad Request: body is not JSON" });
    }
    calls.push({ method, body });
    switch (method) {
      case "getMe":
        return reply(res, 200, {
          ok: true,
          result: {
            id: "1459232241454765289",
            account_name: "bot.fake",
            account_type: "BASIC",
            can_join_groups: false,
          },
        });
      case "getUpdates":
        return getUpdates(res, Number.isFinite(Number(body.timeout)) ? Number(body.timeout) : 30);
      case "setWebhook": {
        const { url, secret_token } = body;
        if (typeof url !== "string" || !url.startsWith("https://")) {
          return reply(res, 400, {
            ok: false,
            error_code: 400,
            description: "Bad Request: url must be https",
          });
        }
        if (typeof secret_token !== "string" || secret_token.length < 8 || secret_token.length > 256) {
          return reply(res, 400, {
            ok: false,
            error_code: 400,
            description: "Bad Request: secret_token 8-256",
          });
        }
        webhook = { url, secret_token };
        return reply(res, 200, { ok: true, result: { url, updated_at: Date.now() } });
      }
      case "deleteWebhook":
        webhook = undefined;
        return reply(res, 200, { ok: true, result: { url: "", updated_at: Date.now() } });
      case "getWebhookInfo":
        return reply(res, 200, { ok: true, result: { url: webhook?.url ?? "", updated_at: Date.now() } });
      case "sendMessage": {
        const failure = sendFailures.shift();
        if (failure !== undefined) {
          res.writeHead(failure, { "content-type": "text/plain" });
          return void res.end("Service Unavailable");
        }
        const { chat_id, text } = body;
        if (typeof chat_id !== "string" || !chat_id) {
          return reply(res, 400, { ok: false, error_code: 400, description: "Bad Request: chat_id" });
        }
        if (typeof text !== "string" || text.length < 1 || text.length > MAX_TEXT) {
          return reply(res, 400, { ok: false, error_code: 400, description: "Bad Request: text 1-2000" });
        }
        accepted.push({ chat_id, text });
        return reply(res, 200, { ok: true, result: { message_id: `m${accepted.length}`, date: Date.now() } });
      }
      case "sendPhoto": {
        const { chat_id, photo, caption } = body;
        if (typeof chat_id !== "string" || !chat_id) {
          return reply(res, 400, { ok: false, error_code: 400, description: "Bad Request: chat_id" });
        }
        if (failPhoto || typeof photo !== "string" || !/^https?:\/\/[^/]+\//.test(photo)) {
          failPhoto = false;
          return reply(res, 400, { ok: false, error_code: 400, description: "Bad Request: photo url" });
        }
        if (caption !== undefined && (typeof caption !== "string" || [...caption].length > MAX_TEXT)) {
          return reply(res, 400, { ok: false, error_code: 400, description: "Bad Request: caption 0-2000" });
        }
        photos.push({ chat_id, photo, ...(typeof caption === "string" ? { caption } : {}) });
        return reply(res, 200, { ok: true, result: { message_id: `p${photos.length}`, date: Date.now() } });
      }
      case "sendChatAction":
        if (body.action !== "typing") {
          return reply(res, 400, { ok: false, error_code: 400, description: "Bad Request: action" });
        }
        return reply(res, 200, { ok: true });
      default:
        return reply(res, 404, { ok: false, error_code: 404, description: `Method ${method} not found` });
    }
  }

  function getUpdates(res: ServerResponse, timeoutS: number) {
    const take = () => {
      const update = webhook ? undefined : queue.shift();
      if (update) reply(res, 200, { ok: true, result: update });
      return update !== undefined;
    };
    if (take()) return;
    const finish = () => {
      clearTimeout(timer);
      waiters.delete(wake);
    };
    const wake = () => {
      if (take()) finish();
    };
    const timer = setTimeout(
      () => {
        finish();
        reply(res, 408, { ok: false, error_code: 408, description: "Request timeout" });
      },
      Math.max(0, timeoutS) * 1000,
    );
    waiters.add(wake);
    // The client gave up (aborted or stopped): forget the request.
    res.on("close", finish);
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    token,
    calls,
    sent: () => [...accepted],
    photos: () => [...photos],
    failNextPhoto() {
      failPhoto = true;
    },
    failNextSends(count, status = 503) {
      for (let i = 0; i < count; i++) sendFailures.push(status);
    },
    queueUpdate(update) {
      queue.push(update);
      for (const wake of [...waiters]) wake();
    },
    webhook: () => webhook,
    waitingPolls: () => waiters.size,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const wake of [...waiters]) waiters.delete(wake);
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/**
 * Delivers an update to a webhook URL as the platform does: POST with `X-Bot-Api-Secret-Token`, the update
 * wrapped as `{ok: true, result: update}` (unless `wrap` is false).
 */
export async function deliverWebhook(
  url: string,
  update: object,
  secret: string | undefined,
  options: { wrap?: boolean } = {},
): Promise<Response> {
  const body = options.wrap === false ? update : { ok: true, result: update };
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(secret ? { "x-bot-api-secret-token": secret } : {}) },
    body: JSON.stringify(body),
  });
}

function reply(res: ServerResponse, status: number, body: object) {
  if (res.headersSent || res.writableEnded) return;
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

async function readAll(req: IncomingMessage): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return chunks;
}

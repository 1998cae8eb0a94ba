import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Update, UserFromGetMe } from "grammy/types";

/**
 * A small fake of the Telegram Bot API on 127.0.0.1 for protocol tests: `POST /bot<token>/<method>` with
 * a JSON body, answered with `{ ok, result }` or `{ ok: false, error_code, description, parameters }` the
 * way api.telegram.org does. It records every call, long-polls getUpdates, checks the parts of
 * sendMessage that Telegram rejects (HTML it cannot parse, text over 4096, callback_data over 64 bytes),
 * and can be told to fail the next call of a method with a 429 or a "can't parse entities".
 */
export type FakeBotApi = {
  /** The apiRoot to give grammY. */
  url: string;
  /** Every call received, in order, failed ones included. */
  calls: RecordedCall[];
  /** Payloads of the calls of one method that succeeded. */
  sent(method: string): Record<string, unknown>[];
  /** Queues an update (a Bot API Update object) for getUpdates; the update_id is assigned when not given. */
  queueUpdate(update: { update_id?: number }): number;
  /** The next call of `method` fails once. */
  failNext(method: string, failure: FakeFailure): void;
  /** Resolves when `count` successful calls of `method` were received (rejects after timeoutMs). */
  waitFor(method: string, count?: number, timeoutMs?: number): Promise<Record<string, unknown>[]>;
  /** What setWebhook registered (undefined after deleteWebhook). */
  webhook(): { url: string; secret?: string } | undefined;
  close(): Promise<void>;
};

export type RecordedCall = {
  method: string;
  payload: Record<string, unknown>;
  /** The HTTP status answered. */
  status: number;
  at: number;
};

export type FakeFailure = { kind: "retry_after"; seconds: number } | { kind: "cant_parse_entities" };

type Reply = { status: number; body: Record<string, unknown> };

const HTML_TAGS = new Set([
  "b",
  "strong",
  "i",
  "em",
  "u",
  "ins",
  "s",
  "strike",
  "del",
  "a",
  "code",
  "pre",
  "span",
  "tg-spoiler",
  "blockquote",
]);

/** A getMe answer for tests: a private-chat bot with group privacy on; `overrides` names it. */
export function fakeBotInfo(overrides: Partial<UserFromGetMe> = {}): UserFromGetMe {
  return {
    id: 7012345678,
    is_bot: true,
    first_name: "Trợ lý du lịch Châu Đốc",
    username: "chaudoc_bot",
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
    has_topics_enabled: false,
    allows_users_to_create_topics: false,
    can_manage_bots: false,
    supports_join_request_queries: false,
    ...overrides,
  };
}

/** Starts the fake on an ephemeral port of 127.0.0.1. */
export async function startFakeBotApi(options: {
  token: string;
  botInfo: UserFromGetMe;
}): Promise<FakeBotApi> {
  const calls: RecordedCall[] = [];
  const queue: Update[] = [];
  const failures = new Map<string, FakeFailure[]>();
  const pollers = new Set<() => void>();
  const watchers = new Set<() => void>();
  let nextUpdateId = 1000;
  let nextMessageId = 1;
  let webhook: { url: string; secret?: string } | undefined;

  const ok = (result: unknown): Reply => ({ status: 200, body: { ok: true, result } });
  const fail = (status: number, description: string, parameters?: object): Reply => ({
    status,
    body: { ok: false, error_code: status, description, ...(parameters ? { parameters } : {}) },
  });

  function sentMessage(payload: Record<string, unknown>, extra: object): object {
    return {
      message_id: nextMessageId++,
      date: Math.floor(Date.now() / 1000),
      chat: { id: payload.chat_id, type: "private" },
      from: { ...options.botInfo },
      ...extra,
    };
  }

  async function answer(
    method: string,
    payload: Record<string, unknown>,
    res: ServerResponse,
  ): Promise<Reply> {
    const failure = failures.get(method)?.shift();
    if (failure?.kind === "retry_after") {
      return fail(429, `Too Many Requests: retry after ${failure.seconds}`, { retry_after: failure.seconds });
    }
    if (failure?.kind === "cant_parse_entities") {
      return fail(400, 'Bad Request: can\'t parse entities: Unsupported start tag "x" at byte offset 0');
    }
    switch (method) {
      case "getMe":
        return ok(options.botInfo);
      case "setMyCommands":
        return Array.isArray(payload.commands)
          ? ok(true)
          : fail(400, "Bad Request: commands must be an array");
      case "setWebhook":
        if (typeof payload.url !== "string") return fail(400, "Bad Request: bad webhook: url is empty");
        webhook = {
          url: payload.url,
          ...(typeof payload.secret_token === "string" ? { secret: payload.secret_token } : {}),
        };
        return ok(true);
      case "deleteWebhook":
        webhook = undefined;
        if (payload.drop_pending_updates === true) queue.length = 0;
        return ok(true);
      case "getUpdates":
        return getUpdates(payload, res);
      case "sendMessage":
        return checkMessage(payload) ?? ok(sentMessage(payload, { text: payload.text }));
      case "sendVenue": {
        const { latitude, longitude, title, address } = payload;
        if (typeof latitude !== "number" || typeof longitude !== "number") {
          return fail(400, "Bad Request: wrong latitude or longitude");
        }
        if (typeof title !== "string" || !title || typeof address !== "string" || !address) {
          return fail(400, "Bad Request: venue title and address must be non-empty");
        }
        return ok(sentMessage(payload, { venue: { location: { latitude, longitude }, title, address } }));
      }
      case "sendChatAction":
        return payload.action === "typing" ? ok(true) : fail(400, "Bad Request: wrong parameter action");
      case "answerCallbackQuery":
        return typeof payload.callback_query_id === "string"
          ? ok(true)
          : fail(400, "Bad Request: query is too old or query ID is invalid");
      default:
        return fail(404, "Not Found");
    }
  }

  async function getUpdates(payload: Record<string, unknown>, res: ServerResponse): Promise<Reply> {
    if (webhook) return fail(409, "Conflict: can't use getUpdates method while webhook is active");
    const offset = typeof payload.offset === "number" ? payload.offset : 0;
    const limit = typeof payload.limit === "number" ? payload.limit : 100;
    const timeout = typeof payload.timeout === "number" ? payload.timeout : 0;
    // Asking with an offset confirms every update before it.
    while (queue.length && (queue[0] as Update).update_id < offset) queue.shift();
    if (!queue.length && timeout > 0) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          pollers.delete(done);
          res.off("close", done);
          resolve();
        };
        const timer = setTimeout(done, timeout * 1000);
        pollers.add(done);
        res.on("close", done);
      });
    }
    return ok(queue.slice(0, limit));
  }

  /** What Telegram would refuse in a sendMessage; undefined when it would be accepted. */
  function checkMessage(payload: Record<string, unknown>): Reply | undefined {
    if (payload.chat_id === undefined) return fail(400, "Bad Request: chat_id is empty");
    if (typeof payload.text !== "string" || !payload.text.trim()) {
      return fail(400, "Bad Request: message text is empty");
    }
    let visible = payload.text;
    if (payload.parse_mode === "HTML") {
      const parsed = parseHtml(payload.text);
      if (typeof parsed !== "string") return fail(400, `Bad Request: can't parse entities: ${parsed.error}`);
      visible = parsed;
    } else if (payload.parse_mode !== undefined) {
      return fail(400, "Bad Request: unsupported parse_mode in this fake");
    }
    if (visible.length > 4096) return fail(400, "Bad Request: message is too long");
    const markup = payload.reply_markup as { inline_keyboard?: { callback_data?: string }[][] } | undefined;
    for (const button of markup?.inline_keyboard?.flat() ?? []) {
      const data = button.callback_data;
      if (data !== undefined && (data.length === 0 || Buffer.byteLength(data, "utf8") > 64)) {
        return fail(400, "Bad Request: BUTTON_DATA_INVALID");
      }
    }
    return undefined;
  }

  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: false, error_code: 500, description: String(err) }));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(req.url ?? "");
    let reply: Reply;
    let method = "";
    let payload: Record<string, unknown> = {};
    if (req.method !== "POST" || !match) {
      reply = fail(404, "Not Found");
    } else if (match[1] !== options.token) {
      method = match[2] ?? "";
      reply = fail(401, "Unauthorized");
    } else {
      method = match[2] ?? "";
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const raw = Buffer.concat(chunks).toString("utf8");
      try {
        payload = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
        reply = await answer(method, payload, res);
      } catch {
        reply = fail(400, "Bad Request: the fake reads JSON bodies only");
      }
    }
    calls.push({ method, payload, status: reply.status, at: Date.now() });
    for (const watcher of [...watchers]) watcher();
    if (res.destroyed) return;
    res.writeHead(reply.status, { "content-type": "application/json" });
    res.end(JSON.stringify(reply.body));
  }

  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;

  const sent = (method: string) =>
    calls.filter((c) => c.method === method && c.status === 200).map((c) => c.payload);

  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    sent,
    queueUpdate(update) {
      const update_id = update.update_id ?? nextUpdateId++;
      queue.push({ ...update, update_id } as unknown as Update);
      for (const poller of [...pollers]) poller();
      return update_id;
    },
    failNext(method, failure) {
      failures.set(method, [...(failures.get(method) ?? []), failure]);
    },
    waitFor(method, count = 1, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (sent(method).length < count) return;
          clearTimeout(timer);
          watchers.delete(check);
          resolve(sent(method));
        };
        const timer = setTimeout(() => {
          watchers.delete(check);
          reject(new Error(`fake Bot API: no ${count} successful ${method} call(s) within ${timeoutMs} ms`));
        }, timeoutMs);
        watchers.add(check);
        check();
      });
    },
    webhook: () => webhook,
    async close() {
      for (const poller of [...pollers]) poller();
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}

/**
 * The visible text of Telegram HTML, or why Telegram would refuse it: only its tags, balanced, and only
 * the entities &lt; &gt; &amp; &quot; and numeric ones.
 */
export function parseHtml(html: string): string | { error: string } {
  const open: string[] = [];
  let visible = "";
  let i = 0;
  while (i < html.length) {
    const c = html[i] as string;
    if (c === "<") {
      const end = html.indexOf(">", i);
      if (end < 0) return { error: `unclosed start tag at byte offset ${i}` };
      const tag = /^<(\/?)([a-z-]+)(\s[^>]*)?>$/i.exec(html.slice(i, end + 1));
      const name = tag?.[2]?.toLowerCase();
      if (!tag || !name || !HTML_TAGS.has(name))
        return { error: `Unsupported start tag at byte offset ${i}` };
      if (tag[1]) {
        if (open.pop() !== name) return { error: `Unmatched end tag at byte offset ${i}` };
      } else {
        open.push(name);
      }
      i = end + 1;
    } else if (c === "&") {
      const entity = /^&(lt|gt|amp|quot|#\d+|#x[0-9a-f]+);/i.exec(html.slice(i));
      if (!entity) return { error: `Character entity expected at byte offset ${i}` };
      visible += decodeEntity(entity[1] as string);
      i += entity[0].length;
    } else if (c === ">") {
      return { error: `Unexpected end tag at byte offset ${i}` };
    } else {
      visible += c;
      i++;
    }
  }
  if (open.length) return { error: `Can't find end tag corresponding to start tag "${open.at(-1)}"` };
  return visible;
}

function decodeEntity(name: string): string {
  const named: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"' };
  if (name[0] !== "#") return named[name.toLowerCase()] as string;
  const code = name[1]?.toLowerCase() === "x" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
  return String.fromCodePoint(code);
}

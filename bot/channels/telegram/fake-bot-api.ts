import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Update, UserFromGetMe } from "grammy/types";

/**
 * A small fake of the Telegram Bot API on 127.0.0.1 for protocol tests: `POST /bot<token>/<method>` with
 * a JSON body, answered with `{ ok, result }` or `{ ok: false, error_code, description, parameters }` the
 * way api.telegram.org does. It records every call, long-polls getUpdates, checks the parts of
 * sendMessage that Telegram rejects (HTML it cannot parse, text over 4096, callback_data over 64 bytes),
 * and can be told to fail the next call of a method with a 429 or a "can't parse entities". sendPhoto
 * takes a multipart upload (checked to be a JPEG, PNG or WebP, as Telegram refuses other bytes) or a
 * file id it gave before, and a caption of at most 1024 characters.
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
  /**
   * A file a user "sent" (a photo): getFile answers its file_path for `fileId`, and
   * GET /file/bot<token>/<file_path> serves its bytes, as Telegram does.
   */
  addFile(fileId: string, bytes: Buffer): void;
  /** What setWebhook registered (undefined after deleteWebhook). */
  webhook(): { url: string; secret?: string } | undefined;
  close(): Promise<void>;
};

export type RecordedCall = {
  method: string;
  payload: Record<string, unknown>;
  /** The files of a multipart call, by the field's attach:// name. */
  files?: Record<string, { filename: string; bytes: Buffer }>;
  /** The HTTP status answered. */
  status: number;
  at: number;
};

export type FakeFailure =
  | { kind: "retry_after"; seconds: number }
  | { kind: "cant_parse_entities" }
  /** Telegram's 400 for a photo it cannot use (a stale file id, an unreachable URL). */
  | { kind: "wrong_file" };

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
  const userFiles = new Map<string, Buffer>();
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

  const photoIds = new Set<string>();

  async function answer(
    method: string,
    payload: Record<string, unknown>,
    res: ServerResponse,
    files: Record<string, { filename: string; bytes: Buffer }> = {},
  ): Promise<Reply> {
    const failure = failures.get(method)?.shift();
    if (failure?.kind === "retry_after") {
      return fail(429, `Too Many Requests: retry after ${failure.seconds}`, { retry_after: failure.seconds });
    }
    if (failure?.kind === "cant_parse_entities") {
      return fail(400, 'Bad Request: can\'t parse entities: Unsupported start tag "x" at byte offset 0');
    }
    if (failure?.kind === "wrong_file") {
      return fail(400, "Bad Request: wrong file identifier/HTTP URL specified");
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
      case "sendPhoto":
        return sendPhoto(payload, files);
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
      case "getFile": {
        const id = String(payload.file_id ?? "");
        const bytes = userFiles.get(id);
        if (!bytes) return fail(400, "Bad Request: invalid file_id");
        return {
          status: 200,
          body: {
            ok: true,
            result: {
              file_id: id,
              file_unique_id: id,
              file_size: bytes.length,
              file_path: `photos/${id}.bin`,
            },
          },
        };
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

  function sendPhoto(
    payload: Record<string, unknown>,
    files: Record<string, { filename: string; bytes: Buffer }>,
  ): Reply {
    if (payload.chat_id === undefined) return fail(400, "Bad Request: chat_id is empty");
    const photo = payload.photo;
    if (typeof photo !== "string" || !photo)
      return fail(400, "Bad Request: there is no photo in the request");
    if (photo.startsWith("attach://")) {
      const file = files[photo.slice("attach://".length)];
      if (!file) return fail(400, "Bad Request: wrong HTTP URL specified");
      if (!isImage(file.bytes)) return fail(400, "Bad Request: IMAGE_PROCESS_FAILED");
    } else if (!photoIds.has(photo)) {
      return fail(400, "Bad Request: wrong file identifier/HTTP URL specified");
    }
    let caption = typeof payload.caption === "string" ? payload.caption : "";
    if (payload.parse_mode === "HTML") {
      const parsed = parseHtml(caption);
      if (typeof parsed !== "string") return fail(400, `Bad Request: can't parse entities: ${parsed.error}`);
      caption = parsed;
    } else if (payload.parse_mode !== undefined) {
      return fail(400, "Bad Request: unsupported parse_mode in this fake");
    }
    if (caption.length > 1024) return fail(400, "Bad Request: message caption is too long");
    const keyboardProblem = checkKeyboard(payload);
    if (keyboardProblem) return keyboardProblem;
    const id = photo.startsWith("attach://") ? `photo-${nextMessageId}` : photo;
    photoIds.add(id);
    return ok(
      sentMessage(payload, {
        photo: [{ file_id: id, file_unique_id: `u-${id}`, width: 1280, height: 720 }],
        ...(caption ? { caption } : {}),
      }),
    );
  }

  function checkKeyboard(payload: Record<string, unknown>): Reply | undefined {
    const markup = payload.reply_markup as { inline_keyboard?: { callback_data?: string }[][] } | undefined;
    for (const button of markup?.inline_keyboard?.flat() ?? []) {
      const data = button.callback_data;
      if (data !== undefined && (data.length === 0 || Buffer.byteLength(data, "utf8") > 64)) {
        return fail(400, "Bad Request: BUTTON_DATA_INVALID");
      }
    }
    return undefined;
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
    return checkKeyboard(payload);
  }

  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: false, error_code: 500, description: String(err) }));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const download = /^\/file\/bot([^/]+)\/photos\/([^/]+)\.bin$/.exec(req.url ?? "");
    if (req.method === "GET" && download) {
      const bytes = download[1] === options.token ? userFiles.get(download[2] ?? "") : undefined;
      res.writeHead(bytes ? 200 : 404, { "content-type": "application/octet-stream" });
      res.end(bytes ?? "");
      return;
    }
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(req.url ?? "");
    let reply: Reply;
    let method = "";
    let payload: Record<string, unknown> = {};
    let files: Record<string, { filename: string; bytes: Buffer }> | undefined;
    if (req.method !== "POST" || !match) {
      reply = fail(404, "Not Found");
    } else if (match[1] !== options.token) {
      method = match[2] ?? "";
      reply = fail(401, "Unauthorized");
    } else {
      method = match[2] ?? "";
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks);
      const boundary = /^multipart\/form-data;\s*boundary=(.+)$/i.exec(
        req.headers["content-type"] ?? "",
      )?.[1];
      try {
        if (boundary) {
          ({ payload, files } = parseMultipart(body, boundary));
        } else {
          const raw = body.toString("utf8");
          payload = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
        }
        reply = await answer(method, payload, res, files);
      } catch {
        reply = fail(400, "Bad Request: the fake reads JSON and multipart bodies only");
      }
    }
    calls.push({ method, payload, ...(files ? { files } : {}), status: reply.status, at: Date.now() });
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
    addFile(fileId, bytes) {
      userFiles.set(fileId, bytes);
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
 * A multipart/form-data body as grammY sends one: text fields (objects as JSON, parsed back here) and
 * files under their attach:// names.
 */
function parseMultipart(
  body: Buffer,
  boundary: string,
): { payload: Record<string, unknown>; files: Record<string, { filename: string; bytes: Buffer }> } {
  const payload: Record<string, unknown> = {};
  const files: Record<string, { filename: string; bytes: Buffer }> = {};
  const delimiter = Buffer.from(`--${boundary}`);
  let at = body.indexOf(delimiter);
  if (at < 0) throw new Error("no boundary");
  while (true) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === "--") break;
    const next = body.indexOf(delimiter, start);
    if (next < 0) throw new Error("unterminated part");
    // Each part: CRLF, headers, CRLF CRLF, content, CRLF before the next delimiter.
    const part = body.subarray(start + 2, next - 2);
    const split = part.indexOf("\r\n\r\n");
    if (split < 0) throw new Error("part without headers");
    const headers = part.subarray(0, split).toString("utf8");
    const content = part.subarray(split + 4);
    const name = /name="([^"]*)"/i.exec(headers)?.[1];
    if (name === undefined) throw new Error("part without a name");
    const filename = /filename="?([^";\r\n]*)"?/i.exec(headers)?.[1];
    if (filename !== undefined) {
      files[name] = { filename, bytes: Buffer.from(content) };
    } else {
      const text = content.toString("utf8");
      payload[name] = JSON_FIELDS.has(name)
        ? (JSON.parse(text) as unknown)
        : name === "chat_id" && /^-?\d+$/.test(text)
          ? Number(text)
          : text;
    }
    at = next;
  }
  return { payload, files };
}

/** The multipart fields grammY sends as JSON (objects and arrays of the Bot API). */
const JSON_FIELDS = new Set(["reply_markup", "caption_entities", "reply_parameters", "link_preview_options"]);

/** JPEG, PNG or WebP by their first bytes: Telegram refuses a photo it cannot decode. */
function isImage(bytes: Buffer): boolean {
  const jpeg = bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  const png = bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const webp =
    bytes.subarray(0, 4).toString("latin1") === "RIFF" && bytes.subarray(8, 12).toString("latin1") === "WEBP";
  return jpeg || png || webp;
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

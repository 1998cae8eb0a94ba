import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildFromEntries, loadContent, type KnowledgeIndex } from "../../../indexer/index.ts";
import {
  createAssistant,
  createMemoryStore,
  type Assistant,
  type Clock,
  type Logger,
  type Store,
} from "../../index.ts";
import { channelContract, scriptedAssistant, type ChannelHarness } from "../channel.case.ts";
import { createDispatcher } from "../dispatch.ts";
import type { ChannelAdapter, WebhookRequest } from "../types.ts";
import { createZaloBotClient, ZaloBotApiError, type ZaloBotFetch } from "./client.ts";
import { deliverWebhook, startFakeZaloBot, type FakeZaloBot } from "./fake-zalo-bot.ts";
import { createZaloBotChannel, ZALO_BOT_LIMITS, type ZaloBotChannelOptions } from "./zalo-bot.ts";

/**
 * The Zalo Bot adapter: unit tests through handleWebhook and polling with a stubbed fetch (the real
 * assistant over the real content for the place question), the shared channel contract, and protocol
 * tests against the local fake Zalo Bot API. Update payloads follow the reference's samples
 * (/work/shared/reference/channels.md §1b): `{event_name, message: {message_id, from, chat, date, text}}`.
 */

const TOKEN = "1459232241454765289:ZbTokenSecretPart-xyz";
const SECRET = "webhook-secret-0123";
/** Sunday 22 November 2026, 09:00 in Vietnam. */
const CLOCK: Clock = { now: () => new Date("2026-11-22T09:00:00+07:00") };
const MAP_LINK = "https://www.google.com/maps/search/?api=1&query=10.6787,105.0806";
const SILENT: Logger = { info() {}, warn() {}, error() {} };

let index: KnowledgeIndex;

beforeAll(async () => {
  const { entries, problems } = await loadContent(path.resolve(import.meta.dirname, "../../../content"));
  expect(problems).toEqual([]);
  ({ index } = await buildFromEntries(entries, "0".repeat(64)));
});

// ---------------------------------------------------------------------------------------------------
// Helpers

let seq = 0;

/** A Zalo Bot update as the platform sends it (reference §1b); ids are fresh unless given. */
function zaloUpdate(
  options: {
    text?: string;
    event?: string;
    messageId?: string;
    chatId?: string;
    userId?: string;
    extra?: Record<string, unknown>;
  } = {},
): Record<string, unknown> {
  seq += 1;
  const userId = options.userId ?? "e4ea2cd5189df1c3a88c";
  return {
    event_name: options.event ?? "message.text.received",
    message: {
      message_id: options.messageId ?? `msg-${seq}`,
      from: { id: userId, display_name: "Lan", is_bot: false },
      chat: { id: options.chatId ?? userId, chat_type: "PRIVATE" },
      date: 1795312800000,
      ...(options.text !== undefined ? { text: options.text } : {}),
      ...options.extra,
    },
  };
}

/** A webhook request as the HTTP layer hands it over; `secret: null` leaves the header out. */
function webhookRequest(body: unknown, secret: string | null = SECRET): WebhookRequest {
  return {
    headers: { "content-type": "application/json", ...(secret ? { "x-bot-api-secret-token": secret } : {}) },
    rawBody: Buffer.from(typeof body === "string" ? body : JSON.stringify(body)),
  };
}

type StubCall = { url: string; method: string; body: Record<string, unknown> };
type StubReply = { status?: number; body: unknown } | Error;

/**
 * A fetch stub standing in for the platform: records calls, answers `{ok:true}` (sendMessage rejects text
 * over 2000 like the platform), or what a test scripted for a method.
 */
function stubFetch() {
  const calls: StubCall[] = [];
  const scripted = new Map<string, StubReply[]>();
  const fetch: ZaloBotFetch = async (url, init) => {
    const method = url.split("/").at(-1) ?? "";
    const body = JSON.parse(String(init.body)) as Record<string, unknown>;
    calls.push({ url, method, body });
    const next = scripted.get(method)?.shift();
    if (next instanceof Error) throw next;
    if (next) return json(next.status ?? 200, next.body);
    if (method === "sendMessage") {
      const text = String(body.text);
      if (text.length < 1 || text.length > 2000) return json(400, { ok: false, error_code: 400 });
      return json(200, { ok: true, result: { message_id: `m${calls.length}`, date: 1 } });
    }
    if (method === "getUpdates") {
      // Nothing queued: behave like a poll that timed out, but without making the test wait.
      await new Promise((r) => setTimeout(r, 5));
      return json(200, { ok: false, error_code: 408, description: "Request timeout" });
    }
    return json(200, { ok: true, result: { url: "", updated_at: 1 } });
  };
  return {
    fetch,
    calls,
    script(method: string, ...replies: StubReply[]) {
      scripted.set(method, [...(scripted.get(method) ?? []), ...replies]);
    },
    sentTexts: () => calls.filter((c) => c.method === "sendMessage").map((c) => String(c.body.text)),
    methods: () => calls.map((c) => c.method),
  };
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

/** A logger that keeps every entry; `dump` serialises them with error messages, stacks and causes. */
function capturingLog() {
  const entries: { level: string; obj: object; msg?: string }[] = [];
  const at =
    (level: string) =>
    (obj: object, msg?: string): void => {
      entries.push({ level, obj, ...(msg !== undefined ? { msg } : {}) });
    };
  const log: Logger = { info: at("info"), warn: at("warn"), error: at("error") };
  const dump = () =>
    JSON.stringify(entries, (_key, value: unknown) =>
      value instanceof Error
        ? { ...value, name: value.name, message: value.message, stack: value.stack, cause: value.cause }
        : value,
    );
  return { log, entries, dump, errors: () => entries.filter((e) => e.level === "error") };
}

function realAssistant(store: Store): Assistant {
  return createAssistant({ index, store, clock: CLOCK });
}

function makeChannel(
  assistant: Assistant,
  options: Partial<ZaloBotChannelOptions> & { store?: Store } = {},
): ChannelAdapter {
  const store = options.store ?? createMemoryStore();
  const log = options.log ?? SILENT;
  const dispatcher = createDispatcher({ assistant, store, log, clock: CLOCK });
  return createZaloBotChannel({ token: TOKEN, webhookSecret: SECRET, dispatcher, log, ...options });
}

/** Buttons as the adapter renders them: the "• …" lines of the message's last paragraph. */
function renderedButtons(text: string): string[] {
  const last = text.split("\n\n").at(-1) ?? "";
  const lines = last.split("\n");
  if (!lines.every((l) => l.startsWith("• "))) return [];
  return lines.map((l) => l.slice(2).replace(/: https?:\/\/\S+$/, ""));
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

// ---------------------------------------------------------------------------------------------------
// Unit tests with a stubbed fetch

describe("Zalo Bot channel (stubbed fetch)", () => {
  let channel: ChannelAdapter | undefined;
  afterEach(async () => {
    await channel?.stop();
    channel = undefined;
  });

  it("answers a place question from the real assistant: Vĩnh Tế and the map link, typing first", async () => {
    const api = stubFetch();
    channel = makeChannel(realAssistant(createMemoryStore()), { fetch: api.fetch });
    const response = await channel.handleWebhook(
      webhookRequest({ ok: true, result: zaloUpdate({ text: "Miếu Bà Chúa Xứ ở đâu?", chatId: "chat-42" }) }),
    );
    expect(response.status).toBe(200);
    await channel.idle();
    expect(api.methods()).toEqual(["sendChatAction", "sendMessage"]);
    const [typing, message] = api.calls;
    expect(typing?.url).toBe(`https://bot-api.zaloplatforms.com/bot${TOKEN}/sendChatAction`);
    expect(typing?.body).toEqual({ chat_id: "chat-42", action: "typing" });
    expect(message?.body.chat_id).toBe("chat-42");
    const text = String(message?.body.text);
    expect(text).toContain("Vĩnh Tế");
    expect(text).toContain(MAP_LINK);
    expect(text.length).toBeLessThanOrEqual(2000);
    // The suggestions, rendered as text lines since the platform has no buttons.
    expect(text).toContain("\n• Mấy giờ mở cửa?");
    // The map link is in the answer already, so it is not repeated as a line.
    expect(text.split(MAP_LINK)).toHaveLength(2);
  });

  it("logs {ok:false} with HTTP 200 from sendMessage as an error and still serves the next update", async () => {
    const api = stubFetch();
    api.script("sendMessage", {
      status: 200,
      body: { ok: false, error_code: 400, description: "Bad Request" },
    });
    const capture = capturingLog();
    const assistant = scriptedAssistant((q) => ({ answer: `đáp: ${q.text}` }));
    channel = makeChannel(assistant, { fetch: api.fetch, log: capture.log });
    await channel.handleWebhook(webhookRequest(zaloUpdate({ text: "câu một" })));
    await channel.idle();
    expect(capture.errors()).toHaveLength(1);
    expect(capture.dump()).toMatch(/sendMessage: error_code 400 \(HTTP 200\): Bad Request/);
    await channel.handleWebhook(webhookRequest(zaloUpdate({ text: "câu hai" })));
    await channel.idle();
    expect(api.sentTexts()).toEqual(["đáp: câu một", "đáp: câu hai"]);
    expect(capture.errors()).toHaveLength(1);
    expect(capture.dump()).not.toContain(TOKEN);
  });

  it("never logs the token, even when calls fail with errors that contain the URL", async () => {
    const api = stubFetch();
    const url = `https://bot-api.zaloplatforms.com/bot${TOKEN}/sendMessage`;
    api.script(
      "sendChatAction",
      new TypeError(`fetch failed: ${url}`, { cause: new Error(`connect ${url}`) }),
    );
    api.script("sendMessage", {
      status: 500,
      body: { ok: false, error_code: 500, description: `boom at ${url}` },
    });
    api.script("setWebhook", new Error(`request to ${encodeURIComponent(url)} failed`));
    const capture = capturingLog();
    channel = makeChannel(
      scriptedAssistant(() => ({ answer: "ok" })),
      {
        fetch: api.fetch,
        log: capture.log,
        publicUrl: "https://du-lich.example.vn",
      },
    );
    await channel.handleWebhook(webhookRequest(zaloUpdate({ text: "xin chào" })));
    await channel.idle();
    const startError = await channel.start().then(
      () => undefined,
      (err: unknown) => err as Error,
    );
    expect(startError?.message).toContain("setWebhook");
    expect(startError?.message).not.toContain(TOKEN);
    expect(JSON.stringify(startError?.stack)).not.toContain(TOKEN.split(":")[1]);
    const dump = capture.dump();
    expect(capture.entries.filter((e) => e.level !== "info")).toHaveLength(2);
    expect(dump).toContain("bot<redacted>/sendChatAction");
    expect(dump).toContain("boom at https://bot-api.zaloplatforms.com/bot<redacted>/sendMessage");
    expect(dump).not.toContain(TOKEN.split(":")[1]);
  });

  it("refuses a webhook with a wrong or missing secret (401) and processes nothing", async () => {
    const api = stubFetch();
    const assistant = scriptedAssistant(() => ({ answer: "x" }));
    channel = makeChannel(assistant, { fetch: api.fetch });
    const body = zaloUpdate({ text: "xin chào" });
    expect((await channel.handleWebhook(webhookRequest(body, "webhook-secret-0124"))).status).toBe(401);
    expect((await channel.handleWebhook(webhookRequest(body, null))).status).toBe(401);
    expect((await channel.handleWebhook(webhookRequest(body, `${SECRET}x`))).status).toBe(401);
    const arrayHeader = { ...webhookRequest(body), headers: { "x-bot-api-secret-token": ["nope", SECRET] } };
    expect((await channel.handleWebhook(arrayHeader)).status).toBe(401);
    // Without a configured secret nothing can authenticate.
    const unsecured = makeChannel(assistant, { fetch: api.fetch, webhookSecret: undefined });
    expect((await unsecured.handleWebhook(webhookRequest(body, SECRET))).status).toBe(401);
    await channel.idle();
    await unsecured.idle();
    expect(assistant.asked).toHaveLength(0);
    expect(api.calls).toHaveLength(0);
    // The same delivery with the right secret is answered: the refusals above were about the secret.
    expect((await channel.handleWebhook(webhookRequest(body))).status).toBe(200);
    await channel.idle();
    expect(api.sentTexts()).toEqual(["x"]);
  });

  it("answers malformed JSON with 400 and processes nothing", async () => {
    const api = stubFetch();
    const assistant = scriptedAssistant(() => ({ answer: "x" }));
    channel = makeChannel(assistant, { fetch: api.fetch });
    for (const raw of ["{not json", "", "null", "42", '"text"']) {
      const response = await channel.handleWebhook(webhookRequest(raw));
      expect(response.status, raw).toBe(400);
    }
    await channel.idle();
    expect(api.calls).toHaveLength(0);
  });

  it("accepts the update both wrapped as {ok, result} and bare, answering 200 before the work is done", async () => {
    const api = stubFetch();
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const store = createMemoryStore();
    const inner = scriptedAssistant((q) => ({ answer: `đáp: ${q.text}` }));
    const slow: Assistant = {
      ask: async (q) => {
        await gate;
        return inner.ask(q);
      },
      stream: (q) => inner.stream(q),
    };
    channel = makeChannel(slow, { fetch: api.fetch, store });
    const wrapped = { ok: true, result: zaloUpdate({ text: "bọc", chatId: "c1" }) };
    const bare = zaloUpdate({ text: "trần", chatId: "c2" });
    expect(await channel.handleWebhook(webhookRequest(wrapped))).toEqual({ status: 200, body: { ok: true } });
    expect(await channel.handleWebhook(webhookRequest(bare))).toEqual({ status: 200, body: { ok: true } });
    expect(api.sentTexts()).toEqual([]);
    release();
    await channel.idle();
    const sends = api.calls.filter((c) => c.method === "sendMessage").map((c) => c.body);
    expect(sends).toEqual([
      { chat_id: "c1", text: "đáp: bọc" },
      { chat_id: "c2", text: "đáp: trần" },
    ]);
  });

  it("answers a duplicate delivery once, also after a restart (the store's claim)", async () => {
    const api = stubFetch();
    const store = createMemoryStore();
    const assistant = scriptedAssistant(() => ({ answer: "một lần" }));
    channel = makeChannel(assistant, { fetch: api.fetch, store });
    const update = zaloUpdate({ text: "xin chào", messageId: "16f6366b3f02645a3d15" });
    await channel.handleWebhook(webhookRequest(update));
    await channel.handleWebhook(webhookRequest({ ok: true, result: update }));
    await channel.idle();
    const restarted = makeChannel(assistant, { fetch: api.fetch, store });
    await restarted.handleWebhook(webhookRequest(update));
    await restarted.idle();
    expect(assistant.asked).toHaveLength(1);
    expect(api.sentTexts()).toEqual(["một lần"]);
  });

  it("splits a long answer under 2000 characters and re-splits when the suggestion lines do not fit", async () => {
    const api = stubFetch();
    const word = "Châu Đốc ";
    const block = (n: number) => `${n}: ${word.repeat(220).trim()}.`; // about 1985 characters
    const answer = `${block(1)}\n\n${block(2)}`;
    const suggestions = ["Mấy giờ mở cửa?", "Đi đến đó như thế nào?", "Lễ hội năm sau ngày nào?"];
    const capture = capturingLog();
    channel = makeChannel(
      scriptedAssistant(() => ({ answer, suggestions })),
      { fetch: api.fetch, log: capture.log },
    );
    await channel.handleWebhook(webhookRequest(zaloUpdate({ text: "kể hết đi" })));
    await channel.idle();
    const texts = api.sentTexts();
    expect(block(1).length).toBeGreaterThan(1950);
    expect(texts).toHaveLength(3);
    for (const t of texts) expect(t.length).toBeLessThanOrEqual(2000);
    expect(texts[0]).toBe(block(1));
    expect(texts[1]).toBe(block(2));
    expect(renderedButtons(texts[2] ?? "")).toEqual(suggestions);
    expect(capture.errors()).toEqual([]);
  });

  it("maps the reference's event kinds: text (also without event_name), commands, stickers, images, others", async () => {
    const api = stubFetch();
    const assistant = scriptedAssistant((q) => ({ answer: `đáp: ${q.text}` }));
    channel = makeChannel(assistant, { fetch: api.fetch });
    const deliveries: unknown[] = [
      // The docs' getUpdates sample: no event_name, numeric-looking ids as strings.
      {
        ok: true,
        result: {
          message: {
            chat: { id: "c1", chat_type: "PRIVATE" },
            text: "Xin chào",
            message_id: "a1",
            date: 1766619597466,
            from: { id: "u1", first_name: "A" },
          },
        },
      },
      // Numeric ids (some integrations send them).
      {
        event_name: "message.text.received",
        message: {
          message_id: 77,
          chat: { id: 12345, chat_type: "PRIVATE" },
          from: { id: 67890, is_bot: false },
          text: "số",
          date: 1,
        },
      },
      zaloUpdate({
        event: "message.sticker.received",
        chatId: "c3",
        extra: { sticker: "0e078a2fb66a5f34067b" },
      }),
      zaloUpdate({
        event: "message.image.received",
        chatId: "c4",
        extra: { photo_url: "https://x/y.jpg", caption: "ảnh" },
      }),
      zaloUpdate({ event: "message.unsupported.received", chatId: "c5" }),
      zaloUpdate({ text: "/events", chatId: "c6" }),
      // A bot's own message is not answered.
      {
        event_name: "message.text.received",
        message: { message_id: "b1", chat: { id: "c7" }, from: { id: "bot", is_bot: true }, text: "loop?" },
      },
      // UNCONFIRMED for the Bot Platform: a location in Zalo OA's attachment shape, coordinates as strings.
      zaloUpdate({
        event: "message.location.received",
        chatId: "c8",
        userId: "u8",
        extra: {
          attachments: [
            { type: "location", payload: { coordinates: { latitude: "10.7", longitude: "105.1" } } },
          ],
        },
      }),
      // Not a message at all: ignored with 200, so the platform does not retry it forever.
      { event_name: "bot.joined", group: { id: "g1" } },
    ];
    for (const body of deliveries)
      expect((await channel.handleWebhook(webhookRequest(body))).status).toBe(200);
    await channel.idle();
    const byChat = Object.fromEntries(
      api.calls
        .filter((c) => c.method === "sendMessage")
        .map((c) => [String(c.body.chat_id), String(c.body.text)]),
    );
    expect(Object.keys(byChat).sort()).toEqual(["12345", "c1", "c3", "c4", "c5", "c6", "c8"]);
    expect(byChat.c1).toBe("đáp: Xin chào");
    expect(byChat["12345"]).toBe("đáp: số");
    for (const chat of ["c3", "c4", "c5"]) expect(byChat[chat]).toMatch(/chỉ đọc được/);
    expect(byChat.c6).toBe("đáp: sự kiện trong 30 ngày tới");
    // Chats are answered concurrently, so the order across chats is not fixed.
    expect(assistant.asked.map((q) => `${q.userId} ${q.text}`).sort()).toEqual([
      "zalo-bot:67890 số",
      "zalo-bot:e4ea2cd5189df1c3a88c sự kiện trong 30 ngày tới",
      "zalo-bot:u1 Xin chào",
      "zalo-bot:u8 ",
    ]);
    expect(assistant.asked.find((q) => q.userId === "zalo-bot:u8")?.location).toEqual({
      lat: 10.7,
      lng: 105.1,
    });
  });

  it("polls getUpdates: a 408 means no update, errors back off and continue, repeats are not reprocessed", async () => {
    const api = stubFetch();
    const update = zaloUpdate({ text: "xin chào", messageId: "p1" });
    api.script(
      "getUpdates",
      { status: 408, body: { ok: false, error_code: 408, description: "timeout" } },
      { status: 200, body: { ok: true, result: update } },
      new TypeError("fetch failed"),
      { status: 502, body: "<html>Bad Gateway</html>" },
      { status: 200, body: { ok: true, result: update } },
      { status: 200, body: { ok: true, result: zaloUpdate({ text: "tiếp", messageId: "p2" }) } },
    );
    const capture = capturingLog();
    const assistant = scriptedAssistant((q) => ({ answer: `đáp: ${q.text}` }));
    channel = makeChannel(assistant, {
      fetch: api.fetch,
      log: capture.log,
      pollRetryDelayMs: 20,
      pollTimeoutS: 7,
    });
    await channel.start();
    await waitFor(() => api.sentTexts().length >= 2, "two answers");
    await channel.stop();
    expect(api.methods()[0]).toBe("deleteWebhook");
    expect(api.calls.find((c) => c.method === "getUpdates")?.body).toEqual({ timeout: "7" });
    expect(api.sentTexts()).toEqual(["đáp: xin chào", "đáp: tiếp"]);
    expect(assistant.asked).toHaveLength(2);
    // The repeated p1 was dropped by the adapter before anything was sent, typing included.
    expect(api.methods().filter((m) => m === "sendChatAction")).toHaveLength(2);
    const retries = capture.entries.filter((e) => e.msg === "zalo-bot: getUpdates failed; retrying");
    expect(retries.map((e) => (e.obj as { retryInMs: number }).retryInMs)).toEqual([20, 40]);
    expect(capture.dump()).not.toContain(TOKEN);
  });

  it("refuses a webhook setup without a secret of 8–256 characters", () => {
    const assistant = scriptedAssistant(() => ({ answer: "x" }));
    expect(() => makeChannel(assistant, { publicUrl: "https://x.vn", webhookSecret: undefined })).toThrow(
      /ZALO_BOT_WEBHOOK_SECRET is required/,
    );
    expect(() => makeChannel(assistant, { webhookSecret: "short" })).toThrow(/8–256/);
    expect(makeChannel(assistant, { webhookSecret: undefined }).limits).toEqual(ZALO_BOT_LIMITS);
  });
});

// ---------------------------------------------------------------------------------------------------
// The shared channel contract, driven through handleWebhook

channelContract("zalo-bot", async ({ assistant, store }): Promise<ChannelHarness> => {
  const api = stubFetch();
  const channel = makeChannel(assistant, { fetch: api.fetch, store });
  let last: unknown;
  async function deliver(body: unknown) {
    last = body;
    const response = await channel.handleWebhook(webhookRequest({ ok: true, result: body }));
    if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
  }
  return {
    limits: channel.limits,
    sendText: (text, options) =>
      deliver(
        zaloUpdate({
          text,
          ...(options?.updateId ? { messageId: options.updateId } : {}),
          ...(options?.userId ? { userId: options.userId } : {}),
        }),
      ),
    // UNCONFIRMED shape: the reference lists no location event for the Bot Platform.
    sendLocation: (lat, lng) =>
      deliver(
        zaloUpdate({
          event: "message.location.received",
          extra: { location: { latitude: lat, longitude: lng } },
        }),
      ),
    sendUnsupported: () =>
      deliver(zaloUpdate({ event: "message.sticker.received", extra: { sticker: "abc" } })),
    redeliverLast: () => deliver(last),
    settle: () => channel.idle(),
    sentTexts: () => api.sentTexts(),
    sentButtons: () => api.sentTexts().map(renderedButtons),
    close: () => channel.stop(),
  };
});

// ---------------------------------------------------------------------------------------------------
// Protocol tests against the local fake Zalo Bot API

describe("Zalo Bot channel against the fake Zalo Bot API", () => {
  let fake: FakeZaloBot | undefined;
  let channel: ChannelAdapter | undefined;
  let server: Server | undefined;
  afterEach(async () => {
    await channel?.stop();
    await fake?.close();
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
    channel = undefined;
    fake = undefined;
    server = undefined;
  });

  /** Mounts handleWebhook on a local HTTP server, as web/routes/webhooks.ts does with express. */
  async function serveWebhook(adapter: ChannelAdapter): Promise<string> {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        void adapter.handleWebhook({ headers: req.headers, rawBody: Buffer.concat(chunks) }).then((r) => {
          res.writeHead(r.status, { "content-type": "application/json" });
          res.end(JSON.stringify(r.body ?? {}));
        });
      });
    });
    await new Promise<void>((r) => server?.listen(0, "127.0.0.1", r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/zalo-bot`;
  }

  it("polling: receives a queued update and answers it with the real assistant", async () => {
    fake = await startFakeZaloBot({ token: TOKEN });
    channel = makeChannel(realAssistant(createMemoryStore()), {
      apiBase: fake.url,
      webhookSecret: undefined,
      pollTimeoutS: 0.2,
    });
    await channel.start();
    // Let one poll time out (408) before anything is queued.
    await new Promise((r) => setTimeout(r, 300));
    fake.queueUpdate(zaloUpdate({ text: "Miếu Bà Chúa Xứ ở đâu?", chatId: "chat-7" }));
    await waitFor(() => fake?.sent().length === 1, "the answer");
    const [sent] = fake.sent();
    expect(sent?.chat_id).toBe("chat-7");
    expect(sent?.text).toContain("Vĩnh Tế");
    expect(sent?.text).toContain(MAP_LINK);
    const methods = fake.calls.map((c) => c.method);
    expect(methods[0]).toBe("deleteWebhook");
    expect(methods.filter((m) => m === "getUpdates").length).toBeGreaterThanOrEqual(2);
    expect(methods.indexOf("sendChatAction")).toBeLessThan(methods.indexOf("sendMessage"));
  });

  it("webhook mode: start() registers the webhook with its secret; deliveries are checked and answered", async () => {
    fake = await startFakeZaloBot({ token: TOKEN });
    channel = makeChannel(
      scriptedAssistant((q) => ({ answer: `đáp: ${q.text}`, suggestions: ["Mấy giờ mở cửa?"] })),
      { apiBase: fake.url, publicUrl: "https://du-lich.example.vn/" },
    );
    await channel.start();
    expect(fake.webhook()).toEqual({
      url: "https://du-lich.example.vn/webhooks/zalo-bot",
      secret_token: SECRET,
    });
    expect(fake.calls.map((c) => c.method)).toEqual(["setWebhook"]);
    const url = await serveWebhook(channel);
    const wrong = await deliverWebhook(url, zaloUpdate({ text: "sai" }), "not-the-secret");
    expect(wrong.status).toBe(401);
    const right = await deliverWebhook(url, zaloUpdate({ text: "đúng", chatId: "c9" }), SECRET);
    expect(right.status).toBe(200);
    await channel.idle();
    expect(fake.sent()).toEqual([{ chat_id: "c9", text: "đáp: đúng\n\n• Mấy giờ mở cửa?" }]);
    expect(fake.calls.some((c) => c.method === "getUpdates")).toBe(false);
  });

  it("sends the entry's picture by the portal's public HTTPS URL, with its credit, before the text", async () => {
    const image = {
      url: "/media/mieu-ba.png",
      alt: "Miếu Bà Chúa Xứ nhìn từ quảng trường",
      author: "Nguyễn Văn A",
      licence: "CC BY-SA 4.0",
      sourceUrl: "https://commons.wikimedia.org/wiki/File:Mieu_Ba.png",
    };
    const pictured = scriptedAssistant((q) => ({ answer: `đáp: ${q.text}`, intent: "place", image }));
    // Zalo fetches the picture itself: without a public HTTPS address (polling) there is none to give.
    const api = stubFetch();
    const local = makeChannel(pictured, { fetch: api.fetch });
    expect(
      (await local.handleWebhook(webhookRequest({ ok: true, result: zaloUpdate({ text: "miếu" }) }))).status,
    ).toBe(200);
    await local.idle();
    expect(api.methods()).not.toContain("sendPhoto");
    expect(api.sentTexts()).toEqual(["đáp: miếu"]);
    await local.stop();

    fake = await startFakeZaloBot({ token: TOKEN });
    channel = makeChannel(pictured, { apiBase: fake.url, publicUrl: "https://du-lich.example.vn/" });
    await channel.start();
    const url = await serveWebhook(channel);
    await deliverWebhook(url, zaloUpdate({ text: "miếu", chatId: "c2" }), SECRET);
    await channel.idle();
    expect(fake.photos()).toEqual([
      {
        chat_id: "c2",
        photo: "https://du-lich.example.vn/media/mieu-ba.png",
        caption: `${image.alt}\nẢnh: Nguyễn Văn A · CC BY-SA 4.0 · ${image.sourceUrl}`,
      },
    ]);
    const methods = fake.calls.map((c) => c.method);
    expect(methods.indexOf("sendPhoto")).toBeLessThan(methods.indexOf("sendMessage"));

    // A picture Zalo refuses is left out; the answer still goes.
    fake.failNextPhoto();
    await deliverWebhook(url, zaloUpdate({ text: "lần nữa", chatId: "c2" }), SECRET);
    await channel.idle();
    expect(fake.photos()).toHaveLength(1);
    expect(fake.sent().at(-1)).toEqual({ chat_id: "c2", text: "đáp: lần nữa" });
  });

  it("stop() ends a long poll promptly and polls no more", async () => {
    fake = await startFakeZaloBot({ token: TOKEN });
    channel = makeChannel(
      scriptedAssistant(() => ({ answer: "x" })),
      {
        apiBase: fake.url,
        webhookSecret: undefined,
        pollTimeoutS: 30,
      },
    );
    await channel.start();
    await waitFor(() => fake?.waitingPolls() === 1, "a held getUpdates");
    const started = Date.now();
    await channel.stop();
    expect(Date.now() - started).toBeLessThan(1000);
    await waitFor(() => fake?.waitingPolls() === 0, "the fake to see the poll end");
    const polls = fake.calls.filter((c) => c.method === "getUpdates").length;
    await new Promise((r) => setTimeout(r, 100));
    expect(fake.calls.filter((c) => c.method === "getUpdates").length).toBe(polls);
    channel = undefined;
  });

  it("the client checks ok, maps 408 to no updates, and keeps the token out of its errors", async () => {
    fake = await startFakeZaloBot({ token: TOKEN });
    const client = createZaloBotClient({ token: TOKEN, apiBase: fake.url });
    expect(await client.getMe()).toMatchObject({ id: "1459232241454765289" });
    expect(await client.getUpdates({ timeout: 0.1 })).toEqual([]);
    fake.queueUpdate(zaloUpdate({ text: "a" }));
    expect(await client.getUpdates({ timeout: 1 })).toHaveLength(1);
    const tooLong = await client
      .sendMessage({ chat_id: "c", text: "x".repeat(2001) })
      .catch((e: unknown) => e);
    expect(tooLong).toBeInstanceOf(ZaloBotApiError);
    expect((tooLong as ZaloBotApiError).errorCode).toBe(400);
    expect((tooLong as ZaloBotApiError).message).not.toContain(TOKEN);
    const wrongToken = createZaloBotClient({ token: "1:wrong", apiBase: fake.url });
    const unauthorized = await wrongToken.getMe().catch((e: unknown) => e);
    expect((unauthorized as ZaloBotApiError).errorCode).toBe(401);
    expect((unauthorized as ZaloBotApiError).message).toContain("/bot<redacted>/getMe");
    expect(await client.sendMessage({ chat_id: "c", text: "x".repeat(2000) })).toMatchObject({
      message_id: "m1",
    });
  });
});

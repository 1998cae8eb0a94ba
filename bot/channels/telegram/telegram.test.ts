import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Transformer } from "grammy";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildFromEntries, loadContent } from "../../../indexer/index.ts";
import {
  createAssistant,
  createMemoryStore,
  openSqliteStore,
  type Assistant,
  type Clock,
  type Logger,
  type Question,
  type Store,
} from "../../index.ts";
import { channelContract, scriptedAssistant, type ChannelHarness } from "../channel.case.ts";
import { createDispatcher } from "../dispatch.ts";
import { fakeBotInfo, parseHtml, startFakeBotApi, type FakeBotApi } from "./fake-bot-api.ts";
import { TELEGRAM_LIMITS, createTelegramChannel } from "./telegram.ts";

/**
 * The Telegram adapter, three ways: grammY's own (updates through handleWebhook, outgoing calls captured
 * by an API transformer installed beneath auto-retry), the shared channel contract, and protocol tests
 * against a local fake Bot API (long polling and webhook registration). The real assistant answers over
 * the real content with a fixed clock: Sunday 22 November 2026, 09:00 in Vietnam.
 */

const CLOCK: Clock = { now: () => new Date("2026-11-22T09:00:00+07:00") };
const DATE = Math.floor(CLOCK.now().getTime() / 1000);
const TOKEN = "7012345678:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
const SECRET = "s3cret_for-tests";
const BOT = fakeBotInfo();

let realAssistant: Assistant;

beforeAll(async () => {
  const { entries, problems } = await loadContent(path.resolve(import.meta.dirname, "../../../content"));
  expect(problems).toEqual([]);
  const { index } = await buildFromEntries(entries, "0".repeat(64));
  realAssistant = createAssistant({ index, clock: CLOCK, store: createMemoryStore() });
});

// ---------------------------------------------------------------------------------------------------
// Updates as Telegram sends them (Bot API "Update" objects)

let lastUpdateId = 5000;
let lastChatId = 100;
/** A private chat nobody else uses, so the assistant's follow-up memory starts empty. */
const freshChat = () => ++lastChatId;

type From = { chatId: number; userId?: number; lang?: string; chatType?: "private" | "group" | "supergroup" };

function messageOf(from: From, fields: Record<string, unknown>) {
  const userId = from.userId ?? from.chatId;
  return {
    message_id: lastUpdateId,
    date: DATE,
    chat:
      (from.chatType ?? "private") === "private"
        ? { id: from.chatId, type: "private", first_name: "Lan" }
        : { id: from.chatId, type: from.chatType, title: "Du lịch An Giang" },
    from: {
      id: userId,
      is_bot: false,
      first_name: "Lan",
      ...(from.lang === undefined ? {} : { language_code: from.lang }),
    },
    ...fields,
  };
}

function textUpdate(text: string, from: From, extra: Record<string, unknown> = {}) {
  return { update_id: ++lastUpdateId, message: messageOf(from, { text, ...extra }) };
}

/** A command as clients send it: the text and a bot_command entity at offset 0. */
function commandUpdate(text: string, from: From) {
  const length = text.split(" ")[0]?.length ?? text.length;
  return textUpdate(text, from, { entities: [{ type: "bot_command", offset: 0, length }] });
}

function locationUpdate(lat: number, lng: number, from: From) {
  return {
    update_id: ++lastUpdateId,
    message: messageOf(from, { location: { latitude: lat, longitude: lng } }),
  };
}

function stickerUpdate(from: From) {
  return {
    update_id: ++lastUpdateId,
    message: messageOf(from, {
      sticker: {
        file_id: "CAACAgIAAxkBAAIB",
        file_unique_id: "AgADAgAD",
        type: "regular",
        width: 512,
        height: 512,
        is_animated: false,
        is_video: false,
        emoji: "👍",
      },
    }),
  };
}

function callbackUpdate(data: string, from: From) {
  const userId = from.userId ?? from.chatId;
  return {
    update_id: ++lastUpdateId,
    callback_query: {
      id: `cb-${lastUpdateId}`,
      from: { id: userId, is_bot: false, first_name: "Lan", language_code: from.lang ?? "vi" },
      chat_instance: "-8392017351",
      data,
      message: {
        message_id: 42,
        date: DATE,
        chat: { id: from.chatId, type: "private", first_name: "Lan" },
        from: { id: BOT.id, is_bot: true, first_name: BOT.first_name, username: BOT.username },
        text: "…",
      },
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// The adapter with its outgoing calls captured, grammY's way

type Call = { method: string; payload: Record<string, unknown>; at: number };
type Button = { text: string; callback_data?: string; url?: string };

/** The real assistant, recording the questions it was asked. */
function spyOn(assistant: Assistant): Assistant & { asked: Question[] } {
  const asked: Question[] = [];
  return {
    asked,
    ask: (q) => {
      asked.push(q);
      return assistant.ask(q);
    },
    stream: (q) => {
      asked.push(q);
      return assistant.stream(q);
    },
  };
}

function capturingLog() {
  const lines: { level: string; obj: object; msg?: string }[] = [];
  const at =
    (level: string) =>
    (obj: object, msg?: string): void => {
      lines.push({ level, obj, ...(msg === undefined ? {} : { msg }) });
    };
  const log: Logger = { info: at("info"), warn: at("warn"), error: at("error") };
  return { log, lines };
}

function telegramTestBed(
  options: { assistant?: Assistant; store?: Store; webhookSecret?: string | undefined } = {},
) {
  const calls: Call[] = [];
  /** Bot API answers to give instead of success, per method, first in first out. */
  const failures = new Map<string, unknown[]>();
  let messageId = 1;
  const transformer: Transformer = async (_prev, method, payload) => {
    calls.push({ method, payload: { ...(payload as Record<string, unknown>) }, at: Date.now() });
    const failure = failures.get(method)?.shift();
    if (failure instanceof Error) throw failure;
    if (failure) return failure as never;
    const p = payload as Record<string, unknown>;
    const result =
      method === "sendMessage" || method === "sendVenue"
        ? { message_id: messageId++, date: DATE, chat: { id: p.chat_id, type: "private" }, text: p.text }
        : method === "getMe"
          ? BOT
          : true;
    return { ok: true, result } as never;
  };
  const { log, lines } = capturingLog();
  const assistant = spyOn(options.assistant ?? realAssistant);
  const store = options.store ?? createMemoryStore();
  const dispatcher = createDispatcher({ assistant, store, log, clock: CLOCK });
  const secret = "webhookSecret" in options ? options.webhookSecret : SECRET;
  const channel = createTelegramChannel({
    token: TOKEN,
    ...(secret === undefined ? {} : { webhookSecret: secret }),
    botInfo: BOT,
    dispatcher,
    log,
    transformer,
    clock: CLOCK,
  });

  /** Delivers one webhook request; `headerSecret` null sends no secret header. */
  async function deliver(update: unknown, headerSecret: string | null = SECRET) {
    const body = typeof update === "string" ? update : JSON.stringify(update);
    return channel.handleWebhook({
      headers: {
        "content-type": "application/json",
        ...(headerSecret === null ? {} : { "x-telegram-bot-api-secret-token": headerSecret }),
      },
      rawBody: Buffer.from(body, "utf8"),
    });
  }

  /** Delivers updates one after the other, each answered before the next, and returns the new calls. */
  async function exchange(...updates: unknown[]): Promise<Call[]> {
    const before = calls.length;
    for (const update of updates) {
      expect((await deliver(update)).status).toBe(200);
      await channel.idle();
    }
    return calls.slice(before);
  }

  return { channel, calls, failures, lines, assistant, store, deliver, exchange };
}

const ofMethod = (calls: Call[], method: string) => calls.filter((c) => c.method === method);
const payloadsOf = (calls: Call[], method: string) => ofMethod(calls, method).map((c) => c.payload);

/** What the user reads: the text of each sendMessage, HTML decoded. */
function visibleTexts(calls: Call[]): string[] {
  return payloadsOf(calls, "sendMessage").map((p) => {
    const text = String(p.text);
    if (p.parse_mode !== "HTML") return text;
    const visible = parseHtml(text);
    if (typeof visible !== "string") throw new Error(`Telegram would refuse this HTML: ${visible.error}`);
    return visible;
  });
}

function buttonsOf(payload: Record<string, unknown> | undefined): Button[] {
  const markup = payload?.reply_markup as { inline_keyboard?: Button[][] } | undefined;
  return markup?.inline_keyboard?.flat() ?? [];
}

// ---------------------------------------------------------------------------------------------------

describe("telegram adapter (updates through the webhook handler, calls captured)", () => {
  it("answers /start in Vietnamese with example questions as buttons, after a typing action", async () => {
    const t = telegramTestBed();
    const chatId = freshChat();
    const calls = await t.exchange(commandUpdate("/start", { chatId, lang: "vi" }));
    expect(calls.map((c) => c.method)).toEqual(["sendChatAction", "sendMessage"]);
    expect(calls[0]?.payload).toMatchObject({ chat_id: chatId, action: "typing" });
    const [text] = visibleTexts(calls);
    expect(text).toMatch(/^Xin chào! Tôi là trợ lý du lịch Châu Đốc/);
    expect(text).toContain("• Miếu Bà Chúa Xứ ở đâu?");
    const message = payloadsOf(calls, "sendMessage")[0];
    expect(message).toMatchObject({ chat_id: chatId, parse_mode: "HTML" });
    expect(buttonsOf(message).map((b) => b.text)).toContain("Miếu Bà Chúa Xứ ở đâu?");
  });

  it("answers /start in English when the user's Telegram is in English", async () => {
    const t = telegramTestBed();
    const calls = await t.exchange(commandUpdate("/start", { chatId: freshChat(), lang: "en-US" }));
    const [text] = visibleTexts(calls);
    expect(text).toMatch(/^Hello! I am the Châu Đốc tourism assistant/);
    expect(text).toContain("Where is the Ba Chua Xu Temple?");
  });

  it("answers /help with what the assistant can do", async () => {
    const t = telegramTestBed();
    const calls = await t.exchange(commandUpdate("/help", { chatId: freshChat(), lang: "vi" }));
    const [text] = visibleTexts(calls);
    expect(text).toMatch(/^Tôi là trợ lý du lịch Châu Đốc\. Tôi trả lời về điểm tham quan/);
    expect(t.assistant.asked.map((q) => q.text)).toEqual(["bạn làm được gì"]);
  });

  it("answers /events with the next 30 days, the heading in bold", async () => {
    const t = telegramTestBed();
    const calls = await t.exchange(commandUpdate("/events", { chatId: freshChat(), lang: "vi" }));
    const [text] = visibleTexts(calls);
    expect(text).toMatch(/^Sự kiện 30 ngày tới \(22\/11–22\/12\/2026\):\n• Mùa nước nổi/);
    expect(payloadsOf(calls, "sendMessage")[0]?.text).toMatch(
      /^<b>Sự kiện 30 ngày tới \(22\/11–22\/12\/2026\):<\/b>\n/,
    );
  });

  it("runs /lodging as a guided exchange: it asks for guest and arrival, the reply completes it", async () => {
    const t = telegramTestBed();
    const chatId = freshChat();
    const asked = await t.exchange(commandUpdate("/lodging", { chatId, lang: "vi" }));
    const [question] = visibleTexts(asked);
    expect(question).toContain("khách là người Việt Nam hay người nước ngoài, và khách đến lúc mấy giờ?");
    const answered = await t.exchange(textUpdate("khách nước ngoài 22h", { chatId, lang: "vi" }));
    const [answer] = visibleTexts(answered);
    expect(answer).toMatch(/^Khách nước ngoài đến lúc 22:00:/);
    expect(answer).toContain("trong 12 giờ kể từ khi khách đến, tức là trước 10:00 sáng hôm sau");
  });

  it("toggles the language with /language, and later commands follow it", async () => {
    const t = telegramTestBed();
    const chat = { chatId: freshChat(), lang: "vi" };
    const calls = await t.exchange(
      commandUpdate("/language", chat),
      commandUpdate("/start", chat),
      commandUpdate("/language", chat),
      commandUpdate("/start", chat),
    );
    const texts = visibleTexts(calls);
    expect(texts[0]).toBe("Switched to English.");
    expect(texts[1]).toMatch(/^Hello!/);
    expect(texts[2]).toBe("Đã chuyển sang tiếng Việt.");
    expect(texts[3]).toMatch(/^Xin chào!/);
  });

  it("answers a question with the text, a venue with the coordinates and an inline keyboard", async () => {
    const t = telegramTestBed();
    const chatId = freshChat();
    const calls = await t.exchange(textUpdate("Miếu Bà Chúa Xứ ở đâu?", { chatId, lang: "vi" }));
    expect(calls.map((c) => c.method)).toEqual(["sendChatAction", "sendMessage", "sendVenue"]);
    const [text] = visibleTexts(calls);
    expect(text).toContain("Địa chỉ: Chân núi Sam, phường Vĩnh Tế");
    expect(payloadsOf(calls, "sendVenue")[0]).toMatchObject({
      chat_id: chatId,
      latitude: 10.6787,
      longitude: 105.0806,
      title: "Miếu Bà Chúa Xứ Núi Sam",
      address: expect.stringMatching(/^Chân núi Sam, phường Vĩnh Tế/),
    });
    const buttons = buttonsOf(payloadsOf(calls, "sendMessage")[0]);
    expect(buttons[0]).toEqual({
      text: "Bản đồ",
      url: "https://www.google.com/maps/search/?api=1&query=10.6787,105.0806",
    });
    const suggestions = buttons.filter((b) => b.callback_data !== undefined);
    expect(suggestions.map((b) => b.text)).toContain("Mấy giờ mở cửa?");
    expect(buttons.length).toBeLessThanOrEqual(TELEGRAM_LIMITS.maxButtons);
    for (const b of suggestions) {
      expect(b.callback_data).toMatch(/^s:[0-9a-f]{16}$/);
      expect(Buffer.byteLength(b.callback_data ?? "", "utf8")).toBeLessThanOrEqual(64);
    }
  });

  it("asks a pressed suggestion as the next question, and answers the callback query", async () => {
    const t = telegramTestBed();
    const chat = { chatId: freshChat(), lang: "vi" };
    const first = await t.exchange(textUpdate("Miếu Bà Chúa Xứ ở đâu?", chat));
    const hours = buttonsOf(payloadsOf(first, "sendMessage")[0]).find((b) => b.text === "Mấy giờ mở cửa?");
    expect(hours?.callback_data).toBeDefined();
    const press = callbackUpdate(hours?.callback_data ?? "", chat);
    const calls = await t.exchange(press);
    expect(calls[0]).toMatchObject({
      method: "answerCallbackQuery",
      payload: { callback_query_id: press.callback_query.id },
    });
    expect(t.assistant.asked.at(-1)?.text).toBe("Mấy giờ mở cửa?");
    const [text] = visibleTexts(calls);
    // The follow-up is about the temple of the previous answer.
    expect(text).toMatch(/^Miếu Bà Chúa Xứ Núi Sam:\n• Giờ mở cửa/);
  });

  it("answers a press on a button that carries no suggestion only with answerCallbackQuery", async () => {
    const t = telegramTestBed();
    const calls = await t.exchange(callbackUpdate("noop", { chatId: freshChat() }));
    expect(calls.map((c) => c.method)).toEqual(["answerCallbackQuery"]);
    expect(t.assistant.asked).toHaveLength(0);
  });

  it("answers a shared location with the nearest places", async () => {
    const t = telegramTestBed();
    const calls = await t.exchange(locationUpdate(10.6787, 105.0806, { chatId: freshChat(), lang: "vi" }));
    expect(t.assistant.asked[0]?.location).toEqual({ lat: 10.6787, lng: 105.0806 });
    const [text] = visibleTexts(calls);
    expect(text).toMatch(/^Các điểm gần bạn nhất/);
    expect(text).toContain("• Miếu Bà Chúa Xứ Núi Sam: 0 m");
    // The venue has no address line in a nearby answer; Telegram needs one, so the coordinates stand in.
    expect(payloadsOf(calls, "sendVenue")[0]).toMatchObject({ address: "10.6787, 105.0806" });
  });

  it("answers a sticker kindly, without typing and without asking the assistant", async () => {
    const t = telegramTestBed();
    const calls = await t.exchange(stickerUpdate({ chatId: freshChat(), lang: "vi" }));
    expect(calls.map((c) => c.method)).toEqual(["sendMessage"]);
    expect(visibleTexts(calls)[0]).toMatch(/^Xin lỗi, tôi chỉ đọc được tin nhắn chữ và vị trí/);
    expect(t.assistant.asked).toHaveLength(0);
  });

  it("in a group answers only commands, mentions (stripped) and replies to its own messages", async () => {
    const t = telegramTestBed();
    const group = { chatId: -1001234567890, userId: 555, lang: "vi", chatType: "supergroup" as const };
    const ignored = await t.exchange(
      textUpdate("Miếu Bà Chúa Xứ ở đâu?", group),
      textUpdate("hỏi @another_bot đi", group, { entities: [{ type: "mention", offset: 4, length: 12 }] }),
      commandUpdate("/start@another_bot", group),
      stickerUpdate(group),
    );
    expect(ignored).toEqual([]);
    expect(t.assistant.asked).toHaveLength(0);

    const mention = await t.exchange(
      textUpdate("@ChauDoc_bot Miếu Bà Chúa Xứ ở đâu?", group, {
        entities: [{ type: "mention", offset: 0, length: 12 }],
      }),
    );
    expect(t.assistant.asked.map((q) => q.text)).toEqual(["Miếu Bà Chúa Xứ ở đâu?"]);
    expect(payloadsOf(mention, "sendMessage")[0]?.chat_id).toBe(group.chatId);
    expect(visibleTexts(mention)[0]).toContain("Vĩnh Tế");

    const reply = await t.exchange(
      textUpdate("Mấy giờ mở cửa?", group, {
        reply_to_message: {
          message_id: 7,
          date: DATE,
          chat: { id: group.chatId, type: "supergroup", title: "Du lịch An Giang" },
          from: { id: BOT.id, is_bot: true, first_name: BOT.first_name, username: BOT.username },
          text: "Miếu Bà Chúa Xứ Núi Sam: …",
        },
      }),
    );
    expect(t.assistant.asked.at(-1)?.text).toBe("Mấy giờ mở cửa?");
    expect(visibleTexts(reply)).toHaveLength(1);

    const command = await t.exchange(commandUpdate("/help@chaudoc_bot", group));
    expect(visibleTexts(command)[0]).toMatch(/^Tôi là trợ lý du lịch Châu Đốc/);
  });

  it("escapes HTML in an answer, so a <script> arrives as text", async () => {
    const t = telegramTestBed({
      assistant: scriptedAssistant(() => ({ answer: "Thử <script>alert(1)</script> & <b>x</b>" })),
    });
    const calls = await t.exchange(textUpdate("thử", { chatId: freshChat() }));
    const [message] = payloadsOf(calls, "sendMessage");
    expect(message?.parse_mode).toBe("HTML");
    expect(message?.text).toBe("Thử &lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;x&lt;/b&gt;");
    expect(visibleTexts(calls)).toEqual(["Thử <script>alert(1)</script> & <b>x</b>"]);
  });

  it("keeps each message's HTML within 4096 characters even when escaping lengthens it", async () => {
    const answer = Array.from({ length: 700 }, (_, i) => `a&b<${i}>`).join(" ");
    const t = telegramTestBed({ assistant: scriptedAssistant(() => ({ answer })) });
    const calls = await t.exchange(textUpdate("dài", { chatId: freshChat() }));
    const sent = payloadsOf(calls, "sendMessage");
    expect(sent.length).toBeGreaterThan(1);
    for (const p of sent) expect(String(p.text).length).toBeLessThanOrEqual(4096);
    expect(visibleTexts(calls).join(" ")).toBe(answer);
  });

  it("resends a message Telegram cannot parse without parse_mode, as the plain text", async () => {
    const t = telegramTestBed({
      assistant: scriptedAssistant(() => ({
        answer: "Giá vé: 10.000 đ & miễn phí <trẻ em>",
        suggestions: ["Ở đâu?"],
      })),
    });
    t.failures.set("sendMessage", [
      { ok: false, error_code: 400, description: "Bad Request: can't parse entities: Unsupported start tag" },
    ]);
    const calls = await t.exchange(textUpdate("giá vé", { chatId: freshChat() }));
    const sent = payloadsOf(calls, "sendMessage");
    expect(sent).toHaveLength(2);
    expect(sent[0]?.parse_mode).toBe("HTML");
    expect(sent[1]?.parse_mode).toBeUndefined();
    expect(sent[1]?.text).toBe("Giá vé: 10.000 đ & miễn phí <trẻ em>");
    expect(buttonsOf(sent[1]).map((b) => b.text)).toEqual(["Ở đâu?"]);
  });

  it("waits retry_after seconds on a 429 and sends the same message again", async () => {
    const t = telegramTestBed({ assistant: scriptedAssistant(() => ({ answer: "chậm thôi" })) });
    t.failures.set("sendMessage", [
      {
        ok: false,
        error_code: 429,
        description: "Too Many Requests: retry after 1",
        parameters: { retry_after: 1 },
      },
    ]);
    const calls = await t.exchange(textUpdate("nhanh", { chatId: freshChat() }));
    const sent = ofMethod(calls, "sendMessage");
    expect(sent).toHaveLength(2);
    expect(sent[1]?.payload).toEqual(sent[0]?.payload);
    expect((sent[1]?.at ?? 0) - (sent[0]?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it("refuses a wrong or missing secret token with 401 and processes nothing", async () => {
    const t = telegramTestBed();
    const update = textUpdate("Miếu Bà Chúa Xứ ở đâu?", { chatId: freshChat() });
    expect(await t.deliver(update, "wrong-secret")).toMatchObject({ status: 401 });
    expect(await t.deliver(update, null)).toMatchObject({ status: 401 });
    expect(await t.deliver(update, `${SECRET}x`)).toMatchObject({ status: 401 });
    await t.channel.idle();
    expect(t.calls).toEqual([]);
    expect(t.assistant.asked).toHaveLength(0);
    // The same update with the right secret is then processed: the refusals did not claim it.
    expect(await t.deliver(update)).toMatchObject({ status: 200 });
    await t.channel.idle();
    expect(payloadsOf(t.calls, "sendMessage")).toHaveLength(1);
  });

  it("refuses webhook deliveries when no secret is configured (polling mode)", async () => {
    const t = telegramTestBed({ webhookSecret: undefined });
    expect((await t.deliver(textUpdate("xin chào", { chatId: freshChat() }))).status).toBe(404);
    await t.channel.idle();
    expect(t.calls).toEqual([]);
  });

  it("answers 400 to a body that is not JSON or not an update", async () => {
    const t = telegramTestBed();
    expect(await t.deliver('{"update_id": 1, "message": {')).toMatchObject({ status: 400 });
    expect(await t.deliver({ message: { text: "no update_id" } })).toMatchObject({ status: 400 });
    expect(await t.deliver("[]")).toMatchObject({ status: 400 });
    await t.channel.idle();
    expect(t.calls).toEqual([]);
  });

  it("acknowledges a message older than a day and does not answer it (a replay, or a backlog)", async () => {
    const t = telegramTestBed({ assistant: scriptedAssistant(() => ({ answer: "trả lời" })) });
    const chat = { chatId: freshChat() };
    const old = textUpdate("tin cũ", chat);
    old.message.date = DATE - 25 * 60 * 60;
    expect((await t.deliver(old)).status).toBe(200);
    await t.channel.idle();
    expect(t.calls).toEqual([]);
    expect(t.assistant.asked).toHaveLength(0);
    expect(t.lines.map((l) => l.msg).join("\n")).toMatch(/older than a day/);
    // A day's backlog (the bot was down for hours) is still answered.
    const late = textUpdate("tin muộn", chat);
    late.message.date = DATE - 23 * 60 * 60;
    await t.exchange(late);
    expect(visibleTexts(t.calls)).toEqual(["trả lời"]);
  });

  it("answers a redelivered update_id once", async () => {
    const t = telegramTestBed({ assistant: scriptedAssistant(() => ({ answer: "một lần" })) });
    const update = textUpdate("xin chào", { chatId: freshChat() });
    expect((await t.deliver(update)).status).toBe(200);
    expect((await t.deliver(update)).status).toBe(200);
    await t.channel.idle();
    expect(visibleTexts(t.calls)).toEqual(["một lần"]);
    expect(t.assistant.asked).toHaveLength(1);
  });

  it("still ignores an answered update_id after a restart on the same SQLite store", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "telegram-restart-"));
    const file = path.join(dir, "assistant.sqlite");
    try {
      const update = textUpdate("xin chào", { chatId: freshChat() });
      const before = openSqliteStore(file);
      const first = telegramTestBed({
        assistant: scriptedAssistant(() => ({ answer: "trước" })),
        store: before,
      });
      await first.exchange(update);
      expect(visibleTexts(first.calls)).toEqual(["trước"]);
      await first.channel.stop();
      await before.close();

      const after = openSqliteStore(file);
      const second = telegramTestBed({
        assistant: scriptedAssistant(() => ({ answer: "sau" })),
        store: after,
      });
      await second.exchange(update);
      // The typing action goes out before the dispatcher knows the update is old; nothing else does.
      expect(payloadsOf(second.calls, "sendMessage")).toEqual([]);
      expect(second.assistant.asked).toHaveLength(0);
      await second.exchange(textUpdate("câu mới", { chatId: freshChat() }));
      expect(visibleTexts(second.calls)).toEqual(["sau"]);
      await after.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("logs a failing send without the token and serves the next update", async () => {
    const t = telegramTestBed({ assistant: scriptedAssistant((q) => ({ answer: `ok: ${q.text}` })) });
    t.failures.set("sendMessage", [
      new Error(`request to https://api.telegram.org/bot${TOKEN}/sendMessage failed, reason: ECONNRESET`),
    ]);
    const chat = { chatId: freshChat() };
    expect((await t.deliver(textUpdate("một", chat))).status).toBe(200);
    await t.channel.idle();
    const errors = t.lines.filter((l) => l.level === "error");
    expect(errors.map((l) => l.msg)).toEqual(["telegram: update failed"]);
    const logged = JSON.stringify(t.lines);
    expect(logged).toContain("ECONNRESET");
    expect(logged).toContain("/bot<token>/sendMessage");
    expect(logged).not.toContain(TOKEN);
    const next = await t.exchange(textUpdate("hai", chat));
    expect(visibleTexts(next)).toEqual(["ok: hai"]);
  });

  it("refuses to start a webhook without a secret, or with one Telegram would reject", () => {
    const base = {
      token: TOKEN,
      botInfo: BOT,
      log: capturingLog().log,
      dispatcher: { handle: async () => [] },
    };
    expect(() => createTelegramChannel({ ...base, publicUrl: "https://chaudoc.example" })).toThrow(
      /TELEGRAM_WEBHOOK_SECRET is required/,
    );
    expect(() =>
      createTelegramChannel({ ...base, publicUrl: "https://chaudoc.example", webhookSecret: "has space" }),
    ).toThrow(/A-Z, a-z, 0-9/);
    expect(() =>
      createTelegramChannel({ ...base, publicUrl: "https://chaudoc.example", webhookSecret: SECRET }),
    ).not.toThrow();
  });
});

// ---------------------------------------------------------------------------------------------------

channelContract("telegram", async ({ assistant, store }): Promise<ChannelHarness> => {
  const t = telegramTestBed({ assistant, store });
  const chatId = freshChat();
  const userIds = new Map<string, number>();
  let last: unknown;
  const deliver = async (update: unknown) => {
    last = update;
    expect((await t.deliver(update)).status).toBe(200);
  };
  const userIdOf = (name: string) => userIds.get(name) ?? userIds.set(name, 9000 + userIds.size).size + 8999;
  return {
    limits: t.channel.limits,
    async sendText(text, options = {}) {
      const update = textUpdate(text, {
        chatId,
        ...(options.userId === undefined ? {} : { userId: userIdOf(options.userId) }),
      });
      if (options.updateId !== undefined) update.update_id = Number(options.updateId);
      await deliver(update);
    },
    sendLocation: (lat, lng) => deliver(locationUpdate(lat, lng, { chatId })),
    sendUnsupported: () => deliver(stickerUpdate({ chatId })),
    redeliverLast: () => deliver(last),
    settle: () => t.channel.idle(),
    sentTexts: () => visibleTexts(t.calls),
    sentButtons: () => payloadsOf(t.calls, "sendMessage").map((p) => buttonsOf(p).map((b) => b.text)),
    close: () => t.channel.stop(),
  };
});

// ---------------------------------------------------------------------------------------------------

describe("telegram adapter against a fake Bot API on 127.0.0.1", () => {
  let fake: FakeBotApi | undefined;
  let stopChannel: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await stopChannel?.();
    await fake?.close();
    stopChannel = undefined;
    fake = undefined;
  });

  function channelOn(api: FakeBotApi, extra: { publicUrl?: string; webhookSecret?: string } = {}) {
    const { log, lines } = capturingLog();
    const assistant = spyOn(realAssistant);
    const dispatcher = createDispatcher({ assistant, store: createMemoryStore(), log, clock: CLOCK });
    const channel = createTelegramChannel({
      token: TOKEN,
      apiRoot: api.url,
      dispatcher,
      log,
      clock: CLOCK,
      ...extra,
    });
    stopChannel = () => channel.stop();
    return { channel, lines, assistant };
  }

  const visible = (payload: Record<string, unknown> | undefined) => {
    const parsed = parseHtml(String(payload?.text));
    return typeof parsed === "string" ? parsed : `unparsable: ${parsed.error}`;
  };

  it("long polling: registers the commands, receives a queued update and answers it", async () => {
    fake = await startFakeBotApi({ token: TOKEN, botInfo: BOT });
    const { channel } = channelOn(fake);
    await channel.start();
    expect(fake.calls.map((c) => c.method).slice(0, 4)).toEqual([
      "getMe",
      "setMyCommands",
      "setMyCommands",
      "deleteWebhook",
    ]);
    const chatId = freshChat();
    const updateId = fake.queueUpdate(textUpdate("Miếu Bà Chúa Xứ ở đâu?", { chatId, lang: "vi" }));
    const [venue] = await fake.waitFor("sendVenue");
    expect(venue).toMatchObject({ chat_id: chatId, latitude: 10.6787, longitude: 105.0806 });
    expect(fake.sent("sendChatAction")).toEqual([{ chat_id: chatId, action: "typing" }]);
    expect(visible(fake.sent("sendMessage")[0])).toContain("Địa chỉ: Chân núi Sam, phường Vĩnh Tế");

    await channel.stop();
    stopChannel = undefined;
    // Stopping confirms the processed update, so Telegram would not send it again.
    const offsets = fake.calls.filter((c) => c.method === "getUpdates").map((c) => c.payload.offset);
    expect(offsets.at(-1)).toBe(updateId + 1);
  });

  it("long polling: waits out a 429, then falls back to plain text when the HTML is refused", async () => {
    fake = await startFakeBotApi({ token: TOKEN, botInfo: BOT });
    const { channel } = channelOn(fake);
    fake.failNext("sendMessage", { kind: "retry_after", seconds: 1 });
    fake.failNext("sendMessage", { kind: "cant_parse_entities" });
    await channel.start();
    const chatId = freshChat();
    fake.queueUpdate(commandUpdate("/events", { chatId, lang: "vi" }));
    const [message] = await fake.waitFor("sendMessage");
    const attempts = fake.calls.filter((c) => c.method === "sendMessage");
    expect(attempts.map((c) => c.status)).toEqual([429, 400, 200]);
    expect((attempts[1]?.at ?? 0) - (attempts[0]?.at ?? 0)).toBeGreaterThanOrEqual(950);
    expect(attempts[1]?.payload.parse_mode).toBe("HTML");
    expect(message?.parse_mode).toBeUndefined();
    expect(String(message?.text)).toMatch(/^Sự kiện 30 ngày tới \(22\/11–22\/12\/2026\):\n/);
  });

  it("webhook mode: start() sets the webhook with the secret and the commands in both languages", async () => {
    fake = await startFakeBotApi({ token: TOKEN, botInfo: BOT });
    const { channel } = channelOn(fake, { publicUrl: "https://chaudoc.example/", webhookSecret: SECRET });
    await channel.start();
    expect(fake.webhook()).toEqual({ url: "https://chaudoc.example/webhooks/telegram", secret: SECRET });
    expect(fake.sent("setWebhook")[0]?.allowed_updates).toEqual(["message", "callback_query"]);
    const menus = fake.sent("setMyCommands");
    expect(menus).toHaveLength(2);
    const vi = menus.find((m) => m.language_code === undefined);
    const en = menus.find((m) => m.language_code === "en");
    const names = (m: Record<string, unknown> | undefined) =>
      (m?.commands as { command: string }[] | undefined)?.map((c) => c.command);
    // The same commands in both languages' menus.
    const commands = ["start", "help", "events", "lodging", "language", "report", "status", "human"];
    expect(names(vi)).toEqual(commands);
    expect(names(en)).toEqual(commands);
    expect(JSON.stringify(vi)).toContain("Lễ hội, sự kiện trong 30 ngày tới");
    expect(JSON.stringify(en)).toContain("Festivals and events in the next 30 days");
    expect(fake.calls.some((c) => c.method === "getUpdates" || c.method === "deleteWebhook")).toBe(false);

    const chatId = freshChat();
    const response = await channel.handleWebhook({
      headers: { "x-telegram-bot-api-secret-token": SECRET },
      rawBody: Buffer.from(JSON.stringify(commandUpdate("/start", { chatId, lang: "en" }))),
    });
    expect(response.status).toBe(200);
    const [message] = await fake.waitFor("sendMessage");
    expect(message?.chat_id).toBe(chatId);
    expect(visible(message)).toMatch(/^Hello! I am the Châu Đốc tourism assistant/);
  });
});

// ---------------------------------------------------------------------------------------------------

describe("telegram answers with a picture (sendPhoto against the fake Bot API)", () => {
  /** A 1×1 PNG: the fake, like Telegram, refuses bytes that are not an image. */
  const PNG = Buffer.from(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=",
    "base64",
  );
  const IMAGE = {
    file: "/media/mieu-ba-test.png",
    alt: { vi: "Miếu Bà Chúa Xứ nhìn từ quảng trường", en: "The Ba Chua Xu Temple from the square" },
    author: "Nguyễn Văn A",
    licence: "CC BY-SA 4.0",
    sourceUrl: "https://commons.wikimedia.org/wiki/File:Mieu_Ba_test.png",
  };
  const CREDIT_VI = `Ảnh: Nguyễn Văn A · CC BY-SA 4.0 · ${IMAGE.sourceUrl}`;

  let dir = "";
  let pictured: Assistant;
  let fake: FakeBotApi | undefined;
  let stopChannel: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "chau-doc-tg-photo-"));
    await writeFile(path.join(dir, "mieu-ba-test.png"), PNG);
    await writeFile(path.join(dir, "not-an-image.png"), "<html>not a picture</html>");
    // The real content, with a picture on the temple (the shipped content has no photo yet).
    const { entries } = await loadContent(path.resolve(import.meta.dirname, "../../../content"));
    const withImage = entries.map((e) => (e.id === "mieu-ba-chua-xu" ? { ...e, images: [IMAGE] } : e));
    const { index } = await buildFromEntries(withImage, "1".repeat(64));
    pictured = createAssistant({ index, clock: CLOCK, store: createMemoryStore() });
  });
  afterEach(async () => {
    await stopChannel?.();
    await fake?.close();
    stopChannel = undefined;
    fake = undefined;
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** The channel polling the fake, its pictures under `dir` ("/media/<name>" → dir/<name>). */
  async function pollingChannel(assistant: Assistant, options: { photos?: boolean } = {}) {
    fake = await startFakeBotApi({ token: TOKEN, botInfo: BOT });
    const { log, lines } = capturingLog();
    const dispatcher = createDispatcher({ assistant, store: createMemoryStore(), log, clock: CLOCK });
    const channel = createTelegramChannel({
      token: TOKEN,
      apiRoot: fake.url,
      dispatcher,
      log,
      clock: CLOCK,
      ...(options.photos === false
        ? {}
        : {
            photoFile: (url: string) =>
              url.startsWith("/media/") ? path.join(dir, url.slice(7)) : undefined,
          }),
    });
    stopChannel = () => channel.stop();
    await channel.start();
    return { fake, lines };
  }

  const captionOf = (payload: Record<string, unknown> | undefined) => {
    const parsed = parseHtml(String(payload?.caption ?? ""));
    return typeof parsed === "string" ? parsed : `unparsable: ${parsed.error}`;
  };
  const sentMethods = (api: FakeBotApi) =>
    api.calls
      .filter(
        (c) =>
          c.status === 200 && !["getUpdates", "getMe", "setMyCommands", "deleteWebhook"].includes(c.method),
      )
      .map((c) => c.method);

  it("uploads the entry's picture with the whole short answer, its credit and the buttons as the caption", async () => {
    const { fake } = await pollingChannel(pictured);
    const chatId = freshChat();
    fake.queueUpdate(textUpdate("Miếu Bà Chúa Xứ ở đâu?", { chatId, lang: "vi" }));
    await fake.waitFor("sendVenue");
    expect(sentMethods(fake)).toEqual(["sendChatAction", "sendPhoto", "sendVenue"]);
    const call = fake.calls.find((c) => c.method === "sendPhoto");
    expect(call?.payload.chat_id).toBe(chatId);
    // Uploaded as multipart from the local file: the bytes Telegram received are the file's.
    const attach = String(call?.payload.photo);
    expect(attach).toMatch(/^attach:\/\//);
    expect(call?.files?.[attach.slice("attach://".length)]?.bytes.equals(PNG)).toBe(true);
    const caption = captionOf(call?.payload);
    expect(caption).toContain("Địa chỉ: Chân núi Sam, phường Vĩnh Tế");
    expect(caption.endsWith(CREDIT_VI)).toBe(true);
    expect(caption.length).toBeLessThanOrEqual(1024);
    expect(call?.payload.parse_mode).toBe("HTML");
    const labels = buttonsOf(call?.payload).map((b) => b.text);
    expect(labels).toContain("Bản đồ");
    expect(labels.length).toBeGreaterThan(1);
  });

  it("uploads a picture once and sends it by Telegram's file id after that", async () => {
    const { fake } = await pollingChannel(pictured);
    fake.queueUpdate(textUpdate("Miếu Bà Chúa Xứ ở đâu?", { chatId: freshChat(), lang: "vi" }));
    const [first] = await fake.waitFor("sendPhoto");
    fake.queueUpdate(textUpdate("Where is the Ba Chua Xu Temple?", { chatId: freshChat(), lang: "en" }));
    const [, second] = await fake.waitFor("sendPhoto", 2);
    expect(String(first?.photo)).toMatch(/^attach:\/\//);
    expect(String(second?.photo)).toMatch(/^photo-\d+$/);
    const caption = captionOf(second);
    expect(caption).toContain("Ba Chua Xu");
    expect(caption).toContain(`Photo: Nguyễn Văn A · CC BY-SA 4.0 · ${IMAGE.sourceUrl}`);
  });

  it("uploads again when Telegram refuses a remembered file id", async () => {
    const { fake } = await pollingChannel(pictured);
    fake.queueUpdate(textUpdate("Miếu Bà Chúa Xứ ở đâu?", { chatId: freshChat(), lang: "vi" }));
    await fake.waitFor("sendPhoto");
    fake.failNext("sendPhoto", { kind: "wrong_file" });
    fake.queueUpdate(textUpdate("Miếu Bà Chúa Xứ ở đâu?", { chatId: freshChat(), lang: "vi" }));
    await fake.waitFor("sendPhoto", 2);
    const attempts = fake.calls.filter((c) => c.method === "sendPhoto");
    expect(attempts.map((c) => c.status)).toEqual([200, 400, 200]);
    expect(String(attempts[2]?.payload.photo)).toMatch(/^attach:\/\//);
  });

  it("sends a long answer's picture with its alt text and credit first, then the text with the buttons", async () => {
    const long = `Miếu Bà Chúa Xứ Núi Sam:\n${"• Một chi tiết dài về lễ hội và cách đi lại quanh núi Sam. ".repeat(40)}`;
    const assistant = scriptedAssistant(() => ({
      answer: long,
      intent: "place",
      suggestions: ["Giờ mở cửa?", "Vía Bà là ngày nào?"],
      image: {
        url: IMAGE.file,
        alt: IMAGE.alt.vi,
        author: IMAGE.author,
        licence: IMAGE.licence,
        sourceUrl: IMAGE.sourceUrl,
      },
    }));
    const { fake } = await pollingChannel(assistant);
    fake.queueUpdate(textUpdate("Kể về miếu Bà", { chatId: freshChat(), lang: "vi" }));
    await fake.waitFor("sendMessage");
    expect(sentMethods(fake)).toEqual(["sendChatAction", "sendPhoto", "sendMessage"]);
    const [photo] = fake.sent("sendPhoto");
    expect(captionOf(photo)).toBe(`${IMAGE.alt.vi}\n${CREDIT_VI}`);
    expect(photo?.reply_markup).toBeUndefined();
    const [message] = fake.sent("sendMessage");
    expect(String(message?.text)).toContain("Một chi tiết dài");
    expect(buttonsOf(message).map((b) => b.text)).toEqual(["Giờ mở cửa?", "Vía Bà là ngày nào?"]);
  });

  it("falls back to the text when Telegram refuses the picture, keeping the buttons", async () => {
    const { fake, lines } = await pollingChannel(pictured);
    fake.failNext("sendPhoto", { kind: "wrong_file" });
    const chatId = freshChat();
    fake.queueUpdate(textUpdate("Miếu Bà Chúa Xứ ở đâu?", { chatId, lang: "vi" }));
    await fake.waitFor("sendVenue");
    expect(fake.calls.filter((c) => c.method === "sendPhoto").map((c) => c.status)).toEqual([400]);
    const [message] = fake.sent("sendMessage");
    expect(String(message?.text)).toContain("Địa chỉ: Chân núi Sam, phường Vĩnh Tế");
    expect(buttonsOf(message).map((b) => b.text)).toContain("Bản đồ");
    expect(lines.some((l) => l.level === "warn" && JSON.stringify(l.obj).includes("sendPhoto"))).toBe(true);
    expect(JSON.stringify(lines)).not.toContain(TOKEN);
  });

  it("sends text only when the file is missing, is not an image, or no file source is configured", async () => {
    const withFile = (file: string) =>
      scriptedAssistant(() => ({
        answer: "Miếu Bà Chúa Xứ Núi Sam:\n• Địa chỉ: Chân núi Sam",
        intent: "place",
        image: { url: file, alt: "Miếu", author: "A", licence: "CC0", sourceUrl: "https://example.org/a" },
      }));
    for (const [assistant, options, refused] of [
      [withFile("/media/missing.png"), {}, 0],
      [withFile("/media/not-an-image.png"), {}, 1],
      [withFile("/content-images/elsewhere.png"), {}, 0],
      [withFile(IMAGE.file), { photos: false }, 0],
    ] as const) {
      const { fake } = await pollingChannel(assistant, options);
      fake.queueUpdate(textUpdate("Miếu Bà ở đâu?", { chatId: freshChat(), lang: "vi" }));
      const [message] = await fake.waitFor("sendMessage");
      expect(String(message?.text)).toContain("Chân núi Sam");
      expect(fake.sent("sendPhoto")).toEqual([]);
      expect(fake.calls.filter((c) => c.method === "sendPhoto")).toHaveLength(refused);
      await stopChannel?.();
      await fake.close();
      stopChannel = undefined;
    }
    fake = undefined;
  });

  it("gives no picture to an answer about several places", async () => {
    const answer = await pictured.ask({ text: "", location: { lat: 10.6787, lng: 105.0806 }, lang: "vi" });
    expect(answer.intent).toBe("nearby");
    expect(answer.image).toBeUndefined();
    const place = await pictured.ask({ text: "Miếu Bà Chúa Xứ ở đâu?", lang: "vi" });
    expect(place.image).toEqual({
      url: IMAGE.file,
      alt: IMAGE.alt.vi,
      author: IMAGE.author,
      licence: IMAGE.licence,
      sourceUrl: IMAGE.sourceUrl,
    });
  });
});

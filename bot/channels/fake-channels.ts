import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Assistant, Clock, Logger } from "../assistant/index.ts";
import { openSqliteStore, type Store } from "../store/index.ts";
import { createDispatcher, type DispatcherDeps } from "./dispatch.ts";
import { createOutbox, type Outbox, type OutboxOptions } from "./outbox.ts";
import { fakeBotInfo, parseHtml, startFakeBotApi, type FakeBotApi } from "./telegram/fake-bot-api.ts";
import { createTelegramChannel } from "./telegram/telegram.ts";
import type { ChannelAdapter } from "./types.ts";
import { startFakeZaloBot, type FakeZaloBot } from "./zalo-bot/fake-zalo-bot.ts";
import { createZaloBotChannel } from "./zalo-bot/zalo-bot.ts";
import { signWebhookBody, startFakeZaloOa, type FakeZaloOa } from "./zalo-oa/fake-zalo-oa.ts";
import { createZaloOaChannel } from "./zalo-oa/zalo-oa.ts";

/**
 * For tests: the three chat adapters wired to their local fake platforms on 127.0.0.1, one dispatcher
 * and one outbox over a real SQLite store in a temporary folder, and a clock the test moves. Users write
 * through each adapter's real webhook entry (signed as the platform signs); what the platforms received
 * is read back per conversation.
 */

export type ChatChannel = "telegram" | "zalo-oa" | "zalo-bot";
export const CHAT_CHANNELS: readonly ChatChannel[] = ["telegram", "zalo-oa", "zalo-bot"];

/** A clock the test sets and moves. */
export type TestClock = Clock & { advance(ms: number): void; set(iso: string): void };

export function testClock(iso: string): TestClock {
  let t = Date.parse(iso);
  return {
    now: () => new Date(t),
    advance(ms) {
      t += ms;
    },
    set(value) {
      t = Date.parse(value);
    },
  };
}

export const silentLog: Logger = { info() {}, warn() {}, error() {} };

const TG_TOKEN = "7012345678:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
const TG_SECRET = "s3cret_for-tests";
const ZB_TOKEN = "1459232241454765289:zbSecretForTests";
const ZB_SECRET = "zalo-bot-secret-1";
const OA = { appId: "1234567890123456789", appSecret: "app-secret-Xq81", oaSecretKey: "oa-secret-Vb27" };
const OA_SEED = { accessToken: "seed-access-Tk4F9", refreshToken: "seed-refresh-Rz7P2" };

export type ChannelBed = {
  store: Store;
  outbox: Outbox;
  clock: TestClock;
  adapters: Record<ChatChannel, ChannelAdapter>;
  fakes: { telegram: FakeBotApi; zaloOa: FakeZaloOa; zaloBot: FakeZaloBot };
  /** A user's text message on a channel, through the adapter's webhook; waits until it is answered. */
  userSays(channel: ChatChannel, conversationId: string, text: string): Promise<void>;
  /** A Telegram user presses the suggestion button labelled `label` on the last message to them. */
  telegramPresses(chatId: string, label: string): Promise<void>;
  /** Everything the platform accepted for that conversation, as the user sees it, in order. */
  received(channel: ChatChannel, conversationId: string): string[];
  /** Waits for the adapters and the outbox. */
  settle(): Promise<void>;
  close(): Promise<void>;
};

/** Starts the fakes, the store, the adapters, the dispatcher and the outbox. */
export async function startChannelBed(options: {
  assistant: Assistant;
  clock: TestClock;
  /** Extra dispatcher dependencies (the handoff desk). */
  dispatcher?: (bed: { store: Store; outbox: Outbox }) => Partial<DispatcherDeps>;
  outbox?: Partial<OutboxOptions>;
}): Promise<ChannelBed> {
  const { clock } = options;
  const dir = await mkdtemp(join(tmpdir(), "channel-bed-"));
  const store = openSqliteStore(join(dir, "store.db"), { writer: "here" });
  const botInfo = fakeBotInfo();
  const [telegram, zaloOa, zaloBot] = await Promise.all([
    startFakeBotApi({ token: TG_TOKEN, botInfo }),
    startFakeZaloOa({ ...OA, ...OA_SEED }),
    startFakeZaloBot({ token: ZB_TOKEN }),
  ]);
  const log = silentLog;
  let adapters: ChannelAdapter[] = [];
  const outbox = createOutbox({
    store,
    channels: () => adapters,
    log,
    clock,
    retryBaseMs: 20,
    ...options.outbox,
  });
  const dispatcher = createDispatcher({
    assistant: options.assistant,
    store,
    log,
    clock,
    outbox,
    perUserPerMinute: 1000,
    ...options.dispatcher?.({ store, outbox }),
  });
  const tg = createTelegramChannel({
    token: TG_TOKEN,
    apiRoot: telegram.url,
    webhookSecret: TG_SECRET,
    botInfo,
    dispatcher,
    log,
    clock,
  });
  const oa = createZaloOaChannel({
    ...OA,
    ...OA_SEED,
    apiBase: zaloOa.baseUrl,
    oauthBase: zaloOa.baseUrl,
    dispatcher,
    store,
    log,
    clock,
  });
  const zb = createZaloBotChannel({
    token: ZB_TOKEN,
    apiBase: zaloBot.url,
    webhookSecret: ZB_SECRET,
    dispatcher,
    log,
  });
  adapters = [tg, oa, zb];
  let seq = 0;

  async function settle(): Promise<void> {
    for (let i = 0; i < 3; i++) {
      await Promise.all(adapters.map((a) => a.idle()));
      await outbox.idle();
    }
  }

  return {
    store,
    outbox,
    clock,
    adapters: { telegram: tg, "zalo-oa": oa, "zalo-bot": zb },
    fakes: { telegram, zaloOa, zaloBot },

    async userSays(channel, conversationId, text) {
      seq += 1;
      const now = clock.now().getTime();
      let response;
      if (channel === "telegram") {
        const chatId = Number(conversationId);
        const update = {
          update_id: 700_000 + seq,
          message: {
            message_id: seq,
            date: Math.floor(now / 1000),
            chat: { id: chatId, type: "private", first_name: "Lan" },
            from: { id: chatId, is_bot: false, first_name: "Lan", language_code: "vi" },
            text,
          },
        };
        response = await tg.handleWebhook({
          headers: { "x-telegram-bot-api-secret-token": TG_SECRET },
          rawBody: Buffer.from(JSON.stringify(update)),
        });
      } else if (channel === "zalo-oa") {
        const raw = JSON.stringify({
          app_id: OA.appId,
          sender: { id: conversationId },
          recipient: { id: "579745863508352884" },
          event_name: "user_send_text",
          message: { text, msg_id: `bed-msg-${seq}` },
          timestamp: String(now),
        });
        response = await oa.handleWebhook({
          headers: { "x-zevent-signature": signWebhookBody(raw, OA.oaSecretKey) },
          rawBody: Buffer.from(raw),
        });
      } else {
        const body = {
          ok: true,
          result: {
            event_name: "message.text.received",
            message: {
              message_id: `bed-${seq}`,
              from: { id: conversationId, display_name: "Lan", is_bot: false },
              chat: { id: conversationId, chat_type: "PRIVATE" },
              date: now,
              text,
            },
          },
        };
        response = await zb.handleWebhook({
          headers: { "x-bot-api-secret-token": ZB_SECRET },
          rawBody: Buffer.from(JSON.stringify(body)),
        });
      }
      if (response.status !== 200) throw new Error(`${channel} webhook answered ${response.status}`);
      await settle();
    },

    async telegramPresses(chatId, label) {
      const last = telegram
        .sent("sendMessage")
        .filter((p) => String(p.chat_id) === chatId)
        .at(-1);
      const keyboard = (
        last?.reply_markup as { inline_keyboard?: { text: string; callback_data?: string }[][] }
      )?.inline_keyboard;
      const button = keyboard?.flat().find((b) => b.text === label);
      if (!button?.callback_data) throw new Error(`no button "${label}" on the last message to ${chatId}`);
      seq += 1;
      const update = {
        update_id: 700_000 + seq,
        callback_query: {
          id: `cb-${seq}`,
          from: { id: Number(chatId), is_bot: false, first_name: "Lan", language_code: "vi" },
          chat_instance: "ci",
          data: button.callback_data,
          message: {
            message_id: seq,
            date: Math.floor(clock.now().getTime() / 1000),
            chat: { id: Number(chatId), type: "private", first_name: "Lan" },
            text: "…",
          },
        },
      };
      const response = await tg.handleWebhook({
        headers: { "x-telegram-bot-api-secret-token": TG_SECRET },
        rawBody: Buffer.from(JSON.stringify(update)),
      });
      if (response.status !== 200) throw new Error(`telegram webhook answered ${response.status}`);
      await settle();
    },

    received(channel, conversationId) {
      if (channel === "telegram")
        return telegram
          .sent("sendMessage")
          .filter((p) => String(p.chat_id) === conversationId)
          .map((p) => {
            const parsed = parseHtml(String(p.text));
            return typeof parsed === "string" ? parsed : String(p.text);
          });
      if (channel === "zalo-oa")
        return zaloOa.sent.filter((m) => m.userId === conversationId).map((m) => m.text);
      return zaloBot
        .sent()
        .filter((m) => m.chat_id === conversationId)
        .map((m) => m.text);
    },

    settle,

    async close() {
      await settle();
      await outbox.stop();
      await Promise.all(adapters.map((a) => a.stop()));
      await store.close();
      await Promise.all([telegram.close(), zaloOa.close(), zaloBot.close()]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

import { createHmac } from "node:crypto";
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
import { signWebhookBody, startFakeZaloOa, type FakeZaloOa } from "./fake-zalo-oa.ts";
import { TOKENS_KEY } from "./tokens.ts";
import { createZaloOaChannel, LIMITS } from "./zalo-oa.ts";

/**
 * The Zalo OA channel driven through its real entry point, handleWebhook, with bodies signed the way
 * Zalo signs them. Outgoing calls go to an injected fetch (unit) or a fake Zalo server on 127.0.0.1
 * (integration). Payload shapes follow the samples in shared/reference/channels.md §1a.
 */

const CONTENT = path.resolve(import.meta.dirname, "../../../content");
/** Sunday 22 November 2026, 09:00 in Vietnam. */
const CLOCK: Clock = { now: () => new Date("2026-11-22T09:00:00+07:00") };
const TIMESTAMP = String(CLOCK.now().getTime());

const APP_ID = "1234567890123456789";
const APP_SECRET = "app-secret-Xq81";
const OA_SECRET = "oa-secret-Vb27";
const OA_ID = "579745863508352884";
/** Larger than 2^53: a parse as number would change its last digits. */
const USER = "8437264519384756123";
const SEED = { accessToken: "seed-access-Tk4F9", refreshToken: "seed-refresh-Rz7P2" };

let index: KnowledgeIndex;

beforeAll(async () => {
  const { entries, problems } = await loadContent(CONTENT);
  expect(problems).toEqual([]);
  ({ index } = await buildFromEntries(entries, "0".repeat(64)));
});

// ---------------------------------------------------------------- payloads (reference §1a)

let msgSeq = 0;
const nextMsgId = () => `a1b2c3d4e5f6${String(++msgSeq).padStart(4, "0")}`;

function textEvent(text: string, options: { userId?: string | undefined; msgId?: string | undefined } = {}) {
  return {
    app_id: APP_ID,
    sender: { id: options.userId ?? USER },
    user_id_by_app: "552177279717587730",
    recipient: { id: OA_ID },
    event_name: "user_send_text",
    message: { text, msg_id: options.msgId ?? nextMsgId() },
    timestamp: TIMESTAMP,
  };
}

/** Chatwoot's shape: an attachment of type "location" with payload.coordinates (here numbers). */
function locationAttachmentEvent(latitude: number | string, longitude: number | string) {
  return {
    app_id: APP_ID,
    sender: { id: USER },
    recipient: { id: OA_ID },
    event_name: "user_send_location",
    message: {
      msg_id: nextMsgId(),
      text: "",
      attachments: [{ type: "location", payload: { coordinates: { latitude, longitude } } }],
    },
    timestamp: TIMESTAMP,
  };
}

/** The hoangnd25 guide's shape: message.location. */
function locationFieldEvent(latitude: number | string, longitude: number | string) {
  return {
    app_id: APP_ID,
    sender: { id: USER },
    recipient: { id: OA_ID },
    event_name: "user_send_location",
    message: { msg_id: nextMsgId(), location: { latitude, longitude } },
    timestamp: TIMESTAMP,
  };
}

function followEvent(userId = USER) {
  return {
    app_id: APP_ID,
    oa_id: OA_ID,
    follower: { id: userId },
    user_id_by_app: "552177279717587730",
    event_name: "follow",
    source: "oa_profile",
    timestamp: TIMESTAMP,
  };
}

function stickerEvent() {
  return {
    app_id: APP_ID,
    sender: { id: USER },
    recipient: { id: OA_ID },
    event_name: "user_send_sticker",
    message: {
      msg_id: nextMsgId(),
      attachments: [{ type: "sticker", payload: { id: "bfe458bf64fa8da4d4eb", url: "https://zalo.me/s/1" } }],
    },
    timestamp: TIMESTAMP,
  };
}

/** Receipts and echoes: sender is the OA, recipient the user (reference §1a). */
function receiptEvent(eventName: string) {
  return {
    app_id: APP_ID,
    sender: { id: OA_ID },
    recipient: { id: USER },
    event_name: eventName,
    message: { msg_ids: ["m1"], msg_id: nextMsgId(), text: "echo" },
    timestamp: TIMESTAMP,
  };
}

function unfollowEvent() {
  return {
    app_id: APP_ID,
    oa_id: OA_ID,
    follower: { id: USER },
    event_name: "unfollow",
    timestamp: TIMESTAMP,
  };
}

/** A webhook request as Zalo sends it: the exact body bytes and the MAC over them. */
function signed(body: object | string, options: { prefix?: boolean; secret?: string } = {}): WebhookRequest {
  const raw = typeof body === "string" ? body : JSON.stringify(body);
  const mac = signWebhookBody(raw, options.secret ?? OA_SECRET);
  return {
    headers: {
      "content-type": "application/json",
      "x-zevent-signature": options.prefix === false ? mac.slice(4) : mac,
    },
    rawBody: Buffer.from(raw, "utf8"),
  };
}

// ---------------------------------------------------------------- an injected fetch (unit)

type Recorded = { url: string; headers: Record<string, string>; body: string; response?: unknown };
type SentBody = {
  recipient: { user_id: string };
  message: {
    text: string;
    attachment?: {
      type: string;
      payload: { template_type: string; buttons: { title: string; type: string; payload: unknown }[] };
    };
  };
};

/** A fetch that records every request and answers from scripts; defaults answer like a healthy Zalo. */
function scriptedFetch() {
  const calls: Recorded[] = [];
  let refreshes = 0;
  const script = {
    send: async (_r: Recorded): Promise<unknown> => ({
      error: 0,
      message: "Success",
      data: { message_id: `m${calls.length}` },
    }),
    refresh: async (_r: Recorded): Promise<unknown> => {
      refreshes += 1;
      return {
        access_token: `new-access-${refreshes}-Jw3`,
        refresh_token: `new-refresh-${refreshes}-Hq5`,
        expires_in: "90000",
      };
    },
  };
  const fetchImpl: typeof fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const r: Recorded = {
      url,
      headers: Object.fromEntries(new Headers(init?.headers).entries()),
      body: typeof init?.body === "string" ? init.body : "",
    };
    calls.push(r);
    r.response = url.endsWith("/v4/oa/access_token") ? await script.refresh(r) : await script.send(r);
    return new Response(JSON.stringify(r.response), {
      status: 200,
      headers: { "content-type": "application/json" },
    });
  };
  const sendCalls = () => calls.filter((c) => c.url === "https://openapi.test/v3.0/oa/message/cs");
  return {
    fetch: fetchImpl,
    script,
    calls,
    sendCalls,
    refreshCalls: () => calls.filter((c) => c.url === "https://oauth.test/v4/oa/access_token"),
    /** Bodies of the sends that Zalo accepted. */
    delivered: () =>
      sendCalls()
        .filter((c) => (c.response as { error?: unknown } | undefined)?.error === 0)
        .map((c) => JSON.parse(c.body) as SentBody),
  };
}

/** A logger that keeps every line, errors serialised with message, cause and details. */
function capturingLog() {
  const lines: string[] = [];
  const serialise = (level: string) => (obj: object, msg?: string) => {
    lines.push(
      `${level} ${msg ?? ""} ${JSON.stringify(obj, (_k, v: unknown) =>
        v instanceof Error
          ? { name: v.name, message: v.message, stack: v.stack, cause: v.cause, ...(v as object) }
          : v,
      )}`,
    );
  };
  const log: Logger = { info: serialise("info"), warn: serialise("warn"), error: serialise("error") };
  return { log, lines, text: () => lines.join("\n") };
}

type Setup = {
  channel: ChannelAdapter;
  store: Store;
  zalo: ReturnType<typeof scriptedFetch>;
  logs: ReturnType<typeof capturingLog>;
  deliver(request: WebhookRequest): Promise<number>;
};

const channels: ChannelAdapter[] = [];
afterEach(async () => {
  for (const c of channels.splice(0)) await c.stop();
});

function setup(
  options: { assistant?: Assistant; store?: Store; refreshEveryMs?: number; maxEventAgeMs?: number } = {},
): Setup {
  const store = options.store ?? createMemoryStore();
  const assistant = options.assistant ?? createAssistant({ index, clock: CLOCK });
  const logs = capturingLog();
  const zalo = scriptedFetch();
  const dispatcher = createDispatcher({ assistant, store, log: logs.log, clock: CLOCK });
  const channel = createZaloOaChannel({
    appId: APP_ID,
    appSecret: APP_SECRET,
    oaSecretKey: OA_SECRET,
    ...SEED,
    apiBase: "https://openapi.test",
    oauthBase: "https://oauth.test/",
    dispatcher,
    store,
    log: logs.log,
    fetch: zalo.fetch,
    clock: CLOCK,
    ...(options.refreshEveryMs ? { refreshEveryMs: options.refreshEveryMs } : {}),
    ...(options.maxEventAgeMs ? { maxEventAgeMs: options.maxEventAgeMs } : {}),
  });
  channels.push(channel);
  return {
    channel,
    store,
    zalo,
    logs,
    async deliver(request) {
      return (await channel.handleWebhook(request)).status;
    },
  };
}

const storedTokens = async (store: Store) =>
  JSON.parse((await store.getState(TOKENS_KEY)) ?? "null") as unknown;

// ---------------------------------------------------------------- unit

describe("zalo-oa webhook authentication", () => {
  it("accepts the MAC with and without the mac= prefix and answers each", async () => {
    const s = setup({ assistant: scriptedAssistant((q) => ({ answer: `đáp: ${q.text}` })) });
    expect(await s.deliver(signed(textEvent("một"), { prefix: true }))).toBe(200);
    expect(await s.deliver(signed(textEvent("hai"), { prefix: false }))).toBe(200);
    await s.channel.idle();
    expect(s.zalo.delivered().map((b) => b.message.text)).toEqual(["đáp: một", "đáp: hai"]);
  });

  it("refuses a wrong MAC, a missing header and an HMAC with 401, and processes nothing", async () => {
    const assistant = scriptedAssistant(() => ({ answer: "không được gửi" }));
    const s = setup({ assistant });
    expect(await s.deliver(signed(textEvent("sai khoá"), { secret: "another-secret" }))).toBe(401);
    const unsigned = signed(textEvent("không ký"));
    expect(
      await s.deliver({ headers: { "content-type": "application/json" }, rawBody: unsigned.rawBody }),
    ).toBe(401);
    const raw = JSON.stringify(textEvent("hmac"));
    const hmac = createHmac("sha256", OA_SECRET).update(raw).digest("hex");
    expect(
      await s.deliver({ headers: { "x-zevent-signature": `mac=${hmac}` }, rawBody: Buffer.from(raw) }),
    ).toBe(401);
    await s.channel.idle();
    expect(assistant.asked).toHaveLength(0);
    expect(s.zalo.calls).toHaveLength(0);
  });

  it("checks the MAC over the raw bytes: the same JSON re-serialised fails", async () => {
    const assistant = scriptedAssistant(() => ({ answer: "x" }));
    const s = setup({ assistant });
    const event = textEvent("định dạng khác");
    const request = signed(event);
    const pretty = Buffer.from(JSON.stringify(event, null, 2), "utf8");
    expect(await s.deliver({ headers: request.headers, rawBody: pretty })).toBe(401);
    await s.channel.idle();
    expect(assistant.asked).toHaveLength(0);
    // The original bytes with the same header pass.
    expect(await s.deliver(request)).toBe(200);
    await s.channel.idle();
    expect(assistant.asked).toHaveLength(1);
  });

  it("refuses a correctly signed event from outside the time window around now, and sends nothing", async () => {
    const assistant = scriptedAssistant(() => ({ answer: "không được gửi" }));
    const s = setup({ assistant });
    const at = (ms: number) => ({ ...textEvent("cũ"), timestamp: String(ms) });
    const now = CLOCK.now().getTime();
    for (const event of [
      at(Date.parse("2020-03-01T00:00:00Z")),
      at(now - 5 * 60_000 - 1000),
      at(now + 5 * 60_000 + 1000),
      { ...textEvent("giây"), timestamp: String(Math.floor(Date.parse("2020-03-01T00:00:00Z") / 1000)) },
      { ...textEvent("chữ"), timestamp: "yesterday" },
    ]) {
      const res = await s.channel.handleWebhook(signed(event));
      expect(res.status, event.timestamp).toBe(403);
      expect(JSON.stringify(res.body)).toMatch(/time window/);
    }
    // Within the window (a delivery delayed a few minutes, a clock a little ahead) it is answered.
    expect(await s.deliver(signed(at(now - 4 * 60_000)))).toBe(200);
    expect(await s.deliver(signed(at(now + 60_000)))).toBe(200);
    await s.channel.idle();
    expect(assistant.asked).toHaveLength(2);
    expect(s.zalo.delivered()).toHaveLength(2);
    expect(s.logs.text()).toMatch(/outside the accepted time window/);
  });

  it("takes the window from maxEventAgeMs", async () => {
    const assistant = scriptedAssistant(() => ({ answer: "x" }));
    const s = setup({ assistant, maxEventAgeMs: 30_000 });
    const now = CLOCK.now().getTime();
    expect(await s.deliver(signed({ ...textEvent("a"), timestamp: String(now - 60_000) }))).toBe(403);
    expect(await s.deliver(signed({ ...textEvent("b"), timestamp: String(now - 20_000) }))).toBe(200);
  });

  it("refuses a correctly signed event of another app (app_id is not ZALO_APP_ID), and sends nothing", async () => {
    const assistant = scriptedAssistant(() => ({ answer: "không được gửi" }));
    const s = setup({ assistant });
    for (const appId of ["999", "", 12345, `${APP_ID}0`]) {
      const res = await s.channel.handleWebhook(signed({ ...textEvent("app khác"), app_id: appId }));
      expect(res.status, String(appId)).toBe(403);
    }
    const noAppId: Partial<ReturnType<typeof textEvent>> = textEvent("không có app_id");
    delete noAppId.app_id;
    expect((await s.channel.handleWebhook(signed(noAppId))).status).not.toBe(200);
    await s.channel.idle();
    expect(assistant.asked).toHaveLength(0);
    expect(s.zalo.calls).toHaveLength(0);
  });

  it("answers 400 to a body that is not JSON", async () => {
    const s = setup();
    const request = signed(textEvent("x"));
    expect(
      await s.deliver({ headers: request.headers, rawBody: Buffer.from('{"app_id": "1", "event_n') }),
    ).toBe(400);
    await s.channel.idle();
    expect(s.zalo.calls).toHaveLength(0);
  });

  it("answers 200 before the assistant has finished (Zalo's 2-second window)", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow: Assistant = {
      async ask(q) {
        await gate;
        return scriptedAssistant(() => ({ answer: "chậm" })).ask(q);
      },
      stream: () => {
        throw new Error("unused");
      },
    };
    const s = setup({ assistant: slow });
    expect(await s.deliver(signed(textEvent("chậm thôi")))).toBe(200);
    expect(s.zalo.calls).toHaveLength(0);
    release();
    await s.channel.idle();
    expect(s.zalo.delivered().map((b) => b.message.text)).toEqual(["chậm"]);
  });
});

describe("zalo-oa events with the real assistant", () => {
  it("answers 'Miếu Bà Chúa Xứ ở đâu?' with the address, a map link button and suggestion buttons", async () => {
    const s = setup();
    await s.deliver(signed(textEvent("Miếu Bà Chúa Xứ ở đâu?")));
    await s.channel.idle();
    const [call] = s.zalo.sendCalls();
    expect(s.zalo.sendCalls()).toHaveLength(1);
    expect(call?.headers["access_token"]).toBe(SEED.accessToken);
    expect(call?.headers["authorization"]).toBeUndefined();
    expect(call?.headers["content-type"]).toBe("application/json");
    const body = JSON.parse(call?.body ?? "{}") as SentBody;
    expect(body.recipient).toEqual({ user_id: USER });
    expect(body.message.text).toContain("Vĩnh Tế");
    expect(body.message.attachment?.type).toBe("template");
    expect(body.message.attachment?.payload.template_type).toBe("button");
    const buttons = body.message.attachment?.payload.buttons ?? [];
    expect(buttons[0]).toEqual({
      title: "Bản đồ",
      type: "oa.open.url",
      payload: { url: "https://www.google.com/maps/search/?api=1&query=10.6787,105.0806" },
    });
    // oa.query.show sends the payload back as the user's message: it is the suggestion itself.
    expect(buttons).toContainEqual({
      title: "Mấy giờ mở cửa?",
      type: "oa.query.show",
      payload: "Mấy giờ mở cửa?",
    });
    expect(buttons.length).toBeLessThanOrEqual(LIMITS.maxButtons);
  });

  it("keeps a user id that arrives as a JSON number longer than a double exactly", async () => {
    const s = setup({ assistant: scriptedAssistant(() => ({ answer: "id giữ nguyên" })) });
    const raw = JSON.stringify(textEvent("xin chào")).replace(`"id":"${USER}"`, `"id":${USER}`);
    expect(raw).toContain(`"id":${USER}}`);
    expect(await s.deliver(signed(raw))).toBe(200);
    await s.channel.idle();
    expect(s.zalo.delivered().map((b) => b.recipient.user_id)).toEqual([USER]);
  });

  it("answers a location sent as an attachment with numeric coordinates with the nearest places", async () => {
    const s = setup();
    await s.deliver(signed(locationAttachmentEvent(10.6787, 105.0806)));
    await s.channel.idle();
    const [body] = s.zalo.delivered();
    expect(body?.message.text).toMatch(/^Các điểm gần bạn nhất/);
    expect(body?.message.text.split("\n")[1]).toContain("Miếu Bà Chúa Xứ Núi Sam: 0 m");
  });

  it("answers a location sent as message.location with string coordinates", async () => {
    const s = setup();
    // Chùa Hang's coordinates: it must come first, so the strings were read as these numbers.
    await s.deliver(signed(locationFieldEvent("10.6727", "105.0741")));
    await s.channel.idle();
    const [body] = s.zalo.delivered();
    expect(body?.message.text).toMatch(/^Các điểm gần bạn nhất/);
    expect(body?.message.text.split("\n")[1]).toContain("Chùa Hang (Phước Điền tự): 0 m");
  });

  it("welcomes a new follower (follower.id, no msg_id), once per delivery", async () => {
    const s = setup();
    const follow = signed(followEvent("7777777777777777777"));
    await s.deliver(follow);
    await s.deliver(follow);
    await s.channel.idle();
    const sent = s.zalo.delivered();
    expect(sent).toHaveLength(1);
    expect(sent[0]?.recipient.user_id).toBe("7777777777777777777");
    expect(sent[0]?.message.text).toMatch(/^Xin chào! Tôi là trợ lý du lịch Châu Đốc/);
  });

  it("replies kindly to a sticker without asking the assistant", async () => {
    const assistant = scriptedAssistant(() => ({ answer: "x" }));
    const s = setup({ assistant });
    await s.deliver(signed(stickerEvent()));
    await s.channel.idle();
    expect(assistant.asked).toHaveLength(0);
    expect(s.zalo.delivered().map((b) => b.message.text)).toEqual([
      expect.stringContaining("tôi chỉ đọc được tin nhắn chữ và vị trí"),
    ]);
  });

  it("sends nothing for receipts, the OA's own echoes and unfollow, but 200 to each", async () => {
    const assistant = scriptedAssistant(() => ({ answer: "chỉ câu này" }));
    const s = setup({ assistant });
    for (const e of [
      receiptEvent("user_seen_message"),
      receiptEvent("user_received_message"),
      receiptEvent("oa_send_text"),
      unfollowEvent(),
    ]) {
      expect(await s.deliver(signed(e))).toBe(200);
    }
    await s.deliver(signed(textEvent("còn đây thì trả lời")));
    await s.channel.idle();
    expect(assistant.asked.map((q) => q.text)).toEqual(["còn đây thì trả lời"]);
    expect(s.zalo.delivered().map((b) => b.message.text)).toEqual(["chỉ câu này"]);
  });

  it("answers a msg_id delivered twice once", async () => {
    const s = setup();
    const request = signed(textEvent("Miếu Bà Chúa Xứ ở đâu?", { msgId: "dup-0001" }));
    await s.deliver(request);
    await s.channel.idle();
    await s.deliver(request);
    await s.deliver(signed(textEvent("Miếu Bà Chúa Xứ ở đâu?", { msgId: "dup-0001" })));
    await s.channel.idle();
    expect(s.zalo.sendCalls()).toHaveLength(1);
  });

  it("splits a long answer into messages under 2000 characters, buttons on the last only", async () => {
    const paragraphs = Array.from(
      { length: 30 },
      (_, i) => `Đoạn ${i + 1}: ${"chữ Việt ".repeat(30).trim()}.`,
    );
    const s = setup({
      assistant: scriptedAssistant(() => ({ answer: paragraphs.join("\n\n"), suggestions: ["Thêm nữa?"] })),
    });
    await s.deliver(signed(textEvent("kể hết đi")));
    await s.channel.idle();
    const sent = s.zalo.delivered();
    expect(sent.length).toBeGreaterThan(1);
    for (const b of sent) expect([...b.message.text].length).toBeLessThanOrEqual(2000);
    expect(sent.slice(0, -1).every((b) => b.message.attachment === undefined)).toBe(true);
    expect(sent.at(-1)?.message.attachment?.payload.buttons.map((b) => b.payload)).toEqual(["Thêm nữa?"]);
    const joined = sent.map((b) => b.message.text).join("\n\n");
    for (const p of paragraphs) expect(joined).toContain(p);
  });
});

describe("zalo-oa tokens", () => {
  it("on -216 refreshes once, stores the new pair first, and sends again with the new token", async () => {
    const s = setup({ assistant: scriptedAssistant(() => ({ answer: "đã gửi lại" })) });
    let storedWhenUsed: unknown;
    s.zalo.script.send = async (r) => {
      if (r.headers["access_token"] === SEED.accessToken)
        return { error: -216, message: "Access token is invalid" };
      storedWhenUsed ??= await storedTokens(s.store);
      return { error: 0, message: "Success", data: { message_id: "m1" } };
    };
    await s.channel.start();
    await s.deliver(signed(textEvent("hết hạn")));
    await s.channel.idle();

    const [refresh] = s.zalo.refreshCalls();
    expect(s.zalo.refreshCalls()).toHaveLength(1);
    expect(refresh?.headers["secret_key"]).toBe(APP_SECRET);
    expect(refresh?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(Object.fromEntries(new URLSearchParams(refresh?.body))).toEqual({
      refresh_token: SEED.refreshToken,
      app_id: APP_ID,
      grant_type: "refresh_token",
    });
    expect(s.zalo.sendCalls().map((c) => c.headers["access_token"])).toEqual([
      SEED.accessToken,
      "new-access-1-Jw3",
    ]);
    // The new pair was in the store by the time its access token was first used.
    expect(storedWhenUsed).toMatchObject({
      accessToken: "new-access-1-Jw3",
      refreshToken: "new-refresh-1-Hq5",
    });
    expect(await storedTokens(s.store)).toMatchObject({
      accessToken: "new-access-1-Jw3",
      refreshToken: "new-refresh-1-Hq5",
      expiresAt: new Date(CLOCK.now().getTime() + 90_000_000).toISOString(),
    });
    expect(s.zalo.delivered().map((b) => b.message.text)).toEqual(["đã gửi lại"]);
    expect(s.logs.text()).toContain("access token refreshed");
    for (const t of [SEED.accessToken, SEED.refreshToken, "new-access-1-Jw3", "new-refresh-1-Hq5"]) {
      expect(s.logs.text()).not.toContain(t);
    }
  });

  it("shares one refresh between concurrent -216s", async () => {
    const s = setup({ assistant: scriptedAssistant((q) => ({ answer: `đáp ${q.text}` })) });
    let rejected = 0;
    let bothRejected: () => void = () => {};
    const both = new Promise<void>((resolve) => (bothRejected = resolve));
    s.zalo.script.send = async (r) => {
      if (r.headers["access_token"] !== SEED.accessToken) return { error: 0, message: "Success", data: {} };
      if (++rejected === 2) bothRejected();
      return { error: -216, message: "Access token is invalid" };
    };
    const refresh = s.zalo.script.refresh;
    // The refresh answers only once both sends were refused, so both wait on it at the same time.
    s.zalo.script.refresh = async (r) => {
      await Promise.race([both, new Promise((resolve) => setTimeout(resolve, 1000))]);
      return refresh(r);
    };
    await s.deliver(signed(textEvent("một", { userId: "1000000000000000001" })));
    await s.deliver(signed(textEvent("hai", { userId: "1000000000000000002" })));
    await s.channel.idle();
    expect(rejected).toBe(2);
    expect(s.zalo.refreshCalls()).toHaveLength(1);
    const resent = s.zalo.sendCalls().filter((c) => c.headers["access_token"] === "new-access-1-Jw3");
    expect(resent.map((c) => (JSON.parse(c.body) as SentBody).message.text).sort()).toEqual([
      "đáp hai",
      "đáp một",
    ]);
  });

  it("does not refresh again for a -216 that arrives after another send already refreshed", async () => {
    const s = setup({ assistant: scriptedAssistant((q) => ({ answer: `đáp ${q.text}` })) });
    let refused = 0;
    s.zalo.script.send = async (r) => {
      if (r.headers["access_token"] !== SEED.accessToken) return { error: 0, message: "Success", data: {} };
      // The second refusal is answered late: after the first refresh has stored its new pair.
      if (++refused === 2) {
        await waitFor(() => s.zalo.refreshCalls().length === 1);
        while ((await s.store.getState(TOKENS_KEY))?.includes("new-access-1") !== true) {
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
      }
      return { error: -216, message: "Access token is invalid" };
    };
    await s.deliver(signed(textEvent("một", { userId: "1000000000000000001" })));
    await s.deliver(signed(textEvent("hai", { userId: "1000000000000000002" })));
    await s.channel.idle();
    expect(refused).toBe(2);
    expect(s.zalo.refreshCalls()).toHaveLength(1);
    expect(
      s.zalo
        .delivered()
        .map((b) => b.message.text)
        .sort(),
    ).toEqual(["đáp hai", "đáp một"]);
  });

  it("treats a non-zero error with HTTP 200 as a failed send: logged, no refresh, no retry", async () => {
    const s = setup({ assistant: scriptedAssistant(() => ({ answer: "ngoài cửa sổ 7 ngày" })) });
    s.zalo.script.send = async () => ({
      error: -230,
      message: "User has not interacted with the OA in 7 days",
    });
    expect(await s.deliver(signed(textEvent("một")))).toBe(200);
    await s.channel.idle();
    expect(s.zalo.sendCalls()).toHaveLength(1);
    expect(s.zalo.refreshCalls()).toHaveLength(0);
    const line = s.logs.lines.find((l) => l.startsWith("error zalo-oa: could not reply"));
    expect(line).toContain("zalo_oa_send_failed");
    expect(line).toContain("error -230");
  });

  it("keeps the stored pair when the refresh answers HTTP 200 with error_name / error_description", async () => {
    const s = setup({ assistant: scriptedAssistant(() => ({ answer: "không tới" })) });
    s.zalo.script.send = async () => ({ error: -216, message: "Access token is invalid" });
    s.zalo.script.refresh = async () => ({
      error_name: "Invalid refresh token",
      error_reason: "Invalid refresh token",
      error_description: `Refresh token ${SEED.refreshToken} is invalid`,
    });
    await s.channel.start();
    const before = await storedTokens(s.store);
    expect(before).toEqual(SEED);
    expect(await s.deliver(signed(textEvent("một")))).toBe(200);
    await s.channel.idle();
    expect(await storedTokens(s.store)).toEqual(before);
    expect(s.zalo.refreshCalls()).toHaveLength(1);
    // No send with an `undefined` token: only the one refused attempt.
    expect(s.zalo.sendCalls().map((c) => c.headers["access_token"])).toEqual([SEED.accessToken]);
    expect(s.logs.text()).toMatch(/error zalo-oa: token refresh failed.*Invalid refresh token/);
    expect(s.logs.text()).toContain("[redacted]");
    for (const t of [SEED.accessToken, SEED.refreshToken]) expect(s.logs.text()).not.toContain(t);
    // Still serving: the next update is processed (and refused again, without a crash).
    expect(await s.deliver(signed(textEvent("hai")))).toBe(200);
    await s.channel.idle();
    expect(s.zalo.sendCalls()).toHaveLength(2);
  });

  it("stores the seed only when the store has no tokens", async () => {
    const store = createMemoryStore();
    const kept = { accessToken: "kept-access-Zz1", refreshToken: "kept-refresh-Zz2" };
    await store.setState(TOKENS_KEY, JSON.stringify(kept));
    const s = setup({ store, assistant: scriptedAssistant(() => ({ answer: "ok" })) });
    await s.channel.start();
    expect(await storedTokens(store)).toEqual(kept);
    await s.deliver(signed(textEvent("dùng token đã lưu")));
    await s.channel.idle();
    expect(s.zalo.sendCalls().map((c) => c.headers["access_token"])).toEqual([kept.accessToken]);

    const empty = setup({ assistant: scriptedAssistant(() => ({ answer: "ok" })) });
    await empty.channel.start();
    expect(await storedTokens(empty.store)).toEqual(SEED);
  });

  it("refreshes on a schedule after start() and stops with stop()", async () => {
    const s = setup({ refreshEveryMs: 20 });
    await s.channel.start();
    expect(s.zalo.refreshCalls()).toHaveLength(0);
    await waitFor(() => s.zalo.refreshCalls().length >= 2);
    await s.channel.stop();
    const count = s.zalo.refreshCalls().length;
    // Each refresh used the refresh token the previous one stored.
    expect(s.zalo.refreshCalls().map((c) => new URLSearchParams(c.body).get("refresh_token"))).toEqual([
      SEED.refreshToken,
      ...Array.from({ length: count - 1 }, (_, i) => `new-refresh-${i + 1}-Hq5`),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(s.zalo.refreshCalls()).toHaveLength(count);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

// ---------------------------------------------------------------- the shared channel contract

channelContract("zalo-oa", async ({ assistant, store }) => {
  const zalo = scriptedFetch();
  const channel = createZaloOaChannel({
    appId: APP_ID,
    appSecret: APP_SECRET,
    oaSecretKey: OA_SECRET,
    ...SEED,
    apiBase: "https://openapi.test",
    oauthBase: "https://oauth.test",
    dispatcher: createDispatcher({ assistant, store, log: capturingLog().log, clock: CLOCK }),
    store,
    log: capturingLog().log,
    fetch: zalo.fetch,
    clock: CLOCK,
  });
  await channel.start();
  let last: WebhookRequest | undefined;
  const deliver = async (event: object) => {
    last = signed(event);
    const { status } = await channel.handleWebhook(last);
    if (status !== 200) throw new Error(`webhook answered ${status}`);
  };
  const harness: ChannelHarness = {
    limits: channel.limits,
    sendText: (text, options = {}) =>
      deliver(textEvent(text, { userId: options.userId, msgId: options.updateId })),
    sendLocation: (lat, lng) => deliver(locationAttachmentEvent(lat, lng)),
    sendUnsupported: () => deliver(stickerEvent()),
    async redeliverLast() {
      if (!last) throw new Error("nothing delivered yet");
      await channel.handleWebhook(last);
    },
    settle: () => channel.idle(),
    sentTexts: () => zalo.delivered().map((b) => b.message.text),
    sentButtons: () =>
      zalo.delivered().map((b) => (b.message.attachment?.payload.buttons ?? []).map((x) => x.title)),
    close: () => channel.stop(),
  };
  return harness;
});

// ---------------------------------------------------------------- against a fake Zalo OA server

describe("zalo-oa against a fake Zalo OA server", () => {
  let fake: FakeZaloOa;
  let store: Store;
  let channel: ChannelAdapter;
  let logs: ReturnType<typeof capturingLog>;

  async function open(refreshEveryMs?: number) {
    fake = await startFakeZaloOa({ appId: APP_ID, appSecret: APP_SECRET, ...SEED });
    store = createMemoryStore();
    logs = capturingLog();
    const assistant = createAssistant({ index, clock: CLOCK });
    channel = createZaloOaChannel({
      appId: APP_ID,
      appSecret: APP_SECRET,
      oaSecretKey: OA_SECRET,
      ...SEED,
      apiBase: fake.baseUrl,
      oauthBase: fake.baseUrl,
      dispatcher: createDispatcher({ assistant, store, log: logs.log, clock: CLOCK }),
      store,
      log: logs.log,
      clock: CLOCK,
      ...(refreshEveryMs ? { refreshEveryMs } : {}),
    });
    await channel.start();
  }

  afterEach(async () => {
    await channel.stop();
    await fake.close();
  });

  it("answers a signed webhook: the reply is recorded with the token, user id and buttons", async () => {
    await open();
    expect((await channel.handleWebhook(signed(textEvent("Miếu Bà Chúa Xứ ở đâu?")))).status).toBe(200);
    await channel.idle();
    expect(fake.sent).toHaveLength(1);
    expect(fake.sent[0]).toMatchObject({ userId: USER, accessToken: SEED.accessToken });
    expect(fake.sent[0]?.text).toContain("Vĩnh Tế");
    expect(fake.sent[0]?.buttons.map((b) => b.type)).toContain("oa.open.url");
    expect(fake.violations).toEqual([]);
  });

  it("refreshes an expired token once and the message still goes out, twice in a row", async () => {
    await open();
    fake.expireAccessToken();
    await channel.handleWebhook(signed(textEvent("Miếu Bà Chúa Xứ ở đâu?")));
    await channel.idle();
    expect(fake.refreshRequests).toEqual([{ refreshToken: SEED.refreshToken, ok: true }]);
    expect(fake.sent.map((m) => m.accessToken)).toEqual([fake.tokens().accessToken]);
    expect(await storedTokens(store)).toMatchObject(fake.tokens());

    // The second expiry hits two users at once: one more refresh, with the rotated refresh token.
    fake.expireAccessToken();
    await channel.handleWebhook(signed(textEvent("Chùa Hang ở đâu?", { userId: "1000000000000000001" })));
    await channel.handleWebhook(signed(textEvent("Núi Sam ở đâu?", { userId: "1000000000000000002" })));
    await channel.idle();
    expect(fake.refreshRequests.map((r) => r.ok)).toEqual([true, true]);
    expect(fake.sent).toHaveLength(3);
    expect(new Set(fake.sent.slice(1).map((m) => m.accessToken))).toEqual(
      new Set([fake.tokens().accessToken]),
    );
    expect(fake.violations).toEqual([]);
    for (const t of [
      SEED.accessToken,
      SEED.refreshToken,
      fake.tokens().accessToken,
      fake.tokens().refreshToken,
    ]) {
      expect(logs.text()).not.toContain(t);
    }
  });

  it("answers a replayed msg_id once", async () => {
    await open();
    const request = signed(textEvent("Miếu Bà Chúa Xứ ở đâu?", { msgId: "replay-1" }));
    await channel.handleWebhook(request);
    await channel.handleWebhook(request);
    await channel.idle();
    await channel.handleWebhook(request);
    await channel.idle();
    expect(fake.sent).toHaveLength(1);
  });

  it("survives a refresh answered with an HTTP-200 error, then recovers with the same refresh token", async () => {
    await open();
    fake.expireAccessToken();
    fake.failNextRefresh();
    await channel.handleWebhook(signed(textEvent("Miếu Bà Chúa Xứ ở đâu?")));
    await channel.idle();
    expect(fake.sent).toHaveLength(0);
    expect(await storedTokens(store)).toEqual(SEED);
    expect(logs.text()).toContain("token refresh failed");

    await channel.handleWebhook(signed(textEvent("Núi Sam ở đâu?")));
    await channel.idle();
    expect(fake.refreshRequests.map((r) => [r.refreshToken, r.ok])).toEqual([
      [SEED.refreshToken, false],
      [SEED.refreshToken, true],
    ]);
    expect(fake.sent).toHaveLength(1);
    expect(fake.violations).toEqual([]);
  });

  it("refreshes on its schedule, each time with the refresh token the last one stored", async () => {
    await open(25);
    await waitFor(() => fake.refreshRequests.length >= 3);
    await channel.stop();
    expect(fake.refreshRequests.every((r) => r.ok)).toBe(true);
    expect(fake.violations).toEqual([]);
    expect(await storedTokens(store)).toMatchObject(fake.tokens());
  });
});

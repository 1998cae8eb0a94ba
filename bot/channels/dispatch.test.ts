import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openSqliteStore, type Store } from "../store/index.ts";
import { scriptedAssistant } from "./channel.case.ts";
import { createMemoryStore } from "../store/index.ts";
import type { Answer } from "../assistant/index.ts";
import { createDispatcher, planMessages } from "./dispatch.ts";
import type { ChannelLimits, Incoming } from "./types.ts";

/** The dispatcher on a real SQLite store in a temporary folder, with a clock the test moves. */

const LIMITS: ChannelLimits = { maxText: 2000, maxButtons: 3, maxButtonLabel: 40, nativeLocation: false };
const DAY = 24 * 60 * 60 * 1000;
const silent = { info() {}, warn() {}, error() {} };

let dir = "";
let store: Store | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("dispatcher", () => {
  it("keeps the record of a handled update by when it came, not by the event's own time", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "chau-doc-dispatch-"));
    store = openSqliteStore(path.join(dir, "assistant.sqlite"));
    let now = Date.parse("2026-11-22T02:00:00Z");
    const dispatcher = createDispatcher({
      assistant: scriptedAssistant(() => ({ answer: "Miếu mở cửa cả ngày." })),
      store,
      log: silent,
      clock: { now: () => new Date(now) },
    });
    // A delivery whose event says it is six years old (a replay of an old signed event, or a clock).
    const old: Incoming = {
      channel: "zalo-oa",
      updateId: "msg-2020",
      conversationId: "u1",
      userId: "u1",
      receivedAt: Date.parse("2020-01-01T00:00:00Z"),
      event: { kind: "text", text: "Miếu Bà mấy giờ mở cửa?" },
    };
    expect((await dispatcher.handle(old, LIMITS)).map((m) => m.text)).toEqual(["Miếu mở cửa cả ngày."]);
    // The daily retention purge (RETENTION_DAYS=180) runs, and the same delivery comes again.
    await store.purgeBefore(new Date(now - 180 * DAY).toISOString());
    now += 60_000;
    expect(await dispatcher.handle(old, LIMITS)).toEqual([]);
    now += 179 * DAY;
    await store.purgeBefore(new Date(now - 180 * DAY).toISOString());
    expect(await dispatcher.handle(old, LIMITS)).toEqual([]);
  });
});

describe("dispatcher: talking to a person", () => {
  const incoming = (updateId: string, event: Incoming["event"]): Incoming => ({
    channel: "telegram",
    updateId,
    conversationId: "42",
    userId: "42",
    receivedAt: Date.parse("2026-11-23T02:00:00Z"),
    event,
  });

  it("records when the user wrote (the reply window), and answers /human with help when no desk is set", async () => {
    const memory = createMemoryStore();
    const assistant = scriptedAssistant(() => ({ answer: "Tôi trả lời về du lịch Châu Đốc." }));
    const dispatcher = createDispatcher({
      assistant,
      store: memory,
      log: silent,
      clock: { now: () => new Date("2026-11-23T02:00:05Z") },
    });
    const out = await dispatcher.handle(
      incoming("1", { kind: "command", command: "human", args: "" }),
      LIMITS,
    );
    expect(out.map((m) => m.text)).toEqual(["Tôi trả lời về du lịch Châu Đốc."]);
    expect(assistant.asked.map((q) => q.text)).toEqual(["bạn làm được gì"]);
    // The platform's time, being the earlier one.
    expect(await memory.conversationActivity("telegram", "42")).toEqual({
      lastUserAt: Date.parse("2026-11-23T02:00:00Z"),
      sentSinceUser: 0,
    });
  });

  it("asks the desk first, and sends only its reply when it keeps the bot quiet", async () => {
    const seen: string[] = [];
    const assistant = scriptedAssistant(() => ({ answer: "bot" }));
    const dispatcher = createDispatcher({
      assistant,
      store: createMemoryStore(),
      log: silent,
      clock: { now: () => new Date("2026-11-23T02:00:05Z") },
      handoff: {
        async intercept(turn) {
          seen.push(turn.text);
          return turn.text.startsWith("[") ? { reply: [], answer: false } : undefined;
        },
      },
    });
    expect(
      await dispatcher.handle(incoming("2", { kind: "location", lat: 10.7, lng: 105.1 }), LIMITS),
    ).toEqual([]);
    expect(
      (await dispatcher.handle(incoming("3", { kind: "text", text: "xin chào" }), LIMITS)).map((m) => m.text),
    ).toEqual(["bot"]);
    expect(seen).toEqual(["[vị trí / location: 10.7, 105.1]", "xin chào"]);
    expect(assistant.asked).toHaveLength(1);
  });
});

describe("planMessages", () => {
  const place: Answer = {
    answer: "Miếu Bà Chúa Xứ Núi Sam:\n• Địa chỉ: Chân núi Sam",
    language: "vi",
    intent: "place",
    confidence: 0.9,
    sources: [
      { id: "mieu-ba-chua-xu", type: "attraction", title: "Miếu Bà", url: "/attractions/mieu-ba-chua-xu" },
    ],
    suggestions: [],
    coverage: [{ subject: "mieu-ba-chua-xu", attribute: "where", status: "answered" }],
    composer: "extractive",
    place: {
      id: "mieu-ba-chua-xu",
      name: "Miếu Bà Chúa Xứ Núi Sam",
      lat: 10.6787,
      lng: 105.0806,
      mapUrl: "https://www.google.com/maps/search/?api=1&query=10.6787,105.0806",
      pageUrl: "/attractions/mieu-ba-chua-xu#place-map",
      approximate: true,
    },
  };
  const limits: ChannelLimits = { maxText: 4000, maxButtons: 8, maxButtonLabel: 40, nativeLocation: false };

  it("links a place to Google Maps and, with a public address, to its page's map on the portal", async () => {
    const [withUrl] = await planMessages(place, limits, createMemoryStore(), "https://du-lich.example.vn/");
    expect(withUrl?.buttons.filter((b) => b.kind === "url")).toEqual([
      { kind: "url", label: "Bản đồ", url: place.place?.mapUrl },
      {
        kind: "url",
        label: "Trang địa điểm",
        url: "https://du-lich.example.vn/attractions/mieu-ba-chua-xu#place-map",
      },
    ]);
    // Without a public address there is nothing absolute to link to: Google Maps only.
    const [without] = await planMessages(place, limits, createMemoryStore());
    expect(without?.buttons.filter((b) => b.kind === "url")).toHaveLength(1);
  });
});

describe("planMessages with a picture", () => {
  const image = {
    url: "/media/mieu-ba.png",
    alt: "Miếu Bà Chúa Xứ nhìn từ quảng trường",
    author: "Nguyễn Văn A",
    licence: "CC BY-SA 4.0",
    sourceUrl: "https://commons.wikimedia.org/wiki/File:Mieu_Ba.png",
  };
  const base: Answer = {
    answer: "Miếu Bà Chúa Xứ Núi Sam:\n• Địa chỉ: Chân núi Sam",
    language: "vi",
    intent: "place",
    confidence: 0.9,
    sources: [],
    suggestions: ["Giờ mở cửa?"],
    coverage: [],
    composer: "extractive",
    image,
  };
  const limits: ChannelLimits = { maxText: 60, maxButtons: 4, maxButtonLabel: 40, nativeLocation: false };

  it("puts the picture with its credit on the first message only, in the answer's language", async () => {
    const long = { ...base, answer: `${"Một câu khá dài về miếu. ".repeat(6)}` };
    const messages = await planMessages(long, limits, createMemoryStore());
    expect(messages.length).toBeGreaterThan(1);
    expect(messages[0]?.photo).toEqual({
      url: "/media/mieu-ba.png",
      alt: image.alt,
      credit: "Ảnh: Nguyễn Văn A · CC BY-SA 4.0 · https://commons.wikimedia.org/wiki/File:Mieu_Ba.png",
    });
    expect(messages.slice(1).every((m) => m.photo === undefined)).toBe(true);
    const [en] = await planMessages({ ...base, language: "en" }, limits, createMemoryStore());
    expect(en?.photo?.credit).toMatch(/^Photo: Nguyễn Văn A · CC BY-SA 4.0 · https:/);
  });

  it("has no picture when the answer has none", async () => {
    const without: Answer = { ...base };
    delete without.image;
    const [message] = await planMessages(without, limits, createMemoryStore());
    expect(message?.photo).toBeUndefined();
  });
});

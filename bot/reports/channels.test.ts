import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildFromEntries, loadContent, type KnowledgeIndex } from "../../indexer/index.ts";
import { createAssistant, type Assistant } from "../assistant/index.ts";
import { signWebhookBody } from "../channels/zalo-oa/fake-zalo-oa.ts";
import {
  CHAT_CHANNELS,
  silentLog,
  startChannelBed,
  testClock,
  type ChannelBed,
  type ChatChannel,
} from "../channels/fake-channels.ts";
import { createStaffNotifier } from "../channels/outbox.ts";
import { caseEventSink } from "./notify.ts";
import { createOffice, type Office } from "./office.ts";
import { memoryPhotoStore } from "./photos.ts";
import { placeFinder } from "./places.ts";
import { createReports } from "./reports.ts";
import { JPEG, startPhotoServer } from "./test-photos.ts";

/**
 * A whole report on each chat channel, through the real adapters and their local fake platforms on
 * 127.0.0.1 (bot/channels/fake-channels.ts), the real assistant over the real content and a real SQLite
 * store: text steps, a shared location, a photo fetched the platform's way (Telegram getFile, a Zalo OA
 * user_send_image attachment, a Zalo Bot photo_url), the case code, the staff reply delivered through
 * the outbox, and the status asked on the channel. Also a cancel, a second report, an emergency in the
 * middle and a wrong file type.
 */

// The bed's platform secrets (fake-channels.ts keeps them private): photo and location events are
// delivered here the way the bed delivers text.
const TG_SECRET = "s3cret_for-tests";
const ZB_SECRET = "zalo-bot-secret-1";
const OA_APP_ID = "1234567890123456789";
const OA_SECRET = "oa-secret-Vb27";

const STAFF_CHAT = "-1001234567890";

const USERS: Record<ChatChannel, string> = {
  telegram: "424242",
  "zalo-oa": "8437264519384756123",
  "zalo-bot": "e4ea2cd5189df1c3a88c",
};

let index: KnowledgeIndex;
let cdn: Awaited<ReturnType<typeof startPhotoServer>>;
let bed: ChannelBed;
let office: Office;
let seq = 0;

beforeAll(async () => {
  const { entries } = await loadContent(path.resolve(import.meta.dirname, "../../content"));
  ({ index } = await buildFromEntries(entries, "0".repeat(64)));
  cdn = await startPhotoServer();
});
afterAll(async () => {
  await cdn.close();
});

beforeEach(async () => {
  const clock = testClock("2026-11-23T02:00:00Z");
  const holder: { real?: Assistant } = {};
  const late: Assistant = {
    ask: (q) => (holder.real as Assistant).ask(q),
    stream: (q) => (holder.real as Assistant).stream(q),
  };
  bed = await startChannelBed({ assistant: late, clock, dispatcher: () => ({ acceptPhotos: true }) });
  const reports = createReports({
    store: bed.store,
    photos: memoryPhotoStore(),
    clock,
    log: silentLog,
    findPlace: placeFinder(index),
    // New cases are told to the staff's Telegram group through the outbox.
    onEvent: caseEventSink({
      staff: createStaffNotifier({ outbox: bed.outbox, chatId: STAFF_CHAT, log: silentLog }),
      log: silentLog,
    }),
  });
  holder.real = createAssistant({ index, clock, store: bed.store, beforeAnswer: reports.hook });
  office = createOffice({ store: bed.store, clock, log: silentLog, delivery: bed.outbox });
});
afterEach(async () => {
  await bed.close();
});

/** Delivers a raw platform event through the channel's webhook and waits for the answer. */
async function deliver(channel: ChatChannel, event: "photo" | "location" | "bad-photo", user: string) {
  seq += 1;
  const now = bed.clock.now().getTime();
  let response;
  if (channel === "telegram") {
    const chatId = Number(user);
    bed.fakes.telegram.addFile(`ph${seq}`, JPEG);
    const fields =
      event === "location"
        ? { location: { latitude: 10.6787, longitude: 105.0806 } }
        : {
            photo: [
              {
                file_id: `ph${seq}`,
                file_unique_id: `u${seq}`,
                width: 90,
                height: 90,
                file_size: JPEG.length,
              },
            ],
          };
    const update = {
      update_id: 900_000 + seq,
      message: {
        message_id: 9000 + seq,
        date: Math.floor(now / 1000),
        chat: { id: chatId, type: "private", first_name: "Lan" },
        from: { id: chatId, is_bot: false, first_name: "Lan", language_code: "vi" },
        ...fields,
      },
    };
    response = await bed.adapters.telegram.handleWebhook({
      headers: { "x-telegram-bot-api-secret-token": TG_SECRET },
      rawBody: Buffer.from(JSON.stringify(update)),
    });
  } else if (channel === "zalo-oa") {
    const attachments =
      event === "location"
        ? [{ type: "location", payload: { coordinates: { latitude: "10.6787", longitude: "105.0806" } } }]
        : [{ type: "image", payload: { url: `${cdn.url}/${event === "bad-photo" ? "page" : "ok"}.jpg` } }];
    const raw = JSON.stringify({
      app_id: OA_APP_ID,
      sender: { id: user },
      recipient: { id: "579745863508352884" },
      event_name: event === "location" ? "user_send_location" : "user_send_image",
      message: { msg_id: `rep-${seq}`, text: "", attachments },
      timestamp: String(now),
    });
    response = await bed.adapters["zalo-oa"].handleWebhook({
      headers: { "x-zevent-signature": signWebhookBody(raw, OA_SECRET) },
      rawBody: Buffer.from(raw),
    });
  } else {
    const extra =
      event === "location"
        ? {
            attachments: [
              { type: "location", payload: { coordinates: { latitude: 10.6787, longitude: 105.0806 } } },
            ],
          }
        : { photo_url: `${cdn.url}/${event === "bad-photo" ? "page" : "ok"}.jpg` };
    const body = {
      ok: true,
      result: {
        event_name: event === "location" ? "message.location.received" : "message.image.received",
        message: {
          message_id: `rep-${seq}`,
          from: { id: user, display_name: "Lan", is_bot: false },
          chat: { id: user, chat_type: "PRIVATE" },
          date: now,
          ...extra,
        },
      },
    };
    response = await bed.adapters["zalo-bot"].handleWebhook({
      headers: { "x-bot-api-secret-token": ZB_SECRET },
      rawBody: Buffer.from(JSON.stringify(body)),
    });
  }
  expect(response.status).toBe(200);
  await bed.settle();
}

const last = (channel: ChatChannel) => bed.received(channel, USERS[channel]).at(-1) ?? "";

describe("reports on every chat channel", () => {
  for (const channel of CHAT_CHANNELS) {
    it(`${channel}: a full report with a location and a photo, a staff reply delivered, the status asked`, async () => {
      const user = USERS[channel];
      await bed.userSays(channel, user, "tôi muốn phản ánh");
      expect(last(channel)).toContain("1. Giá cả, lừa đảo");
      await bed.userSays(channel, user, "1");
      expect(last(channel)).toContain("Việc xảy ra ở đâu?");
      await deliver(channel, "location", user);
      expect(last(channel)).toContain("Việc xảy ra khi nào?");
      await bed.userSays(channel, user, "bây giờ");
      expect(last(channel)).toContain("Bạn có ảnh không?");
      await deliver(channel, "photo", user);
      expect(bed.received(channel, user).join("\n")).toContain("Đã nhận ảnh.");
      await bed.userSays(channel, user, "Xe ôm đòi 300.000đ lên núi Sam, ép khách");
      const receipt = bed.received(channel, user).join("\n");
      const code = /CD-2026-\d{6}/.exec(receipt)?.[0] as string;
      expect(code).toBeDefined();
      expect(receipt).toMatch(/\/bao-cao\/CD-2026-\d{6}\?t=[A-Za-z0-9_-]{22}/);

      const stored = await bed.store.getCase(code);
      expect(stored).toMatchObject({
        channel,
        category: "prices",
        place: { lat: 10.6787, lng: 105.0806 },
        description: "Xe ôm đòi 300.000đ lên núi Sam, ép khách",
      });
      expect(stored?.photo).toMatch(/\.jpg$/);
      // The staff group was told, without the description.
      const notice = bed.received("telegram", STAFF_CHAT).at(-1) ?? "";
      expect(notice).toContain(`Phản ánh mới ${code} (Giá cả, lừa đảo) qua ${channel}`);
      expect(notice).not.toContain("300.000đ");

      const result = await office.reply(code, "Chúng tôi đã cử người kiểm tra. Cảm ơn bạn.", "an");
      expect(result.status).toBe("sent");
      await bed.settle();
      expect(last(channel)).toContain("Chúng tôi đã cử người kiểm tra");
      expect(last(channel)).toContain(code);
      expect((await office.deliveryOf(result.key))?.status).toBe("sent");

      await office.setStatus(code, "in_progress", "an");
      await bed.settle();
      expect(last(channel)).toContain("Đang xử lý");
      await bed.userSays(channel, user, `trạng thái ${code}`);
      expect(last(channel)).toContain(`Phản ánh ${code} (Giá cả, lừa đảo): Đang xử lý`);
      // Another user of the same channel sees nothing of it.
      await bed.userSays(channel, "777", `trạng thái ${code}`);
      expect(bed.received(channel, "777").at(-1)).toContain("Không tìm thấy");
    });
  }

  it("zalo-oa: a reply outside the 48 h window waits, the case page says so, and it goes when the user writes", async () => {
    const user = USERS["zalo-oa"];
    await bed.userSays("zalo-oa", user, "/report");
    await bed.userSays("zalo-oa", user, "7");
    for (let i = 0; i < 3; i++) await bed.userSays("zalo-oa", user, "bỏ qua");
    await bed.userSays("zalo-oa", user, "Thuyền đưa đò thu thêm tiền");
    const code = /CD-2026-\d{6}/.exec(bed.received("zalo-oa", user).join("\n"))?.[0] as string;
    bed.clock.advance(49 * 60 * 60_000);
    const held = await office.reply(code, "Chúng tôi đã liên hệ chủ đò.", "an");
    expect(held.status).toBe("held");
    expect(last("zalo-oa")).not.toContain("liên hệ chủ đò");
    expect((await office.deliveryOf(held.key))?.status).toBe("held");
    await bed.userSays("zalo-oa", user, "có ai trả lời không?");
    expect(bed.received("zalo-oa", user).join("\n")).toContain("Chúng tôi đã liên hệ chủ đò.");
    expect((await office.deliveryOf(held.key))?.status).toBe("sent");
  });

  it("telegram: cancel mid-way, then a second report while one is open", async () => {
    const user = USERS.telegram;
    await bed.userSays("telegram", user, "/phananh");
    await bed.userSays("telegram", user, "3");
    await bed.userSays("telegram", user, "hủy");
    expect(last("telegram")).toContain("Đã hủy phản ánh");
    await bed.userSays("telegram", user, "/report");
    await bed.userSays("telegram", user, "2");
    await bed.userSays("telegram", user, "/report");
    expect(last("telegram")).toContain("chưa gửi xong");
    await bed.userSays("telegram", user, "Tiếp tục");
    expect(last("telegram")).toContain("Việc xảy ra ở đâu?");
    expect(await bed.store.listCases()).toEqual([]);
  });

  it("zalo-oa: an emergency in the middle gets the numbers first, then the report's question", async () => {
    const user = USERS["zalo-oa"];
    await bed.userSays("zalo-oa", user, "phan anh");
    await bed.userSays("zalo-oa", user, "6");
    await bed.userSays("zalo-oa", user, "con tôi bị lạc, cứu với");
    const text = last("zalo-oa");
    expect(text).toContain("113");
    expect(text.indexOf("Việc xảy ra ở đâu?")).toBeGreaterThan(text.indexOf("113"));
    await bed.userSays("zalo-oa", user, "chợ Châu Đốc");
    expect(last("zalo-oa")).toContain("Việc xảy ra khi nào?");
  });

  it("zalo-bot: a file that is not a picture is refused and the photo step stays", async () => {
    const user = USERS["zalo-bot"];
    await bed.userSays("zalo-bot", user, "tôi muốn phản ánh");
    await bed.userSays("zalo-bot", user, "3");
    await bed.userSays("zalo-bot", user, "bỏ qua");
    await bed.userSays("zalo-bot", user, "bỏ qua");
    await deliver("zalo-bot", "bad-photo", user);
    expect(bed.received("zalo-bot", user).join("\n")).toContain("không phải ảnh JPEG, PNG hoặc WebP");
    await deliver("zalo-bot", "photo", user);
    expect(bed.received("zalo-bot", user).join("\n")).toContain("Đã nhận ảnh.");
  });
});

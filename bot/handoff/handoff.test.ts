import { afterEach, describe, expect, it } from "vitest";
import { scriptedAssistant } from "../channels/channel.case.ts";
import {
  CHAT_CHANNELS,
  silentLog,
  startChannelBed,
  testClock,
  type ChannelBed,
  type ChatChannel,
} from "../channels/fake-channels.ts";
import { createStaffNotifier } from "../channels/index.ts";
import { createHandoffDesk, type HandoffDesk } from "./desk.ts";
import { asksForPerson, givesBack } from "./detect.ts";
import {
  DEFAULT_STAFF_HOURS,
  formatOpening,
  isStaffOpen,
  nextStaffOpening,
  parseStaffHours,
} from "./hours.ts";

/**
 * Talking to a person on each chat channel, through the real adapters and their local fake platforms,
 * over a real SQLite store, with a clock the test moves: the bot pauses while staff have the chat, a
 * staff reply reaches the user, emergencies still get the numbers, and the chat goes back to the bot
 * after the quiet time. Monday 23 November 2026, 09:00 in Vietnam (office hours).
 */

const USERS: Record<ChatChannel, string> = {
  telegram: "424242",
  "zalo-oa": "8437264519384756123",
  "zalo-bot": "e4ea2cd5189df1c3a88c",
};
const STAFF_CHAT = "-100777";
const BOT_ANSWER = "Câu trả lời của trợ lý.";
const MINUTE = 60_000;

let bed: ChannelBed | undefined;
afterEach(async () => {
  desk?.stop();
  await bed?.close();
  bed = undefined;
});

let desk: HandoffDesk | undefined;
async function start(options: { quietMinutes?: number; at?: string } = {}) {
  const assistant = scriptedAssistant(() => ({ answer: BOT_ANSWER }));
  const clock = testClock(options.at ?? "2026-11-23T02:00:00Z");
  bed = await startChannelBed({
    assistant,
    clock,
    dispatcher: ({ store, outbox }) => {
      desk = createHandoffDesk({
        store,
        outbox,
        notifier: createStaffNotifier({ outbox, chatId: STAFF_CHAT, log: silentLog }),
        clock,
        log: silentLog,
        quietMs: (options.quietMinutes ?? 30) * MINUTE,
        hours: parseStaffHours(DEFAULT_STAFF_HOURS),
        publicUrl: "https://du-lich.example.vn",
      });
      return { handoff: desk };
    },
  });
  return { bed, desk: desk as HandoffDesk, assistant };
}

describe("handoff on each channel", () => {
  for (const channel of CHAT_CHANNELS) {
    it(`${channel}: pauses the bot, delivers a staff reply, answers an emergency, and gives the chat back after the quiet time`, async () => {
      const { bed, desk, assistant } = await start();
      const user = USERS[channel];
      await bed.userSays(channel, user, "xin chào");
      expect(assistant.asked).toHaveLength(1);

      await bed.userSays(channel, user, "Tôi muốn gặp nhân viên");
      const handoff = await desk.openFor(channel, user);
      expect(handoff).toMatchObject({ status: "open", channel, conversationId: user, lang: "vi" });
      expect(bed.received(channel, user).at(-1)).toMatch(/Đã chuyển cuộc trò chuyện tới nhân viên/);
      // The staff group is told, with a link to the handoff's page.
      expect(bed.received("telegram", STAFF_CHAT).at(-1)).toContain(
        `https://du-lich.example.vn/admin/handoffs/${handoff?.id}`,
      );

      // The bot is quiet: the question goes to the transcript, not to the assistant.
      const before = bed.received(channel, user).length;
      await bed.userSays(channel, user, "Vé vào núi Cấm bao nhiêu?");
      expect(assistant.asked).toHaveLength(1);
      expect(bed.received(channel, user)).toHaveLength(before);

      const { delivery } = await desk.reply(handoff!.id, "lan", "Chào bạn, vé 180.000 đồng.", "nonce-0001");
      expect(delivery.status).toBe("sent");
      expect(bed.received(channel, user).at(-1)).toBe("Nhân viên: Chào bạn, vé 180.000 đồng.");

      // An emergency still gets the numbers at once, from the assistant's own emergency answer.
      await bed.userSays(channel, user, "Cứu với, có người bị cướp!");
      const emergency = bed.received(channel, user).at(-1) ?? "";
      expect(emergency).toMatch(/113/);
      expect(emergency).toMatch(/115/);
      expect(assistant.asked).toHaveLength(1);

      const lines = await desk.transcript(handoff!.id);
      expect(lines.map((l) => l.author)).toEqual(["user", "bot", "user", "staff", "user", "bot"]);
      expect(lines[3]).toMatchObject({ staffName: "lan", delivery: { status: "sent" } });

      // 29 minutes after the staff reply nothing happens; at 30 the chat goes back to the bot.
      bed.clock.advance(29 * MINUTE);
      expect(await desk.expireQuiet()).toBe(0);
      bed.clock.advance(1 * MINUTE);
      expect(await desk.expireQuiet()).toBe(1);
      await bed.settle();
      expect(bed.received(channel, user).at(-1)).toMatch(/Chưa có nhân viên trả lời trong 30 phút/);
      expect(await desk.get(handoff!.id)).toMatchObject({ status: "closed", closedBy: "quiet" });

      await bed.userSays(channel, user, "Vé vào núi Cấm bao nhiêu?");
      expect(assistant.asked).toHaveLength(2);
      expect(bed.received(channel, user).at(-1)).toBe(BOT_ANSWER);
    });
  }

  it("telegram: /human opens a handoff, and “hủy” gives the chat back at once", async () => {
    const { bed, desk, assistant } = await start();
    await bed.userSays("telegram", USERS.telegram, "/human");
    expect(await desk.openFor("telegram", USERS.telegram)).toBeDefined();
    await bed.userSays("telegram", USERS.telegram, "hủy");
    expect(bed.received("telegram", USERS.telegram).at(-1)).toMatch(/Đã hủy yêu cầu gặp nhân viên/);
    expect(await desk.openFor("telegram", USERS.telegram)).toBeUndefined();
    await bed.userSays("telegram", USERS.telegram, "xin chào");
    expect(assistant.asked).toHaveLength(1);
  });

  it("telegram: a weak answer offers a “gặp nhân viên” button, and pressing it opens a handoff", async () => {
    const assistant = scriptedAssistant(() => ({
      answer: "Tôi không chắc.",
      intent: "out_of_scope",
      confidence: 0.1,
      suggestions: ["Giờ mở cửa", "Giá vé", "Lễ hội", "Ẩm thực", "Đi lại"],
    }));
    const clock = testClock("2026-11-23T02:00:00Z");
    let opened: HandoffDesk | undefined;
    bed = await startChannelBed({
      assistant,
      clock,
      dispatcher: ({ store, outbox }) => {
        opened = createHandoffDesk({
          store,
          outbox,
          clock,
          log: silentLog,
          hours: parseStaffHours(DEFAULT_STAFF_HOURS),
        });
        return { handoff: opened };
      },
    });
    await bed.userSays("telegram", USERS.telegram, "máy bay trực thăng?");
    const keyboard = bed.fakes.telegram.sent("sendMessage").at(-1)?.reply_markup as {
      inline_keyboard: { text: string }[][];
    };
    const labels = keyboard.inline_keyboard.flat().map((b) => b.text);
    expect(labels.at(-1)).toBe("gặp nhân viên");
    expect(labels.length).toBeLessThanOrEqual(5);
    await bed.telegramPresses(USERS.telegram, "gặp nhân viên");
    expect(await opened!.openFor("telegram", USERS.telegram)).toBeDefined();
    expect(bed.received("telegram", USERS.telegram).at(-1)).toMatch(
      /Đã chuyển cuộc trò chuyện tới nhân viên/,
    );
    expect(assistant.asked).toHaveLength(1);
  });

  it("zalo-oa: a staff reply outside the 48 h window is held, and delivered on the user's next message", async () => {
    const { bed, desk, assistant } = await start({ quietMinutes: 100 * 60 });
    const user = USERS["zalo-oa"];
    await bed.userSays("zalo-oa", user, "talk to a human");
    const handoff = await desk.openFor("zalo-oa", user);
    expect(handoff?.lang).toBe("en");
    bed.clock.advance(49 * 60 * MINUTE);
    const { delivery } = await desk.reply(handoff!.id, "lan", "Sorry for the wait.", "nonce-held-1");
    expect(delivery.status).toBe("held");
    expect((await desk.transcript(handoff!.id)).at(-1)?.delivery?.status).toBe("held");
    expect(bed.received("zalo-oa", user)).not.toContain("Staff: Sorry for the wait.");

    await bed.userSays("zalo-oa", user, "hello?");
    expect(bed.received("zalo-oa", user).at(-1)).toBe("Staff: Sorry for the wait.");
    const staffLine = (await desk.transcript(handoff!.id)).find((l) => l.author === "staff");
    expect(staffLine?.delivery?.status).toBe("sent");
    expect(assistant.asked).toHaveLength(0);
  });

  it("a reply form sent twice (same nonce) sends once; a closed handoff refuses replies", async () => {
    const { bed, desk } = await start();
    const user = USERS["zalo-bot"];
    await bed.userSays("zalo-bot", user, "gặp nhân viên");
    const h = (await desk.openFor("zalo-bot", user))!;
    await desk.reply(h.id, "lan", "Một lần thôi", "nonce-twice");
    await desk.reply(h.id, "lan", "Một lần thôi", "nonce-twice");
    expect(bed.received("zalo-bot", user).filter((t) => t.includes("Một lần thôi"))).toHaveLength(1);
    await expect(desk.reply(h.id, "lan", "   ", "nonce-empty")).rejects.toMatchObject({
      code: "bad_request:handoff",
    });
    expect(await desk.end(h.id, "staff:lan")).toBe(true);
    expect(await desk.end(h.id, "staff:lan")).toBe(false);
    await bed.settle();
    expect(bed.received("zalo-bot", user).at(-1)).toMatch(/Nhân viên đã kết thúc/);
    await expect(desk.reply(h.id, "lan", "muộn", "nonce-late1")).rejects.toMatchObject({
      code: "conflict:handoff",
    });
  });

  it("outside office hours: says when staff answer, offers a report, and waits past the quiet time until opening", async () => {
    // Saturday 28 November 2026, 20:00 in Vietnam: the office opens Monday 07:30.
    const { bed, desk } = await start({ at: "2026-11-28T13:00:00Z" });
    const user = USERS.telegram;
    await bed.userSays("telegram", user, "gặp nhân viên");
    const reply = bed.received("telegram", user).at(-1) ?? "";
    expect(reply).toMatch(/ngoài giờ làm việc/);
    expect(reply).toContain("07:30 Thứ Hai 30/11");
    const buttons = bed.fakes.telegram.sent("sendMessage").at(-1)?.reply_markup as {
      inline_keyboard: { text: string }[][];
    };
    expect(buttons.inline_keyboard.flat().map((b) => b.text)).toEqual(["tôi muốn phản ánh"]);
    const h = (await desk.openFor("telegram", user))!;
    bed.clock.advance(24 * 60 * MINUTE);
    expect(await desk.expireQuiet()).toBe(0);
    expect(desk.quietDeadline(h)).toBe(Date.parse("2026-11-30T00:30:00Z") + 30 * MINUTE);
  });

  it("closes a quiet handoff when the user writes after the deadline, then the bot answers", async () => {
    const { bed, desk, assistant } = await start();
    const user = USERS["zalo-bot"];
    await bed.userSays("zalo-bot", user, "nói chuyện với người thật");
    bed.clock.advance(31 * MINUTE);
    await bed.userSays("zalo-bot", user, "Chùa Hang ở đâu?");
    const got = bed.received("zalo-bot", user);
    expect(got.at(-2)).toMatch(/Chưa có nhân viên trả lời/);
    expect(got.at(-1)).toBe(BOT_ANSWER);
    expect(assistant.asked.map((q) => q.text)).toEqual(["Chùa Hang ở đâu?"]);
    expect(await desk.openFor("zalo-bot", user)).toBeUndefined();
  });
});

describe("asking for a person", () => {
  it("recognises the ways people ask, and not ordinary questions", () => {
    for (const t of [
      "gặp nhân viên",
      "Cho tôi gặp nhân viên tư vấn",
      "nói chuyện với người thật",
      "gap nhan vien",
      "talk to a human",
      "Can I speak to a real person?",
      "/human",
      "human please",
    ])
      expect(asksForPerson(t), t).toBe(true);
    for (const t of ["Nhân viên khách sạn có nói tiếng Anh không?", "human rights museum", "giờ mở cửa"])
      expect(asksForPerson(t), t).toBe(false);
  });

  it("recognises giving the chat back, only as the whole message", () => {
    for (const t of ["hủy", "Huỷ", "cancel", "bot", "/cancel", "hủy yêu cầu"])
      expect(givesBack(t), t).toBe(true);
    for (const t of ["hủy đặt phòng thế nào?", "bot có biết không"]) expect(givesBack(t), t).toBe(false);
  });
});

describe("office hours", () => {
  const hours = parseStaffHours(DEFAULT_STAFF_HOURS);
  it("reads STAFF_HOURS in Vietnam time", () => {
    expect(isStaffOpen(hours, new Date("2026-11-23T00:30:00Z"))).toBe(true); // Mon 07:30
    expect(isStaffOpen(hours, new Date("2026-11-23T00:29:00Z"))).toBe(false);
    expect(isStaffOpen(hours, new Date("2026-11-23T05:00:00Z"))).toBe(false); // Mon 12:00
    expect(isStaffOpen(hours, new Date("2026-11-28T02:00:00Z"))).toBe(false); // Sat 09:00
  });

  it("computes the next opening", () => {
    expect(nextStaffOpening(hours, new Date("2026-11-23T05:00:00Z")).toISOString()).toBe(
      "2026-11-23T06:30:00.000Z",
    );
    expect(nextStaffOpening(hours, new Date("2026-11-27T10:00:00Z")).toISOString()).toBe(
      "2026-11-30T00:30:00.000Z",
    );
    expect(formatOpening(new Date("2026-11-30T00:30:00Z"), "en")).toBe("07:30 on Monday 30 Nov");
    const weekend = parseStaffHours("Mon-Fri 07:30-17:00; Sat 08:00-11:00");
    expect(nextStaffOpening(weekend, new Date("2026-11-27T10:00:00Z")).toISOString()).toBe(
      "2026-11-28T01:00:00.000Z",
    );
  });

  it("refuses what it cannot read, naming STAFF_HOURS", () => {
    for (const bad of ["", "Mon-Fri", "Funday 08:00-09:00", "Mon 09:00-08:00", "Mon 8-9", "Mon 07:30-25:00"])
      expect(() => parseStaffHours(bad), bad).toThrow(/STAFF_HOURS/);
  });
});

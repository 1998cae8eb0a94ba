import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { scriptedAssistant } from "./channel.case.ts";
import {
  CHAT_CHANNELS,
  silentLog,
  startChannelBed,
  testClock,
  type ChannelBed,
  type ChatChannel,
} from "./fake-channels.ts";
import { createOutbox, createStaffNotifier, isTransient } from "./outbox.ts";
import { createMemoryStore } from "../store/index.ts";
import { AppError } from "../../indexer/index.ts";

/**
 * The outbox against the local fake platforms (Telegram Bot API, Zalo OA, Zalo Bot) through the real
 * adapters, over a real SQLite store: sent on each channel, held outside the Zalo OA window and sent when
 * the user writes, retried after platform failures, idempotent by key, and kept across a restart.
 */

const USERS: Record<ChatChannel, string> = {
  telegram: "424242",
  "zalo-oa": "8437264519384756123",
  "zalo-bot": "e4ea2cd5189df1c3a88c",
};
const HOUR = 60 * 60_000;
const staff = (text: string) => ({ text, buttons: [] });

let bed: ChannelBed;
beforeEach(async () => {
  bed = await startChannelBed({
    assistant: scriptedAssistant(() => ({ answer: "Câu trả lời của trợ lý." })),
    clock: testClock("2026-11-23T02:00:00Z"),
  });
});
afterEach(async () => {
  await bed.close();
});

describe("outbox", () => {
  for (const channel of CHAT_CHANNELS) {
    it(`${channel}: sends a staff message to a user who wrote recently`, async () => {
      const user = USERS[channel];
      await bed.userSays(channel, user, "xin chào");
      expect(bed.received(channel, user)).toEqual(["Câu trả lời của trợ lý."]);
      const result = await bed.outbox.deliver(
        { channel, conversationId: user },
        staff("Nhân viên: chào bạn"),
        `k-${channel}`,
      );
      expect(result).toEqual({ status: "sent", key: `k-${channel}` });
      expect(bed.received(channel, user)).toEqual(["Câu trả lời của trợ lý.", "Nhân viên: chào bạn"]);
    });
  }

  it("zalo-oa: holds outside the 48 h window and sends when the user writes next", async () => {
    const user = USERS["zalo-oa"];
    await bed.userSays("zalo-oa", user, "xin chào");
    bed.clock.advance(49 * HOUR);
    const held = await bed.outbox.deliver(
      { channel: "zalo-oa", conversationId: user },
      staff("Trả lời muộn"),
      "late",
    );
    expect(held.status).toBe("held");
    expect(held.reason).toMatch(/window/);
    expect(bed.received("zalo-oa", user)).toEqual(["Câu trả lời của trợ lý."]);
    // Telegram has no window: the same delivery there goes at once.
    await bed.userSays("telegram", USERS.telegram, "hi");
    bed.clock.advance(49 * HOUR);
    expect(
      (
        await bed.outbox.deliver(
          { channel: "telegram", conversationId: USERS.telegram },
          staff("x"),
          "tg-late",
        )
      ).status,
    ).toBe("sent");

    await bed.userSays("zalo-oa", user, "còn ai không?");
    expect(await bed.outbox.status("late")).toEqual({ status: "sent", key: "late" });
    expect(bed.received("zalo-oa", user)).toEqual([
      "Câu trả lời của trợ lý.",
      "Trả lời muộn",
      "Câu trả lời của trợ lý.",
    ]);
  });

  it("zalo-oa: holds a message to a user who never wrote, and after 8 messages since their last one", async () => {
    const user = USERS["zalo-oa"];
    expect(
      (await bed.outbox.deliver({ channel: "zalo-oa", conversationId: user }, staff("0"), "never")).status,
    ).toBe("held");
    await bed.userSays("zalo-oa", user, "xin chào");
    // The user's message released "never" (1) and the bot answered (2): six more free replies.
    const statuses = [];
    for (let i = 0; i < 7; i++)
      statuses.push(
        (await bed.outbox.deliver({ channel: "zalo-oa", conversationId: user }, staff(`m${i}`), `q${i}`))
          .status,
      );
    expect(statuses).toEqual(["sent", "sent", "sent", "sent", "sent", "sent", "held"]);
    expect(bed.received("zalo-oa", user)).toHaveLength(8);
  });

  it("zalo-oa: a platform failing twice (HTTP 502) is retried with back-off, and the message is sent once", async () => {
    const user = USERS["zalo-oa"];
    await bed.userSays("zalo-oa", user, "xin chào");
    bed.fakes.zaloOa.failNextSends(2);
    const first = await bed.outbox.deliver(
      { channel: "zalo-oa", conversationId: user },
      staff("Sau hai lỗi"),
      "flaky",
    );
    expect(first.status).toBe("pending");
    expect(first.reason).toMatch(/HTTP 502/);
    const row = await bed.store.getDelivery("flaky");
    expect(row?.attempts).toBe(1);
    await waitFor(async () => (await bed.outbox.status("flaky"))?.status === "sent");
    expect((await bed.store.getDelivery("flaky"))?.attempts).toBe(3);
    expect(bed.received("zalo-oa", user).filter((t) => t === "Sau hai lỗi")).toHaveLength(1);
  });

  it("zalo-bot: a platform failing twice (HTTP 503) is retried, and the message is sent once", async () => {
    const user = USERS["zalo-bot"];
    bed.fakes.zaloBot.failNextSends(2);
    const first = await bed.outbox.deliver(
      { channel: "zalo-bot", conversationId: user },
      staff("Xin chờ"),
      "zb",
    );
    expect(first.status).toBe("pending");
    await waitFor(async () => (await bed.outbox.status("zb"))?.status === "sent");
    expect(bed.received("zalo-bot", user)).toEqual(["Xin chờ"]);
  });

  it("is idempotent by key: a second deliver sends nothing and answers the first one's status", async () => {
    const user = USERS["zalo-bot"];
    const target = { channel: "zalo-bot", conversationId: user };
    expect((await bed.outbox.deliver(target, staff("Một lần"), "once")).status).toBe("sent");
    expect((await bed.outbox.deliver(target, staff("Một lần nữa"), "once")).status).toBe("sent");
    expect(bed.received("zalo-bot", user)).toEqual(["Một lần"]);
  });

  it("fails at once on a refusal (4xx), without retrying", async () => {
    const result = await bed.outbox.deliver(
      { channel: "telegram", conversationId: "not-a-number" },
      staff("x"),
      "bad-chat",
    );
    expect(result.status).toBe("failed");
    expect((await bed.store.getDelivery("bad-chat"))?.attempts).toBe(1);
  });

  it("puts web deliveries in the conversation's mailbox", async () => {
    const result = await bed.outbox.deliver(
      { channel: "web", conversationId: "w0123456789abcdef" },
      staff("Hộp thư"),
      "web-1",
    );
    expect(result.status).toBe("sent");
    const mailbox = await bed.store.listDeliveries({
      channel: "web",
      conversationId: "w0123456789abcdef",
      status: ["sent"],
    });
    expect(mailbox.map((d) => JSON.parse(d.message).text)).toEqual(["Hộp thư"]);
  });

  it("loses nothing across a restart: a new outbox over the same store retries what was pending", async () => {
    const user = USERS["zalo-bot"];
    const target = { channel: "zalo-bot", conversationId: user };
    // An outbox whose retry would come far later, then "crashes" (stops) with the delivery pending.
    const slow = createOutbox({
      store: bed.store,
      channels: () => Object.values(bed.adapters),
      log: silentLog,
      clock: bed.clock,
      retryBaseMs: 60 * 60_000,
    });
    bed.fakes.zaloBot.failNextSends(1);
    expect((await slow.deliver(target, staff("Sau khởi động lại"), "restart")).status).toBe("pending");
    await slow.stop();
    expect(bed.received("zalo-bot", user)).toEqual([]);
    bed.clock.advance(2 * 60 * 60_000);
    const next = createOutbox({
      store: bed.store,
      channels: () => Object.values(bed.adapters),
      log: silentLog,
      clock: bed.clock,
    });
    next.start();
    await waitFor(async () => (await next.status("restart"))?.status === "sent");
    await next.stop();
    expect(bed.received("zalo-bot", user)).toEqual(["Sau khởi động lại"]);
  });

  it("two replicas sweeping the same due delivery send it once", async () => {
    const user = USERS["zalo-bot"];
    const replica = () =>
      createOutbox({
        store: bed.store,
        channels: () => Object.values(bed.adapters),
        log: silentLog,
        clock: bed.clock,
        retryBaseMs: 60 * 60_000,
      });
    const [a, b] = [replica(), replica()];
    bed.fakes.zaloBot.failNextSends(1);
    expect(
      (await a.deliver({ channel: "zalo-bot", conversationId: user }, staff("Một lần"), "two")).status,
    ).toBe("pending");
    bed.clock.advance(2 * 60 * 60_000);
    await Promise.all([a.retryDue(), b.retryDue(), a.retryDue(), b.retryDue()]);
    await Promise.all([a.stop(), b.stop()]);
    expect(await a.status("two")).toEqual({ status: "sent", key: "two" });
    expect(bed.received("zalo-bot", user)).toEqual(["Một lần"]);
    expect((await bed.store.getDelivery("two"))?.attempts).toBe(2);
  });

  it("staff notifier: posts to the staff Telegram chat, and is a no-op without one", async () => {
    await createStaffNotifier({ outbox: bed.outbox, chatId: "-100777", log: silentLog }).notify(
      "Có yêu cầu mới",
    );
    await createStaffNotifier({ outbox: bed.outbox, chatId: undefined, log: silentLog }).notify("không gửi");
    await bed.settle();
    expect(bed.received("telegram", "-100777")).toEqual(["Có yêu cầu mới"]);
    expect(bed.fakes.telegram.sent("sendMessage")).toHaveLength(1);
  });
});

describe("isTransient", () => {
  it("retries 5xx and network failures, not refusals", () => {
    const bad = (status: number) => new AppError("zalo_oa_bad_response", "x", { details: { status } });
    expect(isTransient(bad(502))).toBe(true);
    expect(isTransient(bad(429))).toBe(true);
    expect(isTransient(bad(400))).toBe(false);
    expect(isTransient(new AppError("zalo_oa_unreachable", "x"))).toBe(true);
    expect(isTransient(new AppError("zalo_oa_send_failed", "x"))).toBe(false);
  });

  it("refuses an empty or oversized key", async () => {
    const outbox = createOutbox({ store: createMemoryStore(), channels: () => [], log: silentLog });
    await expect(outbox.deliver({ channel: "web", conversationId: "w" }, staff("x"), "")).rejects.toThrow(
      AppError,
    );
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
}

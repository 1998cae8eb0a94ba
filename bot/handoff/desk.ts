import { randomUUID } from "node:crypto";
import type { Lang } from "../../indexer/index.ts";
import { AppError } from "../../indexer/index.ts";
import { emergencyReply, type Clock, type Logger } from "../assistant/index.ts";
import {
  suggestionKey,
  type DeliveryResult,
  type OutgoingMessage,
  type Outbox,
  type StaffNotifier,
} from "../channels/index.ts";
import type { HandoffLine, HandoffRow, Store } from "../store/index.ts";
import { asksForPerson, givesBack, personRequest } from "./detect.ts";
import { formatOpening, isStaffOpen, nextStaffOpening, type StaffHours } from "./hours.ts";

/**
 * Talking to a person. A user who asks for one ("gặp nhân viên", "talk to a human", /human, the button)
 * gets a handoff: a store record every replica sees, with its transcript. While it is open the bot does
 * not answer that chat: the user's messages go to the transcript, for the staff's page; an emergency
 * still gets the emergency numbers at once. It ends when staff end it, when the user says "hủy" /
 * "cancel" / "bot", or when `quietMs` pass without a staff reply (counted from when the office opens, for
 * a handoff asked for outside office hours); the user is told, and the bot answers again.
 */

/** What the desk makes of one user turn. `answer: true` lets the bot answer after `reply`. */
export type Interception = { reply: OutgoingMessage[]; answer: boolean; handoff?: HandoffRow };

/** One user turn as the desk needs it: a text when there is one, else what it was ("[location]"). */
export type DeskTurn = { channel: string; conversationId: string; text: string; lang?: Lang };

export interface HandoffDesk {
  /** Before the bot answers: undefined when the desk has nothing to do with the turn. */
  intercept(turn: DeskTurn): Promise<Interception | undefined>;
  /** A staff member's reply, through the outbox; `nonce` makes a resubmitted form send once. */
  reply(
    handoffId: string,
    staff: string,
    text: string,
    nonce: string,
  ): Promise<{ delivery: DeliveryResult; line: number }>;
  /** Ends an open handoff (`by` is "staff:<name>"); false when it was not open. */
  end(handoffId: string, by: string): Promise<boolean>;
  /** Closes every handoff quiet for too long, telling its user; how many were closed. */
  expireQuiet(): Promise<number>;
  /** The open handoff of a conversation, if any. */
  openFor(channel: string, conversationId: string): Promise<HandoffRow | undefined>;
  get(handoffId: string): Promise<HandoffRow | undefined>;
  list(options?: { status?: "open" | "closed"; limit?: number }): Promise<HandoffRow[]>;
  /** The transcript, each staff line with the status of its delivery. */
  transcript(handoffId: string): Promise<(HandoffLine & { delivery?: DeliveryResult })[]>;
  /** When the handoff goes back to the bot if staff stay silent. */
  quietDeadline(handoff: HandoffRow): number;
  /** Checks for quiet handoffs every minute. */
  start(): void;
  stop(): void;
}

export type HandoffDeskOptions = {
  store: Store;
  outbox: Pick<Outbox, "deliver" | "status">;
  notifier?: StaffNotifier;
  clock?: Clock;
  log: Logger;
  /** HANDOFF_QUIET_MINUTES in ms. Default 30 minutes. */
  quietMs?: number;
  hours: StaffHours;
  /** Where the admin pages are (PUBLIC_URL), for the link in the staff notice. */
  publicUrl?: string;
};

/** What the suggestion says, in the words the reports flow listens for. */
export const REPORT_SUGGESTION: Record<Lang, string> = {
  vi: "tôi muốn phản ánh",
  en: "I want to report a problem",
};

/** The suggestion that asks for a person (a button on every channel that has buttons). */
export const PERSON_SUGGESTION: Record<Lang, string> = {
  vi: "gặp nhân viên",
  en: "talk to a human",
};

const TEXT = {
  opened: {
    vi: "Đã chuyển cuộc trò chuyện tới nhân viên Phòng Du lịch. Một nhân viên sẽ trả lời bạn tại đây. Trong lúc chờ, trợ lý tự động sẽ không trả lời. Gõ “hủy” để quay lại trợ lý.",
    en: "Your chat has been passed to the tourism office staff. A staff member will answer you here. Meanwhile the automatic assistant will not answer. Type “cancel” to go back to the assistant.",
  },
  closedHours: {
    vi: (when: string, hours: string) =>
      `Bây giờ là ngoài giờ làm việc (${hours}, giờ Việt Nam). Nhân viên sẽ trả lời bạn từ ${when}. Nếu bạn muốn phản ánh một vấn đề, bạn có thể gửi phản ánh ngay. Gõ “hủy” để quay lại trợ lý.`,
    en: (when: string, hours: string) =>
      `It is outside office hours now (${hours}, Vietnam time). A staff member will answer you from ${when}. If you want to report a problem, you can send a report now. Type “cancel” to go back to the assistant.`,
  },
  already: {
    vi: "Bạn đang chờ nhân viên trả lời. Gõ “hủy” để quay lại trợ lý.",
    en: "You are waiting for a staff member. Type “cancel” to go back to the assistant.",
  },
  byUser: {
    vi: "Đã hủy yêu cầu gặp nhân viên. Trợ lý tự động sẽ trả lời bạn tiếp.",
    en: "Your request to talk to a person is cancelled. The automatic assistant will answer you again.",
  },
  byStaff: {
    vi: "Nhân viên đã kết thúc cuộc trò chuyện. Trợ lý tự động sẽ trả lời bạn tiếp. Cảm ơn bạn!",
    en: "The staff member has ended the chat. The automatic assistant will answer you again. Thank you!",
  },
  quiet: {
    vi: (minutes: number) =>
      `Chưa có nhân viên trả lời trong ${minutes} phút. Trợ lý tự động sẽ trả lời bạn tiếp; bạn cũng có thể gửi phản ánh, hoặc gõ “gặp nhân viên” để thử lại.`,
    en: (minutes: number) =>
      `No staff member has answered for ${minutes} minutes. The automatic assistant will answer you again; you can also send a report, or type “talk to a human” to try again.`,
  },
  emergencyNote: {
    vi: "Nhân viên vẫn sẽ trả lời bạn tại đây.",
    en: "A staff member will still answer you here.",
  },
  staffPrefix: { vi: "Nhân viên", en: "Staff" },
} as const;

const MAX_REPLY = 2000;

/** Creates the handoff desk. */
export function createHandoffDesk(options: HandoffDeskOptions): HandoffDesk {
  const { store, outbox, log, hours } = options;
  const clock = options.clock ?? { now: () => new Date() };
  const quietMs = options.quietMs ?? 30 * 60_000;
  const now = () => clock.now().getTime();
  let timer: NodeJS.Timeout | undefined;

  const plain = (text: string, buttons: OutgoingMessage["buttons"] = []): OutgoingMessage => ({
    text,
    buttons,
  });
  /** A suggestion button; its text is kept under its key, as the dispatcher keeps the assistant's. */
  async function suggestion(text: string) {
    const key = suggestionKey(text);
    await store.setState(`suggestion:${key}`, text);
    return { kind: "suggestion" as const, label: text, key };
  }

  function quietDeadline(h: HandoffRow): number {
    const opens = nextStaffOpening(hours, new Date(h.startedAt)).getTime();
    return Math.max(h.lastStaffAt ?? h.startedAt, opens) + quietMs;
  }

  /** Tells the user through the outbox (their window, retries, the widget's mailbox). */
  async function tell(h: HandoffRow, message: OutgoingMessage, why: string): Promise<void> {
    await outbox.deliver(
      { channel: h.channel, conversationId: h.conversationId },
      { ...message, from: "bot" },
      `handoff:${h.id}:${why}`,
    );
  }

  async function close(h: HandoffRow, by: string, notice: OutgoingMessage | undefined): Promise<boolean> {
    if (!(await store.closeHandoff(h.id, now(), by))) return false;
    log.info({ channel: h.channel, by: by.split(":")[0] }, "handoff: closed");
    if (notice) {
      await store.appendHandoffLine({ handoffId: h.id, at: now(), author: "bot", text: notice.text });
      await tell(h, notice, "closed");
    }
    return true;
  }

  async function open(turn: DeskTurn, lang: Lang): Promise<Interception> {
    const at = now();
    const { handoff, created } = await store.openHandoff({
      id: randomUUID(),
      channel: turn.channel,
      conversationId: turn.conversationId,
      lang,
      startedAt: at,
      lastUserAt: at,
    });
    if (!created) return { reply: [plain(TEXT.already[handoff.lang])], answer: false, handoff };
    await store.appendHandoffLine({ handoffId: handoff.id, at, author: "user", text: turn.text });
    const openNow = isStaffOpen(hours, new Date(at));
    const reply = openNow
      ? plain(TEXT.opened[lang])
      : plain(
          TEXT.closedHours[lang](formatOpening(nextStaffOpening(hours, new Date(at)), lang), hours.text),
          [await suggestion(REPORT_SUGGESTION[lang])],
        );
    await store.appendHandoffLine({ handoffId: handoff.id, at, author: "bot", text: reply.text });
    log.info({ channel: turn.channel, inHours: openNow }, "handoff: opened");
    const base = options.publicUrl?.replace(/\/+$/, "") ?? "";
    await options.notifier?.notify(
      `Du khách muốn gặp nhân viên (${turn.channel}${openNow ? "" : ", ngoài giờ"}): ${base}/admin/handoffs/${handoff.id}`,
    );
    return { reply: [reply], answer: false, handoff };
  }

  return {
    quietDeadline,

    async intercept(turn) {
      const lang: Lang = turn.lang ?? "vi";
      let current = await store.findOpenHandoff(turn.channel, turn.conversationId);
      if (current && now() >= quietDeadline(current)) {
        await close(current, "quiet", plain(TEXT.quiet[current.lang](Math.round(quietMs / 60_000))));
        current = undefined;
      }
      if (!current) {
        const asked = personRequest(turn.text);
        if (!asked) return undefined;
        // The words the user asked with say their language better than a guess from four words.
        return open(turn, asked === "command" ? lang : asked);
      }

      const h = current;
      const at = now();
      if (givesBack(turn.text)) {
        await store.appendHandoffLine({ handoffId: h.id, at, author: "user", text: turn.text });
        await close(h, "user", undefined);
        await store.appendHandoffLine({ handoffId: h.id, at, author: "bot", text: TEXT.byUser[h.lang] });
        return { reply: [plain(TEXT.byUser[h.lang])], answer: false };
      }
      await store.appendHandoffLine({ handoffId: h.id, at, author: "user", text: turn.text });
      await store.touchHandoff(h.id, { lastUserAt: at });
      if (asksForPerson(turn.text))
        return { reply: [plain(TEXT.already[h.lang])], answer: false, handoff: h };
      const emergency = emergencyReply(turn.text, turn.lang ? { lang: turn.lang } : {});
      if (emergency) {
        const text = `${emergency.text}\n\n${TEXT.emergencyNote[emergency.lang]}`;
        await store.appendHandoffLine({ handoffId: h.id, at, author: "bot", text });
        await options.notifier?.notify(`KHẨN CẤP trong cuộc trò chuyện ${h.id} (${h.channel})`);
        return { reply: [plain(text)], answer: false, handoff: h };
      }
      return { reply: [], answer: false, handoff: h };
    },

    async reply(handoffId, staff, rawText, nonce) {
      const text = rawText.normalize("NFC").trim();
      if (!text) throw new AppError("bad_request:handoff", "the reply is empty", { expose: true });
      if ([...text].length > MAX_REPLY)
        throw new AppError("bad_request:handoff", `the reply is longer than ${MAX_REPLY} characters`, {
          expose: true,
        });
      if (!/^[A-Za-z0-9_-]{8,64}$/.test(nonce))
        throw new AppError("bad_request:handoff", "the form has no valid nonce", { expose: true });
      const h = await store.getHandoff(handoffId);
      if (!h) throw new AppError("not_found:handoff", "no such handoff", { expose: true });
      const key = `handoff:${h.id}:staff:${nonce}`;
      const known = await outbox.status(key);
      if (known) return { delivery: known, line: 0 };
      if (h.status !== "open")
        throw new AppError("conflict:handoff", "the handoff is closed", { expose: true });
      const at = now();
      const line = await store.appendHandoffLine({
        handoffId: h.id,
        at,
        author: "staff",
        staffName: staff,
        text,
        deliveryKey: key,
      });
      await store.touchHandoff(h.id, { lastStaffAt: at });
      // The widget marks staff messages itself; the chat apps get the label in the text.
      const shown = h.channel === "web" ? text : `${TEXT.staffPrefix[h.lang]}: ${text}`;
      const delivery = await outbox.deliver(
        { channel: h.channel, conversationId: h.conversationId },
        { text: shown, buttons: [], from: "staff" },
        key,
      );
      return { delivery, line };
    },

    async end(handoffId, by) {
      const h = await store.getHandoff(handoffId);
      if (!h || h.status !== "open") return false;
      return close(h, by, plain(TEXT.byStaff[h.lang]));
    },

    async expireQuiet() {
      let closed = 0;
      for (const h of await store.listHandoffs({ status: "open", limit: 500 })) {
        if (now() < quietDeadline(h)) continue;
        if (await close(h, "quiet", plain(TEXT.quiet[h.lang](Math.round(quietMs / 60_000))))) closed++;
      }
      return closed;
    },

    openFor: (channel, conversationId) => store.findOpenHandoff(channel, conversationId),
    get: (id) => store.getHandoff(id),
    list: (o) => store.listHandoffs(o),

    async transcript(handoffId) {
      const lines = await store.handoffLines(handoffId);
      return Promise.all(
        lines.map(async (l) => {
          const delivery = l.deliveryKey ? await outbox.status(l.deliveryKey) : undefined;
          return delivery ? { ...l, delivery } : l;
        }),
      );
    },

    start() {
      if (timer) return;
      timer = setInterval(() => {
        this.expireQuiet().catch((err: unknown) => log.error({ err }, "handoff: quiet check failed"));
      }, 60_000);
      timer.unref();
    },

    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}

import { randomUUID } from "node:crypto";
import { GrammyError, HttpError } from "grammy";
import { AppError } from "../../indexer/index.ts";
import type { Clock, Logger } from "../assistant/index.ts";
import type { DeliveryRow, Store } from "../store/index.ts";
import { ZaloBotApiError } from "./zalo-bot/index.ts";
import type { ChannelAdapter, OutgoingMessage } from "./types.ts";

/**
 * Proactive delivery: messages that are not the reply to a webhook (a staff member's answer in a handoff,
 * the bot's notice that a handoff ended). Every delivery is a row of the store first, so nothing is lost
 * across restarts, and then goes out:
 * - at once, when the platform allows it;
 * - "held" when the platform allows it only in a window after the user's own message (Zalo OA: 8 free
 *   replies within 48 h of the user's last message; anything else is a paid "proactive" message that
 *   needs a verified OA, which we do not send). A held message goes out when the user writes next
 *   (the dispatcher calls `userWrote`);
 * - "pending" after a transient failure (HTTP 5xx or 429, network, timeout): tried again with
 *   exponential back-off, on a timer and after a restart (`start()` picks up what is due);
 * - "failed" when the platform refuses it (4xx) or the retries are used up.
 * The web widget has no push: its deliveries are "sent" into the mailbox the widget polls (the same
 * table, read by conversation and seq). A second deliver with the same key sends nothing again.
 */

/** Where a message goes: a channel ("telegram", "zalo-oa", "zalo-bot", "web") and its conversation. */
export type DeliveryTarget = { channel: string; conversationId: string };

/**
 * What became of a delivery. `pending` (an addition to the brief's three) means a transient failure is
 * being retried; it ends as sent or failed.
 */
export type DeliveryResult = {
  status: "sent" | "held" | "pending" | "failed";
  key: string;
  reason?: string;
};

export interface Outbox {
  /**
   * Sends a staff-written message to a user on their channel now, or holds it until the platform allows
   * it, retrying transient failures with back-off; idempotent by key (a second deliver with the same key
   * does not send twice, and answers the first one's status).
   */
  deliver(target: DeliveryTarget, message: OutgoingMessage, key: string): Promise<DeliveryResult>;
  status(key: string): Promise<DeliveryResult | undefined>;
  /** The user wrote (the dispatcher says so): what was held for that conversation goes out now. */
  userWrote(target: DeliveryTarget): Promise<void>;
  /** Tries every pending delivery whose time has come (start() does it now and then on a timer). */
  retryDue(): Promise<void>;
  /** Retries what an earlier process left pending, then keeps checking every `pollMs`. */
  start(): void;
  /** Stops the timers and waits for sends in flight. */
  stop(): Promise<void>;
  /** Resolves when no send is in flight (tests). */
  idle(): Promise<void>;
}

/** Posts a line to the staff (a Telegram group); a no-op when none is configured. */
export interface StaffNotifier {
  notify(text: string): Promise<void>;
}

/** A platform that lets the account write only for a while after the user's own message. */
export type ReplyWindow = { maxAgeMs: number; maxMessages: number };

/**
 * Zalo OA's free replies: 8 within 48 h of the user's last message, the count restarting with each of
 * their messages (OA help centre, see docs/ channels reference). The 48 h–7 days "consultation" band is
 * described as paid by one guide only (UNCONFIRMED), so it is not used: outside 48 h / 8 we hold.
 */
export const ZALO_OA_REPLY_WINDOW: ReplyWindow = { maxAgeMs: 48 * 60 * 60_000, maxMessages: 8 };

/** How long a claimed try keeps other replicas' sweeps away (longer than any send takes). */
const LEASE_MS = 2 * 60_000;

/** Channels without push: their deliveries land in the mailbox the client polls. */
export const MAILBOX_CHANNELS: readonly string[] = ["web"];

export type OutboxOptions = {
  store: Store;
  /** The adapters (by name) that send; read on every delivery, so it may be filled in after creation. */
  channels: () => readonly Pick<ChannelAdapter, "name" | "send">[];
  log: Logger;
  clock?: Clock;
  /** Per channel; default Zalo OA's. */
  windows?: Record<string, ReplyWindow>;
  /** First retry delay; doubles per attempt. Default 5 s. */
  retryBaseMs?: number;
  /** Longest retry delay. Default 30 min. */
  retryMaxMs?: number;
  /** Attempts before a delivery is failed. Default 10 (about 3 h with the defaults). */
  maxAttempts?: number;
  /** How often start()'s timer looks for due retries. Default 60 s. */
  pollMs?: number;
  /** Called when a delivery ends as failed (e.g. to tell the staff). */
  onFailed?: (row: DeliveryRow, reason: string) => void;
};

/** Creates the outbox over the store. Nothing runs until deliver, userWrote or start. */
export function createOutbox(options: OutboxOptions): Outbox {
  const { store, log } = options;
  const clock = options.clock ?? { now: () => new Date() };
  const windows = options.windows ?? { "zalo-oa": ZALO_OA_REPLY_WINDOW };
  const base = options.retryBaseMs ?? 5000;
  const max = options.retryMaxMs ?? 30 * 60_000;
  const maxAttempts = options.maxAttempts ?? 10;
  const pollMs = options.pollMs ?? 60_000;
  const now = () => clock.now().getTime();

  const busy = new Set<string>();
  const running = new Set<Promise<unknown>>();
  const timers = new Set<NodeJS.Timeout>();
  let poller: NodeJS.Timeout | undefined;
  let stopped = false;

  function track<T>(work: Promise<T>): Promise<T> {
    running.add(work);
    void work.finally(() => running.delete(work)).catch(() => {});
    return work;
  }

  function later(key: string, delayMs: number): void {
    if (stopped) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      void track(attempt(key)).catch((err: unknown) => log.error({ err }, "outbox: retry failed"));
    }, delayMs);
    timer.unref();
    timers.add(timer);
  }

  async function windowOpen(row: DeliveryRow): Promise<{ open: boolean; reason?: string }> {
    const window = windows[row.channel];
    if (!window) return { open: true };
    const activity = await store.conversationActivity(row.channel, row.conversationId);
    if (!activity) return { open: false, reason: "the user has not written yet; held until they do" };
    if (now() - activity.lastUserAt >= window.maxAgeMs)
      return { open: false, reason: "outside the reply window after the user's last message; held" };
    if (activity.sentSinceUser >= window.maxMessages)
      return { open: false, reason: "the free replies since the user's last message are used up; held" };
    return { open: true };
  }

  /** One try of a pending delivery; the row says what became of it. */
  async function attempt(key: string): Promise<void> {
    if (busy.has(key)) return;
    busy.add(key);
    try {
      const row = await store.getDelivery(key);
      if (!row || row.status !== "pending") return;
      if (MAILBOX_CHANNELS.includes(row.channel)) {
        await store.updateDelivery(key, { status: "sent", sentAt: now(), reason: null }, "pending");
        return;
      }
      const window = await windowOpen(row);
      if (!window.open) {
        await store.updateDelivery(key, { status: "held", reason: window.reason ?? "held" }, "pending");
        return;
      }
      const sender = options.channels().find((c) => c.name === row.channel);
      if (!sender) return fail(row, `the channel ${row.channel} is not configured`);
      const attempts = row.attempts + 1;
      // The claim of this try: the attempt count moves on only for whoever reads it first (another
      // replica's sweep loses), and the lease keeps the row away from sweeps while the send runs.
      const claimed = await store.updateDelivery(
        key,
        { attempts, nextAttemptAt: now() + LEASE_MS },
        "pending",
        row.attempts,
      );
      if (!claimed) return;
      try {
        await sender.send(row.conversationId, [JSON.parse(row.message) as OutgoingMessage]);
      } catch (err) {
        const reason = describe(err);
        if (isTransient(err) && attempts < maxAttempts) {
          const delay = Math.min(max, base * 2 ** (attempts - 1));
          await store.updateDelivery(key, { nextAttemptAt: now() + delay, reason }, "pending");
          log.warn(
            { channel: row.channel, attempts, delayMs: delay, reason },
            "outbox: send failed; will retry",
          );
          later(key, delay);
          return;
        }
        return fail(row, reason);
      }
      await store.updateDelivery(key, { status: "sent", sentAt: now(), reason: null }, "pending");
      log.info({ channel: row.channel, attempts }, "outbox: delivered");
    } finally {
      busy.delete(key);
    }
  }

  async function fail(row: DeliveryRow, reason: string): Promise<void> {
    await store.updateDelivery(row.key, { status: "failed", reason }, "pending");
    log.error({ channel: row.channel, reason }, "outbox: delivery failed");
    options.onFailed?.(row, reason);
  }

  async function status(key: string): Promise<DeliveryResult | undefined> {
    const row = await store.getDelivery(key);
    if (!row) return undefined;
    return { status: row.status, key, ...(row.reason ? { reason: row.reason } : {}) };
  }

  return {
    async deliver(target, message, key) {
      if (!key || key.length > 200)
        throw new AppError("bad_request:outbox", "a delivery key is 1-200 characters");
      const at = now();
      const fresh = await store.insertDelivery({
        key,
        channel: target.channel,
        conversationId: target.conversationId,
        message: JSON.stringify(message),
        status: "pending",
        attempts: 0,
        nextAttemptAt: at,
        createdAt: at,
      });
      if (fresh) await track(attempt(key));
      return (await status(key)) as DeliveryResult;
    },

    status,

    async userWrote(target) {
      const held = await store.listDeliveries({
        status: ["held"],
        channel: target.channel,
        conversationId: target.conversationId,
        limit: 50,
      });
      for (const row of held) {
        if (await store.updateDelivery(row.key, { status: "pending", nextAttemptAt: now() }, "held"))
          await track(attempt(row.key));
      }
    },

    async retryDue() {
      const due = await store.listDeliveries({ status: ["pending"], dueBy: now(), limit: 100 });
      for (const row of due) await track(attempt(row.key));
    },

    start() {
      stopped = false;
      const tick = () =>
        void track(this.retryDue()).catch((err: unknown) => log.error({ err }, "outbox: retry sweep failed"));
      tick();
      poller = setInterval(tick, pollMs);
      poller.unref();
    },

    async stop() {
      stopped = true;
      if (poller) clearInterval(poller);
      poller = undefined;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await this.idle();
    },

    async idle() {
      while (running.size) await Promise.allSettled([...running]);
    },
  };
}

/**
 * The staff notifier: each line goes to the staff's Telegram chat (TELEGRAM_STAFF_CHAT_ID) through the
 * outbox (so it is retried and survives a restart); a no-op without a chat id.
 */
export function createStaffNotifier(options: {
  outbox: Outbox;
  chatId?: string | undefined;
  log: Logger;
}): StaffNotifier {
  const { outbox, chatId, log } = options;
  return {
    async notify(text) {
      if (!chatId) return;
      try {
        await outbox.deliver(
          { channel: "telegram", conversationId: chatId },
          { text, buttons: [] },
          `staff:${randomUUID()}`,
        );
      } catch (err) {
        // A notice must never break the work it reports on.
        log.error({ err }, "staff notifier: could not queue the notice");
      }
    },
  };
}

/** A platform error worth retrying: 5xx, 429, network failures and timeouts. Refusals (4xx) are not. */
export function isTransient(err: unknown): boolean {
  if (err instanceof GrammyError) return err.error_code >= 500 || err.error_code === 429;
  if (err instanceof HttpError) return true;
  if (err instanceof ZaloBotApiError) {
    if (err.status === undefined) return true;
    return err.status >= 500 || err.status === 429 || (err.errorCode ?? 0) >= 500;
  }
  if (err instanceof AppError) {
    if (err.code === "zalo_oa_unreachable" || err.code === "zalo_oa_refresh_failed") return true;
    if (err.code === "zalo_oa_bad_response") {
      const status = (err.options.details as { status?: number } | undefined)?.status ?? 0;
      return status >= 500 || status === 429;
    }
    return false;
  }
  return err instanceof Error && (err.name === "AbortError" || err.name === "TimeoutError");
}

/** A short reason for the row and the admin page; never a token (the clients redact theirs). */
function describe(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.slice(0, 300);
}

import { createHmac } from "node:crypto";
import type { Clock, Logger } from "../assistant/index.ts";
import type { CaseRecord, Store } from "../store/index.ts";
import type { CaseEventName } from "./reports.ts";

/**
 * The outbound webhook (REPORTS_WEBHOOK_URL): a POST for every new case and status change, from a queue
 * in the store, so nothing is lost across restarts. Each call carries
 * - `X-Signature-256: sha256=<hex HMAC-SHA256 of the raw body with REPORTS_WEBHOOK_SECRET>`,
 * - `Idempotency-Key: <code>:<event>:<updatedAt>` (the same on every retry of one change), and
 * - `X-Event: case.created | case.status`.
 * A call that is not answered 2xx is tried again with exponential back-off (base doubling up to a cap),
 * and never dropped. The body has no personal data: no chat ids, no reporter hash, no conversation.
 */

export type WebhookOptions = {
  store: Store;
  url: string;
  secret?: string;
  clock?: Clock;
  log: Logger;
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  /** First retry delay; doubles per attempt. Default 10 s. */
  retryBaseMs?: number;
  /** Longest retry delay. Default 1 h. */
  retryMaxMs?: number;
  /** How often start()'s timer looks for due calls. Default 30 s. */
  pollMs?: number;
  /** One call's time limit. Default 10 s. */
  timeoutMs?: number;
};

export type WebhookQueue = {
  /** Queues the event of a case (idempotent by its key) and tries it at once. */
  enqueue(event: CaseEventName, c: CaseRecord): Promise<void>;
  /** Tries every due call once. */
  retryDue(): Promise<void>;
  start(): void;
  stop(): Promise<void>;
  idle(): Promise<void>;
};

/** The webhook's body for a case event: what the IOC needs, without personal data. */
export function webhookBody(event: CaseEventName, c: CaseRecord): string {
  return JSON.stringify({
    event,
    code: c.code,
    status: c.status,
    category: c.category,
    channel: c.channel,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    dueAt: c.dueAt,
    ...(c.closedAt ? { closedAt: c.closedAt } : {}),
    ...(c.reason ? { reason: c.reason } : {}),
    ...(c.place
      ? {
          place: {
            ...(c.place.entryId ? { entryId: c.place.entryId } : {}),
            ...(c.place.name ? { name: c.place.name } : {}),
            ...(c.place.lat !== undefined ? { lat: c.place.lat, lng: c.place.lng } : {}),
            ...(c.place.text ? { text: c.place.text } : {}),
          },
        }
      : {}),
    ...(c.when ? { when: c.when } : {}),
    description: c.description,
    hasPhoto: c.photo !== undefined,
  });
}

/** The signature header's value for a body. */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(body, "utf8").digest("hex")}`;
}

/** Creates the queue; nothing is sent until enqueue, retryDue or start. */
export function createWebhookQueue(options: WebhookOptions): WebhookQueue {
  const { store, log, url, secret } = options;
  const clock = options.clock ?? { now: () => new Date() };
  const doFetch = options.fetch ?? ((u, init) => fetch(u, init));
  const base = options.retryBaseMs ?? 10_000;
  const max = options.retryMaxMs ?? 60 * 60_000;
  const pollMs = options.pollMs ?? 30_000;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const running = new Set<Promise<unknown>>();
  const busy = new Set<string>();
  let timer: NodeJS.Timeout | undefined;

  function track<T>(work: Promise<T>): Promise<T> {
    running.add(work);
    void work.finally(() => running.delete(work)).catch(() => {});
    return work;
  }

  async function attempt(key: string, body: string, attempts: number): Promise<void> {
    if (busy.has(key)) return;
    busy.add(key);
    try {
      const headers: Record<string, string> = {
        "content-type": "application/json",
        "idempotency-key": key,
        "x-event": (JSON.parse(body) as { event: string }).event,
      };
      if (secret) headers["x-signature-256"] = signBody(body, secret);
      let error: string | undefined;
      try {
        const res = await doFetch(url, {
          method: "POST",
          headers,
          body,
          signal: AbortSignal.timeout(timeoutMs),
        });
        await res.body?.cancel();
        if (!res.ok) error = `HTTP ${res.status}`;
      } catch (err) {
        error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      }
      const at = clock.now().getTime();
      if (error === undefined) {
        await store.settleWebhook(key, { deliveredAt: new Date(at).toISOString() });
        return;
      }
      const delay = Math.min(max, base * 2 ** attempts);
      await store.settleWebhook(key, { nextAt: new Date(at + delay).toISOString(), error });
      log.warn({ key, attempts: attempts + 1, error }, "reports webhook: call failed, will retry");
    } finally {
      busy.delete(key);
    }
  }

  const queue: WebhookQueue = {
    async enqueue(event, c) {
      const key = `${c.code}:${event}:${c.updatedAt}`;
      const body = webhookBody(event, c);
      await store.enqueueWebhook({ key, body, nextAt: clock.now().toISOString() });
      const row = await store.getWebhook(key);
      if (row && !row.deliveredAt) await track(attempt(key, row.body, row.attempts));
    },
    async retryDue() {
      const due = await store.dueWebhooks(clock.now().toISOString(), 50);
      await Promise.all(due.map((w) => track(attempt(w.key, w.body, w.attempts))));
    },
    start() {
      void queue.retryDue().catch((err: unknown) => log.error({ err }, "reports webhook: retry failed"));
      timer = setInterval(
        () =>
          void queue.retryDue().catch((err: unknown) => log.error({ err }, "reports webhook: retry failed")),
        pollMs,
      );
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await queue.idle();
    },
    async idle() {
      while (running.size) await Promise.allSettled([...running]);
    },
  };
  return queue;
}

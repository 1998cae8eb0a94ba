import { AppError, type Lang } from "../../indexer/index.ts";
import type { Clock, Logger } from "../assistant/index.ts";
import type { CaseRecord, CaseStatus, Store } from "../store/index.ts";
import type { CaseEventSink } from "./reports.ts";
import { say, STATUS_LABEL } from "./text.ts";

/**
 * The tourism office's side of a case: status changes (received → in progress → resolved, or rejected
 * with a reason; a closed case may be reopened), assignment, internal notes, and replies delivered to
 * the reporter on the channel the report came from, through the outbox (bot/channels/outbox.ts).
 */

/** The part of the outbox the office uses (structurally bot/channels' Outbox). */
export type ReplyDelivery = {
  deliver(
    target: { channel: string; conversationId: string },
    message: { text: string; buttons: []; from: "staff" },
    key: string,
  ): Promise<{ status: string; key: string; reason?: string }>;
  status(key: string): Promise<{ status: string; key: string; reason?: string } | undefined>;
};

/** Which status may follow which. */
const NEXT: Record<CaseStatus, readonly CaseStatus[]> = {
  received: ["in_progress", "resolved", "rejected"],
  in_progress: ["resolved", "rejected"],
  resolved: ["in_progress"],
  rejected: ["in_progress"],
};

/** True when a case may go from one status to the other. */
export function canMove(from: CaseStatus, to: CaseStatus): boolean {
  return NEXT[from].includes(to);
}

export type OfficeDeps = {
  store: Store;
  clock: Clock;
  log: Logger;
  /** Delivers replies and status notices; without it replies are refused (nothing would reach the user). */
  delivery?: ReplyDelivery;
  onEvent?: CaseEventSink;
};

export type Office = ReturnType<typeof createOffice>;

/** Longest staff reply or note, in characters. */
export const MAX_STAFF_TEXT = 2000;

/** Where a case's reply goes: its channel and the conversation id without the channel's prefix. */
export function replyTarget(c: CaseRecord): { channel: string; conversationId: string } | undefined {
  if (!c.conversationId) return undefined;
  const prefix = `${c.channel}:`;
  const id = c.conversationId.startsWith(prefix) ? c.conversationId.slice(prefix.length) : c.conversationId;
  return { channel: c.channel, conversationId: id };
}

/** Creates the office's operations on cases. Each returns the case after the change. */
export function createOffice(deps: OfficeDeps) {
  const { store, clock, log } = deps;
  const now = () => clock.now().toISOString();

  async function mustGet(code: string): Promise<CaseRecord> {
    const c = await store.getCase(code);
    if (!c) throw new AppError("not_found:case", `no case ${code}`, { expose: true });
    return c;
  }

  async function tell(event: "case.status", c: CaseRecord) {
    try {
      await deps.onEvent?.(event, c);
    } catch (err) {
      log.error({ err, code: c.code }, "reports: a case listener failed");
    }
  }

  async function send(c: CaseRecord, text: string, key: string) {
    const target = replyTarget(c);
    if (!deps.delivery || !target) return undefined;
    return deps.delivery.deliver(target, { text, buttons: [], from: "staff" }, key);
  }

  return {
    async setStatus(code: string, status: CaseStatus, by: string, reason?: string): Promise<CaseRecord> {
      const c = await mustGet(code);
      if (!canMove(c.status, status))
        throw new AppError("bad_request:case_status", `a ${c.status} case cannot become ${status}`, {
          expose: true,
        });
      const why = reason?.trim().slice(0, 500);
      if (status === "rejected" && !why)
        throw new AppError("bad_request:case_reason", "a rejection needs a reason", { expose: true });
      const at = now();
      const closed = status === "resolved" || status === "rejected";
      const next = (await store.updateCase(code, {
        status,
        updatedAt: at,
        closedAt: closed ? at : null,
        reason: status === "rejected" ? (why as string) : null,
      })) as CaseRecord;
      await store.addCaseEvent({
        code,
        at,
        kind: "status",
        by,
        detail: status,
        ...(status === "rejected" ? { text: why as string } : {}),
      });
      await tell("case.status", next);
      const lang: Lang = next.lang;
      const notice = say("statusChanged", lang, { code, status: STATUS_LABEL[status][lang] });
      const text =
        status === "rejected"
          ? `${notice}\n${say("rejectedReason", lang, { reason: why as string })}`
          : notice;
      const events = (await store.listCaseEvents(code)).length;
      await send(next, text, `case:${code}:status:${events}`).catch((err: unknown) =>
        log.error({ err, code }, "reports: status notice not delivered"),
      );
      return next;
    },

    async assign(code: string, assignee: string | undefined, by: string): Promise<CaseRecord> {
      await mustGet(code);
      const at = now();
      const next = (await store.updateCase(code, {
        assignee: assignee ?? null,
        updatedAt: at,
      })) as CaseRecord;
      await store.addCaseEvent({ code, at, kind: "assign", by, detail: assignee ?? "" });
      return next;
    },

    async note(code: string, text: string, by: string): Promise<void> {
      await mustGet(code);
      const body = text.trim().slice(0, MAX_STAFF_TEXT);
      if (!body) throw new AppError("bad_request:case_note", "the note is empty", { expose: true });
      await store.addCaseEvent({ code, at: now(), kind: "note", by, text: body });
    },

    /** Sends a reply to the reporter; the result says whether it went out or waits (Zalo OA window). */
    async reply(code: string, text: string, by: string) {
      const c = await mustGet(code);
      const body = text.trim();
      if (!body) throw new AppError("bad_request:case_reply", "the reply is empty", { expose: true });
      if (body.length > MAX_STAFF_TEXT)
        throw new AppError(
          "bad_request:case_reply",
          `the reply is longer than ${MAX_STAFF_TEXT} characters`,
          {
            expose: true,
          },
        );
      if (!deps.delivery)
        throw new AppError("unavailable:delivery", "replies cannot be delivered here", { expose: true });
      if (!replyTarget(c))
        throw new AppError("bad_request:case_reply", "the reporter's chat is no longer kept (retention)", {
          expose: true,
        });
      const at = now();
      const n = (await store.listCaseEvents(code)).filter((e) => e.kind === "reply").length + 1;
      const key = `case:${code}:reply:${n}`;
      await store.addCaseEvent({ code, at, kind: "reply", by, text: body, detail: key });
      const message = say("staffReply", c.lang, { code, text: body });
      await store.appendCaseLine(code, { from: "bot", text: message, at });
      const result = await send(c, message, key);
      return result ?? { status: "failed", key, reason: "no delivery" };
    },

    /** What became of a reply (sent, held, pending, failed), by its key. */
    async deliveryOf(key: string) {
      return deps.delivery?.status(key);
    },
  };
}

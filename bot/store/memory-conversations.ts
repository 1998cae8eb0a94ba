import type { ConversationStore, DeliveryRow, HandoffLine, HandoffRow } from "./conversations.ts";

/** The ConversationStore part of the memory store, with `purge` for its purgeBefore. */
export function createMemoryConversations(assertOpen: () => void): ConversationStore & {
  purge(beforeMs: number): void;
} {
  const activity = new Map<string, { lastUserAt: number; sentSinceUser: number }>();
  const deliveries = new Map<string, DeliveryRow>();
  const handoffs = new Map<string, HandoffRow>();
  const lines: HandoffLine[] = [];
  let seq = 0;
  let lineSeq = 0;
  const key = (channel: string, conversationId: string) => `${channel}\u0000${conversationId}`;
  const copy = <T>(v: T): T => structuredClone(v);

  return {
    async noteUserMessage(channel, conversationId, at) {
      assertOpen();
      const k = key(channel, conversationId);
      const last = activity.get(k)?.lastUserAt ?? 0;
      activity.set(k, { lastUserAt: Math.max(last, at), sentSinceUser: 0 });
    },
    async noteSent(channel, conversationId) {
      assertOpen();
      const a = activity.get(key(channel, conversationId));
      if (a) a.sentSinceUser++;
    },
    async conversationActivity(channel, conversationId) {
      assertOpen();
      const a = activity.get(key(channel, conversationId));
      return a ? { ...a } : undefined;
    },

    async insertDelivery(row) {
      assertOpen();
      if (deliveries.has(row.key)) return false;
      deliveries.set(row.key, { ...copy(row), seq: ++seq });
      return true;
    },
    async getDelivery(k) {
      assertOpen();
      const row = deliveries.get(k);
      return row ? copy(row) : undefined;
    },
    async updateDelivery(k, patch, ifStatus, ifAttempts) {
      assertOpen();
      const row = deliveries.get(k);
      if (!row || (ifStatus && row.status !== ifStatus)) return false;
      if (ifAttempts !== undefined && row.attempts !== ifAttempts) return false;
      const { reason, ...rest } = patch;
      Object.assign(row, rest);
      if (reason === null) delete row.reason;
      else if (reason !== undefined) row.reason = reason;
      return true;
    },
    async listDeliveries(f) {
      assertOpen();
      return [...deliveries.values()]
        .filter(
          (d) =>
            (!f.status || f.status.includes(d.status)) &&
            (f.channel === undefined || d.channel === f.channel) &&
            (f.conversationId === undefined || d.conversationId === f.conversationId) &&
            (f.dueBy === undefined || d.nextAttemptAt <= f.dueBy) &&
            (f.afterSeq === undefined || d.seq > f.afterSeq),
        )
        .sort((a, b) => a.seq - b.seq)
        .slice(0, f.limit ?? 100)
        .map(copy);
    },

    async openHandoff(row) {
      assertOpen();
      for (const h of handoffs.values()) {
        if (h.status === "open" && h.channel === row.channel && h.conversationId === row.conversationId)
          return { handoff: copy(h), created: false };
      }
      const handoff: HandoffRow = { ...copy(row), status: "open" };
      handoffs.set(row.id, handoff);
      return { handoff: copy(handoff), created: true };
    },
    async getHandoff(id) {
      assertOpen();
      const h = handoffs.get(id);
      return h ? copy(h) : undefined;
    },
    async findOpenHandoff(channel, conversationId) {
      assertOpen();
      for (const h of handoffs.values()) {
        if (h.status === "open" && h.channel === channel && h.conversationId === conversationId)
          return copy(h);
      }
      return undefined;
    },
    async listHandoffs(options = {}) {
      assertOpen();
      return [...handoffs.values()]
        .filter((h) => options.status === undefined || h.status === options.status)
        .sort((a, b) => b.startedAt - a.startedAt)
        .slice(0, options.limit ?? 100)
        .map(copy);
    },
    async touchHandoff(id, patch) {
      assertOpen();
      const h = handoffs.get(id);
      if (!h || h.status !== "open") return;
      if (patch.lastUserAt !== undefined) h.lastUserAt = patch.lastUserAt;
      if (patch.lastStaffAt !== undefined) h.lastStaffAt = patch.lastStaffAt;
    },
    async closeHandoff(id, at, by) {
      assertOpen();
      const h = handoffs.get(id);
      if (!h || h.status !== "open") return false;
      Object.assign(h, { status: "closed", closedAt: at, closedBy: by });
      return true;
    },
    async appendHandoffLine(line) {
      assertOpen();
      const stored = { ...copy(line), seq: ++lineSeq };
      lines.push(stored);
      return stored.seq;
    },
    async handoffLines(id, afterSeq) {
      assertOpen();
      return lines
        .filter((l) => l.handoffId === id && (afterSeq === undefined || l.seq > afterSeq))
        .map(copy);
    },

    purge(beforeMs) {
      for (const [k, d] of deliveries)
        if ((d.status === "sent" || d.status === "failed") && d.createdAt < beforeMs) deliveries.delete(k);
      for (const [id, h] of handoffs) {
        if (h.status === "closed" && (h.closedAt ?? 0) < beforeMs) {
          handoffs.delete(id);
          for (let i = lines.length - 1; i >= 0; i--) if (lines[i]?.handoffId === id) lines.splice(i, 1);
        }
      }
    },
  };
}

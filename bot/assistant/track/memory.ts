import type { Lang } from "../../../indexer/index.ts";
import type { DeadlineQuery } from "../find/lodging-deadline.ts";
import type { Intent } from "../types.ts";

/** What one conversation remembers between turns: enough to resolve "còn năm 2028?" or "how far is it?". */
export type Turn = {
  lang: Lang;
  question: string;
  intent: Intent;
  /** The entry the previous answer was about. */
  entryId?: string;
  /** What the previous question asked of it (hours, tickets, ...). */
  aspects?: string[];
  /** The details of the last lodging-deadline question ("còn khách Việt Nam thì sao?" reuses the time). */
  deadline?: DeadlineQuery;
  at: number;
};

/** A small in-process memory: last turn per conversation, forgotten after `ttlMs` or when full (oldest first). */
export class ConversationMemory {
  private readonly turns = new Map<string, Turn>();

  constructor(private readonly options: { ttlMs: number; maxConversations: number; now: () => number }) {}

  /** The previous turn, when it is recent enough. */
  get(conversationId: string | undefined): Turn | undefined {
    if (!conversationId) return undefined;
    const turn = this.turns.get(conversationId);
    if (!turn) return undefined;
    if (this.options.now() - turn.at > this.options.ttlMs) {
      this.turns.delete(conversationId);
      return undefined;
    }
    return turn;
  }

  /** Remembers a turn (moves the conversation to the newest end). */
  set(conversationId: string | undefined, turn: Omit<Turn, "at">): void {
    if (!conversationId) return;
    this.turns.delete(conversationId);
    this.turns.set(conversationId, { ...turn, at: this.options.now() });
    if (this.turns.size > this.options.maxConversations) {
      const oldest = this.turns.keys().next().value;
      if (oldest !== undefined) this.turns.delete(oldest);
    }
  }

  get size(): number {
    return this.turns.size;
  }
}

import type { DialogueState } from "./state.ts";

/** A conversation's state, kept with when it last changed. */
type Kept = { state: DialogueState; at: number };

/**
 * A small in-process home for dialogue states: one per conversation, forgotten after `ttlMs` or when
 * full (least recently used first). The state is a plain value, so another store (a database shared by
 * several replicas) can keep it instead.
 */
export class ConversationMemory {
  private readonly states = new Map<string, Kept>();

  constructor(private readonly options: { ttlMs: number; maxConversations: number; now: () => number }) {}

  /** The conversation's state, when it is recent enough. */
  get(conversationId: string | undefined): DialogueState | undefined {
    if (!conversationId) return undefined;
    const kept = this.states.get(conversationId);
    if (!kept) return undefined;
    if (this.options.now() - kept.at > this.options.ttlMs) {
      this.states.delete(conversationId);
      return undefined;
    }
    return kept.state;
  }

  /** Keeps a conversation's state (moves the conversation to the newest end). */
  set(conversationId: string | undefined, state: DialogueState): void {
    if (!conversationId) return;
    this.states.delete(conversationId);
    this.states.set(conversationId, { state, at: this.options.now() });
    if (this.states.size > this.options.maxConversations) {
      const oldest = this.states.keys().next().value;
      if (oldest !== undefined) this.states.delete(oldest);
    }
  }

  get size(): number {
    return this.states.size;
  }
}

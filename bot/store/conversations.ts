/**
 * The Store's part for talking to people outside a webhook reply: when each user last wrote (the Zalo OA
 * reply window), the outbox of proactive deliveries (which the web widget also polls as its mailbox), and
 * handoffs of a chat to staff with their transcripts. Times are epoch milliseconds.
 */

/** pending: to be (re)tried at nextAttemptAt · held: waits for the user's next message · sent · failed. */
export type DeliveryStatus = "pending" | "held" | "sent" | "failed";

/** One message the outbox is to deliver, keyed by the caller's idempotency key. */
export type DeliveryRow = {
  /** Insertion order; the widget's mailbox reads after a seq. */
  seq: number;
  key: string;
  channel: string;
  conversationId: string;
  /** The OutgoingMessage as JSON (the store does not know the channels' types). */
  message: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: number;
  reason?: string;
  createdAt: number;
  sentAt?: number;
};

/** What may change of a delivery; `ifStatus` makes the update a compare-and-set (false when it did not match). */
export type DeliveryPatch = {
  status?: DeliveryStatus;
  attempts?: number;
  nextAttemptAt?: number;
  reason?: string | null;
  sentAt?: number;
};

export type DeliveryFilter = {
  status?: DeliveryStatus[];
  channel?: string;
  conversationId?: string;
  /** nextAttemptAt <= dueBy */
  dueBy?: number;
  afterSeq?: number;
  /** Default 100. */
  limit?: number;
};

/** When the user last wrote, and how many messages went to them since (Zalo OA: 8 free replies in 48 h). */
export type ConversationActivity = { lastUserAt: number; sentSinceUser: number };

export type HandoffStatus = "open" | "closed";

/** A chat handed to staff. One open handoff per channel and conversation at most. */
export type HandoffRow = {
  id: string;
  channel: string;
  conversationId: string;
  status: HandoffStatus;
  lang: "vi" | "en";
  startedAt: number;
  lastUserAt?: number;
  lastStaffAt?: number;
  closedAt?: number;
  /** "staff:<name>" | "user" | "quiet" */
  closedBy?: string;
};

/** One line of a handoff's transcript. */
export type HandoffLine = {
  seq: number;
  handoffId: string;
  at: number;
  author: "user" | "staff" | "bot";
  staffName?: string;
  text: string;
  /** The outbox key of a staff line, to show whether it was sent or is held. */
  deliveryKey?: string;
};

export interface ConversationStore {
  /** The user wrote at `at`: the reply window restarts and the count of messages sent since is 0. */
  noteUserMessage(channel: string, conversationId: string, at: number): Promise<void>;
  /** One message went to the user (counted against the reply window). */
  noteSent(channel: string, conversationId: string): Promise<void>;
  conversationActivity(channel: string, conversationId: string): Promise<ConversationActivity | undefined>;

  /** Inserts a delivery; false (nothing written) when its key exists. */
  insertDelivery(row: Omit<DeliveryRow, "seq">): Promise<boolean>;
  getDelivery(key: string): Promise<DeliveryRow | undefined>;
  /**
   * Updates a delivery; with `ifStatus` (and `ifAttempts`), only when it has that status (and that many
   * attempts): a compare-and-set, so that of two replicas claiming the same try only one wins. True when
   * a row changed.
   */
  updateDelivery(
    key: string,
    patch: DeliveryPatch,
    ifStatus?: DeliveryStatus,
    ifAttempts?: number,
  ): Promise<boolean>;
  /** Deliveries in seq order. */
  listDeliveries(filter: DeliveryFilter): Promise<DeliveryRow[]>;

  /** Opens a handoff, or answers the one already open for that conversation (created: false). */
  openHandoff(row: Omit<HandoffRow, "status">): Promise<{ handoff: HandoffRow; created: boolean }>;
  getHandoff(id: string): Promise<HandoffRow | undefined>;
  findOpenHandoff(channel: string, conversationId: string): Promise<HandoffRow | undefined>;
  /** Newest first; default limit 100. */
  listHandoffs(options?: { status?: HandoffStatus; limit?: number }): Promise<HandoffRow[]>;
  /** Sets lastUserAt / lastStaffAt of an open handoff. */
  touchHandoff(id: string, patch: { lastUserAt?: number; lastStaffAt?: number }): Promise<void>;
  /** Closes an open handoff; false when it was not open (someone else closed it first). */
  closeHandoff(id: string, at: number, by: string): Promise<boolean>;
  appendHandoffLine(line: Omit<HandoffLine, "seq">): Promise<number>;
  /** The transcript in order, after `afterSeq` when given. */
  handoffLines(id: string, afterSeq?: number): Promise<HandoffLine[]>;
}

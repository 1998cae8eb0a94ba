/**
 * A channel's background work: in order within one chat (a follow-up waits for the question before it,
 * and two quick replies never cross), in parallel across chats, with `idle()` for tests and shutdown.
 */
export type ChatQueue = {
  /** Queues `task` behind the earlier work of `chat`. */
  push(chat: string, task: () => Promise<void>): void;
  /** Resolves when everything queued so far (and anything queued meanwhile) has finished. */
  idle(): Promise<void>;
};

/** `onError` gets what a task threw, so that one failing update never stops the chat's later ones. */
export function createChatQueue(onError: (err: unknown) => void): ChatQueue {
  const chains = new Map<string, Promise<void>>();
  const inFlight = new Set<Promise<void>>();
  return {
    push(chat, task) {
      const run = (chains.get(chat) ?? Promise.resolve()).then(task).catch(onError);
      chains.set(chat, run);
      inFlight.add(run);
      void run.finally(() => {
        inFlight.delete(run);
        if (chains.get(chat) === run) chains.delete(chat);
      });
    },
    async idle() {
      while (inFlight.size) await Promise.allSettled([...inFlight]);
    },
  };
}

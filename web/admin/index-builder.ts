import { Worker } from "node:worker_threads";
import { AppError, buildIndex, openIndex, type Embedder, type KnowledgeIndex } from "../../indexer/index.ts";

/** What the build worker is asked to do; `allowShrink` confirms a build that drops most entries. */
export type BuildJob = { contentDir: string; indexDir: string; allowShrink?: boolean };

/** What the build worker posts back. */
export type WorkerMessage =
  | { type: "warn"; message: string }
  | { type: "done"; version: string }
  | { type: "failed"; message: string; code?: string; details?: unknown };

/** Builds the index from contentDir into indexDir and returns it opened; throws as buildIndex does. */
export type IndexBuilder = (
  job: BuildJob & { embedder?: Embedder; warn: (message: string) => void },
) => Promise<KnowledgeIndex>;

const WORKER_ENTRY = new URL("./build-worker.mjs", import.meta.url);

/** Builds on the calling thread (tests, and `npm run index`'s way). */
export const buildInThread: IndexBuilder = async ({ contentDir, indexDir, embedder, warn, allowShrink }) =>
  (
    await buildIndex(contentDir, indexDir, {
      ...(embedder ? { embedder } : {}),
      ...(allowShrink ? { allowShrink } : {}),
      log: { warn },
    })
  ).index;

/**
 * Builds in a worker thread, then opens the new version on this thread. A build of the real content
 * takes a few seconds of CPU, and of a large knowledge base minutes; on the server's own thread every
 * visitor's request would wait for it. Opening a built index is a fraction of that. Invalid content
 * comes back as the same AppError (`content_invalid`, problems in its details) that buildIndex throws.
 */
export const buildInWorker: IndexBuilder = async ({ contentDir, indexDir, embedder, warn, allowShrink }) => {
  await new Promise<void>((resolve, reject) => {
    const job: BuildJob = { contentDir, indexDir, ...(allowShrink ? { allowShrink } : {}) };
    const worker = new Worker(WORKER_ENTRY, { workerData: job });
    let settled = false;
    const settle = (err?: Error) => {
      if (settled) return;
      settled = true;
      // Its work is done either way (tsx's loader could otherwise keep the thread alive).
      void worker.terminate();
      if (err) reject(err);
      else resolve();
    };
    worker.on("message", (m: WorkerMessage) => {
      if (m.type === "warn") warn(m.message);
      else if (m.type === "done") settle();
      else
        settle(
          m.code
            ? new AppError(m.code, m.message, { details: m.details })
            : new Error(`index build failed: ${m.message}`),
        );
    });
    worker.on("error", (err) => settle(err));
    worker.on("exit", (code) =>
      settle(new Error(`the index build worker exited (code ${code}) without a result`)),
    );
  });
  return openIndex(indexDir, embedder ? { embedder } : {});
};

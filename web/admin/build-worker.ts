/**
 * Body of the index-build worker thread (started by index-builder.ts through build-worker.mjs): builds
 * the index from `workerData.contentDir` into `workerData.indexDir` with buildIndex, so that publishing
 * never holds up the server's event loop, and posts the outcome. The embedder is the one the environment
 * configures (the worker's process.env is a copy of the server's), as for `npm run index`.
 */
import { parentPort, workerData } from "node:worker_threads";
import { AppError, buildIndex, readIndexerConfig } from "../../indexer/index.ts";
import type { BuildJob, WorkerMessage } from "./index-builder.ts";

const post = (message: WorkerMessage) => parentPort?.postMessage(message);
const job = workerData as BuildJob;

try {
  const { embedder } = readIndexerConfig(process.env);
  const built = await buildIndex(job.contentDir, job.indexDir, {
    ...(embedder ? { embedder } : {}),
    ...(job.allowShrink ? { allowShrink: true } : {}),
    log: { warn: (message) => post({ type: "warn", message }) },
  });
  post({ type: "done", version: built.manifest.version });
} catch (err) {
  post(
    err instanceof AppError
      ? { type: "failed", message: err.message, code: err.code, details: err.options.details }
      : { type: "failed", message: err instanceof Error ? err.message : String(err) },
  );
}

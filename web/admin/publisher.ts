import { statSync, watch as watchFiles, type FSWatcher } from "node:fs";
import path from "node:path";
import type { Assistant, Clock, Logger, Store } from "../../bot/index.ts";
import {
  AppError,
  formatProblem,
  hashContent,
  type ContentProblem,
  type Embedder,
  type KnowledgeIndex,
} from "../../indexer/index.ts";
import type { Live } from "../app.ts";
import { buildInThread, type IndexBuilder } from "./index-builder.ts";
import type { Publisher, PublishOptions, PublishResult } from "./types.ts";

/** A publish result with when it finished and why it ran (several reasons when calls were coalesced). */
export type PublishRecord = PublishResult & { at: string; reason: string };

export type PublisherDeps = {
  contentDir: string;
  indexDir: string;
  /** The external embedder, when configured; omitted means the built-in LSI (as `npm run index`). */
  embedder?: Embedder;
  /** The live pair; replaced in one assignment after a successful build. */
  live: { current: Live };
  /** A new index needs a new assistant (its catalog is built from the index). */
  makeAssistant: (index: KnowledgeIndex) => Assistant;
  log: Logger;
  clock: Clock;
  /** Called after every build, successful or not. */
  onPublished?: (result: PublishRecord) => void;
  /** How the index is built: on this thread by default; the server builds in a worker thread. */
  builder?: IndexBuilder;
};

/** Publishing plus the watcher of content/ for changes made outside the admin (a git pull). */
export type ContentPublisher = Publisher & {
  /**
   * Republishes after .md files under contentDir stop changing for `debounceMs`; returns stop. Every
   * `recheckMs` it looks whether contentDir is still the folder it watches: when the folder is removed
   * it waits for it, and when one comes back (or another takes its place) it watches that one and
   * republishes if its content differs.
   */
  watch(debounceMs?: number, recheckMs?: number): () => void;
  /** Settles when no build is running or queued (at shutdown: a build is not cut off halfway). */
  idle(): Promise<void>;
  /** Publishes unless the live index was already built from the content as it is now (after a pull). */
  refresh(reason: string): Promise<void>;
};

/**
 * Rebuilds the index from content/ and swaps the live index and assistant together when the build
 * succeeds; invalid content or any failure leaves the previous pair live. Builds never overlap: calls
 * made while one runs share a single follow-up build that starts after it.
 */
export function createPublisher(deps: PublisherDeps): ContentPublisher {
  const { contentDir, indexDir, live, log, clock } = deps;
  let running: Promise<PublishResult> | undefined;
  let next: { reasons: Set<string>; options: PublishOptions; promise: Promise<PublishResult> } | undefined;
  let last: PublishRecord | undefined;

  async function build(reason: string, options: PublishOptions): Promise<PublishResult> {
    const started = performance.now();
    log.info({ reason }, "publish: building the index");
    let result: PublishResult;
    try {
      const index = await (deps.builder ?? buildInThread)({
        contentDir,
        indexDir,
        ...(deps.embedder ? { embedder: deps.embedder } : {}),
        ...(options.allowShrink ? { allowShrink: true } : {}),
        warn: (msg) => log.warn({ reason }, `publish: ${msg}`),
      });
      const assistant = deps.makeAssistant(index);
      // One assignment: a request reads `live.current` once, so it sees the old pair or the new one.
      live.current = { index, assistant };
      result = {
        ok: true,
        version: index.manifest.version,
        entries: index.manifest.counts.entries,
        ms: Math.round(performance.now() - started),
      };
      log.info({ reason, version: result.version, ms: result.ms }, "publish: new index is live");
    } catch (err) {
      const problems = contentProblems(err);
      const shrink = shrinkOf(err);
      result = {
        ok: false,
        error: problems.length
          ? `content is invalid (${problems.length} problem${problems.length === 1 ? "" : "s"})`
          : err instanceof Error
            ? err.message
            : String(err),
        problems,
        ms: Math.round(performance.now() - started),
        ...(err instanceof AppError ? { code: err.code } : {}),
        ...(shrink ? { shrink } : {}),
      };
      log.warn(
        { reason, err: problems.length ? undefined : err, problems: problems.length, ms: result.ms },
        "publish: build failed; the previous index stays live",
      );
    }
    last = { ...result, at: clock.now().toISOString(), reason };
    try {
      deps.onPublished?.(last);
    } catch (err) {
      log.error({ err }, "publish: onPublished failed");
    }
    return result;
  }

  function start(reasons: Set<string>, options: PublishOptions): Promise<PublishResult> {
    const promise: Promise<PublishResult> = build([...reasons].join(", "), options).finally(() => {
      if (running === promise) running = undefined;
    });
    running = promise;
    return promise;
  }

  function publish(reason: string, options: PublishOptions = {}): Promise<PublishResult> {
    if (!running) return start(new Set([reason]), options);
    if (!next) {
      const reasons = new Set<string>();
      const queued: PublishOptions = {};
      // `running` settles (and clears itself) before this callback runs: build() never rejects.
      const promise = running.then(() => {
        next = undefined;
        return start(reasons, queued);
      });
      next = { reasons, options: queued, promise };
    }
    next.reasons.add(reason);
    if (options.allowShrink) next.options.allowShrink = true;
    return next.promise;
  }

  /** Publishes unless the live index was already built from the content as it is now. */
  async function publishIfChanged(reason: string): Promise<void> {
    await (next?.promise ?? running);
    try {
      if ((await hashContent(contentDir)) === live.current.index.manifest.contentHash) {
        log.info({ reason }, "publish: the live index already has this content");
        return;
      }
    } catch (err) {
      log.warn({ err }, "publish: could not hash the content; rebuilding anyway");
    }
    await publish(reason);
  }

  function watch(debounceMs = 1500, recheckMs = 2000): () => void {
    let timer: NodeJS.Timeout | undefined;
    let watcher: FSWatcher | undefined;
    /** The folder being watched (device and inode), to notice another one in its place. */
    let watched: { dev: number; ino: number } | undefined;
    let stopped = false;
    let started = false;

    const schedule = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timer = undefined;
        void publishIfChanged("content changed on disk");
      }, debounceMs);
    };
    const unwatch = () => {
      watcher?.close();
      watcher = undefined;
      watched = undefined;
    };

    /** Watches contentDir as it is now; called at start, on every event, and every recheckMs. */
    function follow(): void {
      if (stopped) return;
      let now: { dev: number; ino: number } | undefined;
      try {
        const st = statSync(contentDir);
        if (st.isDirectory()) now = { dev: st.dev, ino: st.ino };
      } catch {
        now = undefined;
      }
      if (!now) {
        if (watcher) {
          log.warn(
            { contentDir },
            "publish: the content folder is gone; the live index stays, waiting for it",
          );
          unwatch();
        }
        return;
      }
      if (watched && watched.dev === now.dev && watched.ino === now.ino) return;
      // Started, came back, or swapped for another folder: an inotify watch stays on the old one.
      const replaced = watched !== undefined || started;
      unwatch();
      try {
        const w = watchFiles(contentDir, { recursive: true }, (_event, filename) => {
          if (!filename || isContentFile(filename.toString())) schedule();
          // A removed or renamed folder comes as an event without a .md name: look at it at once.
          else follow();
        });
        w.on("error", (err) => {
          log.warn({ err }, "publish: watching the content folder failed; looking for it again");
          if (watcher === w) unwatch();
        });
        watcher = w;
        watched = now;
      } catch (err) {
        log.error({ err, contentDir }, "publish: cannot watch the content folder; trying again");
        return;
      }
      if (replaced) {
        log.info({ contentDir }, "publish: watching the content folder again");
        schedule();
      }
    }

    follow();
    started = true;
    const recheck = setInterval(follow, recheckMs);
    recheck.unref();
    return () => {
      stopped = true;
      clearTimeout(timer);
      clearInterval(recheck);
      unwatch();
    };
  }

  return {
    publish,
    status: () => ({ running: running !== undefined, ...(last ? { last } : {}) }),
    watch,
    refresh: publishIfChanged,
    idle: async () => {
      while (running || next) await (next?.promise ?? running);
    },
  };
}

/** A Markdown file, not an editor's or a tool's temporary file (".#x.md", "x.md~", "x.md.tmp"). */
function isContentFile(filename: string): boolean {
  const name = path.basename(filename);
  return name.endsWith(".md") && !name.startsWith(".");
}

/** The counts of a content_shrink refusal (the publish page asks for a confirmation with them). */
function shrinkOf(err: unknown): { live: number; next: number; dropped: number } | undefined {
  if (!(err instanceof AppError) || err.code !== "content_shrink") return undefined;
  const d = err.options.details as { live?: unknown; next?: unknown; dropped?: unknown } | undefined;
  const n = (v: unknown) => (typeof v === "number" ? v : 0);
  return { live: n(d?.live), next: n(d?.next), dropped: n(d?.dropped) };
}

/** The content problems of a content_invalid build as `path:line field: reason`; none for other errors. */
function contentProblems(err: unknown): string[] {
  if (!(err instanceof AppError) || err.code !== "content_invalid") return [];
  const details = err.options.details;
  return Array.isArray(details) ? (details as ContentProblem[]).map(formatProblem) : [];
}

export type RetentionDeps = {
  store: Pick<Store, "purgeBefore" | "forgetReporters">;
  /** Interactions older than this many days are deleted. */
  days: number;
  clock: Clock;
  log: Logger;
};

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Deletes stored interactions older than `days`, and the chat ids of cases closed more than `days` ago,
 * now and then every 24 hours; returns stop.
 */
export function startRetention(deps: RetentionDeps): () => void {
  const purge = async (): Promise<void> => {
    const cutoff = new Date(deps.clock.now().getTime() - deps.days * DAY_MS).toISOString();
    try {
      const deleted = await deps.store.purgeBefore(cutoff);
      deps.log.info({ cutoff, deleted }, "retention: old interactions purged");
      // Reports keep the reporter's chat id for the office's reply only: gone RETENTION_DAYS after closing.
      const forgotten = await deps.store.forgetReporters(cutoff);
      deps.log.info({ cutoff, forgotten }, "retention: chat ids of long-closed reports removed");
    } catch (err) {
      deps.log.error({ err, cutoff }, "retention: purge failed");
    }
  };
  void purge();
  const timer = setInterval(() => void purge(), DAY_MS);
  timer.unref();
  return () => clearInterval(timer);
}

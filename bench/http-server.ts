/**
 * Child process of the HTTP benchmark, bundled and run as `npm start` runs web/main.ts. BENCH_SERVER says
 * what it serves:
 * - "app": the real app (the real content's index opened from BENCH_INDEX_DIR, no model, a SQLite store
 *   in a temporary folder, rate limits out of the way); BENCH_PLAN_CACHE_SIZE sets the assistant's plan
 *   cache (0 turns it off);
 * - "bare": a bare express app answering a fixed JSON at POST /bare.
 * Each runs in its own process, so that the peak RSS reported is the app's alone. Prints `{"port":N}` on
 * stdout; SIGUSR2 (sent after the warm-up) starts counting requests and CPU time; on SIGTERM it prints
 * `{"peakRssMb":M,"cpuUsPerRequest":C}` (CPU time of the process per request since SIGUSR2) and exits.
 */
import express from "express";
import type { Server } from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pino } from "pino";
import { createAssistant } from "../bot/index.ts";
import { openSqliteStore } from "../bot/store/index.ts";
import { openIndex } from "../indexer/index.ts";
import { createApp, DEFAULT_APP_OPTIONS } from "../web/app.ts";

const cleanups: (() => Promise<void>)[] = [];

async function realApp(): Promise<express.Express> {
  // As `npm start` runs when the index is up to date: opened from disk, built beforehand by the parent.
  const indexDir = process.env.BENCH_INDEX_DIR;
  if (!indexDir) throw new Error("BENCH_INDEX_DIR is not set (bench/http-bench.ts sets it)");
  const index = await openIndex(indexDir);
  const dir = await mkdtemp(path.join(os.tmpdir(), "chau-doc-http-bench-"));
  const store = openSqliteStore(path.join(dir, "bench.sqlite"));
  cleanups.push(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });
  const log = pino({ level: "silent" });
  const clock = { now: () => new Date() };
  const planCacheSize = process.env.BENCH_PLAN_CACHE_SIZE;
  const assistant = createAssistant({
    index,
    store,
    clock,
    log,
    ...(planCacheSize ? { options: { planCacheSize: Number(planCacheSize) } } : {}),
  });
  return createApp({
    live: () => ({ index, assistant }),
    store,
    log,
    clock,
    options: { ...DEFAULT_APP_OPTIONS, rateLimitPerMinute: 100_000_000 },
  });
}

function bareApp(): express.Express {
  const bare = express();
  bare.post("/bare", (_req, res) => {
    res.json({ answer: "fixed", sources: [] });
  });
  return bare;
}

const kind = process.env.BENCH_SERVER;
if (kind !== "app" && kind !== "bare") throw new Error(`BENCH_SERVER must be "app" or "bare", not ${kind}`);
const app = kind === "app" ? await realApp() : bareApp();
const server = await new Promise<Server>((resolve) => {
  const s = app.listen(0, "127.0.0.1", () => resolve(s));
});
let requests = 0;
server.on("request", () => requests++);
let cpuAtStart = process.cpuUsage();
process.on("SIGUSR2", () => {
  // The parent's "measuring starts now" (after warming up).
  requests = 0;
  cpuAtStart = process.cpuUsage();
});
process.stdout.write(`${JSON.stringify({ port: (server.address() as { port: number }).port })}\n`);
process.on("SIGTERM", async () => {
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  const cpu = process.cpuUsage(cpuAtStart);
  const cpuUsPerRequest = requests ? (cpu.user + cpu.system) / requests : 0;
  server.close();
  for (const cleanup of cleanups) await cleanup();
  process.stdout.write(`${JSON.stringify({ peakRssMb, cpuUsPerRequest })}\n`);
  process.exit(0);
});

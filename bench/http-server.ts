/**
 * Child process of the HTTP benchmark: serves the real app (the real content's index opened from disk, no model, a SQLite store in a
 * temporary folder, rate limits out of the way) on one port and a bare express app answering a fixed JSON
 * on another, prints `{"app":port,"bare":port}` on stdout, and on SIGTERM prints its peak RSS and exits.
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

// As `npm start` runs when the index is up to date: opened from disk, built beforehand by the parent.
const indexDir = process.env.BENCH_INDEX_DIR;
if (!indexDir) throw new Error("BENCH_INDEX_DIR is not set (bench/http-bench.ts sets it)");
const index = await openIndex(indexDir);
const dir = await mkdtemp(path.join(os.tmpdir(), "chau-doc-http-bench-"));
const store = openSqliteStore(path.join(dir, "bench.sqlite"));
const log = pino({ level: "silent" });
const clock = { now: () => new Date() };
const assistant = createAssistant({ index, store, clock, log });
const app = createApp({
  live: () => ({ index, assistant }),
  store,
  log,
  clock,
  options: { ...DEFAULT_APP_OPTIONS, rateLimitPerMinute: 100_000 },
});
const bare = express();
bare.post("/bare", (_req, res) => {
  res.json({ answer: "fixed", sources: [] });
});
const listen = (a: express.Express) =>
  new Promise<Server>((resolve) => {
    const s = a.listen(0, "127.0.0.1", () => resolve(s));
  });
const appServer = await listen(app);
const bareServer = await listen(bare);
const port = (s: Server) => (s.address() as { port: number }).port;
process.stdout.write(`${JSON.stringify({ app: port(appServer), bare: port(bareServer) })}\n`);
process.on("SIGTERM", async () => {
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  appServer.close();
  bareServer.close();
  await store.close();
  await rm(dir, { recursive: true, force: true });
  process.stdout.write(`${JSON.stringify({ peakRssMb })}\n`);
  process.exit(0);
});

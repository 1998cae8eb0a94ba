import autocannon from "autocannon";
import { spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import { loadQuestions } from "../eval/run-eval.ts";
import { buildIndex } from "../indexer/index.ts";

/**
 * HTTP load test: POST /api/ask without a model (real content, the whole middleware stack, the SQLite
 * store) beside a bare express route answering a fixed JSON, both served by one child process, measured in
 * the same run with autocannon (50 connections). Targets: ask at least half the bare throughput, p99 under
 * 50 ms, server peak RSS under 200 MB.
 */
export type HttpBenchResult = {
  connections: number;
  durationS: number;
  ask: { requestsPerSec: number; p50: number; p99: number; errors: number; non2xx: number };
  bare: { requestsPerSec: number; p50: number; p99: number; errors: number; non2xx: number };
  ratio: number;
  serverPeakRssMb: number;
};

export const HTTP_TARGETS = { ratio: 0.5, p99Ms: 50, rssMb: 200 } as const;

/** Runs both load tests against a fresh server process and returns the numbers. */
export async function runHttpBench(durationS = 10, connections = 50): Promise<HttpBenchResult> {
  const root = path.resolve(import.meta.dirname, "..");
  const questions = (await loadQuestions(path.join(root, "eval", "questions.jsonl"))).map((q) => q.q);
  const indexDir = await mkdtemp(path.join(os.tmpdir(), "chau-doc-http-index-"));
  await buildIndex(path.join(root, "content"), indexDir);
  const flags = (process.env.BENCH_NODE_FLAGS ?? "--max-semi-space-size=64").split(" ").filter(Boolean);
  const child = spawn(
    process.execPath,
    [...flags, "--import", "tsx", path.join(root, "bench", "http-server.ts")],
    {
      cwd: root,
      env: { ...process.env, BENCH_INDEX_DIR: indexDir },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const lines = createInterface({ input: child.stdout });
  const next = () =>
    new Promise<string>((resolve, reject) => {
      lines.once("line", resolve);
      child.once("exit", (code) => reject(new Error(`benchmark server exited (${code})`)));
    });
  const ports = JSON.parse(await next()) as { app: number; bare: number };
  let i = 0;
  const run = (url: string, body: () => string) =>
    autocannon({
      url,
      connections,
      duration: durationS,
      method: "POST",
      headers: { "content-type": "application/json" },
      setupClient: undefined,
      requests: [{ setupRequest: (req) => ({ ...req, body: body() }) }],
    });
  const summarize = (r: autocannon.Result) => ({
    requestsPerSec: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
  });
  // Warm both up, then measure the bare route first and the ask route second.
  await run(`http://127.0.0.1:${ports.bare}/bare`, () => "{}");
  await autocannon({
    url: `http://127.0.0.1:${ports.app}/api/ask`,
    connections: 4,
    duration: 2,
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ message: "Miếu Bà Chúa Xứ ở đâu?" }),
  });
  const bare = summarize(await run(`http://127.0.0.1:${ports.bare}/bare`, () => "{}"));
  const ask = summarize(
    await run(`http://127.0.0.1:${ports.app}/api/ask`, () =>
      JSON.stringify({ message: questions[i++ % questions.length], conversationId: `bench-${i % 500}` }),
    ),
  );
  const rssLine = next();
  child.kill("SIGTERM");
  const { peakRssMb } = JSON.parse(await rssLine) as { peakRssMb: number };
  await rm(indexDir, { recursive: true, force: true });
  return {
    connections,
    durationS,
    ask,
    bare,
    ratio: ask.requestsPerSec / bare.requestsPerSec,
    serverPeakRssMb: peakRssMb,
  };
}

import { spawnSync } from "node:child_process";
import { chmod, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildIndex } from "../indexer/index.ts";
import { FIXTURE_CONTENT } from "../indexer/testing/fixture-content.ts";
import { runScript, type ScriptRun } from "../indexer/testing/run-script.ts";

/**
 * `npm start`'s composition root (web/main.ts) run as a child process, as the bundle runs it, against a
 * DATA_DIR it may not write. As root every folder is writable, so the child then runs as the
 * unprivileged user "nobody" (65534), for whom a folder of root's with mode 0755 is read-only.
 */

const CONTENT = FIXTURE_CONTENT;
const asRoot = process.getuid?.() === 0;
const NOBODY = 65534;
/**
 * As root, the child runs as "nobody", which must be able to read the checkout (its folders must be
 * world-readable, as a clone under /tmp or /work is); where it cannot, these tests are skipped, not failed.
 */
const childCanRun =
  !asRoot ||
  spawnSync(
    process.execPath,
    ["-e", `require("node:fs").accessSync(${JSON.stringify(path.resolve("node_modules/tsx/package.json"))})`],
    { uid: NOBODY, gid: NOBODY, stdio: "ignore" },
  ).status === 0;

let tmp = "";
beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), "chau-doc-start-"));
  // The child (maybe "nobody") needs to reach its folders and its HOME.
  await chmod(tmp, 0o755);
});
afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** A folder the child may read but not write. */
async function readOnlyDir(name: string): Promise<string> {
  const dir = path.join(tmp, name);
  await mkdir(dir, { recursive: true });
  await chmod(dir, asRoot ? 0o755 : 0o555);
  return dir;
}

/** Runs web/main.ts with the given environment until it exits (15 s at most). */
function start(env: Record<string, string>): Promise<ScriptRun> {
  return runScript(
    "web/main.ts",
    [],
    {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: tmp,
      CONTENT_DIR: CONTENT,
      HOST: "127.0.0.1",
      PORT: "0",
      LOG_LEVEL: "silent",
      WATCH_CONTENT: "false",
      ...env,
    },
    { ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {}), timeoutMs: 15_000 },
  );
}

/** What a person reads: the lines that are not the "building the index" notice. */
function problemLines(run: ScriptRun): string[] {
  return run.stderr.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("building the index"));
}

describe.skipIf(!childCanRun)("npm start with a DATA_DIR it cannot write", () => {
  it("ends with one line that says which folder and why, and exit 1, when the index cannot be built", async () => {
    const data = await readOnlyDir("empty-data");
    const run = await start({ DATA_DIR: data });
    expect(run.code).toBe(1);
    const lines = problemLines(run);
    expect(lines, run.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^cannot start: /);
    expect(lines[0]).toContain(path.join(data, "index"));
    expect(lines[0]).toMatch(/permission denied/);
    expect(lines[0]).toMatch(/DATA_DIR/);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  it("ends with one line and exit 1 when the index is there but the store cannot be created", async () => {
    const data = path.join(tmp, "built-data");
    await buildIndex(CONTENT, path.join(data, "index"));
    await chmod(data, asRoot ? 0o755 : 0o555);
    const run = await start({ DATA_DIR: data });
    expect(run.code).toBe(1);
    const lines = problemLines(run);
    expect(lines, run.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^cannot start: .*assistant\.sqlite/);
    expect(lines[0]).toMatch(/DATA_DIR/);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });
});

describe.skipIf(!childCanRun)("npm start with DATABASE_URL", () => {
  it("ends with one line and exit 1 when PostgreSQL cannot be reached, before building anything", async () => {
    const data = path.join(tmp, "pg-data");
    await mkdir(data, { recursive: true });
    await chmod(data, 0o777);
    const run = await start({ DATA_DIR: data, DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" });
    expect(run.code).toBe(1);
    const lines = problemLines(run);
    expect(lines, run.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^cannot start: cannot connect to the shared content's PostgreSQL: /);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });
});

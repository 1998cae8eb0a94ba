/**
 * A throwaway PostgreSQL server for the tests: Debian's `postgresql` binaries, a cluster made with initdb
 * in a temporary folder, listening on a free loopback port, stopped (and the folder removed) at the end.
 * initdb and postgres refuse to run as root, so as root they run as the `postgres` user the Debian package
 * creates (`runuser`), and the folder is made theirs.
 *
 * The cluster is tuned for throwaway data: no fsync, no synchronous commit, no full-page writes.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync, readdirSync } from "node:fs";
import { chown, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

export type PostgresServer = {
  /** postgres://postgres@127.0.0.1:PORT/postgres (trust authentication on loopback). */
  url: string;
  port: number;
  stop(): Promise<void>;
};

/** Where the server binaries are: $PG_BIN, else the newest /usr/lib/postgresql/N/bin. */
export function postgresBinDir(): string {
  const fromEnv = process.env["PG_BIN"];
  if (fromEnv) return fromEnv;
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(path.join(root, v, "bin", "initdb")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) {
    throw new Error(
      "PostgreSQL server binaries not found (looked in /usr/lib/postgresql/*/bin and $PG_BIN): " +
        "install Debian's package with `apt-get install -y postgresql` (.ci/run does this when it is missing)",
    );
  }
  return path.join(root, versions[0]!, "bin");
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Runs a server binary, as `postgres` when this process is root. */
function asServerUser(bin: string, args: string[]): { command: string; args: string[] } {
  if (process.getuid?.() === 0) return { command: "runuser", args: ["-u", "postgres", "--", bin, ...args] };
  return { command: bin, args };
}

export async function startPostgres(): Promise<PostgresServer> {
  const bin = postgresBinDir();
  const dir = await mkdtemp(path.join(tmpdir(), "pg-test-"));
  const dataDir = path.join(dir, "data");
  if (process.getuid?.() === 0) {
    const { stdout } = await execFileAsync("id", ["-u", "postgres"]);
    const { stdout: gid } = await execFileAsync("id", ["-g", "postgres"]);
    await chown(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const init = asServerUser(path.join(bin, "initdb"), [
    "-D",
    dataDir,
    "-U",
    "postgres",
    "--auth=trust",
    "--encoding=UTF8",
    "--locale=C.UTF-8",
    "--no-sync",
  ]);
  await execFileAsync(init.command, init.args);
  const port = await freePort();
  const run = asServerUser(path.join(bin, "postgres"), [
    "-D",
    dataDir,
    "-p",
    String(port),
    "-h",
    "127.0.0.1",
    "-k",
    dir,
    "-c",
    "fsync=off",
    "-c",
    "synchronous_commit=off",
    "-c",
    "full_page_writes=off",
    "-c",
    "max_connections=300",
    "-c",
    "shared_buffers=64MB",
  ]);
  // The server's log goes to a file, not a pipe: a pipe held by its processes keeps the test runner open.
  const logFile = path.join(dir, "server.log");
  const logFd = openSync(logFile, "a");
  const child: ChildProcess = spawn(run.command, run.args, {
    stdio: ["ignore", "ignore", logFd],
    detached: true,
  });
  closeSync(logFd);
  const stderr = () => {
    try {
      return readFileSync(logFile, "utf8").slice(-4000);
    } catch {
      return "";
    }
  };
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  await waitUntilReady(bin, port, child, stderr);
  return {
    url,
    port,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        // pg_ctl signals the postmaster itself (runuser does not pass signals on); "immediate" because
        // the data is thrown away.
        const stop = asServerUser(path.join(bin, "pg_ctl"), ["-D", dataDir, "stop", "-m", "immediate"]);
        await execFileAsync(stop.command, stop.args).catch(() => child.kill("SIGKILL"));
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000).unref())]);
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function waitUntilReady(bin: string, port: number, child: ChildProcess, stderr: () => string) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`postgres exited at start: ${stderr()}`);
    try {
      await execFileAsync(path.join(bin, "pg_isready"), ["-h", "127.0.0.1", "-p", String(port), "-q"]);
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`postgres did not start in 30 s: ${stderr()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

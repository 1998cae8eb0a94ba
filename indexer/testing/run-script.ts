import { spawn } from "node:child_process";
import path from "node:path";

/** The project's root: entry points run from it, as npm runs them. */
export const PROJECT_ROOT = path.resolve(import.meta.dirname, "../..");

/** What a script printed and how it ended. */
export type ScriptRun = { code: number | null; stdout: string; stderr: string };

/**
 * Runs one of the project's TypeScript entry points (`indexer/cli/build-index.ts`, `web/main.ts` …) as
 * npm does, with Node and tsx from the project root, until it exits; killed after `timeoutMs`. Tests of
 * command-line behaviour (exit codes, what is printed) use it.
 */
export function runScript(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  options: { uid?: number; gid?: number; timeoutMs?: number } = {},
): Promise<ScriptRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
      cwd: PROJECT_ROOT,
      env,
      ...(options.uid !== undefined ? { uid: options.uid } : {}),
      ...(options.gid !== undefined ? { gid: options.gid } : {}),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 20_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "../..");
let dataDir = "";

/** Runs the search CLI with its own index folder, as a user would, with stdin when given. */
async function search(args: string[], stdin?: string) {
  const child = run(process.execPath, ["--import", "tsx", "indexer/cli/search.ts", ...args], {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir, OPENAI_API_KEY: "", OPENAI_BASE_URL: "" },
  });
  if (stdin !== undefined) child.child.stdin?.end(stdin);
  return child;
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), "search-cli-"));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe("npm run search", () => {
  it("builds the index on first use and prints --json hits in rank order, k of them", async () => {
    const { stdout } = await search(["le hoi via ba chua xu", "--json", "--k", "3"]);
    const hits = JSON.parse(stdout) as { id: string; type: string; title: string; score: number }[];
    expect(hits).toHaveLength(3);
    expect(Object.keys(hits[0] ?? {})).toEqual(["id", "type", "title", "score"]);
    expect(hits[0]?.id).toBe("via-ba-chua-xu");
    expect(hits.map((h) => h.score)).toEqual([...hits.map((h) => h.score)].sort((a, b) => b - a));
  });

  it("answers one JSON line per query with --stdin, titles in each query's language", async () => {
    const { stdout } = await search(
      ["--stdin", "--k", "1"],
      "Where is Sam Mountain?\n\nchợ Châu Đốc bán gì\n",
    );
    const lines = stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { id: string; title: string }[]);
    expect(lines).toHaveLength(2);
    expect(lines[0]?.[0]?.title).toMatch(/Sam Mountain/);
    expect(lines[1]?.[0]?.id).toBe("cho-chau-doc");
    expect(lines[1]?.[0]?.title).toMatch(/Chợ/);
  });

  it("rejects a bad option with exit code 2 and a message", async () => {
    await expect(search(["x", "--k", "0"])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--k/),
    });
  });
});

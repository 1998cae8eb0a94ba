import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SERVER_NODE_FLAGS } from "./http-bench.ts";

/** The benchmarks measure the server as `npm start` runs it: the same Node flags, the same bundle. */
describe("benchmark server flags", () => {
  it("are exactly the flags of npm start", async () => {
    const pkg = JSON.parse(await readFile(path.join(import.meta.dirname, "..", "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    };
    const start = /^node (.*) dist\/server\.mjs$/.exec(pkg.scripts.start ?? "");
    expect(start, `unexpected start script: ${pkg.scripts.start}`).not.toBeNull();
    expect(start?.[1]).toBe(SERVER_NODE_FLAGS);
  });
});

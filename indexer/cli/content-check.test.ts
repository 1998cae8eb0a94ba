import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TYPE_FOLDERS } from "../content/schema.ts";
import { runScript, type ScriptRun } from "../testing/run-script.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const CONTENT = path.join(ROOT, "content");
const PROBLEM_LINE = /^\S+\.md:\d+ \S+: .+$/;

/** Runs `content:check --content dir` the way npm does, from the project root. */
function contentCheck(dir: string): Promise<ScriptRun> {
  return runScript("indexer/cli/content-check.ts", ["--content", dir], {
    ...process.env,
    CONTENT_DIR: undefined,
    NO_COLOR: "1",
  });
}

async function replaceIn(file: string, search: RegExp, replacement: string): Promise<void> {
  const text = await readFile(file, "utf8");
  if (!search.test(text)) throw new Error(`fixture mutation: ${String(search)} not found in ${file}`);
  await writeFile(file, text.replace(search, replacement));
}

describe("content:check", () => {
  let broken: string;
  beforeAll(async () => {
    broken = await mkdtemp(path.join(os.tmpdir(), "chau-doc-check-"));
    await cp(CONTENT, broken, { recursive: true });
    // Three problems in three files: a missing section, an unknown field, an unknown related id.
    await replaceIn(path.join(broken, "attractions/nui-sam.md"), /\n# English\n[\s\S]*$/, "\n");
    await replaceIn(
      path.join(broken, "attractions/chua-hang.md"),
      /^place:\n/m,
      "place:\n  openingHour: 7-17\n",
    );
    await replaceIn(path.join(broken, "events/ok-om-bok.md"), /^related: \[/m, "related: [khong-co, ");
  });
  afterAll(async () => {
    await rm(broken, { recursive: true, force: true });
  });

  it("exits 1 and prints each problem as path:line field: reason", async () => {
    const { code, stderr } = await contentCheck(broken);
    expect(code).toBe(1);
    const lines = stderr.split("\n").filter((l) => l.trim() !== "");
    const summary = lines.pop();
    expect(summary).toMatch(/^3 problem\(s\) in /);
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).toMatch(PROBLEM_LINE);

    const parsed = lines.map((l) => {
      const m = /^(\S+\.md):(\d+) (\S+): (.+)$/.exec(l);
      if (!m) throw new Error(`not a problem line: ${l}`);
      return { file: m[1] as string, line: Number(m[2]), field: m[3] as string, reason: m[4] as string };
    });
    expect(parsed.map((p) => [path.relative(broken, path.resolve(ROOT, p.file)), p.field])).toEqual([
      ["attractions/chua-hang.md", "place.openingHour"],
      ["attractions/nui-sam.md", "body.en"],
      ["events/ok-om-bok.md", "related[0]"],
    ]);
    // The printed path opens from the project root and the line exists and is the one at fault.
    for (const p of parsed) {
      const text = await readFile(path.resolve(ROOT, p.file), "utf8");
      const fileLines = text.split("\n");
      expect(p.line).toBeGreaterThanOrEqual(1);
      expect(p.line).toBeLessThanOrEqual(fileLines.length);
      if (p.field === "place.openingHour") expect(fileLines[p.line - 1]).toMatch(/^ {2}openingHour:/);
      if (p.field === "related[0]") expect(fileLines[p.line - 1]).toMatch(/^related: \[khong-co,/);
    }
  });

  it("exits 0 on the real content and counts its entries", async () => {
    const { code, stdout, stderr } = await contentCheck(CONTENT);
    expect(stderr.split("\n").filter((l) => PROBLEM_LINE.test(l))).toEqual([]);
    expect(code).toBe(0);
    let files = 0;
    for (const folder of Object.values(TYPE_FOLDERS)) {
      files += (await readdir(path.join(CONTENT, folder))).filter((f) => f.endsWith(".md")).length;
    }
    expect(stdout).toContain(`content ok: ${files} entries`);
  });
});

describe("content:check on public text", () => {
  let drafts: string;
  beforeAll(async () => {
    drafts = await mkdtemp(path.join(os.tmpdir(), "chau-doc-drafts-"));
    await cp(CONTENT, drafts, { recursive: true });
    // An editor's marker in a field, one in a body, English in a Vietnamese field, and a staffNote that
    // may say anything (it is never public).
    await replaceIn(
      path.join(drafts, "attractions/chua-hang.md"),
      /^(title:\n {2}vi: )(.*)$/m,
      "$1$2 (giờ mở cửa cần kiểm tra)",
    );
    await replaceIn(
      path.join(drafts, "events/ok-om-bok.md"),
      /\n# English\n/,
      "\nTODO: thêm ngày năm 2026.\n\n# English\n",
    );
    await replaceIn(
      path.join(drafts, "practical/mua-du-lich.md"),
      /^(summary:\n {2}vi: ).*$/m,
      "$1The best time to visit is the flood season, from September to November.",
    );
    await replaceIn(
      path.join(drafts, "attractions/nui-sam.md"),
      /^lastVerified:/m,
      'staffNote: "TODO: cần kiểm tra giá cáp treo [UNCONFIRMED]"\nlastVerified:',
    );
  });
  afterAll(async () => {
    await rm(drafts, { recursive: true, force: true });
  });

  it("fails with path, field and reason for each marker and each text in the other language", async () => {
    const { code, stderr } = await contentCheck(drafts);
    expect(code).toBe(1);
    const lines = stderr.split("\n").filter((l) => PROBLEM_LINE.test(l));
    const found = lines.map((l) => {
      const m = /^(\S+\.md):(\d+) (\S+): (.+)$/.exec(l) as RegExpExecArray;
      const file = path.relative(drafts, path.resolve(ROOT, m[1] as string));
      return { file, line: Number(m[2]), field: m[3], reason: m[4] as string };
    });
    expect(found.map(({ file, field }) => [file, field])).toEqual([
      ["attractions/chua-hang.md", "title.vi"],
      ["events/ok-om-bok.md", "body.vi"],
      ["practical/mua-du-lich.md", "summary.vi"],
    ]);
    expect(found[0]?.reason).toContain('editor\'s note ("cần kiểm tra")');
    expect(found[1]?.reason).toContain('("TODO")');
    expect(found[2]?.reason).toContain("is written in English but is the Vietnamese text");
    for (const p of found) {
      const fileLines = (await readFile(path.join(drafts, p.file), "utf8")).split("\n");
      const at = fileLines[p.line - 1] ?? "";
      if (p.field === "body.vi") expect(at).toBe("TODO: thêm ngày năm 2026.");
      if (p.field === "title.vi") expect(at).toContain("cần kiểm tra");
      if (p.field === "summary.vi") expect(at).toContain("The best time");
    }
  });
});

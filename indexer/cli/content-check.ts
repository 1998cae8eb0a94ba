/**
 * `npm run content:check [-- --content DIR]`: validates every entry and prints each problem as
 * `path:line field: reason`. Exits 1 when anything is wrong, 0 otherwise.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { formatProblem, loadContent } from "../content/load.ts";

const { values } = parseArgs({ options: { content: { type: "string" } } });
const root = path.resolve(values.content ?? process.env.CONTENT_DIR ?? "content");
const { entries, problems } = await loadContent(root);
if (problems.length > 0) {
  for (const p of problems)
    console.error(formatProblem({ ...p, file: path.join(path.relative(process.cwd(), root), p.file) }));
  console.error(`\n${problems.length} problem(s) in ${root}`);
  process.exit(1);
}
console.log(`content ok: ${entries.length} entries in ${path.relative(process.cwd(), root) || "."}`);

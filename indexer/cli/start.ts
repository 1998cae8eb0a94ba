/**
 * `npm start` (until the portal issue lands): builds the index when it is missing or older than the
 * content, then answers searches typed on the terminal, one per line, in Vietnamese or English.
 */
import { createInterface } from "node:readline";
import { detectLanguage } from "../text/normalize.ts";
import { loadDotEnv, readIndexerConfig } from "./config.ts";
import { openFreshIndex } from "./fresh-index.ts";

loadDotEnv();
const index = await openFreshIndex(readIndexerConfig());
const m = index.manifest;
console.log(
  `Châu Đốc knowledge base: ${m.counts.entries} entries (index ${m.version}, embedder ${m.embedder.id}).\n` +
    "Type a question in Vietnamese or English (Ctrl-D to quit), e.g. 'lễ hội Vía Bà ngày nào', 'where is Sam Mountain'.",
);
const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
rl.setPrompt("? ");
rl.prompt();
for await (const line of rl) {
  const q = line.trim();
  if (q) {
    const lang = detectLanguage(q) === "en" ? "en" : "vi";
    const hits = await index.search(q, { k: 3, lang });
    if (hits.length === 0) console.log(lang === "vi" ? "  (không tìm thấy)" : "  (nothing found)");
    for (const h of hits) {
      const text = h.passage.text.replace(/\s+/g, " ");
      console.log(`  • ${h.title} [${h.id}]\n    ${text.length > 220 ? `${text.slice(0, 217)}...` : text}`);
    }
  }
  rl.prompt();
}

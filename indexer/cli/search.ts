/**
 * `npm run search -- "query" [--json] [--k N] [--lang vi|en] [--type T] [--mode hybrid|lexical|vector]`
 * `npm run search -- --stdin`: one query per line in, one JSON line per query out.
 * Builds the index first when there is none or it is older than the content.
 */
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { ENTRY_TYPES, LANGS, type EntryType, type Lang } from "../content/schema.ts";
import type { KnowledgeIndex, SearchMode, SearchOptions } from "../knowledge-index.ts";
import { loadDotEnv, readIndexerConfig } from "./config.ts";
import { openFreshIndex } from "./fresh-index.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    json: { type: "boolean", default: false },
    stdin: { type: "boolean", default: false },
    k: { type: "string", default: "5" },
    lang: { type: "string" },
    type: { type: "string" },
    mode: { type: "string", default: "hybrid" },
  },
});

const k = Number(values.k);
const fail = (msg: string): never => {
  console.error(msg);
  process.exit(2);
};
if (!Number.isInteger(k) || k < 1 || k > 100) fail("--k must be a whole number from 1 to 100");
if (values.lang && !LANGS.includes(values.lang as Lang)) fail(`--lang must be one of ${LANGS.join(", ")}`);
if (values.type && !ENTRY_TYPES.includes(values.type as EntryType))
  fail(`--type must be one of ${ENTRY_TYPES.join(", ")}`);
if (!["hybrid", "lexical", "vector"].includes(values.mode)) fail("--mode must be hybrid, lexical or vector");
const options: SearchOptions = {
  k,
  mode: values.mode as SearchMode,
  ...(values.lang ? { lang: values.lang as Lang } : {}),
  ...(values.type ? { type: values.type as EntryType } : {}),
};

loadDotEnv();
const index = await openFreshIndex(readIndexerConfig());

async function asJson(idx: KnowledgeIndex, q: string): Promise<string> {
  const hits = await idx.search(q, options);
  return JSON.stringify(hits.map((h) => ({ id: h.id, type: h.type, title: h.title, score: round(h.score) })));
}

if (values.stdin) {
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    if (line.trim() === "") continue;
    process.stdout.write(`${await asJson(index, line)}\n`);
  }
} else {
  const query = positionals.join(" ").trim();
  if (!query) fail('usage: npm run search -- "query" [--json] [--k N] [--lang vi|en] [--stdin]');
  if (values.json) console.log(await asJson(index, query));
  else {
    const hits = await index.search(query, options);
    if (hits.length === 0) console.log("no results");
    hits.forEach((h, i) => {
      console.log(`${i + 1}. ${h.title}  [${h.type}: ${h.id}]  score ${round(h.score)}`);
      const passage = h.passage.text.replace(/\s+/g, " ");
      console.log(`   ${passage.length > 200 ? `${passage.slice(0, 197)}...` : passage}`);
    });
  }
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}

/**
 * `npm run ask -- "question" [--json] [--lang vi|en]`: prints the answer, its sources and suggestions.
 * `npm run ask -- --stdin [--separate]`: one question per line in, one JSON Answer per line out; the
 * lines are one conversation, or with --separate each line is a conversation of its own.
 * `npm start` (until the portal issue lands) = `--interactive`: a conversation on the terminal, with
 * follow-ups ("mấy giờ mở cửa?") resolved against the previous answer.
 * Builds the index first when it is missing or older than the content. Works offline; with
 * OPENAI_API_KEY or OPENAI_BASE_URL set, a model writes the answers (and streams them here).
 */
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { LANGS, loadDotEnv, openFreshIndex, type Lang } from "../../indexer/index.ts";
import { createAssistant, type Answer } from "../assistant/index.ts";
import { modelId, readBotConfig } from "../config.ts";
import { openSqliteStore } from "../store/index.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    json: { type: "boolean", default: false },
    stdin: { type: "boolean", default: false },
    lang: { type: "string" },
    "no-store": { type: "boolean", default: false },
    interactive: { type: "boolean", default: false },
    separate: { type: "boolean", default: false },
  },
});
const fail = (msg: string): never => {
  console.error(msg);
  process.exit(2);
};
if (values.lang && !LANGS.includes(values.lang as Lang)) fail(`--lang must be one of ${LANGS.join(", ")}`);
const question = positionals.join(" ").trim();
if (!values.stdin && !values.interactive && !question)
  fail('usage: npm run ask -- "question" [--json] [--lang vi|en] | --stdin | --interactive');

loadDotEnv();
const config = readBotConfig();
const index = await openFreshIndex(config);
const store = values["no-store"] ? undefined : openSqliteStore(config.storeFile);
const assistant = createAssistant({
  index,
  ...(config.chatModel ? { chatModel: config.chatModel } : {}),
  ...(config.toolModel ? { toolModel: config.toolModel } : {}),
  ...(store ? { store } : {}),
  log: {
    info() {},
    warn: (o, m) => console.error(`warning: ${m ?? ""}`, o),
    error: (o, m) => console.error(`error: ${m ?? ""}`, o),
  },
  options: {
    modelTimeoutMs: config.modelTimeoutMs,
    maxModelSteps: config.maxModelSteps,
    hashSalt: config.hashSalt,
  },
});
const lang = values.lang as Lang | undefined;

if (values.interactive) {
  const m = index.manifest;
  console.log(
    `Châu Đốc assistant: ${m.counts.entries} entries (index ${m.version}; ` +
      `${modelId(config) !== "none" ? `model ${modelId(config)}` : "answers from the content, no model"}).\n` +
      "Hỏi bằng tiếng Việt hoặc tiếng Anh (Ctrl-D để thoát), ví dụ: 'lễ hội Vía Bà năm sau ngày nào', " +
      "'khách nước ngoài đến lúc 22h khai báo trước mấy giờ', 'where is Sam Mountain'.",
  );
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
  rl.setPrompt("? ");
  rl.prompt();
  for await (const line of rl) {
    if (line.trim()) {
      let answer: Answer | undefined;
      for await (const event of assistant.stream({
        text: line,
        channel: "cli",
        conversationId: "terminal",
        ...(lang ? { lang } : {}),
      })) {
        if (event.type === "answer") answer = event.answer;
      }
      if (answer) console.log(`${render(answer)}\n`);
    }
    rl.prompt();
  }
} else if (values.stdin) {
  let n = 0;
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    if (!line.trim()) continue;
    n++;
    const answer = await assistant.ask({
      text: line,
      channel: "cli",
      // One conversation for all lines, or (--separate) each question in its own.
      conversationId: values.separate ? `cli-stdin-${n}` : "cli-stdin",
      ...(lang ? { lang } : {}),
    });
    process.stdout.write(`${JSON.stringify(answer)}\n`);
  }
} else {
  const answer = await assistant.ask({ text: question, channel: "cli", ...(lang ? { lang } : {}) });
  console.log(values.json ? JSON.stringify(answer, null, 2) : render(answer));
}
await store?.close();

function render(a: Answer): string {
  const vi = a.language === "vi";
  const out = [a.answer, ""];
  if (a.sources.length) {
    out.push(vi ? "Nguồn:" : "Sources:");
    for (const s of a.sources) out.push(`  ${s.title} (${s.id}) ${s.url}`);
  }
  if (a.suggestions.length) {
    out.push(vi ? "Gợi ý:" : "Suggestions:");
    for (const s of a.suggestions) out.push(`  • ${s}`);
  }
  out.push(`[${a.intent}, ${a.composer}, confidence ${a.confidence.toFixed(2)}]`);
  return out.join("\n");
}

/**
 * `npm run eval -- --dialogues [--misses]`: the conversation set and the single-question set (blind,
 * eval/blind/; and the held-out sets in eval/holdout/ and eval/unseen/, reported, never tuned on).
 */
import { existsSync } from "node:fs";
import path from "node:path";
import type { KnowledgeIndex } from "../indexer/index.ts";
import {
  loadChats,
  loadEmergencies,
  runEmergencies,
  loadSingleQuestions,
  runChats,
  runSingleQuestions,
  summarizeChats,
  summarizeQuestions,
  type Rate,
} from "./dialogue-eval.ts";

const fmt = (label: string, r: Rate, target = "") =>
  `  ${label.padEnd(36)} ${String(r.ok).padStart(4)}/${String(r.n).padEnd(4)} ${r.rate.toFixed(3)} ${target}`;

/** Runs and prints the dialogue sets found under eval/; returns their summaries. */
export async function printDialogueSets(index: KnowledgeIndex, root: string, misses: boolean) {
  const out: Record<string, unknown> = {};
  for (const [set, dir] of [
    ["blind", "blind"],
    ["held out", "holdout"],
    ["unseen", "unseen"],
  ] as const) {
    const qFile = path.join(root, "eval", dir, "questions.jsonl");
    if (existsSync(qFile)) {
      const results = await runSingleQuestions(index, await loadSingleQuestions(qFile));
      const s = summarizeQuestions(results);
      out[`${dir}-questions`] = s;
      console.log(`\nSingle questions, ${set} (eval/${dir}/questions.jsonl, each in its own conversation):`);
      console.log(fmt("all", s.all, dir === "blind" ? "(target >= 0.90)" : ""));
      for (const [k, r] of Object.entries(s.byParts)) console.log(fmt(k, r));
      for (const [k, r] of Object.entries(s.byGroup)) console.log(fmt(`group ${k}`, r));
      for (const [k, r] of Object.entries(s.byExpect)) console.log(fmt(`expect ${k}`, r));
      if (misses && dir === "blind")
        for (const r of results.filter((x) => !x.verdict.pass))
          console.log(`q-miss [${r.q.id}] ${r.q.q} → ${r.verdict.problems.join("; ")}`);
    }
    const eFile = path.join(root, "eval", dir, "emergency.jsonl");
    if (existsSync(eFile)) {
      const results = await runEmergencies(index, await loadEmergencies(eFile));
      const urgent = results.filter((r) => r.e.emergency);
      const calm = results.filter((r) => !r.e.emergency);
      const rate = (xs: typeof results): Rate => {
        const ok = xs.filter((x) => x.pass).length;
        return { ok, n: xs.length, rate: xs.length ? ok / xs.length : 0 };
      };
      out[`${dir}-emergency`] = { urgent: rate(urgent), calm: rate(calm) };
      console.log(`\nEmergencies, ${set} (eval/${dir}/emergency.jsonl, each in its own conversation):`);
      console.log(fmt("emergency numbers first", rate(urgent)));
      console.log(fmt("look-alikes not taken for one", rate(calm)));
      if (misses && dir === "blind")
        for (const r of results.filter((x) => !x.pass))
          console.log(
            `em-miss [${r.e.id}] ${r.e.text} → ${r.e.emergency ? "no numbers first" : "taken for an emergency"}`,
          );
    }
    const cFile = path.join(root, "eval", dir, "chats.jsonl");
    if (existsSync(cFile)) {
      const results = await runChats(index, await loadChats(cFile));
      const s = summarizeChats(results);
      out[`${dir}-chats`] = s;
      console.log(`\nConversations, ${set} (eval/${dir}/chats.jsonl, one conversation per chat):`);
      console.log(fmt("turns", s.turns, dir === "blind" ? "(target >= 0.90)" : ""));
      console.log(fmt("whole chats", s.chats, dir === "blind" ? "(target >= 0.75)" : ""));
      for (const [k, r] of Object.entries(s.byKind)) console.log(fmt(`turn kind ${k}`, r));
      if (misses && dir === "blind")
        for (const r of results.filter((x) => !x.verdict.pass))
          console.log(
            `chat-miss [${r.chat}#${r.turn} ${r.kind}] ${r.say} → ${r.verdict.problems.join("; ")}`,
          );
    }
  }
  return out;
}

import { readFile } from "node:fs/promises";
import { z } from "zod";

/** Loads a JSONL file, each line parsed by `schema`; a bad line stops with file:line and the reason. */
export async function loadJsonl<T>(file: string, schema: z.ZodType<T>): Promise<T[]> {
  const lines = (await readFile(file, "utf8")).split("\n").filter((l) => l.trim());
  return lines.map((l, i) => {
    const parsed = schema.safeParse(JSON.parse(l));
    if (!parsed.success) throw new Error(`${file}:${i + 1}: ${z.prettifyError(parsed.error)}`);
    return parsed.data;
  });
}

/** How many of a set passed. */
export type Rate = { n: number; ok: number; rate: number };

/** The share of true flags (1 for none). */
export function rate(flags: boolean[]): Rate {
  const ok = flags.filter(Boolean).length;
  return { n: flags.length, ok, rate: flags.length ? ok / flags.length : 1 };
}

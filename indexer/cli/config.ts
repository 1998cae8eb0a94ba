import { existsSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { Embedder } from "../embed/embedder.ts";
import { openAiEmbedder } from "../embed/openai.ts";

/**
 * Environment of the indexer's command-line tools, validated once. Every variable is optional; the
 * defaults run fully offline. README's configuration table lists the same variables.
 */
const envSchema = z.object({
  CONTENT_DIR: z.string().min(1).default("content"),
  DATA_DIR: z.string().min(1).default("data"),
  INDEX_DIR: z.string().min(1).optional(),
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: z.url().optional(),
  EMBEDDING_MODEL: z.string().min(1).default("text-embedding-3-small"),
  /** "lsi" forces the built-in embedder even when an OpenAI-compatible endpoint is configured. */
  EMBEDDER: z.enum(["auto", "lsi", "openai"]).default("auto"),
});

export type IndexerConfig = {
  contentDir: string;
  indexDir: string;
  /** The external embedder, when configured; undefined means the built-in LSI. */
  embedder?: Embedder;
};

/** Loads ./.env into process.env when it exists (variables already set win). */
export function loadDotEnv(file = ".env"): void {
  if (existsSync(file)) process.loadEnvFile(file);
}

/** Reads and validates the environment; throws one error that names every bad variable. */
export function readIndexerConfig(env: NodeJS.ProcessEnv = process.env): IndexerConfig {
  const blankToUndefined = Object.fromEntries(
    Object.entries(env).map(([k, v]) => [k, v === "" ? undefined : v]),
  );
  const parsed = envSchema.safeParse(blankToUndefined);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const external =
    e.EMBEDDER === "openai" || (e.EMBEDDER === "auto" && (e.OPENAI_API_KEY || e.OPENAI_BASE_URL));
  return {
    contentDir: path.resolve(e.CONTENT_DIR),
    indexDir: path.resolve(e.INDEX_DIR ?? path.join(e.DATA_DIR, "index")),
    ...(external
      ? {
          embedder: openAiEmbedder({
            model: e.EMBEDDING_MODEL,
            ...(e.OPENAI_API_KEY ? { apiKey: e.OPENAI_API_KEY } : {}),
            ...(e.OPENAI_BASE_URL ? { baseURL: e.OPENAI_BASE_URL } : {}),
          }),
        }
      : {}),
  };
}

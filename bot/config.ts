import path from "node:path";
import { z } from "zod";
import { readIndexerConfig, type IndexerConfig } from "../indexer/index.ts";
import {
  lazyOpenAiToolModel,
  openAiChatModel,
  type ChatModel,
  type LazyToolModel,
} from "./assistant/index.ts";

/**
 * Environment of the assistant (on top of the indexer's), validated once. Every variable is optional;
 * without OPENAI_API_KEY / OPENAI_BASE_URL the answers are composed from the content, offline.
 */
const envSchema = z.object({
  DATA_DIR: z.string().min(1).default("data"),
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: z.url().optional(),
  OPENAI_MODEL: z.string().min(1).default("gpt-4o-mini"),
  /**
   * With an endpoint: "auto" or "tools" answer with the tool-calling loop (LangChain ChatOpenAI), "rewrite"
   * lets the model rewrite the extractive draft only, "off" keeps the extractive answers (embeddings only).
   */
  CHAT_MODEL: z.enum(["auto", "tools", "rewrite", "off"]).default("auto"),
  MODEL_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
  /** Model calls per answer on the tool-calling path, the answering one included. */
  MODEL_MAX_STEPS: z.coerce.number().int().min(2).max(10).default(4),
  STORE_FILE: z.string().min(1).optional(),
  /** Salt of the user-id hashes; set a secret value in production. */
  HASH_SALT: z.string().min(1).default("chau-doc"),
});

export type BotConfig = IndexerConfig & {
  /** The model that rewrites the extractive draft (CHAT_MODEL=rewrite). */
  chatModel?: ChatModel;
  /** The model of the tool-calling path (CHAT_MODEL=auto or tools), made on first use. */
  toolModel?: LazyToolModel;
  modelTimeoutMs: number;
  maxModelSteps: number;
  storeFile: string;
  hashSalt: string;
};

/** Reads and validates the environment; throws one error that names every bad variable. */
export function readBotConfig(env: NodeJS.ProcessEnv = process.env): BotConfig {
  const clean = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === "" ? undefined : v]));
  const parsed = envSchema.safeParse(clean);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const endpoint = e.OPENAI_API_KEY || e.OPENAI_BASE_URL;
  const model = {
    model: e.OPENAI_MODEL,
    ...(e.OPENAI_API_KEY ? { apiKey: e.OPENAI_API_KEY } : {}),
    ...(e.OPENAI_BASE_URL ? { baseURL: e.OPENAI_BASE_URL } : {}),
  };
  return {
    ...readIndexerConfig(env),
    modelTimeoutMs: e.MODEL_TIMEOUT_MS,
    maxModelSteps: e.MODEL_MAX_STEPS,
    storeFile: path.resolve(e.STORE_FILE ?? path.join(e.DATA_DIR, "assistant.sqlite")),
    hashSalt: e.HASH_SALT,
    ...(endpoint && e.CHAT_MODEL === "rewrite" ? { chatModel: openAiChatModel(model) } : {}),
    ...(endpoint && (e.CHAT_MODEL === "auto" || e.CHAT_MODEL === "tools")
      ? { toolModel: lazyOpenAiToolModel(model) }
      : {}),
  };
}

/** The configured model for logs and banners: "tools:gpt-4o-mini", "openai:gpt-4o-mini" or "none". */
export function modelId(config: Pick<BotConfig, "chatModel" | "toolModel">): string {
  return config.toolModel?.id ?? config.chatModel?.id ?? "none";
}

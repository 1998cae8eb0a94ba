import OpenAI from "openai";
import type { Embedder } from "./embedder.ts";
import { normalize } from "./lsi.ts";

export type OpenAiEmbedderOptions = {
  apiKey?: string;
  /** Any OpenAI-compatible server: a local Ollama (http://127.0.0.1:11434/v1), vLLM, or a fake in tests. */
  baseURL?: string;
  model: string;
  timeoutMs?: number;
  maxRetries?: number;
};

/** Embeddings from an OpenAI-compatible /embeddings endpoint. Dimensions are learned from the first reply. */
export function openAiEmbedder(options: OpenAiEmbedderOptions): Embedder {
  const client = new OpenAI({
    // Local servers (Ollama, vLLM) accept any key; the SDK insists on one.
    apiKey: options.apiKey ?? "not-needed",
    ...(options.baseURL ? { baseURL: options.baseURL } : {}),
    timeout: options.timeoutMs ?? 30_000,
    maxRetries: options.maxRetries ?? 2,
  });
  let dimensions = 0;
  return {
    id: `openai:${options.model}`,
    get dimensions() {
      return dimensions;
    },
    async embed(texts) {
      if (texts.length === 0) return [];
      const res = await client.embeddings.create({
        model: options.model,
        input: texts,
        encoding_format: "float",
      });
      const vectors = [...res.data]
        .sort((a, b) => a.index - b.index)
        .map((d) => normalize(Float32Array.from(d.embedding)));
      if (vectors.length !== texts.length)
        throw new Error(`embeddings endpoint returned ${vectors.length} of ${texts.length} vectors`);
      dimensions ||= vectors[0]?.length ?? 0;
      if (vectors.some((v) => v.length !== dimensions))
        throw new Error("embeddings endpoint returned vectors of mixed sizes");
      return vectors;
    },
  };
}

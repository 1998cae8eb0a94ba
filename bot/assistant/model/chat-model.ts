import OpenAI from "openai";
import type { LazyToolModel } from "./tool-loop.ts";

/** A message of a chat completion. */
export type ChatMessage = { role: "system" | "user" | "assistant"; content: string };

export type ChatOptions = { signal: AbortSignal; maxTokens: number };

/** The ChatModel port: whatever writes text from messages. The assistant works without one. */
export interface ChatModel {
  readonly id: string;
  /** The whole reply. Rejects on any failure; the caller falls back. */
  complete(messages: ChatMessage[], options: ChatOptions): Promise<string>;
  /** The reply as text deltas. Throws (from the iterator) on any failure. */
  stream(messages: ChatMessage[], options: ChatOptions): AsyncIterable<string>;
}

export type OpenAiChatModelOptions = {
  model: string;
  apiKey?: string;
  /** Any OpenAI-compatible server: a local Ollama (http://127.0.0.1:11434/v1), vLLM, or a fake in tests. */
  baseURL?: string;
  temperature?: number;
};

/**
 * Chat completions from an OpenAI-compatible endpoint. Retries and timeouts are the assistant's job
 * (one deadline for the whole answer, then the extractive fallback), so the SDK's own are off.
 */
export function openAiChatModel(options: OpenAiChatModelOptions): ChatModel {
  const client = new OpenAI({
    // Local servers (Ollama, vLLM) accept any key; the SDK insists on one.
    apiKey: options.apiKey ?? "not-needed",
    ...(options.baseURL ? { baseURL: options.baseURL } : {}),
    maxRetries: 0,
    timeout: 120_000,
  });
  const base = { model: options.model, temperature: options.temperature ?? 0.2 };
  return {
    id: `openai:${options.model}`,
    async complete(messages, { signal, maxTokens }) {
      const res = await client.chat.completions.create(
        { ...base, messages, max_tokens: maxTokens },
        { signal },
      );
      const text = res?.choices?.[0]?.message?.content;
      if (typeof text !== "string" || text.trim() === "") throw new Error("chat endpoint returned no text");
      return text;
    },
    async *stream(messages, { signal, maxTokens }) {
      const stream = await client.chat.completions.create(
        { ...base, messages, max_tokens: maxTokens, stream: true },
        { signal },
      );
      for await (const chunk of stream) {
        const delta = chunk?.choices?.[0]?.delta?.content;
        if (typeof delta === "string" && delta !== "") yield delta;
      }
      // The SDK ends a stream quietly when its signal aborts; a reply cut by the deadline is a failure.
      signal.throwIfAborted();
    },
  };
}

/**
 * ChatOpenAI (LangChain) for the tool-calling path, made on first use so that a server without a model
 * never loads LangChain (see model/tool-model.ts).
 */
export function lazyOpenAiToolModel(options: OpenAiChatModelOptions): LazyToolModel {
  return {
    id: `tools:${options.model}`,
    load: () => import("./tool-model.ts").then((m) => m.openAiToolModel(options)),
  };
}

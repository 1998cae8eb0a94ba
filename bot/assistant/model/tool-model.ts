import { ChatOpenAI } from "@langchain/openai";
import type { OpenAiChatModelOptions } from "./chat-model.ts";
import type { ToolCallingModel } from "./tool-loop.ts";

/**
 * ChatOpenAI (LangChain) against an OpenAI-compatible endpoint: OpenAI, a local Ollama
 * (http://127.0.0.1:11434/v1) or vLLM, or the fake server in tests. Retries and timeouts are the
 * assistant's job (one deadline per answer, then the extractive fallback), so the client's are off.
 */
export function openAiToolModel(options: OpenAiChatModelOptions): ToolCallingModel {
  return new ChatOpenAI({
    model: options.model,
    // Local servers (Ollama, vLLM) accept any key; the client insists on one.
    apiKey: options.apiKey ?? "not-needed",
    temperature: options.temperature ?? 0.2,
    maxTokens: 500,
    maxRetries: 0,
    timeout: 120_000,
    // Not every OpenAI-compatible server knows stream_options.
    streamUsage: false,
    ...(options.baseURL ? { configuration: { baseURL: options.baseURL } } : {}),
  });
}

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/**
 * A local stand-in for an OpenAI-compatible server, for tests only: POST /v1/chat/completions (JSON, or
 * server-sent events when the request asks for `stream: true`) and POST /v1/embeddings. A handler decides
 * what each request gets, including the failures a real endpoint produces: error statuses, broken bodies,
 * a request that never answers and a stream cut halfway, and tool calls (JSON or streamed) for the
 * tool-calling model path.
 */

/** One request as the fake received it; `body` is the parsed JSON (the raw text when it was not JSON). */
export type FakeRequest = {
  path: string;
  authorization: string | undefined;
  body: unknown;
};

/** The fields of a chat completion request that tests look at. */
export type ChatRequestBody = {
  model: string;
  /** `content` is null in an assistant message that only calls tools. */
  messages: {
    role: string;
    content: string;
    tool_calls?: { id: string; type: "function"; function: { name: string; arguments: string } }[];
    tool_call_id?: string;
  }[];
  stream?: boolean;
  max_tokens?: number;
  /** The tools offered to the model (OpenAI function tools). */
  tools?: { type: "function"; function: { name: string; description?: string; parameters?: unknown } }[];
};

/** One tool call the fake makes; `arguments` is sent as given when it is a string (malformed JSON). */
export type FakeToolCall = { name: string; arguments: string | Record<string, unknown>; id?: string };

/** What the fake does with one request. */
export type FakeReply =
  /** A completion with this text: one JSON body, or a single chunk when the request streams. */
  | { kind: "text"; text: string }
  /**
   * Server-sent events, one chunk per string, `delayMs` apart. `end`: "done" (default) finishes with
   * `data: [DONE]`; "cut" destroys the socket after the chunks; "hang" keeps the response open.
   */
  | { kind: "stream"; chunks: string[]; delayMs?: number; end?: "done" | "cut" | "hang" }
  /** An error status with an OpenAI-shaped error body. */
  | { kind: "status"; status: number; message?: string }
  /** Any JSON value as the body (a completion without `choices`, an empty content, ...). */
  | { kind: "json"; body: unknown; status?: number }
  /** A body sent byte for byte, whatever its content type claims (malformed JSON). */
  | { kind: "raw"; body: string; status?: number; contentType?: string }
  /**
   * An assistant message that calls tools (finish_reason "tool_calls"), with optional text before the
   * calls. Streamed as OpenAI streams it: the text, then each call's id and name, then its arguments in
   * two pieces.
   */
  | { kind: "tool_calls"; calls: FakeToolCall[]; text?: string }
  /** One vector per input of an embeddings request. */
  | { kind: "embeddings"; vectors: number[][] }
  /** Never answers; close() frees the socket. */
  | { kind: "hang" };

export type FakeHandler = (request: FakeRequest) => FakeReply | Promise<FakeReply>;

export type FakeOpenAi = {
  /** Pass as `baseURL` to the OpenAI SDK: http://127.0.0.1:<port>/v1 */
  baseURL: string;
  /** Every request received, in order. */
  requests: FakeRequest[];
  /** The chat completion requests' bodies, in order. */
  chatRequests(): ChatRequestBody[];
  /** Stops listening and destroys open sockets, hanging requests included. */
  close(): Promise<void>;
};

const ROUTES = new Set(["/v1/chat/completions", "/v1/embeddings"]);

/** Starts the fake on 127.0.0.1 and an ephemeral port. */
export async function startFakeOpenAi(handler: FakeHandler): Promise<FakeOpenAi> {
  const requests: FakeRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on("data", (c: Buffer) => parts.push(c));
    req.on("end", () => {
      const path = (req.url ?? "").split("?")[0] ?? "";
      const text = Buffer.concat(parts).toString("utf8");
      const request: FakeRequest = { path, authorization: req.headers.authorization, body: parseJson(text) };
      if (req.method !== "POST" || !ROUTES.has(path)) {
        sendJson(res, 404, errorBody(`no route for ${req.method} ${path}`));
        return;
      }
      requests.push(request);
      Promise.resolve()
        .then(() => handler(request))
        .then((reply) => respond(req, res, request, reply))
        .catch((err: unknown) => sendJson(res, 500, errorBody(`fake handler failed: ${String(err)}`)));
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  function later(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });
  }

  async function respond(req: IncomingMessage, res: ServerResponse, request: FakeRequest, reply: FakeReply) {
    const streaming = isStreamRequest(request.body);
    const model = modelOf(request.body);
    // Each completion has its own id, as a real server's (LangGraph merges messages of the same id).
    const ids: Ids = { model, id: `chatcmpl-fake-${requests.indexOf(request) + 1}` };
    switch (reply.kind) {
      case "hang":
        return;
      case "status":
        return sendJson(res, reply.status, errorBody(reply.message ?? `status ${reply.status}`));
      case "json":
        return sendJson(res, reply.status ?? 200, reply.body);
      case "raw":
        res.writeHead(reply.status ?? 200, { "content-type": reply.contentType ?? "application/json" });
        res.end(reply.body);
        return;
      case "embeddings":
        return sendJson(res, 200, {
          object: "list",
          model,
          data: reply.vectors.map((embedding, index) => ({ object: "embedding", index, embedding })),
          usage: { prompt_tokens: 1, total_tokens: 1 },
        });
      case "text":
        if (!streaming) return sendJson(res, 200, completion(ids, reply.text));
        return streamChunks(req, res, ids, [reply.text], 0, "done");
      case "stream":
        if (!streaming) return sendJson(res, 200, completion(ids, reply.chunks.join("")));
        return streamChunks(req, res, ids, reply.chunks, reply.delayMs ?? 0, reply.end ?? "done");
      case "tool_calls": {
        const calls = reply.calls.map((c, i) => ({
          id: c.id ?? `call_${requests.length}_${i}`,
          type: "function" as const,
          function: {
            name: c.name,
            arguments: typeof c.arguments === "string" ? c.arguments : JSON.stringify(c.arguments),
          },
        }));
        if (!streaming) return sendJson(res, 200, toolCompletion(ids, reply.text ?? null, calls));
        res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
        res.write(sse(chunk(ids, { role: "assistant", content: reply.text ?? "" }, null)));
        for (const [index, c] of calls.entries()) {
          const head = {
            index,
            id: c.id,
            type: "function",
            function: { name: c.function.name, arguments: "" },
          };
          res.write(sse(chunk(ids, { tool_calls: [head] }, null)));
          const args = c.function.arguments;
          const half = Math.ceil(args.length / 2);
          for (const piece of [args.slice(0, half), args.slice(half)])
            if (piece)
              res.write(sse(chunk(ids, { tool_calls: [{ index, function: { arguments: piece } }] }, null)));
        }
        res.write(sse(chunk(ids, {}, "tool_calls")));
        res.end("data: [DONE]\n\n");
        return;
      }
    }
  }

  async function streamChunks(
    req: IncomingMessage,
    res: ServerResponse,
    ids: Ids,
    chunks: string[],
    delayMs: number,
    end: "done" | "cut" | "hang",
  ) {
    let gone = false;
    res.on("close", () => (gone = true));
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    res.flushHeaders();
    for (const content of chunks) {
      if (delayMs > 0) await later(delayMs);
      if (gone) return;
      res.write(sse(chunk(ids, { content }, null)));
    }
    if (end === "hang") return;
    if (end === "cut") {
      // Give the written chunks a moment to leave, then drop the connection without a proper end.
      await later(20);
      req.socket.destroy();
      return;
    }
    res.write(sse(chunk(ids, {}, "stop")));
    res.end("data: [DONE]\n\n");
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    chatRequests: () =>
      requests.filter((r) => r.path === "/v1/chat/completions").map((r) => r.body as ChatRequestBody),
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function isStreamRequest(body: unknown): boolean {
  return typeof body === "object" && body !== null && (body as { stream?: unknown }).stream === true;
}

function modelOf(body: unknown): string {
  const model = typeof body === "object" && body !== null ? (body as { model?: unknown }).model : undefined;
  return typeof model === "string" ? model : "fake";
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

function errorBody(message: string) {
  return { error: { message, type: "server_error", param: null, code: null } };
}

const CREATED = 1_700_000_000;

/** The model a request named and the id of the completion answering it. */
type Ids = { model: string; id: string };

function completion({ model, id }: Ids, content: string) {
  return {
    id,
    object: "chat.completion",
    created: CREATED,
    model,
    choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop", logprobs: null }],
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
  };
}

type ToolCallOut = { id: string; type: "function"; function: { name: string; arguments: string } };

function toolCompletion({ model, id }: Ids, content: string | null, toolCalls: ToolCallOut[]) {
  return {
    id,
    object: "chat.completion",
    created: CREATED,
    model,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content, tool_calls: toolCalls },
        finish_reason: "tool_calls",
        logprobs: null,
      },
    ],
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
  };
}

function chunk({ model, id }: Ids, delta: Record<string, unknown>, finish: "stop" | "tool_calls" | null) {
  return {
    id,
    object: "chat.completion.chunk",
    created: CREATED,
    model,
    choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
  };
}

function sse(data: unknown): string {
  return `data: ${JSON.stringify(data)}\n\n`;
}

import express from "express";
import type { AddressInfo } from "node:net";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { errorHandler } from "./errors.ts";
import { jsonBody } from "./json-body.ts";

/** A server that echoes what jsonBody made of the request, or the error it raised. */
let server: http.Server;
let port: number;
/** The codes of the errors the middleware raised, in order. */
const raised: string[] = [];

beforeAll(async () => {
  const app = express();
  app.use(jsonBody(64));
  app.all("/echo", (req, res) => {
    res.json({ body: req.body ?? null });
  });
  app.use(
    (err: { code?: string }, _req: express.Request, _res: express.Response, next: express.NextFunction) => {
      raised.push(err.code ?? "?");
      next(err);
    },
  );
  app.use(errorHandler({ info() {}, warn() {}, error() {} }));
  server = await new Promise<http.Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

type Reply = { status: number; json: { body?: unknown; error?: { code: string; message: string } } };

/** One raw HTTP request, so that headers and chunks are exactly as written. */
function send(
  headers: Record<string, string>,
  chunks: (string | Buffer)[],
  { method = "POST", abortAfterChunks = false } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    // A fresh connection each time: a reused one may have been closed by the server after an error.
    const options = { host: "127.0.0.1", port, path: "/echo", method, headers, agent: false };
    const req = http.request(options, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (text += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as Reply["json"] }));
    });
    req.on("error", reject);
    for (const c of chunks) req.write(c);
    if (abortAfterChunks) setTimeout(() => req.destroy(), 50);
    else req.end();
  });
}

const JSON_TYPE = { "content-type": "application/json" };

describe("jsonBody", () => {
  it("parses a JSON object sent in several chunks, multi-byte characters split between them", async () => {
    const bytes = Buffer.from('{"message":"Miếu Bà Chúa Xứ"}', "utf8");
    const split = bytes.indexOf(Buffer.from("ế")) + 1; // inside the three bytes of "ế"
    const reply = await send(JSON_TYPE, [bytes.subarray(0, split), bytes.subarray(split)]);
    expect(reply).toEqual({ status: 200, json: { body: { message: "Miếu Bà Chúa Xứ" } } });
  });

  it("accepts a charset of utf-8 and +json types, and reads an empty body as {}", async () => {
    expect(
      (await send({ "content-type": "application/json; charset=UTF-8" }, ['{"a":1}'])).json.body,
    ).toEqual({ a: 1 });
    expect((await send({ "content-type": "application/merge-patch+json" }, ["[1]"])).json.body).toEqual([1]);
    expect((await send(JSON_TYPE, [])).json.body).toEqual({});
  });

  it("leaves other content types unread (no body), as express.json does", async () => {
    expect(await send({ "content-type": "text/plain" }, ['{"a":1}'])).toEqual({
      status: 200,
      json: { body: null },
    });
    expect(await send({}, ["a=1"])).toEqual({ status: 200, json: { body: null } });
  });

  it.each([['{"message": "hi"'], ['"just a string"'], ["42"], ["{message: 1}"]])(
    "refuses %j with 400",
    async (body) => {
      const reply = await send(JSON_TYPE, [body]);
      expect(reply.status).toBe(400);
      expect(reply.json.error).toEqual({
        code: "bad_request",
        message: "the request body is not valid JSON",
      });
    },
  );

  it("refuses a body over the limit with 413, whether declared or only sent", async () => {
    const big = `{"a":"${"x".repeat(100)}"}`;
    const declared = await send({ ...JSON_TYPE, "content-length": String(big.length) }, [big]);
    expect(declared.status).toBe(413);
    expect(declared.json.error?.code).toBe("payload_too_large");
    const chunked = await send({ ...JSON_TYPE, "transfer-encoding": "chunked" }, [
      big.slice(0, 40),
      big.slice(40),
    ]);
    expect(chunked.status).toBe(413);
  });

  it("refuses another charset or a compressed body with 415", async () => {
    const latin = await send({ "content-type": "application/json; charset=latin1" }, ['{"a":1}']);
    expect(latin.status).toBe(415);
    expect(latin.json.error?.code).toBe("unsupported_media_type");
    const gzip = await send({ ...JSON_TYPE, "content-encoding": "gzip" }, ['{"a":1}']);
    expect(gzip.status).toBe(415);
  });

  it("does not read a GET's body", async () => {
    expect(await send(JSON_TYPE, ['{"a":1}'], { method: "GET" })).toEqual({
      status: 200,
      json: { body: null },
    });
  });

  it("raises a bad request when a client aborts mid-body, and keeps serving", async () => {
    raised.length = 0;
    await send({ ...JSON_TYPE, "content-length": "50" }, ['{"a":'], { abortAfterChunks: true }).catch(
      () => undefined,
    );
    await vi.waitFor(() => expect(raised).toEqual(["bad_request"]));
    expect((await send(JSON_TYPE, ['{"after":true}'])).json.body).toEqual({ after: true });
    expect(raised).toEqual(["bad_request"]);
  });
});

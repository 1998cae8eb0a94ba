import express from "express";
import type http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorHandler } from "./errors.ts";
import { closeServer, listenLocal } from "./testing/servers.ts";

/**
 * The error sink behind a few real express routes: each 400 says what was wrong with the request, and a
 * page request gets the short HTML page.
 */

let server: http.Server;
let base = "";
const logged: unknown[] = [];

beforeAll(async () => {
  const app = express();
  app.get("/api/entries/:id", (req, res) => void res.json({ id: req.params.id }));
  app.get("/attractions/:id", (req, res) => void res.send(req.params.id));
  app.post("/form", express.urlencoded({ extended: false, parameterLimit: 3 }), (_req, res) => {
    res.json({ ok: true });
  });
  app.use(errorHandler({ info() {}, warn() {}, error: (obj: unknown) => void logged.push(obj) }));
  server = app.listen(0, "127.0.0.1");
  base = await listenLocal(server);
});

afterAll(() => closeServer(server));

async function errorOf(res: Response): Promise<{ code: string; message: string }> {
  return ((await res.json()) as { error: { code: string; message: string } }).error;
}

describe("errorHandler", () => {
  it("answers a malformed percent-escape in the path with a 400 that names the URL, not the body", async () => {
    const res = await fetch(`${base}/api/entries/%E0%A4%A`);
    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error.code).toBe("bad_request:url");
    expect(error.message).toMatch(/URL/);
    expect(error.message).not.toMatch(/JSON|body/);
  });

  it("names a form with too many fields as such (413), not as invalid JSON", async () => {
    const res = await fetch(`${base}/form`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "a=1&b=2&c=3&d=4",
    });
    expect(res.status).toBe(413);
    const error = await errorOf(res);
    expect(error.message).toMatch(/fields/);
    expect(error.message).not.toMatch(/JSON/);
  });

  it("gives a page request the short HTML page with the status, and logs no 4xx as a failure", async () => {
    const page = await fetch(`${base}/attractions/%ZZ`, { headers: { accept: "text/html" } });
    expect(page.status).toBe(400);
    expect(page.headers.get("content-type")).toMatch(/html/);
    const text = await page.text();
    expect(text).toContain("<h1>400</h1>");
    expect(text).toContain("the URL has a malformed percent-escape");
    // Under /api the answer is JSON whatever the Accept header says.
    const api = await fetch(`${base}/api/entries/%ZZ`, { headers: { accept: "text/html" } });
    expect(api.headers.get("content-type")).toMatch(/json/);
    expect(logged).toEqual([]);
  });
});

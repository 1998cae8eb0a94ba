import express from "express";
import { get, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { createMemoryStore } from "../../bot/index.ts";
import { DEFAULT_APP_OPTIONS, type AppDeps } from "../app.ts";
import { bundleWidget, widgetRouter } from "./widget.ts";

type Reply = { status: number; headers: IncomingHttpHeaders; body: Buffer };

let server: Server | undefined;

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** An app with only the widget routes, listening on an ephemeral port; errors logged are collected. */
async function start(bundle?: () => Promise<string>) {
  const errors: string[] = [];
  const deps: AppDeps = {
    live: () => {
      throw new Error("not used by the widget routes");
    },
    store: createMemoryStore(),
    log: { info() {}, warn() {}, error: (_obj, msg) => void errors.push(msg ?? "") },
    clock: { now: () => new Date("2026-11-21T03:00:00Z") },
    options: DEFAULT_APP_OPTIONS,
  };
  const app = express();
  app.use(bundle ? widgetRouter(deps, bundle) : widgetRouter(deps));
  server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server?.once("listening", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, errors };
}

/** A raw GET: node's fetch would decompress gzip out of sight. */
function request(url: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    }).on("error", reject);
  });
}

describe("GET /widget.js", () => {
  it("serves the bundled widget with its type, caching headers and an ETag, gzipped when accepted", async () => {
    const { base } = await start();
    const plain = await request(`${base}/widget.js`);
    expect(plain.status).toBe(200);
    expect(plain.headers["content-type"]).toBe("application/javascript; charset=utf-8");
    expect(plain.headers["cache-control"]).toBe("public, max-age=300");
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.headers.vary).toContain("Accept-Encoding");
    expect(plain.headers.etag).toMatch(/^"[\w-]+"$/);
    const code = plain.body.toString("utf8");
    expect(code).toMatch(/^("use strict";)?\(\(\)=>\{/);
    expect(code).toContain("chau-doc-widget");

    const zipped = await request(`${base}/widget.js`, { "Accept-Encoding": "gzip, deflate, br" });
    expect(zipped.headers["content-encoding"]).toBe("gzip");
    expect(zipped.headers.etag).not.toBe(plain.headers.etag);
    expect(gunzipSync(zipped.body).toString("utf8")).toBe(code);
    expect(zipped.body.length).toBeLessThan(30 * 1024);

    const again = await request(`${base}/widget.js`, {
      "Accept-Encoding": "gzip",
      "If-None-Match": zipped.headers.etag as string,
    });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect((await request(`${base}/widget.js`, { "If-None-Match": '"other"' })).status).toBe(200);
  });

  it("never parses data as HTML: the bundle has no innerHTML, outerHTML or insertAdjacentHTML", async () => {
    const code = await bundleWidget();
    expect(code).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
  });

  it("builds once, even for concurrent first requests", async () => {
    let builds = 0;
    const { base } = await start(async () => {
      builds++;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return "(()=>{})();";
    });
    const replies = await Promise.all([1, 2, 3].map(() => request(`${base}/widget.js`)));
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(builds).toBe(1);
  });

  it("answers 500 when the build fails, and logs the failure once", async () => {
    const { base, errors } = await start(async () => {
      throw new Error("syntax error in widget.ts");
    });
    for (let i = 0; i < 2; i++) {
      const reply = await request(`${base}/widget.js`);
      expect(reply.status).toBe(500);
      expect(JSON.parse(reply.body.toString("utf8"))).toMatchObject({ error: { code: "internal:widget" } });
    }
    expect(errors).toHaveLength(1);
  });
});

describe("GET /widget-demo", () => {
  it("is a page that embeds the widget with one script tag", async () => {
    const { base } = await start(async () => "");
    const reply = await request(`${base}/widget-demo?lang=en`);
    expect(reply.status).toBe(200);
    expect(reply.body.toString("utf8")).toContain('<script src="/widget.js" data-lang="en" async></script>');
  });
});

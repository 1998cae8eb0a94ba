import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeBotInfo, startFakeBotApi, type FakeBotApi } from "../bot/channels/telegram/fake-bot-api.ts";
import { startFakeZaloBot, type FakeZaloBot } from "../bot/channels/zalo-bot/fake-zalo-bot.ts";
import { signWebhookBody, startFakeZaloOa, type FakeZaloOa } from "../bot/channels/zalo-oa/fake-zalo-oa.ts";
import { bundleServer } from "../scripts/bundle-server.ts";

/**
 * End to end, as a user meets it: web/main.ts bundled and run by Node in its own process, as `npm start`
 * does, with the three platforms replaced by local fakes on 127.0.0.1. A message on each channel gets its
 * answer (and the admin's and portal's files are found from the bundle).
 */
const ROOT = path.resolve(import.meta.dirname, "..");
const TG_TOKEN = "4242:e2e-token";
const ZB_TOKEN = "77:zalo-bot-e2e";
const OA = { appId: "3344556677", appSecret: "app-secret-e2e", oaSecretKey: "oa-secret-e2e" };

let dataDir: string;
let server: ChildProcess;
let baseUrl: string;
let output = "";
let telegram: FakeBotApi;
let zaloOa: FakeZaloOa;
let zaloBot: FakeZaloBot;
const bundles: string[] = [];

async function until<T>(read: () => T | undefined, what: string, timeoutMs = 20_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}\n${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), "chau-doc-e2e-"));
  telegram = await startFakeBotApi({
    token: TG_TOKEN,
    botInfo: fakeBotInfo({ id: 4242, first_name: "Châu Đốc", username: "chaudoc_test_bot" }),
  });
  zaloOa = await startFakeZaloOa({ ...OA, accessToken: "access-1", refreshToken: "refresh-1" });
  zaloBot = await startFakeZaloBot({ token: ZB_TOKEN });
  // A bundle of its own, so that a concurrent `npm start` keeps dist/server.mjs.
  const bundle = path.join(ROOT, "dist", `e2e-server-${process.pid}.mjs`);
  await bundleServer(path.join(ROOT, "web", "main.ts"), bundle);
  bundles.push(bundle, `${bundle}.map`);
  server = spawn(process.execPath, ["--enable-source-maps", bundle], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: "0",
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      LOG_LEVEL: "warn",
      TELEGRAM_BOT_TOKEN: TG_TOKEN,
      TELEGRAM_API_ROOT: telegram.url,
      ZALO_APP_ID: OA.appId,
      ZALO_APP_SECRET: OA.appSecret,
      ZALO_OA_SECRET_KEY: OA.oaSecretKey,
      ZALO_OA_ACCESS_TOKEN: "access-1",
      ZALO_OA_REFRESH_TOKEN: "refresh-1",
      ZALO_OA_API_BASE: zaloOa.baseUrl,
      ZALO_OAUTH_BASE: zaloOa.baseUrl,
      ZALO_BOT_TOKEN: ZB_TOKEN,
      ZALO_BOT_API_BASE: zaloBot.url,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  server.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  baseUrl = await until(() => /Portal: (http:\/\/\S+?)\/\s/.exec(output)?.[1], "the server to start", 60_000);
}, 90_000);

afterAll(async () => {
  if (server.exitCode === null) server.kill("SIGKILL");
  await Promise.all([telegram?.close(), zaloOa?.close(), zaloBot?.close()]);
  await rm(dataDir, { recursive: true, force: true });
  await Promise.all(bundles.map((f) => rm(f, { force: true })));
});

describe("the bundled server", () => {
  it("finds the files that modules read next to their sources", async () => {
    // web/public, the widget's source (built on request) and the admin's scripts and Chart.js.
    const get = async (url: string) => {
      const res = await fetch(`${baseUrl}${url}`);
      return { status: res.status, type: res.headers.get("content-type") ?? "", body: await res.text() };
    };
    const css = await get("/static/portal.css");
    expect(css).toMatchObject({ status: 200, type: expect.stringContaining("text/css") });
    const widget = await get("/widget.js");
    expect(widget).toMatchObject({ status: 200, type: expect.stringContaining("javascript") });
    expect(widget.body).toContain("attachShadow");
    expect((await get("/admin/static/dashboard.js")).status).toBe(200);
    expect((await get("/admin/static/chart.umd.min.js")).status).toBe(200);
    const home = await get("/");
    expect(home.status).toBe(200);
    expect(home.body).toContain("Châu Đốc");
  });
});

describe.sequential("npm start with all three channels against local fakes", () => {
  it("serves the portal and says it is ready", async () => {
    const ready = (await (await fetch(`${baseUrl}/readyz`)).json()) as { status: string };
    expect(ready.status).toBe("ready");
    expect((await fetch(`${baseUrl}/`)).status).toBe(200);
  });

  it("answers a Telegram message received by long polling", async () => {
    telegram.queueUpdate({
      update_id: 5001,
      message: {
        message_id: 1,
        date: Math.floor(Date.now() / 1000),
        chat: { id: 9001, type: "private", first_name: "Lan" },
        from: { id: 9001, is_bot: false, first_name: "Lan", language_code: "vi" },
        text: "Miếu Bà Chúa Xứ ở đâu?",
      },
    } as { update_id: number });
    const [sent] = await telegram.waitFor("sendMessage", 1, 20_000);
    expect(String(sent?.text)).toContain("Vĩnh Tế");
    expect(sent?.chat_id).toBe(9001);
    expect(telegram.calls.some((c) => c.method === "setMyCommands")).toBe(true);
  });

  it("answers a signed Zalo OA webhook, and rejects a badly signed one", async () => {
    const event = (msgId: string, text: string) =>
      JSON.stringify({
        app_id: OA.appId,
        sender: { id: "8800110022" },
        recipient: { id: "5500" },
        event_name: "user_send_text",
        message: { msg_id: msgId, text },
        timestamp: String(Date.now()),
      });
    const bad = event("m-bad", "Tết 2027 ngày nào?");
    const rejected = await fetch(`${baseUrl}/webhooks/zalo-oa`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-zevent-signature": "mac=00" },
      body: bad,
    });
    expect(rejected.status).toBe(401);
    const body = event("m-1", "Khách nước ngoài đến lúc 22h thì khai báo tạm trú trước mấy giờ?");
    const accepted = await fetch(`${baseUrl}/webhooks/zalo-oa`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-zevent-signature": signWebhookBody(body, OA.oaSecretKey),
      },
      body,
    });
    expect(accepted.status).toBe(200);
    const reply = await until(() => zaloOa.sent.find((m) => m.userId === "8800110022"), "the Zalo OA reply");
    expect(reply.text).toContain("10:00");
    expect(zaloOa.sent).toHaveLength(1);
  });

  it("answers a Zalo Bot message received by long polling", async () => {
    zaloBot.queueUpdate({
      event_name: "message.text.received",
      message: {
        message_id: "zb-1",
        from: { id: "u-77", display_name: "Minh", is_bot: false },
        chat: { id: "chat-77", chat_type: "PRIVATE" },
        date: Date.now(),
        text: "where is Sam Mountain?",
      },
    });
    const sent = await until(() => zaloBot.sent().find((m) => m.chat_id === "chat-77"), "the Zalo Bot reply");
    expect(sent.text).toMatch(/Sam Mountain/);
  });

  it("stops cleanly on SIGTERM", async () => {
    const exited = new Promise<number | null>((resolve) => server.once("exit", (code) => resolve(code)));
    server.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});

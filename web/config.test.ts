import { describe, expect, it } from "vitest";
import { modelId } from "../bot/config.ts";
import { readWebConfig } from "./config.ts";

const base = { DATA_DIR: "/tmp/chau-doc-config-test" };

describe("readWebConfig", () => {
  it("runs with nothing set: port 3000, any widget origin, no channels, no model", () => {
    const c = readWebConfig(base);
    expect(c.port).toBe(3000);
    expect(c.widgetOrigins).toBe("*");
    expect(c.rateLimitPerMinute).toBe(30);
    expect(c.channels).toEqual({});
    expect(c.chatModel).toBeUndefined();
    expect(c.toolModel).toBeUndefined();
    expect(c.maxModelSteps).toBe(4);
    expect(c.storeFile).toBe("/tmp/chau-doc-config-test/assistant.sqlite");
  });

  it("picks the model path from CHAT_MODEL once an endpoint is set: tools by default", () => {
    const endpoint = { ...base, OPENAI_BASE_URL: "http://127.0.0.1:11434/v1", OPENAI_MODEL: "qwen2.5:7b" };
    const auto = readWebConfig(endpoint);
    expect(auto.toolModel).toBeDefined();
    expect(auto.chatModel).toBeUndefined();
    expect(modelId(auto)).toBe("tools:qwen2.5:7b");
    const rewrite = readWebConfig({ ...endpoint, CHAT_MODEL: "rewrite" });
    expect(rewrite.toolModel).toBeUndefined();
    expect(modelId(rewrite)).toBe("openai:qwen2.5:7b");
    expect(readWebConfig({ ...endpoint, CHAT_MODEL: "off" }).toolModel).toBeUndefined();
    expect(readWebConfig({ ...endpoint, MODEL_MAX_STEPS: "6" }).maxModelSteps).toBe(6);
    expect(() => readWebConfig({ ...endpoint, MODEL_MAX_STEPS: "1" })).toThrow(/MODEL_MAX_STEPS/);
    expect(() => readWebConfig({ ...endpoint, CHAT_MODEL: "always" })).toThrow(/CHAT_MODEL/);
  });

  it("names every bad variable in one error", () => {
    const read = () =>
      readWebConfig({
        ...base,
        PORT: "70000",
        WIDGET_ORIGINS: "https://ok.example, not a url",
        MODEL_TIMEOUT_MS: "x",
      });
    expect(read).toThrow(/PORT/);
    expect(read).toThrow(/WIDGET_ORIGINS: "not a url"/);
    expect(read).toThrow(/MODEL_TIMEOUT_MS/);
  });

  it("keeps an origin list as origins", () => {
    const c = readWebConfig({ ...base, WIDGET_ORIGINS: "https://a.example/, http://127.0.0.1:8080" });
    expect(c.widgetOrigins).toEqual(["https://a.example", "http://127.0.0.1:8080"]);
  });

  it("turns a channel on when its variables are set, and wants webhook secrets with PUBLIC_URL", () => {
    const c = readWebConfig({ ...base, TELEGRAM_BOT_TOKEN: "123:abc", ZALO_BOT_TOKEN: "9:z" });
    expect(c.channels.telegram?.token).toBe("123:abc");
    expect(c.channels.telegram?.apiRoot).toBe("https://api.telegram.org");
    expect(c.channels.zaloBot?.apiBase).toBe("https://bot-api.zaloplatforms.com");
    expect(c.channels.zaloOa).toBeUndefined();
    expect(() =>
      readWebConfig({ ...base, PUBLIC_URL: "https://du-lich.example", TELEGRAM_BOT_TOKEN: "123:abc" }),
    ).toThrow(/TELEGRAM_WEBHOOK_SECRET/);
  });

  it("wants all three Zalo OA keys once one is set, and a first token", () => {
    expect(() => readWebConfig({ ...base, ZALO_APP_ID: "1" })).toThrow(
      /ZALO_APP_SECRET[\s\S]*ZALO_OA_SECRET_KEY/,
    );
    expect(() =>
      readWebConfig({ ...base, ZALO_APP_ID: "1", ZALO_APP_SECRET: "s", ZALO_OA_SECRET_KEY: "k" }),
    ).toThrow(/ZALO_OA_ACCESS_TOKEN/);
    const c = readWebConfig({
      ...base,
      ZALO_APP_ID: "1",
      ZALO_APP_SECRET: "s",
      ZALO_OA_SECRET_KEY: "k",
      ZALO_OA_REFRESH_TOKEN: "r",
      ZALO_OA_API_BASE: "http://127.0.0.1:9/",
    });
    expect(c.channels.zaloOa).toMatchObject({
      appId: "1",
      refreshToken: "r",
      apiBase: "http://127.0.0.1:9",
      maxEventAgeMs: 300_000,
    });
  });

  it("configures the admin area: files under DATA_DIR, watching on, 180 days, cookies secure over HTTPS", () => {
    const c = readWebConfig(base);
    expect(c).toMatchObject({
      adminDbFile: "/tmp/chau-doc-config-test/admin.sqlite",
      uploadsDir: "/tmp/chau-doc-config-test/uploads",
      cookieSecure: "auto",
      watchContent: true,
      retentionDays: 180,
    });
    expect(c.adminPassword).toBeUndefined();
    const set = readWebConfig({
      ...base,
      ADMIN_PASSWORD: "a long enough password",
      ADMIN_DB_FILE: "/tmp/x/admin.db",
      UPLOADS_DIR: "/tmp/x/media",
      COOKIE_SECURE: "true",
      WATCH_CONTENT: "false",
      RETENTION_DAYS: "30",
    });
    expect(set).toMatchObject({
      adminPassword: "a long enough password",
      adminDbFile: "/tmp/x/admin.db",
      uploadsDir: "/tmp/x/media",
      cookieSecure: true,
      watchContent: false,
      retentionDays: 30,
    });
    expect(readWebConfig({ ...base, COOKIE_SECURE: "false" }).cookieSecure).toBe(false);
  });

  it("uses SQLite without DATABASE_URL, and PostgreSQL with one; refuses a URL of another scheme", () => {
    expect(readWebConfig(base).database).toBeUndefined();
    expect(readWebConfig({ ...base, DATABASE_URL: "postgres://u:p@db:5432/chau_doc" }).database).toEqual({
      url: "postgres://u:p@db:5432/chau_doc",
      poolMax: 10,
    });
    expect(
      readWebConfig({ ...base, DATABASE_URL: "postgresql://db/x", DATABASE_POOL_MAX: "40" }).database,
    ).toEqual({ url: "postgresql://db/x", poolMax: 40 });
    expect(() => readWebConfig({ ...base, DATABASE_URL: "mysql://db/x", DATABASE_POOL_MAX: "1" })).toThrow(
      /DATABASE_URL: a postgres:\/\/ or postgresql:\/\/ connection URL[\s\S]*DATABASE_POOL_MAX/,
    );
  });

  it("names bad admin variables, a short ADMIN_PASSWORD among them", () => {
    const read = () =>
      readWebConfig({ ...base, ADMIN_PASSWORD: "short", RETENTION_DAYS: "0", COOKIE_SECURE: "yes" });
    expect(read).toThrow(/ADMIN_PASSWORD: must be 10/);
    expect(read).toThrow(/RETENTION_DAYS/);
    expect(read).toThrow(/COOKIE_SECURE/);
  });

  it("takes TRUST_PROXY as off, a hop count or addresses and subnets, and refuses true saying why", () => {
    expect(readWebConfig(base).trustProxy).toBe(false);
    expect(readWebConfig({ ...base, TRUST_PROXY: "false" }).trustProxy).toBe(false);
    expect(readWebConfig({ ...base, TRUST_PROXY: "0" }).trustProxy).toBe(false);
    expect(readWebConfig({ ...base, TRUST_PROXY: "1" }).trustProxy).toBe(1);
    expect(readWebConfig({ ...base, TRUST_PROXY: "loopback" }).trustProxy).toEqual(["loopback"]);
    expect(
      readWebConfig({ ...base, TRUST_PROXY: "loopback, 10.0.0.0/8,172.16.0.1, fd00::/8, uniquelocal" })
        .trustProxy,
    ).toEqual(["loopback", "10.0.0.0/8", "172.16.0.1", "fd00::/8", "uniquelocal"]);
    const refused = () => readWebConfig({ ...base, TRUST_PROXY: "true" });
    expect(refused).toThrow(/TRUST_PROXY: .*X-Forwarded-For.*client/);
    expect(refused).toThrow(/hop|number of proxies/);
    for (const bad of ["yes", "10.0.0.0/33", "300.1.1.1", "1, loopback", "-1", "local"])
      expect(() => readWebConfig({ ...base, TRUST_PROXY: bad }), bad).toThrow(/TRUST_PROXY/);
  });

  it("takes the Zalo OA event window in seconds (10 s to a day)", () => {
    const oa = {
      ZALO_APP_ID: "1",
      ZALO_APP_SECRET: "s",
      ZALO_OA_SECRET_KEY: "k",
      ZALO_OA_REFRESH_TOKEN: "r",
    };
    const c = readWebConfig({ ...base, ...oa, ZALO_OA_MAX_EVENT_AGE_SECONDS: "120" });
    expect(c.channels.zaloOa?.maxEventAgeMs).toBe(120_000);
    for (const bad of ["0", "5", "86401", "soon"])
      expect(() => readWebConfig({ ...base, ...oa, ZALO_OA_MAX_EVENT_AGE_SECONDS: bad }), bad).toThrow(
        /ZALO_OA_MAX_EVENT_AGE_SECONDS/,
      );
  });

  it("reads the reports' settings with their defaults, and keeps report photos out of the public uploads", () => {
    const c = readWebConfig({ DATA_DIR: "/srv/cd" });
    expect(c.reports).toMatchObject({
      perDay: 5,
      maxDescription: 1000,
      maxPhotoBytes: 5 * 1024 * 1024,
      deadlines: { safety: 1, lost: 1, prices: 3, default: 5 },
      photoDir: "/srv/cd/report-photos",
    });
    expect(c.reports.webhook).toBeUndefined();
    const set = readWebConfig({
      REPORTS_DEADLINES: "safety=0.5, default=7",
      REPORTS_WEBHOOK_URL: "http://127.0.0.1:9000/hook",
      REPORTS_WEBHOOK_SECRET: "a-secret-of-16-chars",
    });
    expect(set.reports.deadlines).toEqual({ safety: 0.5, default: 7 });
    expect(set.reports.webhook).toEqual({
      url: "http://127.0.0.1:9000/hook",
      secret: "a-secret-of-16-chars",
    });
    expect(() => readWebConfig({ UPLOADS_DIR: "/srv/up", REPORTS_PHOTO_DIR: "/srv/up/reports" })).toThrow(
      /REPORTS_PHOTO_DIR: must not be inside UPLOADS_DIR/,
    );
    expect(() =>
      readWebConfig({ REPORTS_DEADLINES: "safety=soon", REPORTS_WEBHOOK_SECRET: "short" }),
    ).toThrow(/REPORTS_DEADLINES[\s\S]*REPORTS_WEBHOOK_SECRET/);
  });
});

describe("readWebConfig: talking to a person", () => {
  it("defaults to 30 quiet minutes and weekday office hours, without a staff chat", () => {
    const c = readWebConfig(base);
    expect(c.handoffQuietMinutes).toBe(30);
    expect(c.staffHours.text).toBe("Mon-Fri 07:30-11:30,13:30-17:00");
    expect(c.staffHours.days[1]).toEqual([
      [450, 690],
      [810, 1020],
    ]);
    expect(c.staffHours.days[0]).toEqual([]);
    expect(c.staffChatId).toBeUndefined();
  });

  it("reads the variables, and names each bad one", () => {
    const c = readWebConfig({
      ...base,
      HANDOFF_QUIET_MINUTES: "45",
      STAFF_HOURS: "Mon-Sat 08:00-17:00",
      TELEGRAM_STAFF_CHAT_ID: "-1001234567890",
    });
    expect(c.handoffQuietMinutes).toBe(45);
    expect(c.staffHours.days[6]).toEqual([[480, 1020]]);
    expect(c.staffChatId).toBe("-1001234567890");
    let message = "";
    try {
      readWebConfig({
        ...base,
        HANDOFF_QUIET_MINUTES: "0",
        STAFF_HOURS: "weekdays",
        TELEGRAM_STAFF_CHAT_ID: "staff",
      });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/HANDOFF_QUIET_MINUTES/);
    expect(message).toMatch(/STAFF_HOURS/);
    expect(message).toMatch(/TELEGRAM_STAFF_CHAT_ID/);
  });
});

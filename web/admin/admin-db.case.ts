import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AdminDb, FailurePolicy } from "./accounts.ts";

const AT = "2026-03-01T08:00:00.000Z";
const T = Date.parse(AT);
const MINUTE = 60_000;
const POLICY: FailurePolicy = { max: 3, windowMs: 15 * MINUTE, lockMs: 10 * MINUTE };
const HASH = "scrypt$1024$8$1$c2FsdA$aGFzaA";

/** A session of `user` created at `createdMs`, alive for a day. */
function session(idHash: string, user: string, createdMs = T) {
  return {
    idHash,
    user,
    csrfToken: `csrf-${idHash}`,
    createdMs,
    expiresMs: createdMs + 24 * 60 * MINUTE,
    lastSeenMs: createdMs,
  };
}

/**
 * The behaviour every AdminDb must have (SQLite, PostgreSQL). `open` returns a fresh, empty database and
 * how to dispose of it; each test gets its own.
 */
export function adminDbContract(
  name: string,
  open: () => Promise<{ db: AdminDb; cleanup: () => Promise<void> }>,
) {
  describe(`AdminDb contract: ${name}`, () => {
    let db: AdminDb;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ db, cleanup } = await open());
    });
    afterEach(async () => {
      await cleanup();
    });

    it("has a label for messages", () => {
      expect(db.label).toMatch(/\S/);
    });

    describe("users", () => {
      it("creates a user (an editor unless told), reads it back, counts and lists them by name", async () => {
        expect(await db.getUser("linh")).toBeUndefined();
        expect(await db.countUsers()).toBe(0);
        expect(await db.listUsers()).toEqual([]);
        expect(await db.upsertUser({ name: "linh", passwordHash: HASH, at: AT })).toBe("created");
        expect(await db.upsertUser({ name: "minh", role: "viewer", passwordHash: "h2", at: AT })).toBe(
          "created",
        );
        expect(await db.getUser("linh")).toStrictEqual({
          name: "linh",
          role: "editor",
          passwordHash: HASH,
          createdAt: AT,
        });
        expect((await db.getUser("minh"))?.role).toBe("viewer");
        expect(await db.countUsers()).toBe(2);
        // Byte order, whatever the database's locale: "-" < "." < digits < "_" < letters.
        for (const n of ["ab", "a_b", "a0", "a.b", "a-b"])
          await db.upsertUser({ name: n, passwordHash: HASH, at: AT });
        expect((await db.listUsers()).map((u) => u.name)).toEqual([
          "a-b",
          "a.b",
          "a0",
          "a_b",
          "ab",
          "linh",
          "minh",
        ]);
        expect((await db.listUsers()).find((u) => u.name === "minh")).toStrictEqual({
          name: "minh",
          role: "viewer",
          createdAt: AT,
        });
      });

      it("updates an existing user's password, keeps its role unless one is given, and its creation time", async () => {
        await db.upsertUser({ name: "linh", role: "viewer", passwordHash: HASH, at: AT });
        const later = "2026-03-02T08:00:00.000Z";
        expect(await db.upsertUser({ name: "linh", passwordHash: "new", at: later })).toBe("updated");
        expect(await db.getUser("linh")).toStrictEqual({
          name: "linh",
          role: "viewer",
          passwordHash: "new",
          createdAt: AT,
        });
        expect(await db.upsertUser({ name: "linh", role: "editor", passwordHash: "newer", at: later })).toBe(
          "updated",
        );
        expect(await db.getUser("linh")).toMatchObject({ role: "editor", passwordHash: "newer" });
        expect(await db.countUsers()).toBe(1);
      });

      it("sets a password hash, and does nothing for an unknown name", async () => {
        await db.upsertUser({ name: "linh", passwordHash: HASH, at: AT });
        await db.setPasswordHash("linh", "rehashed", "2026-03-02T08:00:00.000Z");
        await db.setPasswordHash("nobody", "x", AT);
        expect((await db.getUser("linh"))?.passwordHash).toBe("rehashed");
        expect(await db.getUser("nobody")).toBeUndefined();
      });

      it("creates the first user only when there is none", async () => {
        const first = { name: "admin", role: "editor" as const, passwordHash: HASH, at: AT };
        expect(await db.createFirstUser(first)).toBe(true);
        expect(await db.createFirstUser({ ...first, name: "other" })).toBe(false);
        expect(await db.createFirstUser({ ...first, passwordHash: "overwritten?" })).toBe(false);
        expect(await db.listUsers()).toEqual([{ name: "admin", role: "editor", createdAt: AT }]);
        expect((await db.getUser("admin"))?.passwordHash).toBe(HASH);
      });

      it("does not create a first user when another user exists", async () => {
        await db.upsertUser({ name: "linh", role: "viewer", passwordHash: HASH, at: AT });
        expect(await db.createFirstUser({ name: "admin", role: "editor", passwordHash: HASH, at: AT })).toBe(
          false,
        );
        expect(await db.getUser("admin")).toBeUndefined();
      });
    });

    describe("sessions", () => {
      beforeEach(async () => {
        await db.upsertUser({ name: "linh", role: "editor", passwordHash: HASH, at: AT });
        await db.upsertUser({ name: "minh", role: "viewer", passwordHash: HASH, at: AT });
      });

      it("round-trips a session, with the user's current role", async () => {
        await db.insertSession(session("a".repeat(64), "minh"));
        expect(await db.getSession("a".repeat(64))).toStrictEqual({
          ...session("a".repeat(64), "minh"),
          role: "viewer",
        });
        await db.upsertUser({ name: "minh", role: "editor", passwordHash: HASH, at: AT });
        expect((await db.getSession("a".repeat(64)))?.role).toBe("editor");
        expect(await db.getSession("b".repeat(64))).toBeUndefined();
      });

      it("moves last_seen forward, never back", async () => {
        await db.insertSession(session("s1", "linh"));
        await db.touchSession("s1", T + 5 * MINUTE);
        expect((await db.getSession("s1"))?.lastSeenMs).toBe(T + 5 * MINUTE);
        await db.touchSession("s1", T + 2 * MINUTE);
        expect((await db.getSession("s1"))?.lastSeenMs).toBe(T + 5 * MINUTE);
        await db.touchSession("unknown", T);
        expect(await db.getSession("unknown")).toBeUndefined();
      });

      it("deletes one session, or every session of a user (saying how many)", async () => {
        await db.insertSession(session("s1", "linh"));
        await db.insertSession(session("s2", "linh"));
        await db.insertSession(session("s3", "minh"));
        await db.deleteSession("s1");
        expect(await db.getSession("s1")).toBeUndefined();
        expect(await db.getSession("s2")).toBeDefined();
        await db.insertSession(session("s4", "linh"));
        expect(await db.deleteSessionsOf("linh")).toBe(2);
        expect(await db.deleteSessionsOf("linh")).toBe(0);
        expect(await db.getSession("s2")).toBeUndefined();
        expect(await db.getSession("s3")).toBeDefined();
      });

      it("purges sessions past their absolute expiry or idle too long, and keeps the others", async () => {
        const idle = 8 * 60 * MINUTE;
        const now = T + 20 * 60 * MINUTE;
        // Past its 24 h, though seen a minute ago.
        await db.insertSession(session("old", "linh", now - 25 * 60 * MINUTE));
        await db.touchSession("old", now - MINUTE);
        // 10 h without a request.
        await db.insertSession(session("idle", "linh", now - 10 * 60 * MINUTE));
        await db.insertSession(session("live", "minh", now - 10 * 60 * MINUTE));
        await db.touchSession("live", now - MINUTE);
        await db.insertSession(session("new", "minh", now));
        expect(await db.purgeSessions(now, idle)).toBe(2);
        for (const [id, kept] of [
          ["old", false],
          ["idle", false],
          ["live", true],
          ["new", true],
        ] as const)
          expect(!!(await db.getSession(id)), id).toBe(kept);
        expect(await db.purgeSessions(now, idle)).toBe(0);
      });
    });

    describe("failed logins", () => {
      it("counts failures, locks at the maximum, and counts again from 0", async () => {
        expect(await db.failureCount("pair", "k", T, POLICY.windowMs)).toBe(0);
        expect(await db.lockedUntil("pair", "k", T)).toBe(0);
        expect(await db.recordFailure("pair", "k", T, POLICY)).toStrictEqual({ count: 1, lockedUntilMs: 0 });
        expect(await db.recordFailure("pair", "k", T + MINUTE, POLICY)).toStrictEqual({
          count: 2,
          lockedUntilMs: 0,
        });
        expect(await db.failureCount("pair", "k", T + MINUTE, POLICY.windowMs)).toBe(2);
        const until = T + 2 * MINUTE + POLICY.lockMs;
        expect(await db.recordFailure("pair", "k", T + 2 * MINUTE, POLICY)).toStrictEqual({
          count: 0,
          lockedUntilMs: until,
        });
        expect(await db.lockedUntil("pair", "k", T + 3 * MINUTE)).toBe(until);
        expect(await db.failureCount("pair", "k", T + 3 * MINUTE, POLICY.windowMs)).toBe(0);
        // A failure during the lock counts, and leaves the lock as it is.
        expect(await db.recordFailure("pair", "k", T + 3 * MINUTE, POLICY)).toStrictEqual({
          count: 1,
          lockedUntilMs: until,
        });
        expect(await db.lockedUntil("pair", "k", until)).toBe(0);
        expect(await db.lockedUntil("pair", "k", until - 1)).toBe(until);
      });

      it("starts a new window once the old one is over", async () => {
        await db.recordFailure("ip", "k", T, POLICY);
        await db.recordFailure("ip", "k", T + MINUTE, POLICY);
        expect(await db.failureCount("ip", "k", T + POLICY.windowMs - 1, POLICY.windowMs)).toBe(2);
        expect(await db.failureCount("ip", "k", T + POLICY.windowMs, POLICY.windowMs)).toBe(0);
        // The window began at T: at T + windowMs it is over, and the count starts again.
        expect(await db.recordFailure("ip", "k", T + POLICY.windowMs, POLICY)).toStrictEqual({
          count: 1,
          lockedUntilMs: 0,
        });
        expect(await db.recordFailure("ip", "k", T + POLICY.windowMs + 1, POLICY)).toStrictEqual({
          count: 2,
          lockedUntilMs: 0,
        });
      });

      it("keeps kinds and keys apart, and clears one of them", async () => {
        await db.recordFailure("pair", "k", T, POLICY);
        await db.recordFailure("pair", "k", T, POLICY);
        await db.recordFailure("ip", "k", T, POLICY);
        await db.recordFailure("account", "other", T, POLICY);
        expect(await db.failureCount("pair", "k", T, POLICY.windowMs)).toBe(2);
        expect(await db.failureCount("ip", "k", T, POLICY.windowMs)).toBe(1);
        expect(await db.failureCount("account", "k", T, POLICY.windowMs)).toBe(0);
        expect(await db.failureCount("account", "other", T, POLICY.windowMs)).toBe(1);
        await db.clearFailures("pair", "k");
        expect(await db.failureCount("pair", "k", T, POLICY.windowMs)).toBe(0);
        expect(await db.failureCount("ip", "k", T, POLICY.windowMs)).toBe(1);
      });

      it("only counts, never locks, with no maximum", async () => {
        const countOnly: FailurePolicy = { max: Infinity, windowMs: POLICY.windowMs, lockMs: 0 };
        for (let i = 1; i <= 30; i++)
          expect(await db.recordFailure("account", "k", T + i, countOnly)).toStrictEqual({
            count: i,
            lockedUntilMs: 0,
          });
        expect(await db.lockedUntil("account", "k", T + 31)).toBe(0);
      });

      it("locks at once with a maximum of 1", async () => {
        const strict: FailurePolicy = { max: 1, windowMs: POLICY.windowMs, lockMs: MINUTE };
        expect(await db.recordFailure("ip", "k", T, strict)).toStrictEqual({
          count: 0,
          lockedUntilMs: T + MINUTE,
        });
      });
    });

    describe("audit", () => {
      it("lists entries newest first (by time, then by order of insertion), up to a limit", async () => {
        await db.insertAudit({ at: AT, atMs: T, user: "linh", action: "login", detail: "ip 127.0.0.1" });
        const later = new Date(T + MINUTE).toISOString();
        await db.insertAudit({
          at: later,
          atMs: T + MINUTE,
          user: "linh",
          action: "entry.save",
          target: "nui-sam",
        });
        await db.insertAudit({ at: later, atMs: T + MINUTE, user: "minh", action: "logout" });
        await db.insertAudit({
          at: AT,
          atMs: T - MINUTE,
          user: "system",
          action: "user.create",
          target: "linh",
        });
        expect(await db.listAudit(10)).toStrictEqual([
          { at: later, user: "minh", action: "logout" },
          { at: later, user: "linh", action: "entry.save", target: "nui-sam" },
          { at: AT, user: "linh", action: "login", detail: "ip 127.0.0.1" },
          { at: AT, user: "system", action: "user.create", target: "linh" },
        ]);
        expect((await db.listAudit(2)).map((r) => r.action)).toEqual(["logout", "entry.save"]);
      });
    });

    describe("secrets", () => {
      it("makes a secret once and returns the stored one afterwards, one per name", async () => {
        const made: Buffer[] = [];
        const make = () => {
          const b = randomBytes(32);
          made.push(b);
          return b;
        };
        const first = await db.secret("login-csrf", make);
        expect(made).toHaveLength(1);
        expect(first.equals(made[0] as Buffer)).toBe(true);
        const again = await db.secret("login-csrf", make);
        expect(made).toHaveLength(1);
        expect(again.equals(first)).toBe(true);
        const other = await db.secret("another", make);
        expect(made).toHaveLength(2);
        expect(other.equals(first)).toBe(false);
      });
    });
  });
}

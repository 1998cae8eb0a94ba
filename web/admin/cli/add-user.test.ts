import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openAdminDb } from "../accounts.ts";
import { verifyPassword } from "../passwords.ts";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const SCRIPT = path.join(ROOT, "web/admin/cli/add-user.ts");

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), "admin-cli-"));
});
afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

/** Runs the command as `npm run admin:add-user` does, with DATA_DIR in a temporary folder. */
function addUser(args: string[], env: Record<string, string> = {}, input?: string) {
  const inherited = { ...process.env };
  delete inherited.ADMIN_NEW_PASSWORD;
  const result = spawnSync(process.execPath, ["--import", "tsx", SCRIPT, ...args], {
    cwd: ROOT,
    env: { ...inherited, DATA_DIR: dataDir, ...env },
    encoding: "utf8",
    input: input ?? "",
    timeout: 30_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function user(name: string) {
  const db = openAdminDb(path.join(dataDir, "admin.sqlite"));
  try {
    return await db.getUser(name);
  } finally {
    await db.close();
  }
}

// Each case starts node with tsx a few times (2-3 s each on a busy 2-core VM).
describe("npm run admin:add-user", { timeout: 120_000 }, () => {
  it("creates an editor by default, and a viewer with --role viewer", async () => {
    const created = addUser(["thu"], { ADMIN_NEW_PASSWORD: "Miếu Bà 2026!" });
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/created user "thu" \(editor\)/);
    expect((await user("thu"))?.role).toBe("editor");
    expect(await verifyPassword("Miếu Bà 2026!", (await user("thu"))?.passwordHash as string)).toBe(true);

    const viewer = addUser(["Lan", "--role", "viewer"], { ADMIN_NEW_PASSWORD: "Rừng tràm Trà Sư" });
    expect(viewer.code).toBe(0);
    expect((await user("lan"))?.role).toBe("viewer");
    expect(statSync(path.join(dataDir, "admin.sqlite")).mode & 0o077).toBe(0);
  });

  it("updates the password of an existing user, keeps its role, says so and signs it out", async () => {
    expect(addUser(["thu", "--role", "viewer"], { ADMIN_NEW_PASSWORD: "first password" }).code).toBe(0);
    const db = openAdminDb(path.join(dataDir, "admin.sqlite"));
    await db.insertSession({
      idHash: "x".repeat(64),
      user: "thu",
      csrfToken: "t",
      createdMs: 0,
      expiresMs: 1,
      lastSeenMs: 0,
    });
    await db.close();

    const updated = addUser(["thu"], { ADMIN_NEW_PASSWORD: "second password" });
    expect(updated.code).toBe(0);
    expect(updated.stdout).toMatch(
      /user "thu" exists: password updated \(role viewer\); 1 session\(s\) signed out/,
    );
    const hash = (await user("thu"))?.passwordHash as string;
    expect(await verifyPassword("second password", hash)).toBe(true);
    expect(await verifyPassword("first password", hash)).toBe(false);
    expect((await user("thu"))?.role).toBe("viewer");

    expect(addUser(["thu", "--role", "editor"], { ADMIN_NEW_PASSWORD: "third password" }).code).toBe(0);
    expect((await user("thu"))?.role).toBe("editor");
    const raw = new Database(path.join(dataDir, "admin.sqlite"), { readonly: true });
    const audit = raw.prepare("SELECT action, target FROM audit ORDER BY id").all();
    const dump = JSON.stringify(raw.prepare("SELECT * FROM users").all());
    raw.close();
    expect(audit).toEqual([
      { action: "user.create", target: "thu" },
      { action: "user.password", target: "thu" },
      { action: "user.password", target: "thu" },
    ]);
    expect(dump).not.toMatch(/first password|second password|third password/);
  });

  it("reads the password from stdin with --password-stdin", async () => {
    const res = addUser(["hoa", "--password-stdin"], {}, "Châu Đốc về đêm\n");
    expect(res.code).toBe(0);
    expect(await verifyPassword("Châu Đốc về đêm", (await user("hoa"))?.passwordHash as string)).toBe(true);
  });

  it("refuses a short password with a non-zero exit code, creating and changing nothing", async () => {
    const res = addUser(["thu"], { ADMIN_NEW_PASSWORD: "short" });
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/ít nhất 10 ký tự/);
    expect(await user("thu")).toBeUndefined();
    expect(addUser(["thu"], { ADMIN_NEW_PASSWORD: "a long enough one" }).code).toBe(0);
    expect(addUser(["thu"], { ADMIN_NEW_PASSWORD: "123456789" }).code).not.toBe(0);
    expect(await verifyPassword("a long enough one", (await user("thu"))?.passwordHash as string)).toBe(true);
  });

  it("refuses a bad name, a bad role, or no password source", async () => {
    expect(addUser(["bad name!"], { ADMIN_NEW_PASSWORD: "long enough pass" }).code).toBe(2);
    expect(addUser(["thu", "--role", "admin"], { ADMIN_NEW_PASSWORD: "long enough pass" }).code).toBe(2);
    expect(addUser([], { ADMIN_NEW_PASSWORD: "long enough pass" }).code).toBe(2);
    const none = addUser(["thu"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/ADMIN_NEW_PASSWORD/);
    expect(await user("thu")).toBeUndefined();
  });
});

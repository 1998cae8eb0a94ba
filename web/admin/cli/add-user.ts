/**
 * `npm run admin:add-user -- name [--role editor|viewer]`: creates an admin account, or sets a new password
 * (and the role, when given) of an existing one and signs it out everywhere. New accounts are editors
 * unless `--role viewer`.
 *
 * The password comes from ADMIN_NEW_PASSWORD, or from stdin with `--password-stdin` (one line), or is
 * asked twice on a terminal without echo. Never from the command line (it would show in `ps` and history).
 * The database is `$DATA_DIR/admin.sqlite`. Exit codes: 0 done, 1 failure, 2 bad input.
 */
import { parseArgs } from "node:util";
import { loadDotEnv } from "../../../indexer/index.ts";
import { adminDbFile, normaliseUserName, openAdminDb, USER_NAME_PATTERN } from "../accounts.ts";
import { createAuditLog } from "../auth.ts";
import { hashPassword, passwordProblem } from "../passwords.ts";
import type { AdminRole } from "../types.ts";

const USAGE =
  "usage: npm run admin:add-user -- <name> [--role editor|viewer] [--password-stdin]\n" +
  "  the password comes from ADMIN_NEW_PASSWORD, --password-stdin, or a prompt on a terminal";

function fail(message: string, code = 2): never {
  console.error(message);
  process.exit(code);
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        role: { type: "string" },
        "password-stdin": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (err) {
    fail(`${(err as Error).message}\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (positionals.length !== 1) fail(USAGE);
  const name = normaliseUserName(positionals[0] as string);
  if (!name)
    fail(`invalid user name: it must match ${USER_NAME_PATTERN} (lower-case letters, digits, . _ -)`);
  if (values.role !== undefined && values.role !== "editor" && values.role !== "viewer")
    fail("--role must be editor or viewer");
  const role = values.role as AdminRole | undefined;

  loadDotEnv();
  const password = await readPassword(values["password-stdin"]);
  const problem = passwordProblem(password);
  if (problem) fail(`password refused: ${problem}`);

  const db = openAdminDb(adminDbFile(process.env.DATA_DIR || "data"));
  try {
    const at = new Date().toISOString();
    const outcome = await db.upsertUser({
      name,
      passwordHash: await hashPassword(password),
      at,
      ...(role ? { role } : {}),
    });
    const user = await db.getUser(name);
    const audit = createAuditLog(db);
    if (outcome === "created") {
      await audit.record({ user: "cli", action: "user.create", target: name, detail: `role ${user?.role}` });
      console.log(`created user "${name}" (${user?.role}) in ${db.label}`);
    } else {
      const ended = await db.deleteSessionsOf(name);
      await audit.record({
        user: "cli",
        action: "user.password",
        target: name,
        ...(role ? { detail: `role ${role}` } : {}),
      });
      console.log(
        `user "${name}" exists: password updated${role ? `, role set to ${role}` : ` (role ${user?.role})`}; ` +
          `${ended} session(s) signed out`,
      );
    }
  } finally {
    await db.close();
  }
}

/** The new password from the environment, stdin, or a terminal prompt (asked twice). */
async function readPassword(fromStdin: boolean): Promise<string> {
  const fromEnv = process.env.ADMIN_NEW_PASSWORD;
  if (fromEnv) return fromEnv;
  if (fromStdin) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return (Buffer.concat(chunks).toString("utf8").split(/\r?\n/)[0] ?? "").normalize("NFC");
  }
  if (!process.stdin.isTTY) fail(`no password: set ADMIN_NEW_PASSWORD or use --password-stdin\n${USAGE}`);
  const first = await promptHidden("New password: ");
  const problem = passwordProblem(first);
  if (problem) fail(`password refused: ${problem}`);
  const second = await promptHidden("Repeat the password: ");
  if (first !== second) fail("the two passwords differ");
  return first;
}

/** Reads one line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(question);
  return new Promise((resolve) => {
    let value = "";
    const done = (result: string | undefined) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off("data", onData);
      process.stderr.write("\n");
      if (result === undefined) fail("cancelled", 130);
      resolve(result.normalize("NFC"));
    };
    const onData = (data: Buffer) => {
      for (const char of data.toString("utf8")) {
        if (char === "\r" || char === "\n") return done(value);
        if (char === "\u0003" || (char === "\u0004" && !value)) return done(undefined);
        if (char === "\u007f" || char === "\b") value = [...value].slice(0, -1).join("");
        else if (char >= " ") value += char;
      }
    };
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on("data", onData);
  });
}

main().catch((err: unknown) => {
  fail(err instanceof Error ? err.message : String(err), 1);
});

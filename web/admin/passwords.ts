import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";

/**
 * Password hashing for the admin accounts: scrypt from node:crypto, a random 16-byte salt per hash, stored
 * as `scrypt$N$r$p$salt$hash` (salt and hash in base64). The parameters travel with each hash, so they can
 * be raised without invalidating existing accounts: `needsRehash` tells when a hash is older, and a
 * successful login stores a new one.
 *
 * N = 2^17, r = 8, p = 1 is OWASP's minimum for scrypt (Password Storage Cheat Sheet). It takes about
 * 470 ms and 128 MiB per hash on the project's 2-core VM, so at most two hashes run at once: a burst of
 * logins waits instead of taking half a gigabyte and every thread of libuv's pool (file reads use it too).
 */

export const MIN_PASSWORD_LENGTH = 10;
/** Longer inputs are refused before hashing, so that a huge form field costs nothing. */
export const MAX_PASSWORD_LENGTH = 1024;

/** scrypt's cost (N, a power of two), block size (r) and parallelism (p). */
export type ScryptParams = { N: number; r: number; p: number };

const PARAMS: ScryptParams = { N: 2 ** 17, r: 8, p: 1 };
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
const MAX_CONCURRENT_HASHES = 2;
// Bounds of the parameters accepted from a stored hash: a tampered row must not make a login take minutes.
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;

type ParsedHash = { N: number; r: number; p: number; salt: Buffer; hash: Buffer };

/** Characters of a password as the user sees them (NFC code points, so "ệ" is one whether typed NFC or NFD). */
export function passwordLength(password: string): number {
  return [...password.normalize("NFC")].length;
}

/** Why a new password is refused, in Vietnamese, or undefined when it is acceptable. */
export function passwordProblem(password: string): string | undefined {
  const length = passwordLength(password);
  if (length < MIN_PASSWORD_LENGTH) return `Mật khẩu phải có ít nhất ${MIN_PASSWORD_LENGTH} ký tự.`;
  if (length > MAX_PASSWORD_LENGTH) return `Mật khẩu dài quá ${MAX_PASSWORD_LENGTH} ký tự.`;
  return undefined;
}

/**
 * Hashes a password with a fresh random salt: `scrypt$N$r$p$salt$hash`. Other `params` than the current
 * ones are for tests: cheaper hashes where hashing is not what is tested, or hashes as older versions
 * made them.
 */
export async function hashPassword(password: string, params: ScryptParams = PARAMS): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const hash = await derive(password, salt, params.N, params.r, params.p);
  return ["scrypt", params.N, params.r, params.p, salt.toString("base64"), hash.toString("base64")].join("$");
}

/** True when `password` matches `stored`; a malformed stored hash never matches. Constant-time comparison. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed || passwordLength(password) > MAX_PASSWORD_LENGTH) return false;
  const candidate = await derive(password, parsed.salt, parsed.N, parsed.r, parsed.p, parsed.hash.length);
  return timingSafeEqual(candidate, parsed.hash);
}

/** True when a stored hash was made with weaker parameters than `params` (the current ones by default). */
export function needsRehash(stored: string, params: ScryptParams = PARAMS): boolean {
  const parsed = parseHash(stored);
  return !parsed || parsed.N < params.N || parsed.r < params.r || parsed.p < params.p;
}

function parseHash(stored: string): ParsedHash | undefined {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return undefined;
  const [N, r, p] = parts.slice(1, 4).map((s) => (/^\d{1,8}$/.test(s ?? "") ? Number(s) : NaN));
  if (N === undefined || r === undefined || p === undefined) return undefined;
  if (!(N >= 2 && N <= MAX_N && (N & (N - 1)) === 0)) return undefined;
  if (!(r >= 1 && r <= MAX_R && p >= 1 && p <= MAX_P)) return undefined;
  const salt = Buffer.from(parts[4] ?? "", "base64");
  const hash = Buffer.from(parts[5] ?? "", "base64");
  if (salt.length < 8 || hash.length < 16) return undefined;
  return { N, r, p, salt, hash };
}

function derive(
  password: string,
  salt: Buffer,
  N: number,
  r: number,
  p: number,
  keyLength = KEY_LENGTH,
): Promise<Buffer> {
  // scrypt needs 128 * N * r bytes; node refuses anything above maxmem (32 MiB by default).
  const options: ScryptOptions = { N, r, p, maxmem: 128 * N * r * p + 2 * 1024 * 1024 };
  return inHashingSlot(
    () =>
      new Promise((resolve, reject) => {
        scrypt(password.normalize("NFC"), salt, keyLength, options, (err, key) =>
          err ? reject(err) : resolve(key),
        );
      }),
  );
}

let hashing = 0;
const waitingForSlot: (() => void)[] = [];

/** Runs `work` when fewer than MAX_CONCURRENT_HASHES are running; a finished one hands its slot on. */
async function inHashingSlot<T>(work: () => Promise<T>): Promise<T> {
  if (hashing < MAX_CONCURRENT_HASHES) hashing++;
  else await new Promise<void>((resolve) => waitingForSlot.push(resolve));
  try {
    return await work();
  } finally {
    const next = waitingForSlot.shift();
    if (next) next();
    else hashing--;
  }
}

import { describe, expect, it } from "vitest";
import {
  hashPassword,
  MIN_PASSWORD_LENGTH,
  needsRehash,
  passwordLength,
  passwordProblem,
  verifyPassword,
} from "./passwords.ts";

const PASSWORD = "núi Sam 2026 – bà Chúa Xứ";
/** Cheaper than the product's parameters (half a second a hash), where what is tested is not the cost. */
const CHEAP = { N: 2 ** 10, r: 8, p: 1 };

describe("password hashes", () => {
  it("stores scrypt$N$r$p$salt$hash in base64, without the password", async () => {
    const stored = await hashPassword(PASSWORD);
    const parts = stored.split("$");
    expect(parts).toHaveLength(6);
    // OWASP's minimum for scrypt (Password Storage Cheat Sheet): N = 2^17, r = 8, p = 1.
    expect(parts.slice(0, 4)).toEqual(["scrypt", String(2 ** 17), "8", "1"]);
    expect(Buffer.from(parts[4] as string, "base64")).toHaveLength(16);
    expect(Buffer.from(parts[5] as string, "base64")).toHaveLength(32);
    expect(stored).not.toContain(PASSWORD);
    expect(stored).not.toContain(Buffer.from(PASSWORD).toString("base64"));
  });

  it("verifies the right password and refuses others", async () => {
    const stored = await hashPassword(PASSWORD, CHEAP);
    expect(await verifyPassword(PASSWORD, stored)).toBe(true);
    expect(await verifyPassword(`${PASSWORD} `, stored)).toBe(false);
    expect(await verifyPassword("núi sam 2026 – bà chúa xứ", stored)).toBe(false);
    expect(await verifyPassword("", stored)).toBe(false);
  });

  it("uses a different salt each time", async () => {
    const a = await hashPassword(PASSWORD, CHEAP);
    const b = await hashPassword(PASSWORD, CHEAP);
    expect(a).not.toBe(b);
    expect(a.split("$")[4]).not.toBe(b.split("$")[4]);
    expect(await verifyPassword(PASSWORD, b)).toBe(true);
  });

  it("treats a password typed with composed or decomposed diacritics as the same", async () => {
    const stored = await hashPassword(PASSWORD.normalize("NFD"), CHEAP);
    expect(await verifyPassword(PASSWORD.normalize("NFC"), stored)).toBe(true);
  });

  it("never matches a malformed or tampered hash, and refuses absurd parameters", async () => {
    const stored = await hashPassword(PASSWORD, CHEAP);
    const [, , r, p, salt, hash] = stored.split("$");
    expect(await verifyPassword(PASSWORD, "")).toBe(false);
    expect(await verifyPassword(PASSWORD, stored.replace("scrypt", "bcrypt"))).toBe(false);
    expect(await verifyPassword(PASSWORD, `scrypt$16384$${r}$${p}$${salt}`)).toBe(false);
    expect(await verifyPassword(PASSWORD, `scrypt$${2 ** 30}$${r}$${p}$${salt}$${hash}`)).toBe(false);
    expect(await verifyPassword(PASSWORD, `scrypt$1000$${r}$${p}$${salt}$${hash}`)).toBe(false);
    expect(await verifyPassword(PASSWORD, `scrypt$16384$${r}$${p}$${salt}$${"A".repeat(43)}=`)).toBe(false);
  });

  it("says when a hash was made with weaker parameters (the former N = 2^14 included)", async () => {
    expect(needsRehash(await hashPassword(PASSWORD))).toBe(false);
    const former = await hashPassword(PASSWORD, { N: 2 ** 14, r: 8, p: 1 });
    expect(former.split("$").slice(0, 4)).toEqual(["scrypt", "16384", "8", "1"]);
    expect(await verifyPassword(PASSWORD, former)).toBe(true);
    expect(needsRehash(former)).toBe(true);
    expect(needsRehash("scrypt$1024$8$1$c2FsdHNhbHRzYWx0c2FsdA==$aGFzaGhhc2hoYXNoaGFzaA==")).toBe(true);
    expect(needsRehash("garbage")).toBe(true);
  });
});

describe("password rules", () => {
  it(`refuses passwords shorter than ${MIN_PASSWORD_LENGTH} characters`, () => {
    expect(passwordProblem("123456789")).toMatch(/ít nhất 10 ký tự/);
    expect(passwordProblem("")).toBeDefined();
    expect(passwordProblem("1234567890")).toBeUndefined();
  });

  it("counts characters as the user sees them, not UTF-16 units or bytes", () => {
    const decomposed = "ệệệệệệệệệ".normalize("NFD"); // 9 letters, 27 code points
    expect(passwordLength(decomposed)).toBe(9);
    expect(passwordProblem(decomposed)).toBeDefined();
    expect(passwordProblem(`${decomposed}ạ`)).toBeUndefined();
  });

  it("refuses a password longer than the maximum", () => {
    expect(passwordProblem("x".repeat(1025))).toBeDefined();
    expect(passwordProblem("x".repeat(1024))).toBeUndefined();
  });
});

import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Constant-time equality of two secrets (webhook tokens, signatures, CSRF tokens). Both are hashed
 * first, so that timingSafeEqual compares equal lengths and the time taken says nothing about either.
 */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();
  return timingSafeEqual(digest(given), digest(expected));
}

import { z } from "zod";
import { AppError } from "../../../indexer/index.ts";
import type { Clock, Logger } from "../../assistant/index.ts";
import type { Store } from "../../store/index.ts";
import type { ZaloOaTokenPair } from "./client.ts";

/** The store key of the OA token pair (JSON of StoredTokens). */
export const TOKENS_KEY = "zalo-oa:tokens";

const StoredTokens = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1),
  /** ISO time the access token expires, when Zalo said. */
  expiresAt: z.string().optional(),
  refreshedAt: z.string().optional(),
});
export type StoredTokens = z.infer<typeof StoredTokens>;

export type TokenStoreDeps = {
  store: Store;
  /** Exchanges a refresh token for a new pair (the client's refreshTokens). */
  refresh(refreshToken: string): Promise<ZaloOaTokenPair>;
  log: Logger;
  clock: Clock;
  /** Tokens from the environment, written to the store only when it holds none. */
  seed?: { accessToken?: string | undefined; refreshToken?: string | undefined };
};

/**
 * The OA token pair, kept in the store so it survives restarts. The refresh token is single-use and
 * rotates, so refreshes run one at a time: concurrent callers share the refresh in flight, and the new
 * pair is in the store before anyone can use it. A failed refresh leaves the stored pair as it was.
 */
export type TokenStore = {
  /** Writes the seed pair when the store has none; a stored pair always wins over the seed. */
  seed(): Promise<void>;
  /** The current access token. Throws AppError `zalo_oa_no_tokens` when there is none. */
  accessToken(): Promise<string>;
  /**
   * Refreshes the pair and answers the new access token. With `rejected` (the token a send was refused
   * with), a pair already refreshed by someone else since is used as it is, without another refresh.
   */
  refresh(rejected?: string): Promise<string>;
  /** Resolves when no refresh is in flight (shutdown). */
  idle(): Promise<void>;
};

/** Creates the token store. */
export function createTokenStore(deps: TokenStoreDeps): TokenStore {
  const { store, log, clock } = deps;
  let inFlight: Promise<string> | undefined;

  async function load(): Promise<StoredTokens | undefined> {
    const raw = await store.getState(TOKENS_KEY);
    if (raw === undefined) return undefined;
    let parsed: ReturnType<typeof StoredTokens.safeParse>;
    try {
      parsed = StoredTokens.safeParse(JSON.parse(raw));
    } catch {
      parsed = StoredTokens.safeParse(undefined);
    }
    // Never fall back to the seed here: its refresh token has most likely been used already.
    if (!parsed.success)
      throw new AppError("zalo_oa_bad_tokens", `the stored ${TOKENS_KEY} is not a token pair`);
    return parsed.data;
  }

  async function seed(): Promise<StoredTokens | undefined> {
    const stored = await load();
    if (stored) return stored;
    const { accessToken, refreshToken } = deps.seed ?? {};
    if (!accessToken || !refreshToken) return undefined;
    const seeded: StoredTokens = { accessToken, refreshToken };
    await store.setState(TOKENS_KEY, JSON.stringify(seeded));
    log.info({ channel: "zalo-oa" }, "zalo-oa: seed tokens stored");
    return seeded;
  }

  async function current(): Promise<StoredTokens> {
    const tokens = await seed();
    if (!tokens) {
      throw new AppError(
        "zalo_oa_no_tokens",
        "no Zalo OA tokens: set ZALO_OA_ACCESS_TOKEN and ZALO_OA_REFRESH_TOKEN from the OA consent flow",
      );
    }
    return tokens;
  }

  async function runRefresh(rejected: string | undefined): Promise<string> {
    const tokens = await current();
    if (rejected !== undefined && tokens.accessToken !== rejected) return tokens.accessToken;
    let pair: ZaloOaTokenPair;
    try {
      pair = await deps.refresh(tokens.refreshToken);
    } catch (err) {
      log.error({ err, channel: "zalo-oa" }, "zalo-oa: token refresh failed; the stored tokens are kept");
      throw err;
    }
    const now = clock.now();
    const next: StoredTokens = {
      accessToken: pair.accessToken,
      refreshToken: pair.refreshToken,
      ...(pair.expiresInS !== undefined
        ? { expiresAt: new Date(now.getTime() + pair.expiresInS * 1000).toISOString() }
        : {}),
      refreshedAt: now.toISOString(),
    };
    // Persisted before the new access token is handed out, so the single-use refresh token is never lost.
    await store.setState(TOKENS_KEY, JSON.stringify(next));
    log.info({ channel: "zalo-oa", expiresInS: pair.expiresInS }, "zalo-oa: access token refreshed");
    return next.accessToken;
  }

  return {
    async seed() {
      await seed();
    },
    async accessToken() {
      return (await current()).accessToken;
    },
    refresh(rejected) {
      inFlight ??= runRefresh(rejected).finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
    async idle() {
      await inFlight?.catch(() => {});
    },
  };
}

/** The Zalo Official Account (API v3) channel: webhook, replies, and the token pair's refresh. */
export { createZaloOaChannel, LIMITS, type ZaloOaChannelOptions } from "./zalo-oa.ts";
export {
  createZaloOaClient,
  TOKEN_EXPIRED,
  type ZaloOaButton,
  type ZaloOaClient,
  type ZaloOaClientOptions,
  type ZaloOaMessage,
  type ZaloOaTokenPair,
} from "./client.ts";
export { createTokenStore, TOKENS_KEY, type StoredTokens, type TokenStore } from "./tokens.ts";

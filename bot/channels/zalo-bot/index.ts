/** The Zalo Bot Platform channel: the adapter and its thin API client. */
export {
  createZaloBotChannel,
  renderMessages,
  ZALO_BOT_LIMITS,
  ZALO_BOT_WEBHOOK_PATH,
  type ZaloBotChannelOptions,
} from "./zalo-bot.ts";
export {
  createZaloBotClient,
  DEFAULT_ZALO_BOT_API_BASE,
  redactToken,
  ZaloBotApiError,
  type ZaloBotClient,
  type ZaloBotClientOptions,
  type ZaloBotFetch,
  type ZaloBotMe,
  type ZaloBotSent,
} from "./client.ts";

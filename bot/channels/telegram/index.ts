/** The Telegram channel (grammY): long polling or a webhook at /webhooks/telegram. */
export {
  TELEGRAM_LIMITS,
  TELEGRAM_WEBHOOK_PATH,
  createTelegramChannel,
  type TelegramChannelOptions,
} from "./telegram.ts";

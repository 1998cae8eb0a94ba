import type { Logger } from "../assistant/index.ts";
import type { Store } from "../store/index.ts";
import type { Dispatcher } from "./dispatch.ts";
import { createTelegramChannel } from "./telegram/index.ts";
import type { ChannelAdapter } from "./types.ts";
import { createZaloBotChannel } from "./zalo-bot/index.ts";
import { createZaloOaChannel } from "./zalo-oa/index.ts";

/** The channels' settings, as web/config.ts reads them; a channel is absent when its variables are unset. */
export type ChannelSettings = {
  publicUrl?: string;
  telegram?: { token: string; webhookSecret?: string; apiRoot: string };
  zaloOa?: {
    appId: string;
    appSecret: string;
    oaSecretKey: string;
    accessToken?: string;
    refreshToken?: string;
    apiBase: string;
    oauthBase: string;
    /** Signed events further than this from now are refused (ZALO_OA_MAX_EVENT_AGE_SECONDS). */
    maxEventAgeMs?: number;
  };
  zaloBot?: { token: string; webhookSecret?: string; apiBase: string };
};

/** Builds the configured channels; each missing one is skipped with one log line. */
export function createChannels(
  settings: ChannelSettings,
  deps: {
    dispatcher: Dispatcher;
    store: Store;
    log: Logger;
    /** The local file of a portal image path, for the channels that upload pictures (Telegram). */
    photoFile?: (url: string) => string | undefined;
  },
): ChannelAdapter[] {
  const { dispatcher, store, log } = deps;
  const out: ChannelAdapter[] = [];
  const publicUrl = settings.publicUrl ? { publicUrl: settings.publicUrl } : {};
  if (settings.telegram) {
    const t = settings.telegram;
    out.push(
      createTelegramChannel({
        token: t.token,
        apiRoot: t.apiRoot,
        ...publicUrl,
        ...(t.webhookSecret ? { webhookSecret: t.webhookSecret } : {}),
        ...(deps.photoFile ? { photoFile: deps.photoFile } : {}),
        dispatcher,
        log,
      }),
    );
  } else log.info({ channel: "telegram" }, "Telegram skipped: TELEGRAM_BOT_TOKEN is not set");
  if (settings.zaloOa) {
    const z = settings.zaloOa;
    out.push(createZaloOaChannel({ ...z, dispatcher, store, log }));
  } else
    log.info(
      { channel: "zalo-oa" },
      "Zalo OA skipped: ZALO_APP_ID / ZALO_APP_SECRET / ZALO_OA_SECRET_KEY are not set",
    );
  if (settings.zaloBot) {
    const b = settings.zaloBot;
    out.push(
      createZaloBotChannel({
        token: b.token,
        apiBase: b.apiBase,
        ...publicUrl,
        ...(b.webhookSecret ? { webhookSecret: b.webhookSecret } : {}),
        dispatcher,
        log,
      }),
    );
  } else log.info({ channel: "zalo-bot" }, "Zalo Bot skipped: ZALO_BOT_TOKEN is not set");
  return out;
}

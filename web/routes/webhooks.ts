import express, { Router } from "express";
import type { ChannelAdapter } from "../../bot/channels/index.ts";

/**
 * `/webhooks/<channel>`: hands the raw body (Zalo OA signs the exact bytes) and the headers to the
 * channel's adapter, which authenticates, answers at once and works in the background.
 */
export function webhooksRouter(channels: readonly ChannelAdapter[]): Router {
  const router = Router();
  const raw = express.raw({ type: () => true, limit: "256kb" });
  for (const channel of channels) {
    router.post(`/${channel.name}`, raw, async (req, res) => {
      const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const result = await channel.handleWebhook({ headers: req.headers, rawBody });
      if (result.body === undefined) res.status(result.status).end();
      else res.status(result.status).json(result.body);
    });
  }
  return router;
}

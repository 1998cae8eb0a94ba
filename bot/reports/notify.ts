import type { Logger } from "../assistant/index.ts";
import type { CaseEventSink } from "./reports.ts";
import { CATEGORY_LABEL } from "./text.ts";
import type { WebhookQueue } from "./webhook.ts";

/**
 * What happens when a case is created or changes status: the IOC's webhook (when configured) gets both,
 * and the staff chat (TELEGRAM_STAFF_CHAT_ID, through bot/channels' StaffNotifier) is told of new cases,
 * with the code, category, channel and the inbox link only (no description: the chat is a group).
 */
export function caseEventSink(deps: {
  webhook?: Pick<WebhookQueue, "enqueue">;
  staff?: { notify(text: string): Promise<void> };
  /** PUBLIC_URL, for an absolute inbox link. */
  publicUrl?: string;
  log: Logger;
}): CaseEventSink {
  const base = deps.publicUrl?.replace(/\/+$/, "") ?? "";
  return async (event, c) => {
    try {
      await deps.webhook?.enqueue(event, c);
    } catch (err) {
      deps.log.error({ err, code: c.code }, "reports: the webhook call could not be queued");
    }
    if (event === "case.created")
      await deps.staff?.notify(
        `Phản ánh mới ${c.code} (${CATEGORY_LABEL[c.category].vi}) qua ${c.channel}, hạn ${c.dueAt.slice(0, 10)}: ${base}/admin/reports/${c.code}`,
      );
  };
}

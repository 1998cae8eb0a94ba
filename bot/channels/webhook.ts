import type { WebhookRequest } from "./types.ts";

/** A request header's value (the first, when it came more than once); names are lower-case. */
export function webhookHeader(request: WebhookRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Chat channels: the channel-neutral types, the shared dispatcher, and (per folder) one adapter per platform. */
export {
  createDispatcher,
  planMessages,
  splitText,
  suggestionKey,
  type Dispatcher,
  type DispatcherDeps,
} from "./dispatch.ts";
export {
  languageFromHint,
  type ChannelAdapter,
  type ChannelLimits,
  type Incoming,
  type OutgoingButton,
  type OutgoingMessage,
  type OutgoingPhoto,
  type WebhookRequest,
  type WebhookResponse,
} from "./types.ts";
export { createChannels, type ChannelSettings } from "./start.ts";
export {
  createOutbox,
  createStaffNotifier,
  isTransient,
  MAILBOX_CHANNELS,
  ZALO_OA_REPLY_WINDOW,
  type DeliveryResult,
  type DeliveryTarget,
  type Outbox,
  type OutboxOptions,
  type ReplyWindow,
  type StaffNotifier,
} from "./outbox.ts";

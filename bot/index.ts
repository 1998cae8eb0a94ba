/** The bot layer: the assistant and (later) its chat channels. */
export * from "./assistant/index.ts";
export * from "./store/index.ts";

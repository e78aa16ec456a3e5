/** The JS client kit: see clients/js/README.md. */
export * from "./message-names.ts";
export * from "./client-messages.ts";
export * from "./server-messages.ts";
export * from "./notice-routing.ts";
export * from "./notice-layout.ts";
export * from "./dead-reckoning.ts";
export * from "./self-state.ts";
export * from "./rest.ts";

/** The ops console's caller name: its key, its channel (CHANNEL_OPS_CONSOLE) and the only party it may sign (operator). */
export const OPS_CONSOLE = "ops-console";

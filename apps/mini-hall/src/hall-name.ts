/** The mini hall's caller name: its key, its channel (CHANNEL_MINI_HALL) and the only party it may sign (agent). */
export const MINI_HALL = "mini-hall";

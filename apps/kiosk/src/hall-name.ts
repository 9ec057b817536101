/** The kiosk's caller identity and session issuer: its calls are CHANNEL_KIOSK, its tokens useless elsewhere. */
export const KIOSK = "kiosk";

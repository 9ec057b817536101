/** The web hall's caller name: its services' caller, its sessions' issuer, its request ids' scope. */
export const WEB_HALL = "web-hall";

import type { CustomerDb } from "../db.js";
import type { LoginPolicy } from "./login-policy.js";

/** What the login use cases need: the database, the rules, the keys and a clock tests can move. */
export interface LoginContext {
  db: CustomerDb;
  policy: LoginPolicy;
  /** LOGIN_CODE_SECRET: the key codes are stored under. */
  secret: string;
  /** NOTIFY_PUBLIC_KEY: codes travel sealed to the notification service, which alone texts them. */
  notifyPublicKey: string;
  /** LOGIN_CODE_LOG: also write issued codes to the log (development). */
  logCodes: boolean;
  now: () => Date;
}

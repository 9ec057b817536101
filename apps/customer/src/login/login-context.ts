import type { CustomerDb } from "../db.js";
import type { LoginPolicy } from "./login-policy.js";

/** What the login use cases need: the database, the rules, the HMAC secret and a clock tests can move. */
export interface LoginContext {
  db: CustomerDb;
  policy: LoginPolicy;
  /** LOGIN_CODE_SECRET: the key codes are stored under. */
  secret: string;
  /** LOGIN_CODE_LOG: also write issued codes to the log (development). */
  logCodes: boolean;
  now: () => Date;
}

import { Alert } from "./components.js";
import { ApiError } from "./hall-api.js";
import { useLocale, useT } from "./i18n.js";

/**
 * The words of a failed call in the page's language: a hall's refusal as the services worded it (they word every
 * refusal in both languages), anything else — a dropped connection, a bug — as a plain "something went wrong".
 */
export function useErrorText() {
  const { locale } = useLocale();
  const t = useT();
  return (error: unknown): string =>
    error instanceof ApiError ? (error.messages[locale] ?? error.messages["zh-CN"] ?? error.reason) : t("ui.error");
}

/** A failed call shown where it happened; nothing when there is no error. */
export function ErrorAlert({ error }: { error: unknown }) {
  const text = useErrorText();
  return error ? <Alert tone="error">{text(error)}</Alert> : null;
}

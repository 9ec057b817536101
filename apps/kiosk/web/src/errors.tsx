import { Alert, useLocale, useT } from "@omnihall/ui";
import { KioskApiError } from "./api";

/** A failed call's message in the screen's language (the services word their refusals in both). */
export function useErrorText() {
  const { locale } = useLocale();
  const t = useT();
  return (error: unknown): string =>
    error instanceof KioskApiError
      ? (error.messages[locale] ?? error.messages["zh-CN"] ?? error.reason)
      : t("ui.error");
}

export function ErrorLine({ error }: { error: unknown }) {
  const text = useErrorText();
  return error ? <Alert tone="error">{text(error)}</Alert> : null;
}

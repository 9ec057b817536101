import { Alert, useLocale, useT } from "@omnihall/ui";
import { ApiError } from "./api";

/** The message of a failed call in the page's language (the services word their refusals in both). */
export function useErrorText() {
  const { locale } = useLocale();
  const t = useT();
  return (error: unknown): string => {
    if (error instanceof ApiError) return error.messages[locale] ?? error.messages["zh-CN"] ?? error.reason;
    return t("ui.error");
  };
}

export function ErrorAlert({ error }: { error: unknown }) {
  const text = useErrorText();
  if (!error) return null;
  return <Alert tone="error">{text(error)}</Alert>;
}

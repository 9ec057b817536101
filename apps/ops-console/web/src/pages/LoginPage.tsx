import { Button, Card, ErrorAlert, Field, useT } from "@omnihall/ui";
import { useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { api, ok } from "../api";

/** Operator id + password; the customer service checks them (and locks after five wrong ones). */
export function LoginPage() {
  const t = useT();
  const queries = useQueryClient();
  const [operatorId, setOperatorId] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await ok(api.POST("/v1/sessions", { body: { operatorId: operatorId.trim(), password, transport: "cookie" } }));
      await queries.invalidateQueries({ queryKey: ["me"] });
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title={t("login.title")}>
      <form onSubmit={submit} aria-label={t("login.title")}>
        <Field
          label={t("login.operatorId")}
          value={operatorId}
          onChange={(e) => setOperatorId(e.target.value)}
          autoComplete="username"
          required
        />
        <Field
          label={t("login.password")}
          type="password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          autoComplete="current-password"
          required
        />
        <ErrorAlert error={error} />
        <Button type="submit" busy={busy}>
          {t("login.submit")}
        </Button>
      </form>
    </Card>
  );
}

import { Alert, Button, Card, Field, useErrorText, useT } from "@omnihall/ui";
import { useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { api, ok } from "../api";
import { CampaignBanner } from "../campaigns";

/** Log in by SMS code: number → code sent → code → session cookie (the hall sets it HttpOnly). */
export function LoginPage() {
  const t = useT();
  const errorText = useErrorText();
  const queries = useQueryClient();
  const [msisdn, setMsisdn] = useState("");
  const [code, setCode] = useState("");
  const [sent, setSent] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  const sendCode = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      await ok(api.POST("/v1/login/codes", { body: { msisdn } }));
      setSent(true);
    });
  };

  const logIn = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      await ok(api.POST("/v1/sessions", { body: { msisdn, code, transport: "cookie" } }));
      await queries.invalidateQueries({ queryKey: ["me"] });
    });
  };

  return (
    <div className="wh-login">
      <h1>{t("login.title")}</h1>
      <Card>
        {!sent ? (
          <form onSubmit={sendCode} noValidate>
            <Field
              label={t("login.msisdn")}
              name="msisdn"
              inputMode="tel"
              autoComplete="tel"
              required
              value={msisdn}
              onChange={(e) => setMsisdn(e.target.value.trim())}
            />
            <Button type="submit" busy={busy} disabled={!msisdn}>
              {t("login.sendCode")}
            </Button>
          </form>
        ) : (
          <form onSubmit={logIn} noValidate>
            <Alert tone="info">{t("login.codeSent", { msisdn })}</Alert>
            <Field
              label={t("login.code")}
              name="code"
              inputMode="numeric"
              autoComplete="one-time-code"
              required
              value={code}
              onChange={(e) => setCode(e.target.value.trim())}
            />
            <div className="oh-row">
              <Button type="submit" busy={busy} disabled={!code}>
                {t("login.submit")}
              </Button>
              <Button variant="secondary" onClick={() => setSent(false)}>
                {t("login.changeNumber")}
              </Button>
            </div>
          </form>
        )}
        {error && <Alert tone="error">{error}</Alert>}
      </Card>
      <CampaignBanner />
    </div>
  );
}

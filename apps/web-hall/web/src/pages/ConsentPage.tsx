import { Alert, Button, Card, DateText, ErrorAlert, Loading, useErrorText, useT } from "@omnihall/ui";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, newIdempotencyKey, ok } from "../api";

/** Marketing messages: agree or opt out; notify records each change with where it came from. */
export function ConsentPage() {
  const t = useT();
  const errorText = useErrorText();
  const queries = useQueryClient();
  const consent = useQuery({ queryKey: ["consent"], queryFn: () => ok(api.GET("/v1/me/marketing-consent")) });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  async function set(granted: boolean) {
    setBusy(true);
    setError(undefined);
    try {
      const answer = await ok(
        api.PUT("/v1/me/marketing-consent", {
          params: { header: { "idempotency-key": newIdempotencyKey() } },
          body: { granted },
        }),
      );
      queries.setQueryData(["consent"], answer);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <h1>{t("nav.consent")}</h1>
      <Card>
        <p>{t("consent.explain")}</p>
        {consent.isPending ? (
          <Loading />
        ) : consent.error ? (
          <ErrorAlert error={consent.error} />
        ) : (
          <>
            <p>
              <strong data-testid="consent-state">{t(`consent.${consent.data.state}`)}</strong>
            </p>
            <div className="oh-row">
              <Button onClick={() => set(true)} busy={busy} disabled={consent.data.state === "GRANTED"}>
                {t("consent.grant")}
              </Button>
              <Button
                variant="secondary"
                onClick={() => set(false)}
                busy={busy}
                disabled={consent.data.state === "OPTED_OUT"}
              >
                {t("consent.optOut")}
              </Button>
            </div>
            {consent.data.records.length > 0 && (
              <>
                <h2>{t("consent.history")}</h2>
                <ul>
                  {consent.data.records.map((r, i) => (
                    <li key={i}>
                      {t(`consentAction.${r.action}`)} · {r.channel} ·{" "}
                      {r.createTime && <DateText value={r.createTime} withTime />}
                    </li>
                  ))}
                </ul>
              </>
            )}
          </>
        )}
        {error && <Alert tone="error">{error}</Alert>}
      </Card>
    </>
  );
}

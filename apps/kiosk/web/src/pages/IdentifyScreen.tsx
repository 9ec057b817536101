import { Alert, Button, ErrorAlert, useT } from "@omnihall/ui";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ok, kioskApi } from "../api";
import { Keypad } from "../Keypad";
import type { KioskStatus } from "../kiosk-status";

type Way = "choose" | "phone" | "idCard";

/** Identification: a phone number and its SMS code, or an ID card and then the code of one of its numbers. */
export function IdentifyScreen({ status }: { status: KioskStatus }) {
  const t = useT();
  const [way, setWay] = useState<Way>("choose");
  if (way === "phone") return <PhoneLogin onBack={() => setWay("choose")} />;
  if (way === "idCard") return <IdCardLogin onBack={() => setWay("choose")} />;
  return (
    <div className="kiosk-stack">
      <h1>{t("identify.title")}</h1>
      <Button className="kiosk-big" onClick={() => setWay("phone")}>
        {t("identify.phone")}
      </Button>
      <Button className="kiosk-big" onClick={() => setWay("idCard")} disabled={!status.functions.idCardLogin}>
        {t("identify.idCard")}
      </Button>
      {!status.functions.idCardLogin && <Alert tone="info">{t("identify.idCardUnavailable")}</Alert>}
    </div>
  );
}

/** One screen action at a time: busy while it runs, its failure kept for the screen to show. */
function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  async function run(action: () => Promise<unknown>) {
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, run };
}

function useSessionStarted() {
  const queries = useQueryClient();
  return () => queries.invalidateQueries({ queryKey: ["me"] });
}

function PhoneLogin({ onBack }: { onBack(): void }) {
  const t = useT();
  const started = useSessionStarted();
  const [msisdn, setMsisdn] = useState("");
  const [code, setCode] = useState("");
  const [sent, setSent] = useState(false);
  const { busy, error, run } = useAction();
  return (
    <div className="kiosk-stack">
      {!sent ? (
        <>
          <Keypad label={t("phone.msisdn")} value={msisdn} onChange={setMsisdn} maxLength={11} />
          <Button
            className="kiosk-big"
            busy={busy}
            disabled={msisdn.length !== 11}
            onClick={() =>
              run(async () => {
                await ok(kioskApi.POST("/v1/login/codes", { body: { msisdn } }));
                setSent(true);
              })
            }
          >
            {t("phone.sendCode")}
          </Button>
        </>
      ) : (
        <>
          <Alert tone="info">{t("phone.codeSent", { msisdn })}</Alert>
          <Keypad label={t("phone.code")} value={code} onChange={setCode} maxLength={6} />
          <Button
            className="kiosk-big"
            busy={busy}
            disabled={code.length !== 6}
            onClick={() =>
              run(async () => {
                await ok(kioskApi.POST("/v1/sessions", { body: { msisdn, code, transport: "cookie" } }));
                await started();
              })
            }
          >
            {t("phone.logIn")}
          </Button>
        </>
      )}
      <ErrorAlert error={error} />
      <Button variant="secondary" onClick={onBack}>
        {t("app.back")}
      </Button>
    </div>
  );
}

function IdCardLogin({ onBack }: { onBack(): void }) {
  const t = useT();
  const started = useSessionStarted();
  const [chosen, setChosen] = useState<{ readId: string; choice: number; maskedMsisdn: string }>();
  const [code, setCode] = useState("");
  const { busy, error, run } = useAction();
  // The reader is polled until a card is on it; the hall never shows the page the card's number.
  const card = useQuery({
    queryKey: ["id-card"],
    queryFn: () => ok(kioskApi.GET("/v1/id-card")),
    refetchInterval: (query) => (query.state.data?.present ? false : 500),
    enabled: !chosen,
  });
  return (
    <div className="kiosk-stack">
      {!chosen && !card.data?.present && (
        <>
          <h1>{t("idCard.place")}</h1>
          <p role="status">{t("idCard.waiting")}</p>
        </>
      )}
      {!chosen && card.data?.present && (
        <>
          <h1>{t("idCard.choose")}</h1>
          {card.data.numbers?.length === 0 && <Alert tone="info">{t("idCard.noNumbers")}</Alert>}
          {card.data.numbers?.map((n) => (
            <Button
              key={n.choice}
              className="kiosk-big"
              busy={busy}
              onClick={() =>
                run(async () => {
                  await ok(
                    kioskApi.POST("/v1/id-card/codes", { body: { readId: card.data.readId!, choice: n.choice } }),
                  );
                  setChosen({ readId: card.data.readId!, choice: n.choice, maskedMsisdn: n.maskedMsisdn });
                })
              }
            >
              {n.maskedMsisdn}
            </Button>
          ))}
        </>
      )}
      {chosen && (
        <>
          <Alert tone="info">{t("idCard.codeSentTo", { msisdn: chosen.maskedMsisdn })}</Alert>
          <Keypad label={t("phone.code")} value={code} onChange={setCode} maxLength={6} />
          <Button
            className="kiosk-big"
            busy={busy}
            disabled={code.length !== 6}
            onClick={() =>
              run(async () => {
                await ok(
                  kioskApi.POST("/v1/id-card/sessions", {
                    body: { readId: chosen.readId, choice: chosen.choice, code, transport: "cookie" },
                  }),
                );
                await started();
              })
            }
          >
            {t("phone.logIn")}
          </Button>
        </>
      )}
      <ErrorAlert error={error ?? card.error} />
      <Button variant="secondary" onClick={onBack}>
        {t("app.back")}
      </Button>
    </div>
  );
}

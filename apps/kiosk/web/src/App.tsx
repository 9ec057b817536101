import { Alert, Button, ErrorAlert, Loading, useLocale, useT } from "@omnihall/ui";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { ok, ApiError, kioskApi, setScreenLocale } from "./api";
import { useKioskStatus, type KioskStatus } from "./kiosk-status";
import { AttractScreen } from "./pages/AttractScreen";
import { BillsScreen } from "./pages/BillsScreen";
import { CashTopUp } from "./pages/CashTopUp";
import { IdentifyScreen } from "./pages/IdentifyScreen";
import { CallForwarding } from "./pages/CallForwarding";
import { MenuScreen, type Task } from "./pages/MenuScreen";
import { PacksScreen } from "./pages/PacksScreen";

type Screen = "attract" | "identify" | "menu" | Task;

/** Who is identified: null when nobody (the hall answered 401). */
function useMe() {
  return useQuery({
    queryKey: ["me"],
    queryFn: async () => {
      try {
        return await ok(kioskApi.GET("/v1/me"));
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
  });
}

/** Languages as two big buttons: a kiosk screen has no keyboard to drive a drop-down comfortably. */
function LanguageButtons() {
  const { locale, setLocale } = useLocale();
  const t = useT();
  return (
    <div role="group" aria-label={t("ui.language")} className="kiosk-languages">
      <Button variant="secondary" lang="zh-CN" aria-pressed={locale === "zh-CN"} onClick={() => setLocale("zh-CN")}>
        中文
      </Button>
      <Button variant="secondary" lang="en" aria-pressed={locale === "en"} onClick={() => setLocale("en")}>
        English
      </Button>
    </div>
  );
}

function DeviceTrouble({ status }: { status: KioskStatus }) {
  const t = useT();
  const troubles = (["printer", "cashAcceptor", "idCardReader"] as const).filter((d) => status.devices[d] !== "OK");
  if (troubles.length === 0) return null;
  return (
    <Alert tone="info">
      {t("device.trouble")}{" "}
      {troubles.map((d) => t(`device.${d}`, { state: t(`state.${status.devices[d]}`) })).join("、")}
    </Alert>
  );
}

/**
 * The kiosk screen. Any touch restarts the idle clock; when it runs out the session is ended (the hall credits an
 * unfinished cash top-up first) and the attract screen returns, so the next person finds nothing of the last.
 */
export function App() {
  const t = useT();
  const { locale } = useLocale();
  const queries = useQueryClient();
  const status = useKioskStatus();
  const me = useMe();
  const [screen, setScreen] = useState<Screen>("attract");
  const lastTouch = useRef(Date.now());
  const [idleWarning, setIdleWarning] = useState(false);
  useEffect(() => setScreenLocale(locale), [locale]);
  useEffect(() => {
    document.title = t("app.title");
  }, [t]);

  const identified = Boolean(me.data);
  useEffect(() => {
    if (identified && (screen === "attract" || screen === "identify")) setScreen("menu");
  }, [identified, screen]);

  const reset = useCallback(async () => {
    setScreen("attract");
    if (queries.getQueryData(["me"])) await kioskApi.DELETE("/v1/sessions/current/").catch(() => undefined);
    queries.removeQueries({ predicate: (q) => q.queryKey[0] !== "kiosk" && q.queryKey[0] !== "offers" });
    await queries.invalidateQueries({ queryKey: ["me"] });
  }, [queries]);

  const idleSeconds = status.data?.idleTimeoutSeconds;
  useEffect(() => {
    const touched = () => {
      lastTouch.current = Date.now();
    };
    const events = ["pointerdown", "keydown", "touchstart"] as const;
    for (const e of events) document.addEventListener(e, touched, { capture: true });
    const timer = setInterval(() => {
      if (idleSeconds === undefined || screen === "attract") return setIdleWarning(false);
      const idleMs = Date.now() - lastTouch.current;
      if (idleMs > idleSeconds * 1000) void reset();
      // The last fifth of the wait (at most 10 s) is announced, so a person still there can touch to stay.
      else setIdleWarning(idleMs > idleSeconds * 1000 - Math.min(10_000, idleSeconds * 200));
    }, 250);
    return () => {
      for (const e of events) document.removeEventListener(e, touched, { capture: true });
      clearInterval(timer);
    };
  }, [idleSeconds, screen, reset]);

  const start = () => {
    lastTouch.current = Date.now();
    setScreen("identify");
  };

  let content;
  if (status.isPending || me.isPending) content = <Loading />;
  else if (!status.data) content = <ErrorAlert error={status.error} />;
  else if (screen === "attract") content = <AttractScreen onStart={start} />;
  else if (screen === "identify" || !me.data) content = <IdentifyScreen status={status.data} />;
  else if (screen === "cash") content = <CashTopUp status={status.data} />;
  else if (screen === "bills") content = <BillsScreen />;
  else if (screen === "dataPacks") content = <PacksScreen kind="DATA_PACK" />;
  else if (screen === "roamingPacks") content = <PacksScreen kind="ROAMING_PACK" />;
  else if (screen === "forwarding") content = <CallForwarding />;
  else content = <MenuScreen status={status.data} maskedMsisdn={me.data.maskedMsisdn} onTask={setScreen} />;

  return (
    <div className="kiosk">
      <header className="kiosk-header">
        <span className="kiosk-header__title">{t("app.title")}</span>
        <LanguageButtons />
        {screen !== "attract" && (
          <>
            {identified && screen !== "menu" && (
              <Button variant="secondary" onClick={() => setScreen("menu")}>
                {t("app.back")}
              </Button>
            )}
            <Button variant="danger" onClick={() => void reset()}>
              {identified ? t("app.exit") : t("app.home")}
            </Button>
          </>
        )}
      </header>
      <main id="main" className="kiosk-main" tabIndex={-1} data-screen={screen}>
        {idleWarning && <Alert tone="info">{t("idle.warning")}</Alert>}
        {status.data && <DeviceTrouble status={status.data} />}
        {content}
      </main>
    </div>
  );
}

import {
  Alert,
  Button,
  Card,
  Field,
  Layout,
  Money,
  Select,
  useErrorText,
  useLiveOffers,
  useLocale,
  useT,
} from "@omnihall/ui";
import { useCallback, useEffect, useRef, useState, type FormEvent } from "react";
import { api, ApiError, ok, setApiLocale, type Agent, type OpeningBody } from "./api";
import { fieldCache, newOpeningKey, queue, type FieldCache, type QueuedOpening } from "./queue";
import { CampaignPitch } from "./CampaignPitch";
import { OrderCard } from "./OrderCard";
import { PaymentCard } from "./PaymentCard";
import { syncQueue } from "./sync";

const DEVICE_KEY = "omnihall.mini-hall.device";

function useOnline(): boolean {
  const [online, setOnline] = useState(() => navigator.onLine);
  useEffect(() => {
    const up = () => setOnline(true);
    const down = () => setOnline(false);
    window.addEventListener("online", up);
    window.addEventListener("offline", down);
    return () => {
      window.removeEventListener("online", up);
      window.removeEventListener("offline", down);
    };
  }, []);
  return online;
}

export function App() {
  const t = useT();
  const { locale } = useLocale();
  const online = useOnline();
  const [cache, setCache] = useState<FieldCache | undefined>();
  const [loaded, setLoaded] = useState(false);
  const [loginNeeded, setLoginNeeded] = useState(false);
  useEffect(() => setApiLocale(locale), [locale]);
  useEffect(() => {
    void fieldCache.get().then((stored) => {
      setCache(stored);
      setLoaded(true);
    });
  }, []);

  if (!loaded) return null;
  const status = (
    <span className={online ? "mh-net mh-net--on" : "mh-net mh-net--off"} role="status">
      {online ? t("net.online") : t("net.offline")}
    </span>
  );
  if (!cache || (loginNeeded && online)) {
    return (
      <Layout title={t("app.title")} actions={status}>
        {loginNeeded && <Alert tone="info">{t("login.again")}</Alert>}
        <LoginForm
          onLoggedIn={async (agent) => {
            const fresh = await refreshCache(agent, cache);
            setCache(fresh);
            setLoginNeeded(false);
          }}
        />
      </Layout>
    );
  }
  return (
    <Layout title={t("app.title")} actions={status}>
      <Workbench cache={cache} online={online} onCache={setCache} onLoginNeeded={() => setLoginNeeded(true)} />
    </Layout>
  );
}

/** Numbers, plans and offers of the agent's territory, kept on the device for a day without signal. */
async function refreshCache(agent: Agent, previous?: FieldCache): Promise<FieldCache> {
  try {
    const [{ numbers }, { offerings: plans }, { offerings: all }] = await Promise.all([
      ok(api.GET("/v1/numbers", { params: { query: { pageSize: 30 } } })),
      ok(api.GET("/v1/offerings", { params: { query: { kind: "PLAN" } } })),
      ok(api.GET("/v1/offerings", {})),
    ]);
    const fresh: FieldCache = {
      agent,
      numbers: numbers ?? [],
      plans: plans ?? [],
      offers: (all ?? []).filter((offering) => offering.kind !== "PLAN"),
      savedAt: new Date().toISOString(),
    };
    await fieldCache.put(fresh);
    return fresh;
  } catch {
    // No signal: keep what the device has.
    return previous ?? { agent, numbers: [], plans: [], offers: [], savedAt: new Date(0).toISOString() };
  }
}

function LoginForm({ onLoggedIn }: { onLoggedIn: (agent: Agent) => Promise<void> }) {
  const t = useT();
  const errorText = useErrorText();
  const [agentId, setAgentId] = useState("");
  const [pin, setPin] = useState("");
  const [deviceId, setDeviceId] = useState(() => localStorage.getItem(DEVICE_KEY) ?? "");
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  // One Idempotency-Key per login: pressing again after an answer lost on a poor network resends the same login
  // (the customer service counts its PIN once); any answer, or other values typed in, makes the next press a new one.
  const pending = useRef<{ key: string; values: string } | undefined>(undefined);
  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    const values = JSON.stringify([agentId, pin, deviceId]);
    if (pending.current?.values !== values) pending.current = { key: crypto.randomUUID(), values };
    try {
      const answer = await ok(
        api.POST("/v1/sessions", {
          params: { header: { "idempotency-key": pending.current.key } },
          body: { agentId, pin, deviceId, transport: "cookie" },
        }),
      );
      pending.current = undefined;
      localStorage.setItem(DEVICE_KEY, deviceId);
      await onLoggedIn(answer.agent!);
    } catch (caught) {
      if (caught instanceof ApiError) pending.current = undefined;
      setError(caught);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Card title={t("login.title")}>
      <form onSubmit={submit}>
        <Field label={t("login.agentId")} value={agentId} onChange={(e) => setAgentId(e.target.value)} required />
        <Field
          label={t("login.pin")}
          type="password"
          inputMode="numeric"
          autoComplete="current-password"
          value={pin}
          onChange={(e) => setPin(e.target.value)}
          required
        />
        <Field label={t("login.deviceId")} value={deviceId} onChange={(e) => setDeviceId(e.target.value)} required />
        {error !== undefined && <Alert tone="error">{errorText(error)}</Alert>}
        <Button type="submit" busy={busy}>
          {t("login.submit")}
        </Button>
      </form>
    </Card>
  );
}

function Workbench({
  cache,
  online,
  onCache,
  onLoginNeeded,
}: {
  cache: FieldCache;
  online: boolean;
  onCache: (cache: FieldCache) => void;
  onLoginNeeded: () => void;
}) {
  const t = useT();
  const [items, setItems] = useState<QueuedOpening[]>([]);
  const [redo, setRedo] = useState<OpeningBody | undefined>();
  const reload = useCallback(async () => setItems(await queue.all()), []);
  const sync = useCallback(async () => {
    const run = await syncQueue();
    await reload();
    if (run.loginNeeded) onLoginNeeded();
  }, [reload, onLoginNeeded]);

  useEffect(() => {
    void reload();
  }, [reload]);
  useEffect(() => {
    if (!online) return;
    void sync();
    // While online, keep trying: a flapping network may have cut the last run short.
    const timer = setInterval(() => void sync(), 3_000);
    return () => clearInterval(timer);
  }, [online, sync]);

  const taken = new Set(items.filter((item) => item.state !== "REFUSED").map((item) => item.opening.number));
  const numbers = cache.numbers.map((n) => n.msisdn ?? "").filter((msisdn) => msisdn !== "" && !taken.has(msisdn));
  const territory = [cache.agent.territory?.provinceCode, cache.agent.territory?.city].filter(Boolean).join(" ");
  // One event stream for the page: the pitch card and the pack order form both show these.
  const campaigns = useLiveOffers({ enabled: online });

  return (
    <>
      <p className="mh-hello">{t("hello", { name: cache.agent.name ?? "", territory })}</p>
      <CampaignPitch offers={campaigns} />
      <OpeningForm
        key={redo ? JSON.stringify(redo) : "new"}
        numbers={numbers}
        plans={cache.plans}
        initial={redo}
        onSaved={async () => {
          setRedo(undefined);
          await reload();
          if (online) void sync();
        }}
      />
      <DayTotals items={items} />
      <PaymentCard online={online} />
      <OrderCard kind="PACK" online={online} offerings={cache.offers} campaigns={campaigns || []} />
      <OrderCard kind="BROADBAND" online={online} offerings={cache.offers} />
      <Card
        title={t("queue.title")}
        actions={
          <Button variant="secondary" onClick={() => void sync()} disabled={!online}>
            {t("queue.syncNow")}
          </Button>
        }
      >
        <QueueList
          items={items}
          onRedo={async (item) => {
            await queue.remove(item.key);
            setRedo({ ...item.opening, number: "" });
            await reload();
          }}
          onRemove={async (item) => {
            await queue.remove(item.key);
            await reload();
          }}
        />
      </Card>
      <Card
        title={t("offers.title")}
        actions={
          <Button
            variant="secondary"
            disabled={!online}
            onClick={async () => onCache(await refreshCache(cache.agent, cache))}
          >
            {t("refresh")}
          </Button>
        }
      >
        {cache.offers.length === 0 ? (
          <p>{t("offers.empty")}</p>
        ) : (
          <ul className="mh-offers">
            {cache.offers.slice(0, 8).map((offer) => (
              <li key={offer.code}>
                <OfferName nameZh={offer.nameZh ?? ""} nameEn={offer.nameEn ?? ""} />{" "}
                <Money fen={offer.priceFen ?? 0} />
              </li>
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}

function OfferName({ nameZh, nameEn }: { nameZh: string; nameEn: string }) {
  const { locale } = useLocale();
  return <span>{locale === "en" ? nameEn : nameZh}</span>;
}

function readPhoto(file: File): Promise<{ contentType: string; base64: string }> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve({ contentType: file.type, base64: String(reader.result).split(",")[1] ?? "" });
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

function OpeningForm({
  numbers,
  plans,
  initial,
  onSaved,
}: {
  numbers: string[];
  plans: FieldCache["plans"];
  initial?: OpeningBody;
  onSaved: () => Promise<void>;
}) {
  const t = useT();
  const { locale } = useLocale();
  const [name, setName] = useState(initial?.name ?? "");
  const [idNumber, setIdNumber] = useState(initial?.idNumber ?? "");
  const [address, setAddress] = useState(initial?.address ?? "");
  const [photo, setPhoto] = useState(initial?.idPhoto);
  const [number, setNumber] = useState(initial?.number || numbers[0] || "");
  const [iccid, setIccid] = useState(initial?.iccid ?? "");
  const [planCode, setPlanCode] = useState(initial?.planCode ?? plans[0]?.code ?? "");
  const [saved, setSaved] = useState<string>();
  const chosen = numbers.includes(number) ? number : (numbers[0] ?? "");

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!photo || !chosen) return;
    await queue.put({
      key: newOpeningKey(),
      opening: { name, idNumber, address, idPhoto: photo, number: chosen, iccid, planCode },
      state: "QUEUED",
      takenAt: new Date().toISOString(),
    });
    setSaved(chosen);
    setName("");
    setIdNumber("");
    setAddress("");
    setIccid("");
    setPhoto(undefined);
    await onSaved();
  }

  return (
    <Card title={t("open.title")}>
      <form onSubmit={submit} aria-label={t("open.title")}>
        <Field label={t("open.name")} value={name} onChange={(e) => setName(e.target.value)} required />
        <Field label={t("open.idNumber")} value={idNumber} onChange={(e) => setIdNumber(e.target.value)} required />
        <Field label={t("open.address")} value={address} onChange={(e) => setAddress(e.target.value)} required />
        <Field
          label={t("open.photo")}
          type="file"
          accept="image/jpeg,image/png,image/webp"
          capture="environment"
          required={!photo}
          onChange={async (e) => {
            const file = e.target.files?.[0];
            if (file) setPhoto(await readPhoto(file));
          }}
        />
        {numbers.length === 0 ? (
          <Alert tone="info">{t("open.noNumbers")}</Alert>
        ) : (
          <Select
            label={t("open.number")}
            value={chosen}
            onChange={(e) => setNumber(e.target.value)}
            options={numbers.map((msisdn) => ({ value: msisdn, label: msisdn }))}
          />
        )}
        <Field
          label={t("open.iccid")}
          inputMode="numeric"
          value={iccid}
          onChange={(e) => setIccid(e.target.value)}
          required
        />
        <Select
          label={t("open.plan")}
          value={planCode}
          onChange={(e) => setPlanCode(e.target.value)}
          options={plans.map((plan) => ({
            value: plan.code ?? "",
            label: (locale === "en" ? plan.nameEn : plan.nameZh) ?? plan.code ?? "",
          }))}
        />
        <p className="mh-note">{t("open.cashOnly")}</p>
        <Button type="submit" disabled={!chosen}>
          {t("open.submit")}
        </Button>
        {saved && <Alert tone="success">{t("open.saved", { number: saved })}</Alert>}
      </form>
    </Card>
  );
}

function QueueList({
  items,
  onRedo,
  onRemove,
}: {
  items: QueuedOpening[];
  onRedo: (item: QueuedOpening) => Promise<void>;
  onRemove: (item: QueuedOpening) => Promise<void>;
}) {
  const t = useT();
  const { locale } = useLocale();
  if (items.length === 0) return <p>{t("queue.empty")}</p>;
  const sorted = [...items].sort((a, b) => b.takenAt.localeCompare(a.takenAt));
  return (
    <ul className="mh-queue" aria-label={t("queue.title")}>
      {sorted.map((item) => (
        <li key={item.key} className={`mh-item mh-item--${item.state}`} data-number={item.opening.number}>
          <span className="mh-item__number">{item.opening.number}</span> <span>{item.opening.name}</span>{" "}
          <strong className="mh-item__state">{t(`queue.${item.state}`)}</strong>
          {item.state === "REFUSED" && (
            <div className="mh-item__refusal">
              <p role="alert">
                {(locale === "en" ? item.result?.error?.messages?.en : item.result?.error?.messages?.["zh-CN"]) ??
                  item.result?.error?.reason}
              </p>
              <Button variant="secondary" onClick={() => void onRedo(item)}>
                {t("queue.redo")}
              </Button>{" "}
              <Button variant="link" onClick={() => void onRemove(item)}>
                {t("queue.remove")}
              </Button>
            </div>
          )}
        </li>
      ))}
    </ul>
  );
}

function DayTotals({ items }: { items: QueuedOpening[] }) {
  const t = useT();
  const today = new Date().toDateString();
  const todays = items.filter((item) => new Date(item.takenAt).toDateString() === today);
  const count = (state: QueuedOpening["state"]) => todays.filter((item) => item.state === state).length;
  const fees = todays
    .filter((item) => item.state === "APPLIED")
    .reduce((sum, item) => sum + (item.result?.accountOpening?.numberFeeFen ?? 0), 0);
  return (
    <Card title={t("totals.title")}>
      <dl className="mh-totals" data-testid="totals">
        <dt>{t("totals.opened")}</dt>
        <dd data-total="opened">{count("APPLIED")}</dd>
        <dt>{t("totals.failed")}</dt>
        <dd data-total="failed">{count("REFUSED")}</dd>
        <dt>{t("totals.queued")}</dt>
        <dd data-total="queued">{count("QUEUED")}</dd>
        <dt>{t("totals.fees")}</dt>
        <dd>
          <Money fen={fees} />
        </dd>
      </dl>
    </Card>
  );
}

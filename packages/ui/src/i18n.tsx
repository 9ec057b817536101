import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import {
  formatDataKb,
  formatDate,
  formatDateTime,
  formatDay,
  formatFen,
  formatMinutes,
  formatMonth,
  LOCALES,
  type Locale,
} from "./format.js";

/** A message catalogue: one flat map per language, the same keys in each ({name} placeholders). */
export type Catalog<K extends string = string> = Record<Locale, Record<K, string>>;

/** The kit's own words (dialogs, alerts, the language switch); an app's catalogue adds to them. */
export const uiMessages = {
  "zh-CN": {
    "ui.confirm": "确认",
    "ui.cancel": "取消",
    "ui.close": "关闭",
    "ui.language": "语言",
    "ui.skipToContent": "跳到主要内容",
    "ui.loading": "加载中…",
    "ui.error": "出错了",
    "ui.retry": "重试",
    "ui.remaining": "剩余 {left} / 共 {total}",
    "ui.navigation": "主导航",
    "ui.offer.price": "活动价 {price}",
    "ui.offer.discount": "{zhe}折",
  },
  en: {
    "ui.confirm": "Confirm",
    "ui.cancel": "Cancel",
    "ui.close": "Close",
    "ui.language": "Language",
    "ui.skipToContent": "Skip to main content",
    "ui.loading": "Loading…",
    "ui.error": "Something went wrong",
    "ui.retry": "Try again",
    "ui.remaining": "{left} left of {total}",
    "ui.navigation": "Main navigation",
    "ui.offer.price": "Campaign price {price}",
    "ui.offer.discount": "{percent}% off",
  },
} satisfies Catalog;

const STORAGE_KEY = "omnihall.locale";

/** The language a page starts in: the one chosen before (persisted), else zh-CN — never guessed from the browser. */
export function initialLocale(): Locale {
  try {
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (saved && (LOCALES as readonly string[]).includes(saved)) return saved as Locale;
  } catch {
    // Storage can be refused (private mode, sandboxed frames): fall back to the default.
  }
  return "zh-CN";
}

export type Translate = (key: string, params?: Record<string, string | number>) => string;

interface I18nValue {
  locale: Locale;
  setLocale(locale: Locale): void;
  t: Translate;
}

const I18nContext = createContext<I18nValue | null>(null);

function interpolate(text: string, params?: Record<string, string | number>): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function I18nProvider({ messages, children }: { messages: Catalog; children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  const setLocale = useCallback((next: Locale) => {
    setLocaleState(next);
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, next);
    } catch {
      // Not persisted; the choice still holds for this page.
    }
  }, []);
  useEffect(() => {
    // Screen readers pick their voice from <html lang>.
    document.documentElement.lang = locale;
  }, [locale]);
  const value = useMemo<I18nValue>(() => {
    const table: Record<string, string> = { ...uiMessages[locale], ...messages[locale] };
    // A missing key shows itself (and the other language's text if it has one) instead of an empty label.
    const t: Translate = (key, params) => interpolate(table[key] ?? messages["zh-CN"][key] ?? key, params);
    return { locale, setLocale, t };
  }, [locale, messages, setLocale]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

function useI18n(): I18nValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error("wrap the app in <I18nProvider>");
  return value;
}

/** `const t = useT(); t("home.balance")`. */
export function useT(): Translate {
  return useI18n().t;
}

export function useLocale(): { locale: Locale; setLocale(locale: Locale): void } {
  const { locale, setLocale } = useI18n();
  return { locale, setLocale };
}

/** The formatting helpers bound to the page's language. */
export function useFormat() {
  const { locale } = useI18n();
  return useMemo(
    () => ({
      fen: formatFen,
      dataKb: formatDataKb,
      minutes: (m: number) => formatMinutes(m, locale),
      date: (v: string | Date) => formatDate(v, locale),
      dateTime: (v: string | Date) => formatDateTime(v, locale),
      month: (m: string) => formatMonth(m, locale),
      day: (d: string) => formatDay(d, locale),
    }),
    [locale],
  );
}

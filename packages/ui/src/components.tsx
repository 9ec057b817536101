import {
  useEffect,
  useId,
  useRef,
  type ButtonHTMLAttributes,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
} from "react";
import { formatDataKb, formatFen, percentOf } from "./format.js";
import { useFormat, useLocale, useT } from "./i18n.js";
import { LOCALES } from "./format.js";

type ButtonProps = ButtonHTMLAttributes<HTMLButtonElement> & {
  variant?: "primary" | "secondary" | "danger" | "link";
  busy?: boolean;
};

/** A real <button> (keyboard and screen readers for free); `busy` disables it and says so. */
export function Button({ variant = "primary", busy = false, className, children, disabled, ...rest }: ButtonProps) {
  return (
    <button
      type="button"
      {...rest}
      className={`oh-button oh-button--${variant}${className ? ` ${className}` : ""}`}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
    >
      {children}
    </button>
  );
}

type FieldProps = InputHTMLAttributes<HTMLInputElement> & { label: string; hint?: string; error?: string };

/** A labelled input; the hint and the error are tied to it with aria-describedby so they are read out. */
export function Field({ label, hint, error, id, ...input }: FieldProps) {
  const ownId = useId();
  const inputId = id ?? ownId;
  const hintId = hint ? `${inputId}-hint` : undefined;
  const errorId = error ? `${inputId}-error` : undefined;
  return (
    <div className="oh-field">
      <label htmlFor={inputId}>{label}</label>
      <input
        id={inputId}
        aria-invalid={error ? true : undefined}
        aria-describedby={[hintId, errorId].filter(Boolean).join(" ") || undefined}
        {...input}
      />
      {hint && (
        <p id={hintId} className="oh-field__hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="oh-field__error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

type SelectProps = SelectHTMLAttributes<HTMLSelectElement> & {
  label: string;
  options: { value: string; label: string }[];
};

export function Select({ label, options, id, ...select }: SelectProps) {
  const ownId = useId();
  const selectId = id ?? ownId;
  return (
    <div className="oh-field">
      <label htmlFor={selectId}>{label}</label>
      <select id={selectId} {...select}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** An amount of integer fen, as ¥. */
export function Money({ fen, sign }: { fen: number | bigint; sign?: boolean }) {
  return <span className="oh-money">{formatFen(fen, { sign })}</span>;
}

/** A data volume of integer KB. */
export function DataSize({ kb }: { kb: number }) {
  return <span className="oh-data">{formatDataKb(kb)}</span>;
}

export function DateText({ value, withTime }: { value: string; withTime?: boolean }) {
  const format = useFormat();
  return <time dateTime={value}>{withTime ? format.dateTime(value) : format.date(value)}</time>;
}

/**
 * What is left of an allowance, as a bar: role="meter" with the numbers as text, so the bar is never the only
 * way to read it.
 */
export function Meter({
  label,
  remaining,
  total,
  format,
}: {
  label: string;
  remaining: number;
  total: number;
  format: (value: number) => string;
}) {
  const t = useT();
  const percent = percentOf(remaining, total);
  const text = t("ui.remaining", { left: format(remaining), total: format(total) });
  const labelId = useId();
  return (
    <div className="oh-meter">
      <div className="oh-meter__head">
        <span id={labelId}>{label}</span>
        <span>{text}</span>
      </div>
      <div
        className={`oh-meter__track${percent <= 10 ? " oh-meter__track--low" : ""}`}
        role="meter"
        aria-labelledby={labelId}
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={Math.min(remaining, total)}
        aria-valuetext={text}
      >
        <div className="oh-meter__fill" style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}

/** A message that must be noticed: errors are role="alert" (read at once), notices role="status". */
export function Alert({
  tone = "error",
  title,
  children,
}: {
  tone?: "error" | "info" | "success";
  title?: string;
  children?: ReactNode;
}) {
  return (
    <div className={`oh-alert oh-alert--${tone}`} role={tone === "error" ? "alert" : "status"}>
      {title && <strong className="oh-alert__title">{title}</strong>}
      {children && <div>{children}</div>}
    </div>
  );
}

/** A transient notice in a polite live region; it closes itself after `timeoutMs`. */
export function Toast({
  message,
  onClose,
  timeoutMs = 5000,
}: {
  message: string;
  onClose(): void;
  timeoutMs?: number;
}) {
  const t = useT();
  useEffect(() => {
    const timer = setTimeout(onClose, timeoutMs);
    return () => clearTimeout(timer);
  }, [onClose, timeoutMs]);
  return (
    <div className="oh-toast" role="status" aria-live="polite">
      <span>{message}</span>
      <Button variant="link" onClick={onClose} aria-label={t("ui.close")}>
        ×
      </Button>
    </div>
  );
}

/**
 * A modal dialog on the native <dialog> (focus moves in, Escape closes, the page behind is inert), used to
 * confirm anything that costs money or cannot be undone.
 */
export function Dialog({
  open,
  title,
  children,
  onClose,
  actions,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  onClose(): void;
  actions: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="oh-dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      <div className="oh-dialog__body">{children}</div>
      <div className="oh-dialog__actions">{actions}</div>
    </dialog>
  );
}

/** Confirm / cancel around a Dialog. */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  busy,
  onConfirm,
  onCancel,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel?: string;
  busy?: boolean;
  onConfirm(): void;
  onCancel(): void;
}) {
  const t = useT();
  return (
    <Dialog
      open={open}
      title={title}
      onClose={onCancel}
      actions={
        <>
          <Button variant="secondary" onClick={onCancel}>
            {t("ui.cancel")}
          </Button>
          <Button onClick={onConfirm} busy={busy}>
            {confirmLabel ?? t("ui.confirm")}
          </Button>
        </>
      }
    >
      {children}
    </Dialog>
  );
}

/** 中文 / English, persisted by the I18nProvider. */
export function LanguageSwitch() {
  const { locale, setLocale } = useLocale();
  const t = useT();
  const names: Record<string, string> = { "zh-CN": "中文", en: "English" };
  return (
    <label className="oh-language">
      <span className="oh-visually-hidden">{t("ui.language")}</span>
      <select value={locale} onChange={(e) => setLocale(e.target.value as (typeof LOCALES)[number])}>
        {LOCALES.map((l) => (
          <option key={l} value={l} lang={l}>
            {names[l]}
          </option>
        ))}
      </select>
    </label>
  );
}

/**
 * The page frame: skip link, header (title, language switch, extra actions), navigation, one <main>. The nav is
 * a row of links on a desktop and wraps on a phone.
 */
export function Layout({
  title,
  nav,
  actions,
  children,
}: {
  title: ReactNode;
  nav?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
}) {
  const t = useT();
  return (
    <div className="oh-layout">
      <a className="oh-skip" href="#main">
        {t("ui.skipToContent")}
      </a>
      <header className="oh-header">
        <div className="oh-header__title">{title}</div>
        <div className="oh-header__actions">
          <LanguageSwitch />
          {actions}
        </div>
      </header>
      {nav && (
        <nav className="oh-nav" aria-label={t("ui.navigation")}>
          {nav}
        </nav>
      )}
      <main id="main" className="oh-main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}

/** A titled block of a page. */
export function Card({ title, children, actions }: { title?: string; children: ReactNode; actions?: ReactNode }) {
  const headingId = useId();
  return (
    <section className="oh-card" aria-labelledby={title ? headingId : undefined}>
      {(title || actions) && (
        <div className="oh-card__head">
          {title && <h2 id={headingId}>{title}</h2>}
          {actions}
        </div>
      )}
      {children}
    </section>
  );
}

export function Loading() {
  const t = useT();
  return (
    <p className="oh-loading" role="status">
      {t("ui.loading")}
    </p>
  );
}

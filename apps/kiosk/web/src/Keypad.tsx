import { useT } from "@omnihall/ui";
import { useId } from "react";

const KEYS = ["1", "2", "3", "4", "5", "6", "7", "8", "9"];

/**
 * The on-screen number pad (a kiosk has no keyboard): the value is shown in a labelled read-only field the pad
 * writes to, every key a real button large enough for a finger.
 */
export function Keypad({
  label,
  value,
  onChange,
  maxLength,
}: {
  label: string;
  value: string;
  onChange(value: string): void;
  maxLength: number;
}) {
  const t = useT();
  const id = useId();
  const press = (digit: string) => value.length < maxLength && onChange(value + digit);
  return (
    <div className="kiosk-keypad">
      <label htmlFor={id} className="kiosk-keypad__label">
        {label}
      </label>
      <input id={id} className="kiosk-keypad__value" readOnly value={value} inputMode="none" aria-live="polite" />
      <div className="kiosk-keypad__keys" role="group" aria-label={t("keypad.label")}>
        {KEYS.map((digit) => (
          <button key={digit} type="button" className="kiosk-key" onClick={() => press(digit)}>
            {digit}
          </button>
        ))}
        <button type="button" className="kiosk-key kiosk-key--action" onClick={() => onChange("")}>
          {t("keypad.clear")}
        </button>
        <button type="button" className="kiosk-key" onClick={() => press("0")}>
          0
        </button>
        <button type="button" className="kiosk-key kiosk-key--action" onClick={() => onChange(value.slice(0, -1))}>
          {t("keypad.delete")}
        </button>
      </div>
    </div>
  );
}

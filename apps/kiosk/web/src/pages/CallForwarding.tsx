import { Button, useT } from "@omnihall/ui";
import { useState } from "react";
import { Keypad } from "../Keypad";
import { useOrderConfirmation } from "./OrderConfirmation";

const CONDITIONS = ["UNCONDITIONAL", "BUSY", "NO_ANSWER"] as const;

/**
 * Call forwarding is the catalog's VAS_CALL_FORWARDING offering with its settings as order characteristics; the
 * orders service checks them (condition, a valid number) and the network feature is set when the order completes.
 */
export function CallForwarding() {
  const t = useT();
  const flow = useOrderConfirmation();
  const [condition, setCondition] = useState<(typeof CONDITIONS)[number]>("UNCONDITIONAL");
  const [target, setTarget] = useState("");
  return (
    <div className="kiosk-stack">
      <h1>{t("forwarding.title")}</h1>
      {flow.view}
      <div role="group" aria-label={t("forwarding.condition")} className="kiosk-tiles">
        {CONDITIONS.map((c) => (
          <Button key={c} variant="secondary" aria-pressed={condition === c} onClick={() => setCondition(c)}>
            {t(`forwarding.${c}`)}
          </Button>
        ))}
      </div>
      <Keypad label={t("forwarding.target")} value={target} onChange={setTarget} maxLength={11} />
      <Button
        className="kiosk-big"
        busy={flow.busy}
        disabled={target.length !== 11}
        onClick={() => void flow.order("VAS_CALL_FORWARDING", { condition, forward_to: target })}
      >
        {t("forwarding.set")}
      </Button>
    </div>
  );
}

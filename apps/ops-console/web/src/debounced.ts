import { useEffect, useState } from "react";

/**
 * The value once it has stopped changing for `ms`: the audience estimate and the SMS part count are asked of the
 * services when typing pauses, not on every keystroke (an estimate is an aggregate over the whole base).
 */
export function useDebounced<T>(value: T, ms = 400): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

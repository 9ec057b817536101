import { useQuery } from "@tanstack/react-query";
import { ok, kioskApi } from "./api";

/** The kiosk's devices and what it may offer, refreshed every second: a fault disables its functions at once. */
export function useKioskStatus() {
  return useQuery({
    queryKey: ["kiosk"],
    queryFn: () => ok(kioskApi.GET("/v1/kiosk")),
    refetchInterval: 1_000,
  });
}

export type KioskStatus = NonNullable<ReturnType<typeof useKioskStatus>["data"]>;

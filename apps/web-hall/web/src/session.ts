import { useQuery } from "@tanstack/react-query";
import { api, ApiError, ok } from "./api";

/** Who is logged in: undefined while asking, null when nobody (the hall answered 401). */
export function useMe() {
  return useQuery({
    queryKey: ["me"],
    queryFn: async () => {
      try {
        return await ok(api.GET("/v1/me"));
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
  });
}

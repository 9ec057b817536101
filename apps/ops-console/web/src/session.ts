import { useQuery } from "@tanstack/react-query";
import { api, ApiError, ok, type Operator } from "./api";

/** Who is logged in: undefined while asking, null when nobody (the console answered 401). */
export function useMe() {
  return useQuery({
    queryKey: ["me"],
    queryFn: async (): Promise<Operator | null> => {
      try {
        return await ok(api.GET("/v1/me"));
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
  });
}

/** Whether the operator holds one of these roles (only to offer the right buttons: the service decides). */
export function holds(me: Operator, ...roles: string[]): boolean {
  return me.roles.some((role) => roles.includes(role));
}

import { QueryClient } from "@tanstack/react-query";
import { ApiError } from "./hall-api.js";

/**
 * The query cache of a hall's page. Server state lives on the services, so caches are short; a refusal (4xx) is
 * never retried — it will not change by itself — while a dropped connection or a 5xx is tried twice more.
 */
export function hallQueryClient(options: { staleTime: number }): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: options.staleTime,
        retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
      },
    },
  });
}

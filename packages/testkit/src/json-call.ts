/** A hall's answer as a test reads it: status, headers and the parsed JSON body. */
export interface JsonAnswer {
  status: number;
  headers: Headers;
  // Tests read answers by the hall's documented shapes; the hall's OpenAPI schemas already validated them.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON as the test reads it
  body: Record<string, any>;
}

/** Calls a hall's JSON API at `baseUrl` as its front-end does: a JSON body when given, a JSON answer back. */
export function jsonCaller(baseUrl: string) {
  return async function call(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<JsonAnswer> {
    const response = await fetch(baseUrl + path, {
      method,
      headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as JsonAnswer["body"] };
  };
}

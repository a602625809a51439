/** Raw HTTP against /graphql, for attacks a well-behaved client would never send. */
export interface Answer {
  status: number;
  headers: Headers;
  body: { data?: unknown; errors?: { message: string; path?: unknown[]; extensions?: Record<string, unknown> }[]; extensions?: Record<string, unknown> } & Record<string, unknown>;
  text: string;
}

export async function send(url: string, init: RequestInit): Promise<Answer> {
  const res = await fetch(url, init);
  const text = await res.text();
  let body: Answer['body'] = {};
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    // not JSON (GraphiQL's HTML, a bare 405): keep the text
  }
  return { status: res.status, headers: res.headers, body, text };
}

/** POST /graphql as a well-behaved client would, with a bearer token. */
export function gql(base: string, token: string | undefined, query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Answer> {
  return send(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: JSON.stringify({ query, ...(variables ? { variables } : {}) }),
  });
}

export function codeOf(a: Answer): string | undefined {
  return a.body.errors?.[0]?.extensions?.code as string | undefined;
}

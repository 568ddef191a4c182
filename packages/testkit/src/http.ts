export interface GraphQLErrorShape {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; [key: string]: unknown };
}

export interface GqlResponse<T = Record<string, any>> {
  status: number;
  headers: Headers;
  data: T | null | undefined;
  errors: GraphQLErrorShape[] | undefined;
  /** Error codes in order, for short assertions. */
  codes: string[];
}

export interface GqlOptions {
  token?: string | null;
  headers?: Record<string, string>;
}

/** POSTs one GraphQL operation as a browser or app would. */
export async function gql<T = Record<string, any>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  options: GqlOptions = {},
): Promise<GqlResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  let body: { data?: T | null; errors?: GraphQLErrorShape[] };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new Error(`Non-JSON response (${response.status}): ${text.slice(0, 200)}`);
  }
  return {
    status: response.status,
    headers: response.headers,
    data: body.data,
    errors: body.errors,
    codes: (body.errors ?? []).map((e) => String(e.extensions?.code ?? 'NONE')),
  };
}

/** The data of a call that must succeed; any GraphQL error fails the test with the errors. */
export async function must<T = Record<string, any>>(res: Promise<GqlResponse<T>>): Promise<T> {
  const r = await res;
  if (r.errors?.length || !r.data) throw new Error(JSON.stringify(r.errors));
  return r.data;
}

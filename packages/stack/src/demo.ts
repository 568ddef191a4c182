/**
 * Demo data for `npm start`, loaded through the public API like any client would,
 * so it is valid by construction. Idempotent: an existing demo account is kept.
 */
export const DEMO_USER = {
  username: 'demo',
  email: 'demo@calos.local',
  password: 'hollowtown-demo',
  displayName: 'Demo Pumpkin',
} as const;

interface GraphQLResult<T> {
  data?: T;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

async function call<T>(url: string, query: string, variables: Record<string, unknown>, token?: string): Promise<GraphQLResult<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResult<T>;
}

export async function loadDemoData(gatewayUrl: string): Promise<{ created: boolean }> {
  const login = await call<{ login: { accessToken: string } }>(
    gatewayUrl,
    'mutation($input: LoginInput!) { login(input: $input) { accessToken } }',
    { input: { login: DEMO_USER.username, password: DEMO_USER.password, deviceName: 'Demo loader', deviceType: 'OTHER' } },
  );
  if (login.data?.login) return { created: false };
  const registered = await call<{ register: { accessToken: string } }>(
    gatewayUrl,
    'mutation($input: RegisterInput!) { register(input: $input) { accessToken } }',
    { input: { ...DEMO_USER, deviceName: 'Demo loader', deviceType: 'OTHER' } },
  );
  if (!registered.data?.register) {
    throw new Error(`Could not create the demo account: ${registered.errors?.map((e) => e.message).join('; ')}`);
  }
  return { created: true };
}

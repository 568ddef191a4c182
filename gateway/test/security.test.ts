import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base64url, SignJWT, importJWK, type JWK } from 'jose';
import { generateSigningJwk, GATEWAY_SECRET_HEADER } from '@calos/auth';
import { gql, startTestSupergraph, type TestSupergraph, type TestUser } from '@calos/testkit';

const ISSUER = 'https://identity.calos.local';
const AUDIENCE = 'calos-api';

let sg: TestSupergraph;
let key: JWK;
let user: TestUser;

beforeAll(async () => {
  key = await generateSigningJwk('test-key-1');
  sg = await startTestSupergraph({ env: { identity: { JWT_PRIVATE_JWKS: JSON.stringify([key]) } } });
  user = await sg.signUp();
});
afterAll(async () => {
  await sg?.close();
});

async function sign(claims: Record<string, unknown>, opts: { jwk?: JWK; alg?: string; typ?: string; exp?: number; aud?: string; iss?: string } = {}) {
  const jwk = opts.jwk ?? key;
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ sid: '00000000-0000-4000-8000-000000000000', did: '00000000-0000-4000-8000-000000000001', roles: ['USER'], ...claims })
    .setProtectedHeader({ alg: opts.alg ?? 'EdDSA', kid: jwk.kid!, typ: opts.typ ?? 'at+jwt' })
    .setSubject(user.id)
    .setIssuer(opts.iss ?? ISSUER)
    .setAudience(opts.aud ?? AUDIENCE)
    .setIssuedAt(now - 60)
    .setExpirationTime(opts.exp ?? now + 600)
    .sign(await importJWK(jwk, opts.alg ?? 'EdDSA'));
}

describe('access tokens at the gateway', () => {
  it('accepts a token identity issued', async () => {
    const res = await user.gql('{ me { id } }');
    expect(res.data).toEqual({ me: { id: user.id } });
  });

  it.each([
    ['forged (another key, same kid)', async () => sign({}, { jwk: await generateSigningJwk('test-key-1') })],
    ['expired', () => sign({}, { exp: Math.floor(Date.now() / 1000) - 5 })],
    ['wrong audience', () => sign({}, { aud: 'some-other-api' })],
    ['wrong issuer', () => sign({}, { iss: 'https://evil.example' })],
    ['wrong typ (an ID token)', () => sign({}, { typ: 'JWT' })],
    [
      'alg: none',
      async () => {
        const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'at+jwt' }));
        const now = Math.floor(Date.now() / 1000);
        const payload = base64url.encode(JSON.stringify({ sub: user.id, iss: ISSUER, aud: AUDIENCE, iat: now, exp: now + 600, sid: 'x', did: 'y' }));
        return `${header}.${payload}.`;
      },
    ],
    [
      'HS256 signed with the public key (algorithm confusion)',
      async () => {
        const { x } = key;
        const now = Math.floor(Date.now() / 1000);
        return new SignJWT({ sid: 's', did: 'd' })
          .setProtectedHeader({ alg: 'HS256', kid: key.kid!, typ: 'at+jwt' })
          .setSubject(user.id)
          .setIssuer(ISSUER)
          .setAudience(AUDIENCE)
          .setIssuedAt(now)
          .setExpirationTime(now + 600)
          .sign(new TextEncoder().encode(x));
      },
    ],
    ['garbage', async () => 'not.a.jwt'],
  ])('rejects a %s token with UNAUTHENTICATED and runs nothing', async (_name, make) => {
    const token = await make();
    sg.resetStatementCounts();
    const res = await sg.gql('{ me { id } }', {}, { token });
    expect(res.status).toBe(401);
    expect(res.codes).toEqual(['UNAUTHENTICATED']);
    expect(res.data ?? null).toBeNull();
    expect(sg.statementCounts().identity).toBe(0);
  });

  it('rejects a malformed Authorization header', async () => {
    const res = await sg.gql('{ me { id } }', {}, { headers: { authorization: 'Token abc' } });
    expect(res.codes).toEqual(['UNAUTHENTICATED']);
  });

  it('serves the verification keys (public parts only) at /.well-known/jwks.json', async () => {
    const res = await fetch(`${sg.subgraphs.identity!.url}/.well-known/jwks.json`);
    const jwks = (await res.json()) as { keys: JWK[] };
    expect(jwks.keys).toEqual([{ kty: 'OKP', crv: 'Ed25519', x: key.x, kid: 'test-key-1', alg: 'EdDSA', use: 'sig' }]);
    expect(JSON.stringify(jwks)).not.toContain(key.d!);
  });
});

describe('subgraphs only answer the gateway', () => {
  const query = JSON.stringify({ query: '{ me { id } }' });
  it.each([
    ['no secret', {}],
    ['a wrong secret', { [GATEWAY_SECRET_HEADER]: 'x'.repeat(43) }],
  ])('rejects a direct request with %s', async (_name, headers) => {
    const res = await fetch(sg.subgraphs.identity!.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${user.accessToken}`, ...headers },
      body: query,
    });
    expect(res.status).toBe(401);
    const body = (await res.json()) as { errors: Array<{ extensions: { code: string } }>; data?: unknown };
    expect(body.errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
    expect(body.data).toBeUndefined();
  });

  it('a direct request with the secret still needs a valid token of its own', async () => {
    const res = await gql(sg.subgraphs.identity!.graphqlUrl, '{ me { id } }', {}, {
      headers: { [GATEWAY_SECRET_HEADER]: sg.gatewaySecret, authorization: 'Bearer forged.token.here' },
    });
    expect(res.codes).toEqual(['UNAUTHENTICATED']);
  });
});

describe('query limits (graphql-armor)', () => {
  it('rejects a depth-20 query before execution', async () => {
    let selection = 'id';
    for (let i = 0; i < 9; i++) selection = `sessions { device { ${selection} } }`;
    const query = `{ me { ${selection} } }`; // depth 20
    sg.resetStatementCounts();
    const res = await user.gql(query);
    expect(res.codes).toContain('GRAPHQL_VALIDATION_FAILED');
    expect(res.errors!.some((e) => /depth limit of 10 exceeded, found 20/i.test(e.message))).toBe(true);
    expect(res.data ?? null).toBeNull();
    expect(sg.statementCounts().identity).toBe(0);
  });

  it('accepts a reasonably deep query', async () => {
    const res = await user.gql('{ me { sessions { device { sessions { device { name } } } } } }');
    expect(res.errors).toBeUndefined();
    expect(res.data!.me.sessions[0].device.sessions[0].device.name).toBe('test');
  });

  it('rejects a 100-alias query before execution', async () => {
    const query = `{ ${Array.from({ length: 100 }, (_, i) => `a${i}: me { id }`).join(' ')} }`;
    sg.resetStatementCounts();
    const res = await user.gql(query);
    expect(res.codes).toContain('GRAPHQL_VALIDATION_FAILED');
    expect(res.errors!.some((e) => /alias/i.test(e.message))).toBe(true);
    expect(res.data ?? null).toBeNull();
    expect(sg.statementCounts().identity).toBe(0);
  });

  it('rejects batched requests', async () => {
    const res = await fetch(sg.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ me { id } }' }, { query: '{ me { id } }' }]),
    });
    expect(res.status).toBe(400);
  });
});

describe('browser safety and developer experience', () => {
  it('blocks a simple (CSRF-able) GET request without a preflight header', async () => {
    const res = await fetch(`${sg.gatewayUrl}?query=${encodeURIComponent('{ me { id } }')}`);
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/CSRF|preflight/i);
  });

  it('serves Apollo Sandbox and introspection in development', async () => {
    const page = await fetch(sg.gateway.url + '/', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/sandbox/i);
    const res = await sg.gql('{ __schema { queryType { name } } }');
    expect(res.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });

  it('returns a request id on every response', async () => {
    const res = await sg.gql('{ me { id } }');
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

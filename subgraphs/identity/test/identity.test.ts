import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier, generateSigningJwk, localKeys, type TokenVerifier, type Viewer } from '@calos/auth';
import { migrateUp, migrationsDir } from '@calos/db';
import { createLogger, parseEnv } from '@calos/kernel';
import { runOperation, scratchDatabase, uniqueSuffix, type OperationResult, type ScratchDatabase } from '@calos/testkit';
import { createContext } from '../src/context.js';
import { identityEnvSchema } from '../src/env.js';
import { startIdentityService, type IdentityService } from '../src/server.js';

/**
 * Layer 2: the identity subgraph in-process, operations through `apollo.executeOperation`
 * with the same context the HTTP path builds, on a scratch database of its own.
 */

let database: ScratchDatabase;
let service: IdentityService;
let verify: TokenVerifier;

beforeAll(async () => {
  database = await scratchDatabase('identity_l2');
  await migrateUp({ connectionString: database.url, dir: migrationsDir('identity'), label: 'identity' });
  const env = parseEnv('identity', identityEnvSchema, {
    NODE_ENV: 'test',
    PORT: '0',
    GATEWAY_SECRET: 'x'.repeat(40),
    SERVICE_TOKEN_SECRET: 's'.repeat(40),
    IDENTITY_DATABASE_URL: database.url,
    JWT_PRIVATE_JWKS: JSON.stringify([await generateSigningJwk('k1')]),
  });
  service = await startIdentityService({
    env,
    databaseUrl: database.url,
    devKeyFile: join(tmpdir(), 'identity-l2-unused-keys.json'),
    host: '127.0.0.1',
    logger: createLogger('identity-test', process.env.TEST_LOG_LEVEL ?? 'silent'),
  });
  verify = createTokenVerifier(localKeys(service.services.keys), service.services.tokens);
});

afterAll(async () => {
  await service?.close();
  await database?.drop();
});

// ---------------------------------------------------------------------------------------
// helpers

type Result = OperationResult;

async function gql(query: string, variables: Record<string, unknown> = {}, viewer: Viewer | null = null): Promise<Result> {
  return runOperation(service.apollo, createContext(service.services, { requestId: 'test', viewer, accessToken: null, userAgent: 'vitest' }), query, variables);
}

const REGISTER = `mutation($input: RegisterInput!) {
  register(input: $input) { accessToken refreshToken expiresAt user { id username displayName } device { id name type } }
}`;
const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { accessToken refreshToken user { id } device { id } } }`;
const REFRESH = `mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken refreshToken user { id } device { id } } }`;
const ME = `{ me { id username displayName email roles credits { balance } subscription { status plan { code } } } }`;
const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id username displayName email credits { balance } } } }`;
const ENTITIES_PRIVATE = `query($r: [_Any!]!) { _entities(representations: $r) { ... on User {
  id username email roles credits { balance } devices { id } sessions { id } subscription { status }
} } }`;
const START_PAIRING = `mutation { startDevicePairing { code expiresAt } }`;
const COMPLETE_PAIRING = `mutation($input: CompleteDevicePairingInput!) {
  completeDevicePairing(input: $input) { accessToken refreshToken user { id } device { id name type } }
}`;

const PASSWORD = 'correct horse battery staple';
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const refs = (...ids: string[]) => ids.map((id) => ({ __typename: 'User', id }));

interface SignedIn {
  id: string;
  username: string;
  email: string;
  accessToken: string;
  refreshToken: string;
  deviceId: string;
  viewer: Viewer;
}

/** A valid register input with a fresh, unique username and email. */
function validInput(overrides: Record<string, unknown> = {}) {
  const username = `u_${uniqueSuffix()}${uniqueSuffix()}`;
  return { username, email: `${username}@example.test`, password: PASSWORD, ...overrides };
}

async function signedIn(payload: { accessToken: string; refreshToken: string; user: { id: string }; device: { id: string } }, username = '', email = '') {
  return {
    id: payload.user.id,
    username,
    email,
    accessToken: payload.accessToken,
    refreshToken: payload.refreshToken,
    deviceId: payload.device.id,
    viewer: await verify(payload.accessToken),
  };
}

async function signUp(overrides: Record<string, unknown> = {}): Promise<SignedIn> {
  const input = validInput(overrides);
  const res = await gql(REGISTER, { input });
  if (!res.data?.register) throw new Error(`register failed: ${JSON.stringify(res.errors)}`);
  return signedIn(res.data.register, String(input.username), String(input.email));
}

async function logIn(login: string, password = PASSWORD): Promise<SignedIn> {
  const res = await gql(LOGIN, { input: { login, password } });
  if (!res.data?.login) throw new Error(`login failed: ${JSON.stringify(res.errors)}`);
  return signedIn(res.data.login);
}

/** Row counts of everything register writes. */
async function counts() {
  const { db } = service.services;
  const [users, devices, sessions, refreshTokens, wallets, ledger, subscriptions] = await Promise.all([
    db.user.count(),
    db.device.count(),
    db.session.count(),
    db.refreshToken.count(),
    db.creditWallet.count(),
    db.creditLedgerEntry.count(),
    db.subscription.count(),
  ]);
  return { users, devices, sessions, refreshTokens, wallets, ledger, subscriptions };
}

/** Every row of every table as text: for "this value is stored nowhere" checks. */
async function dumpDatabase(): Promise<string> {
  const { db } = service.services;
  const tables = await db.$queryRawUnsafe<{ name: string }[]>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
  );
  expect(tables.length).toBeGreaterThan(5);
  const parts: string[] = [];
  for (const { name } of tables) {
    const rows = await db.$queryRawUnsafe<{ row: string }[]>(`SELECT t::text AS row FROM "${name}" t`);
    parts.push(...rows.map((r) => r.row));
  }
  return parts.join('\n');
}

/** Users written straight to the database (no argon2): cheap fixtures for batch reads. */
async function insertUsers(n: number): Promise<string[]> {
  const suffix = uniqueSuffix();
  const rows = Array.from({ length: n }, (_, i) => ({
    username: `bulk_${suffix}_${i}`,
    email: `bulk_${suffix}_${i}@example.test`,
    displayName: `Bulk ${i}`,
    passwordHash: 'not-a-hash',
  }));
  await service.services.db.user.createMany({ data: rows });
  const users = await service.services.db.user.findMany({ where: { username: { startsWith: `bulk_${suffix}_` } }, select: { id: true } });
  return users.map((u) => u.id);
}

// ---------------------------------------------------------------------------------------

describe('register: invalid input', () => {
  const cases: [string, Record<string, unknown>, Record<string, string[]>][] = [
    ['a password under 10 characters', { password: 'nine_char' }, { 'input.password': ['must be at least 10 characters'] }],
    ['a malformed email', { email: 'not-an-email' }, { 'input.email': ['must be a valid email address'] }],
    ['a username with bad characters', { username: 'bad-name!' }, { 'input.username': ['may contain only letters, digits and underscores'] }],
    ['a too-short username', { username: 'ab' }, { 'input.username': ['must be at least 3 characters'] }],
    ['a 33-character username', { username: 'a'.repeat(33) }, { 'input.username': ['must be at most 32 characters'] }],
    [
      'an email over 254 characters',
      { email: `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(60)}.com` },
      { 'input.email': ['must be at most 254 characters'] },
    ],
    ['an 81-character displayName', { displayName: 'd'.repeat(81) }, { 'input.displayName': ['must be at most 80 characters'] }],
    ['a 257-character password', { password: 'p'.repeat(257) }, { 'input.password': ['must be at most 256 characters'] }],
    ['an 81-character deviceName', { deviceName: 'n'.repeat(81) }, { 'input.deviceName': ['must be at most 80 characters'] }],
    [
      'several invalid fields at once',
      { username: 'x!', email: 'nope', password: 'short', displayName: 'd'.repeat(81) },
      {
        'input.username': ['must be at least 3 characters', 'may contain only letters, digits and underscores'],
        'input.email': ['must be a valid email address'],
        'input.password': ['must be at least 10 characters'],
        'input.displayName': ['must be at most 80 characters'],
      },
    ],
  ];

  it.each(cases)('rejects %s with per-field messages and writes nothing', async (_name, overrides, fields) => {
    const before = await counts();
    const res = await gql(REGISTER, { input: validInput(overrides) });
    expect(res.codes).toEqual(['BAD_USER_INPUT']);
    expect(res.fields).toEqual(fields);
    expect(res.data).toBeNull();
    expect(await counts()).toEqual(before);
  });

  it('rejects a taken username or email (case-insensitively), both at once when both clash, and writes nothing', async () => {
    const s = uniqueSuffix();
    const taken = { username: `Dup_${s}`, email: `Dup_${s}@Example.test` };
    await signUp(taken);
    const before = await counts();

    const sameName = await gql(REGISTER, { input: validInput({ username: `dUP_${s}`.toUpperCase() }) });
    expect(sameName.codes).toEqual(['BAD_USER_INPUT']);
    expect(sameName.fields).toEqual({ 'input.username': ['is already taken'] });

    const sameEmail = await gql(REGISTER, { input: validInput({ email: taken.email.toUpperCase() }) });
    expect(sameEmail.codes).toEqual(['BAD_USER_INPUT']);
    expect(sameEmail.fields).toEqual({ 'input.email': ['is already registered'] });

    const both = await gql(REGISTER, { input: validInput({ username: taken.username.toLowerCase(), email: taken.email.toLowerCase() }) });
    expect(both.codes).toEqual(['BAD_USER_INPUT']);
    expect(both.fields).toEqual({ 'input.username': ['is already taken'], 'input.email': ['is already registered'] });

    expect(await counts()).toEqual(before);
  });

  it('two concurrent registrations of the same username: one account, the other gets the same per-field answer', async () => {
    const username = `race_${uniqueSuffix()}`;
    const before = await counts();
    const results = await Promise.all([
      gql(REGISTER, { input: validInput({ username, email: `${username}_1@example.test` }) }),
      gql(REGISTER, { input: validInput({ username: username.toUpperCase(), email: `${username}_2@example.test` }) }),
    ]);
    const ok = results.filter((r) => r.data?.register);
    const failed = results.filter((r) => r.errors);
    expect(ok).toHaveLength(1);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.codes).toEqual(['BAD_USER_INPUT']);
    expect(failed[0]!.fields).toEqual({ 'input.username': ['is already taken'] });
    const after = await counts();
    expect(after.users).toBe(before.users + 1);
    expect(after.wallets).toBe(before.wallets + 1);
    expect(after.devices).toBe(before.devices + 1);
  });
});

describe('register: success', () => {
  it('writes exactly one user, wallet + grant, free subscription, device, session and hashed refresh token', async () => {
    const s = uniqueSuffix();
    const input = {
      username: `Mixed_Case_${s}`,
      email: `Ana.${s}@Example.TEST`,
      password: PASSWORD,
      displayName: 'Ana María',
      deviceName: "Ana's phone",
      deviceType: 'MOBILE',
    };
    const before = await counts();
    const res = await gql(REGISTER, { input });
    expect(res.errors).toBeUndefined();
    const payload = res.data!.register;
    expect(payload.user).toMatchObject({ username: input.username.toLowerCase(), displayName: 'Ana María' });
    expect(payload.device).toMatchObject({ name: "Ana's phone", type: 'MOBILE' });

    const after = await counts();
    expect(after).toEqual({
      users: before.users + 1,
      devices: before.devices + 1,
      sessions: before.sessions + 1,
      refreshTokens: before.refreshTokens + 1,
      wallets: before.wallets + 1,
      ledger: before.ledger + 1,
      subscriptions: before.subscriptions + 1,
    });

    const { db, signupCredits } = service.services;
    const userId: string = payload.user.id;
    const user = await db.user.findUniqueOrThrow({ where: { id: userId } });
    expect(user).toMatchObject({
      username: input.username.toLowerCase(),
      email: input.email.toLowerCase(),
      displayName: 'Ana María',
      roles: ['USER'],
      deletedAt: null,
    });
    // argon2id v19 with m=19456, t=2, p=1 (node-argon2 writes the PHC parameters as m,p,t)
    const [, algorithm, version, params, salt, hash] = user.passwordHash.split('$');
    expect([algorithm, version]).toEqual(['argon2id', 'v=19']);
    expect(Object.fromEntries((params ?? '').split(',').map((kv) => kv.split('=')))).toEqual({ m: '19456', t: '2', p: '1' });
    expect(salt).toMatch(/^[A-Za-z0-9+/]{22,}$/);
    expect(hash).toMatch(/^[A-Za-z0-9+/]{43,}$/);

    expect(await db.creditWallet.findUniqueOrThrow({ where: { userId } })).toMatchObject({ balance: signupCredits, lifetimeSpent: 0 });
    const ledger = await db.creditLedgerEntry.findMany({ where: { userId } });
    expect(ledger).toEqual([
      expect.objectContaining({ kind: 'GRANT', amount: signupCredits, balanceAfter: signupCredits, idempotencyKey: `signup:${userId}` }),
    ]);
    expect(await db.subscription.findUniqueOrThrow({ where: { userId } })).toMatchObject({ planCode: 'free', status: 'ACTIVE' });

    const devices = await db.device.findMany({ where: { userId } });
    expect(devices).toEqual([expect.objectContaining({ id: payload.device.id, name: "Ana's phone", type: 'MOBILE', revokedAt: null })]);
    const sessions = await db.session.findMany({ where: { userId } });
    expect(sessions).toEqual([expect.objectContaining({ deviceId: payload.device.id, revokedAt: null })]);
    const session = sessions[0]!;
    const tokens = await db.refreshToken.findMany({ where: { sessionId: session.id } });
    expect(tokens).toHaveLength(1);
    expect(tokens[0]!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(tokens[0]!.tokenHash).toBe(sha256(payload.refreshToken));

    // the raw refresh token and the password are stored nowhere
    const dump = await dumpDatabase();
    expect(dump).toContain(tokens[0]!.tokenHash);
    expect(dump).not.toContain(payload.refreshToken);
    expect(dump).not.toContain(PASSWORD);

    // the access token names this user, session and device
    expect(await verify(payload.accessToken)).toMatchObject({ userId, sessionId: session.id, deviceId: payload.device.id, roles: ['USER'] });
  });
});

describe('_entities for User', () => {
  it('resolves a batch with one SQL statement whatever its size', async () => {
    const ids = await insertUsers(20);

    service.statements.reset();
    const two = await gql(ENTITIES, { r: refs(...ids.slice(0, 2)) });
    const forTwo = service.statements.count;
    expect(two.errors).toBeUndefined();
    expect(two.data!._entities.map((u: { id: string }) => u.id)).toEqual(ids.slice(0, 2));

    service.statements.reset();
    const twenty = await gql(ENTITIES, { r: refs(...ids) });
    const forTwenty = service.statements.count;
    expect(twenty.errors).toBeUndefined();
    expect(twenty.data!._entities).toHaveLength(20);
    expect(twenty.data!._entities.map((u: { id: string }) => u.id)).toEqual(ids);
    expect(twenty.data!._entities[0]).toMatchObject({ username: expect.stringMatching(/^bulk_/), email: null, credits: null });

    expect(forTwenty).toBe(forTwo);
    expect(forTwenty).toBe(1);
  });

  it('unknown and non-UUID ids resolve to null entries, not errors', async () => {
    const [known] = await insertUsers(1);
    const res = await gql(ENTITIES, { r: refs('00000000-0000-4000-8000-000000000000', known!, 'not-a-uuid', "'; DROP TABLE users; --") });
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities).toEqual([null, expect.objectContaining({ id: known }), null, null]);
  });

  it('private fields are null for another viewer and for anonymous, present for the user themself', async () => {
    const alice = await signUp();
    const bob = await signUp();
    const privateNulls = { email: null, roles: null, credits: null, devices: null, sessions: null, subscription: null };

    const asAnonymous = await gql(ENTITIES_PRIVATE, { r: refs(alice.id) });
    expect(asAnonymous.errors).toBeUndefined();
    expect(asAnonymous.data!._entities).toEqual([{ id: alice.id, username: alice.username, ...privateNulls }]);

    const asBob = await gql(ENTITIES_PRIVATE, { r: refs(alice.id) }, bob.viewer);
    expect(asBob.errors).toBeUndefined();
    expect(asBob.data!._entities).toEqual([{ id: alice.id, username: alice.username, ...privateNulls }]);

    const asAlice = await gql(ENTITIES_PRIVATE, { r: refs(alice.id, bob.id) }, alice.viewer);
    expect(asAlice.errors).toBeUndefined();
    expect(asAlice.data!._entities).toEqual([
      {
        id: alice.id,
        username: alice.username,
        email: alice.email,
        roles: ['USER'],
        credits: { balance: service.services.signupCredits },
        devices: [{ id: alice.deviceId }],
        sessions: [{ id: alice.viewer.sessionId }],
        subscription: { status: 'ACTIVE' },
      },
      // in the same batch, bob's private fields stay private
      { id: bob.id, username: bob.username, ...privateNulls },
    ]);
  });
});

describe('me', () => {
  it('is null when anonymous', async () => {
    const res = await gql(ME);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ me: null });
  });

  it('is the user when signed in, and UNAUTHENTICATED with the same token after logout', async () => {
    const carol = await signUp({ displayName: 'Carol' });
    const me = await gql(ME, {}, carol.viewer);
    expect(me.errors).toBeUndefined();
    expect(me.data!.me).toEqual({
      id: carol.id,
      username: carol.username,
      displayName: 'Carol',
      email: carol.email,
      roles: ['USER'],
      credits: { balance: service.services.signupCredits },
      subscription: { status: 'ACTIVE', plan: { code: 'free' } },
    });

    const logout = await gql('mutation { logout }', {}, carol.viewer);
    expect(logout.errors).toBeUndefined();
    expect(logout.data).toEqual({ logout: true });

    const after = await gql(ME, {}, carol.viewer);
    expect(after.codes).toEqual(['UNAUTHENTICATED']);
    expect(after.data).toEqual({ me: null });
    const session = await service.services.db.session.findUniqueOrThrow({ where: { id: carol.viewer.sessionId } });
    expect(session.revokedReason).toBe('logout');
    expect((await gql(REFRESH, { t: carol.refreshToken })).codes).toEqual(['UNAUTHENTICATED']);
    // logging out again with the dead token is refused too
    expect((await gql('mutation { logout }', {}, carol.viewer)).codes).toEqual(['UNAUTHENTICATED']);
  });

  it('logout when anonymous is UNAUTHENTICATED', async () => {
    expect((await gql('mutation { logout }')).codes).toEqual(['UNAUTHENTICATED']);
  });
});

describe('refreshSession', () => {
  it.each([
    ['an empty string', ''],
    ['a short string', 'abc'],
    ['19 characters', 'x'.repeat(19)],
    ['201 characters', 'x'.repeat(201)],
  ])('rejects %s as BAD_USER_INPUT', async (_name, token) => {
    const res = await gql(REFRESH, { t: token });
    expect(res.codes).toEqual(['BAD_USER_INPUT']);
    expect(res.fields).toEqual({ refreshToken: ['is not a refresh token'] });
    expect(res.data).toBeNull();
  });

  it.each([
    ['well-formed garbage', 'this-is-not-a-refresh-token-at-all'],
    ['an unknown 256-bit token', 'A'.repeat(43)],
  ])('rejects %s as UNAUTHENTICATED', async (_name, token) => {
    const res = await gql(REFRESH, { t: token });
    expect(res.codes).toEqual(['UNAUTHENTICATED']);
    expect(res.data).toBeNull();
  });

  it('rotates: the new pair works, the old refresh token no longer does', async () => {
    const dave = await signUp();
    const res = await gql(REFRESH, { t: dave.refreshToken });
    expect(res.errors).toBeUndefined();
    const next = res.data!.refreshSession;
    expect(next.user.id).toBe(dave.id);
    expect(next.device.id).toBe(dave.deviceId);
    expect(next.refreshToken).not.toBe(dave.refreshToken);
    const viewer = await verify(next.accessToken);
    expect(viewer.sessionId).toBe(dave.viewer.sessionId);
    expect((await gql('{ me { id } }', {}, viewer)).data).toEqual({ me: { id: dave.id } });
  });

  it('two concurrent refreshes with the same token: exactly one succeeds and the session is revoked for reuse', async () => {
    const erin = await signUp();
    const results = await Promise.all([gql(REFRESH, { t: erin.refreshToken }), gql(REFRESH, { t: erin.refreshToken })]);
    const ok = results.filter((r) => r.data?.refreshSession);
    const failed = results.filter((r) => r.errors);
    expect(ok).toHaveLength(1);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.codes).toEqual(['UNAUTHENTICATED']);

    const session = await service.services.db.session.findUniqueOrThrow({ where: { id: erin.viewer.sessionId } });
    expect(session.revokedAt).not.toBeNull();
    expect(session.revokedReason).toBe('refresh_token_reuse');
    // the winner's new tokens are dead too: the whole session went
    expect((await gql(REFRESH, { t: ok[0]!.data!.refreshSession.refreshToken })).codes).toEqual(['UNAUTHENTICATED']);
    expect((await gql('{ me { id } }', {}, erin.viewer)).codes).toEqual(['UNAUTHENTICATED']);
  });
});

describe('device pairing', () => {
  const CODE = /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;

  it('needs a signed-in user to start', async () => {
    expect((await gql(START_PAIRING)).codes).toEqual(['UNAUTHENTICATED']);
  });

  it('issues an XXXX-XXXX Crockford base32 code that signs a new device in', async () => {
    const frank = await signUp();
    const started = await gql(START_PAIRING, {}, frank.viewer);
    expect(started.errors).toBeUndefined();
    const { code, expiresAt } = started.data!.startDevicePairing;
    expect(code).toMatch(CODE);
    const ttl = new Date(expiresAt).getTime() - Date.now();
    expect(ttl).toBeGreaterThan(9 * 60_000);
    expect(ttl).toBeLessThanOrEqual(10 * 60_000);

    // typed on the TV in lower case without the dash
    const done = await gql(COMPLETE_PAIRING, { input: { code: code.replace('-', '').toLowerCase(), deviceName: 'Living room', deviceType: 'TV' } });
    expect(done.errors).toBeUndefined();
    const paired = done.data!.completeDevicePairing;
    expect(paired.user.id).toBe(frank.id);
    expect(paired.device).toMatchObject({ name: 'Living room', type: 'TV' });
    expect(paired.device.id).not.toBe(frank.deviceId);
    expect((await gql('{ me { id } }', {}, await verify(paired.accessToken))).data).toEqual({ me: { id: frank.id } });
  });

  it('rejects a malformed code with input.code', async () => {
    const res = await gql(COMPLETE_PAIRING, { input: { code: 'ILOU-1234' } });
    expect(res.codes).toEqual(['BAD_USER_INPUT']);
    expect(res.fields).toEqual({ 'input.code': ['must be the 8-character code shown on your other device'] });
  });

  it('rejects an expired code with input.code and signs nothing in', async () => {
    const gina = await signUp();
    const { code } = (await gql(START_PAIRING, {}, gina.viewer)).data!.startDevicePairing;
    await service.services.db.devicePairing.updateMany({ where: { userId: gina.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const before = await counts();
    const res = await gql(COMPLETE_PAIRING, { input: { code } });
    expect(res.codes).toEqual(['BAD_USER_INPUT']);
    expect(res.fields).toEqual({ 'input.code': ['is invalid, already used or expired'] });
    expect(await counts()).toEqual(before);
  });

  it('a code is redeemed once, even by 5 concurrent attempts', async () => {
    const hank = await signUp();
    const { code } = (await gql(START_PAIRING, {}, hank.viewer)).data!.startDevicePairing;
    const devicesBefore = await service.services.db.device.count({ where: { userId: hank.id } });

    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => gql(COMPLETE_PAIRING, { input: { code, deviceName: `tab ${i}` } })));
    const ok = results.filter((r) => r.data?.completeDevicePairing);
    const failed = results.filter((r) => r.errors);
    expect(ok).toHaveLength(1);
    expect(failed).toHaveLength(4);
    for (const f of failed) {
      expect(f.codes).toEqual(['BAD_USER_INPUT']);
      expect(f.fields).toEqual({ 'input.code': ['is invalid, already used or expired'] });
    }
    expect(await service.services.db.device.count({ where: { userId: hank.id } })).toBe(devicesBefore + 1);

    // and later, once more, still no
    expect((await gql(COMPLETE_PAIRING, { input: { code } })).codes).toEqual(['BAD_USER_INPUT']);
  });
});

describe('a deleted user', () => {
  it('cannot log in, refresh, pair a device or use its token, and resolves as null through _entities', async () => {
    const ivan = await signUp();
    const second = await logIn(ivan.username);
    const { code } = (await gql(START_PAIRING, {}, ivan.viewer)).data!.startDevicePairing;
    await service.services.db.user.update({ where: { id: ivan.id }, data: { deletedAt: new Date() } });

    const wrongPassword = await gql(LOGIN, { input: { login: 'nobody_here_at_all', password: PASSWORD } });
    const byName = await gql(LOGIN, { input: { login: ivan.username, password: PASSWORD } });
    const byEmail = await gql(LOGIN, { input: { login: ivan.email, password: PASSWORD } });
    expect(byName.codes).toEqual(['UNAUTHENTICATED']);
    expect(byEmail.codes).toEqual(['UNAUTHENTICATED']);
    // indistinguishable from an account that never existed
    expect(byName.errors![0]!.message).toBe(wrongPassword.errors![0]!.message);

    expect((await gql(REFRESH, { t: ivan.refreshToken })).codes).toEqual(['UNAUTHENTICATED']);
    expect((await gql(REFRESH, { t: second.refreshToken })).codes).toEqual(['UNAUTHENTICATED']);
    expect((await gql(COMPLETE_PAIRING, { input: { code } })).codes).toEqual(['BAD_USER_INPUT']);
    expect((await gql(ME, {}, ivan.viewer)).codes).toEqual(['UNAUTHENTICATED']);

    const entities = await gql(ENTITIES, { r: refs(ivan.id) });
    expect(entities.errors).toBeUndefined();
    expect(entities.data!._entities).toEqual([null]);
  });
});
